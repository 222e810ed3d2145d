account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  profile {
    isBot      = true
    descripton = "x"
    fields {
    }
  }
  profile {
  }
}
