account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
}
