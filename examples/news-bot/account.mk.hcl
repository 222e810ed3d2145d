# A realistic bot account using every kind of resource mkctl manages.
#
#   go run . apply --sandbox --auto-approve --chdir examples/news-bot
#
# Against a real instance: MKCTL_TOKEN=... mkctl plan --chdir examples/news-bot

variable "host" {
  type    = string
  default = "misskey.example"
}

variable "sources" {
  description = "Accounts the bot follows and watches."
  type        = list(string)
  default     = ["@reuters", "@apnews", "@bbcworld"]
}

locals {
  repo = "https://git.example/news-bot"
}

account "news" {
  host     = var.host
  username = "newsbot"

  # mkctl may delete undeclared antennas even if it did not create them.
  purge = ["antennas"]

  profile {
    name        = "News Bot"
    description = file("bio.md")
    is_bot      = true
    lang        = "en"
    fields = [
      { name = "Source", value = local.repo },
      { name = "Schedule", value = "hourly" },
    ]
    followers_visibility = "public"
  }

  pinned_note "about" {
    text = "I repost headlines from ${length(var.sources)} sources every hour. Mute me freely."
  }

  pinned_note "rules" {
    text       = "Replies are not read. Report problems at ${local.repo}/issues"
    cw         = "Contact"
    visibility = "home"
    lifecycle {
      prevent_destroy = true
    }
  }

  follow "sources" {
    for_each     = toset(var.sources)
    account      = each.key
    with_replies = false
  }

  drive_folder "media" {
    drive_folder "thumbnails" {}
    drive_folder "archive" {}
  }

  user_list "sources" {
    members = var.sources
  }

  antenna "breaking" {
    source           = "list"
    user_list        = user_list.sources
    keywords         = ["breaking", "urgent update"]
    exclude_keywords = [["sponsored"]]
    with_replies     = false
  }

  antenna "elections" {
    source         = "all"
    keywords       = [["election"], ["vote", "results"]]
    case_sensitive = false
    exclude_bots   = true
  }

  # A public clip of the bot's own notes: notes is the exact set (order
  # does not matter); a pinned note of this account by its label, any
  # other note by its id.
  clip "start here" {
    description = "What this bot is and how to reach its maintainers."
    public      = true
    notes       = [pinned_note.about, pinned_note.rules]
  }
}
