account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  profile {
    lang                 = "en_US"
    chat_scope           = "mutuals"
    following_visibility = "everyone"
    followers_visibility = "Public"
    birthday             = "23.04.1990"
  }
}
account "other" {
  host     = "misskey.example"
  username = "otherbot"
  profile {
    birthday = "2023-02-29"
    lang     = "xx"
  }
}
