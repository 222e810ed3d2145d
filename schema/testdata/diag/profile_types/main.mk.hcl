account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  profile {
    is_bot        = "yes"
    name          = true
    lang          = ["en"]
    fields        = "Source"
    also_known_as = "@old@misskey.example"
    is_cat        = null
    chat_scope    = null
  }
}
account "other" {
  host     = "misskey.example"
  username = "otherbot"
  profile {
    fields        = null
    also_known_as = null
  }
}
