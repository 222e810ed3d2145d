account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  profile {
    also_known_as = [
      "@old@Mastodon.Example",
      "@OLD@mastodon.example",
      "https://mastodon.example/@old",
      "a@b@c",
      "@",
      "@user@",
    ]
  }
}
