variable "friends" {
  default = ["@carol@other.example", "@Alice@OTHER.example", "bad name"]
}

account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  follow "@alice@other.example" {}
  follow "friends" {
    for_each = toset(var.friends)
    account  = each.key
    notify   = "normal"
  }
  follow "https://other.example/@bob" {}
  follow "@WeatherBot" {}
  follow "group" {
    for_each = toset(["x"])
  }
  follow "@dave@other.example" {
    account = "@dave@other.example"
  }
  follow "nobody" {
    account = null
  }
  follow "list" {
    for_each = ["@a@b.example"]
    account  = each.key
  }
  follow "b.c@other.example" {}
  follow "b.c@misskey.example" {}
  follow "carol@other.example" {}
}
