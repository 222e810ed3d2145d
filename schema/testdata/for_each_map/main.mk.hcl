variable "bots" {
  type = map(object({
    host = string
    name = optional(string, "Bot")
  }))
  default = {
    snow = { host = "misskey.example" }
    rain = { host = "http://localhost:3000", name = "Rain" }
  }
}

account "bot" {
  for_each = var.bots
  host     = each.value.host
  username = "${each.key}bot"
  profile {
    name = each.value.name
  }
}

account "fleet" {
  for_each = toset(["snow", "hail", "rain", "snow"])
  host     = "misskey.example"
  username = "fleet_${each.value}"
}
