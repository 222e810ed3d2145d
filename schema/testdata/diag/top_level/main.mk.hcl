acount "weather" {
}
host = "misskey.example"
