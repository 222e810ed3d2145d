# The same name again, in another file.
account "weather" {
  host     = "misskey.example"
  username = "otherbot"
}
