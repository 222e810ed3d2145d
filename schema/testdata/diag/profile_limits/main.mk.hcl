locals {
  k    = join("", [for i in range(500) : "a"])
  long = "${local.k}${local.k}${local.k}a"
}
account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  profile {
    name             = "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"
    description      = local.long
    location         = substr(local.long, 0, 51)
    followed_message = substr(local.long, 0, 257)
    fields           = [for i in range(17) : { name = "n${i}", value = "v" }]
    also_known_as    = [for i in range(11) : "@u${i}@misskey.example"]
  }
}
