account "a" {
  host     = "misskey.example"
  username = "weather bot"
}
account "b" {
  host     = "misskey.example"
  username = "@weatherbot@misskey.example"
}
