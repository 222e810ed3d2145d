variable "owner" {
  default = "weather"
}

# Locals are written in the reverse of the order they are evaluated in.
locals {
  greeting = "${local.prefix} ${var.owner}"
  prefix   = upper(local.word)
}
locals {
  word = "hello"
}

account "l" {
  host     = "misskey.example"
  username = "l"
  profile {
    name = local.greeting
  }
}
