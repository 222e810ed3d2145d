locals {
  list = user_list.friends
}

account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  antenna "a" {
    source    = "list"
    keywords  = [["x"]]
    user_list = user_list
  }
  antenna "b" {
    source    = "list"
    keywords  = [["x"]]
    user_list = user_list.friends
  }
}

account "other" {
  host     = "misskey.example"
  username = "otherbot"
  user_list "friends" {}
  profile {
    name = userlist.friends
  }
}
