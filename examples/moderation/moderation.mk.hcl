# A shared blocklist applied to a fleet of two accounts. blocklist.txt has
# one account a line ("@user" for this server, "@user@host" for another);
# every account of the fleet blocks each of them, and a pull request that
# edits the file changes the blocks of the whole fleet.
#
# Blocking ends the follows between the two accounts, both ways, and mkctl
# refuses a block of an account the same configuration follows. Each
# instance needs its own token: MKCTL_TOKEN_MODS_ALERTS, MKCTL_TOKEN_MODS_DIGEST.

variable "host" {
  type    = string
  default = "misskey.example"
}

locals {
  blocklist = toset(split("\n", trimspace(file("blocklist.txt"))))
}

account "mods" {
  for_each = toset(["alerts", "digest"])

  host     = var.host
  username = "${each.key}bot"

  # mkctl deletes only the blocks it made; add "blocks" to purge to make
  # the file the whole truth (blocks made by hand are then removed too).
  block "shared" {
    for_each = local.blocklist
    account  = each.key
  }

  # A mute ends on its own (RFC 3339; mkctl sends Misskey milliseconds).
  mute "@loud_launch" {
    expires_at = "2099-01-01T00:00:00Z"
  }

  # Hide their renotes, keep their own notes.
  renote_mute "@boostbot" {}
}
