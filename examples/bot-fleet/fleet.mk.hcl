# A fleet of bots declared once with for_each. Each instance needs its own
# token: MKCTL_TOKEN_FLEET_RAIN, MKCTL_TOKEN_FLEET_SNOW, MKCTL_TOKEN_FLEET_SUN.

variable "cities" {
  type = map(string)
  default = {
    rain = "Rain alerts"
    snow = "Snow reports"
    sun  = "Sunshine hours"
  }
}

account "fleet" {
  for_each = var.cities

  host     = "misskey.example"
  username = "${each.key}bot"

  profile {
    name        = "${title(each.key)} Bot"
    description = templatefile("bio.tftpl", { topic = each.value, name = each.key })
    is_bot      = true
    lang        = "en"
    fields      = [{ name = "Topic", value = each.value }]
  }
}
