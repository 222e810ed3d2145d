# The configuration mkctl watch keeps: the unit (mkctl-watch.service) reads
# it from /etc/mkctl, the container (Dockerfile) from /config. Edit it in
# place: watch reloads it when a *.mk.hcl file changes, or on SIGHUP
# (systemctl reload mkctl-watch), and keeps the running configuration if
# the edit is invalid.
account "bot" {
  host     = "https://misskey.example"
  username = "statusbot"

  profile {
    name        = "Status Bot"
    description = "Posts the status of our services. Run by mkctl; edits in the web UI are put back."
    is_bot      = true
  }

  drive_folder "status" {}
}
