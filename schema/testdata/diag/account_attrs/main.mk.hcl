account "weather" {
  hots     = "misskey.example"
  username = "weatherbot"
  profile = {}
}
