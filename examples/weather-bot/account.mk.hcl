# A single bot account, managed from git.
#
#   mkctl plan   --chdir examples/weather-bot     # needs MKCTL_TOKEN
#   mkctl apply  --chdir examples/weather-bot --sandbox --auto-approve

variable "host" {
  description = "The Misskey instance the bot lives on."
  type        = string
  default     = "misskey.example"
}

locals {
  source_url = "https://git.example/weather"
}

account "weather" {
  host     = var.host
  username = "weatherbot"

  profile {
    name        = "Weather Bot"
    description = file("bio.md")
    location    = "Everywhere"
    lang        = "en-US"
    is_bot      = true
    is_cat      = false

    fields = [
      { name = "Source", value = local.source_url },
      { name = "Operator", value = "@ops@misskey.example" },
    ]

    following_visibility = "public"
    followers_visibility = "followers"
    chat_scope           = "none"
    followed_message     = "Thanks for following! Forecasts every morning at 06:00 UTC."
    prevent_ai_learning  = true
    no_crawle            = false
  }
}
