account "f" {
  host     = "misskey.example"
  username = "f"
  profile {
    description      = file("bio.md")
    followed_message = templatefile("tmpl/welcome.tmpl", { name = "Rain", topics = ["rain", "snow"] })
    location         = fileexists("bio.md") && !fileexists("nope.md") ? "both checks work" : "broken"
  }
}
