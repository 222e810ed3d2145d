account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  purge    = ["follow", "notes", "antennas"]
}

account "other" {
  host     = "misskey.example"
  username = "otherbot"
  purge    = "follows"
}
