account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  user_list "friends" {
    members = ["@alice@other.example", "@Alice@Other.Example", "@bob@", true, "al ice"]
  }
  user_list "friends" {}
  user_list "" {}
  user_list "typed" {
    members = "@alice"
  }
  user_list "named" {
    name    = "named"
    users   = ["@bob"]
  }
}
