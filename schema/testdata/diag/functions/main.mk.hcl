account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  profile {
    description      = file("missing.md")
    followed_message = templatefile("hello.tmpl", { nam = "x" })
    location         = upper(42, 1)
    name             = lenght("x")
  }
}
