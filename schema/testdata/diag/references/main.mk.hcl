variable "owner" {
  default = "weather"
}
locals {
  bio = "by ${var.ownr}"
  tag = local.tags
}
account "weather" {
  host     = "misskey.example"
  username = each.key
  profile {
    name        = owner
    description = vars.owner
  }
}
