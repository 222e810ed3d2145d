account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  profile {
    fields = [
      { name = "Source", value = "https://git.example" },
      { name = "Blank", value = "   " },
      { name = "Extra", value = "x", note = "y" },
      { name = "NoValue" },
      { name = "Bool", value = true },
      "plain",
    ]
  }
}
