# A bot with an avatar, a banner, a logo in a drive folder and a pinned
# note that shows the logo.
#
#   mkctl validate --chdir examples/images-bot
#   mkctl apply    --chdir examples/images-bot --sandbox --auto-approve

variable "host" {
  description = "The Misskey instance the bot lives on."
  type        = string
  default     = "misskey.example"
}

account "images" {
  host     = var.host
  username = "imagesbot"

  profile {
    name   = "Images Bot"
    is_bot = true
    avatar = "images/avatar.png" # relative to this directory; null clears it
    banner = "images/banner.jpg"
  }

  drive_folder "media" {
    drive_file "logo.png" {
      source       = "images/logo.png"
      comment      = "The images bot logo" # alt text
      is_sensitive = false
    }
  }

  # Directly in the account block: the drive's root.
  drive_file "about.txt" {
    source = "about.txt"
  }

  pinned_note "about" {
    text  = "I post pictures every morning."
    files = [drive_file["media/logo.png"]]
  }
}
