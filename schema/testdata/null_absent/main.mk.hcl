account "cleared" {
  host     = "misskey.example"
  username = "cleared"
  profile {
    name          = null
    description   = ""
    lang          = null
    birthday      = ""
    location      = "   "
    fields        = []
    also_known_as = []
  }
}

account "empty" {
  host     = "misskey.example"
  username = "empty"
  profile {}
}

account "unmanaged" {
  host     = "misskey.example"
  username = "unmanaged"
}
