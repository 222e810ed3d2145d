account "weather" {
  host =
  username = "weatherbot"
}
