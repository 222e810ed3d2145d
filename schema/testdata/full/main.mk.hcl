variable "owner" {
  default     = "weather"
  type        = string
  description = "who runs the bots"
}

locals {
  bio = "Forecasts for ${var.owner}"
}

account "weather" {
  host     = "misskey.example"
  username = "@weatherbot"
  profile {
    name          = "  Weather Bot  "
    description   = file("bio.md")
    is_bot        = true
    lang          = "en-US"
    fields        = [{ name = " Source ", value = "https://git.example/weather" }]
    also_known_as = ["@old@Misskey.Example", "@Someone@Mastodon.Example", "local@misskey.example"]
    location      = ""
    birthday      = null
  }
}

account "fleet" {
  for_each = toset(["snow", "rain"])
  host     = "http://127.0.0.1:3000/"
  username = "${each.key}bot"
  profile {
    name        = "${title(each.key)} Bot"
    description = local.bio
  }
}
