variable "friends" {
  type    = list(string)
  default = ["@carol@Other.Example", "dave@misskey.example", "erin"]
}

account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  purge    = ["follows", "antennas"]

  pinned_note "welcome" {
    text                = <<-EOT
      Hello!
    EOT
    cw                  = "long"
    visibility          = "home"
    local_only          = true
    reaction_acceptance = "likeOnly"
    lifecycle {
      prevent_destroy = true
    }
  }
  pinned_note "second" {
    text                = "Forecasts twice a day."
    cw                  = ""
    reaction_acceptance = null
  }

  follow "@alice@Other.Example" {
    with_replies = true
    notify       = false
  }
  follow "bob" {}
  follow "friends" {
    for_each     = toset(var.friends)
    account      = each.key
    with_replies = false
  }
  follow "admin" {
    account = "@root@misskey.example"
  }

  drive_folder "assets" {
    drive_folder "icons" {
      drive_folder "small" {}
    }
    drive_folder "banners" {}
    lifecycle { prevent_destroy = true }
  }
  drive_folder "inbox" {}

  user_list "friends" {
    members = ["@bob", "@alice@OTHER.example", "carol@other.example", "weatherbot@misskey.example"]
  }
  user_list "empty" {}

  antenna "storms" {
    source           = "list"
    keywords         = [["storm"], "typhoon  warning"]
    exclude_keywords = [["test"]]
    user_list        = user_list.friends
    case_sensitive   = true
    local_only       = true
    exclude_bots     = true
    with_replies     = true
    with_file        = true
    exclude_notes_in_sensitive_channel = true
  }
  antenna "watch" {
    source           = "users_blacklist"
    exclude_keywords = ["never"]
    users            = ["@spam@Bad.Example", "noisy"]
  }
  antenna "plain list" {
    source    = "list"
    keywords  = [["rain", "snow"]]
    user_list = "empty"
  }
  antenna "defaults" {
    keywords = [["x"]]
  }
}

account "quiet" {
  host     = "misskey.example"
  username = "quietbot"
}
