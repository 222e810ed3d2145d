variable "a" {
  default = "default"
}
variable "b" {
  default = "default"
}
variable "c" {
  default = "default"
}
variable "d" {
  default = "default"
}
variable "n" {
  type    = number
  default = 1
}
variable "tags" {
  type    = list(string)
  default = []
}
variable "obj" {
  type    = object({ x = number })
  default = { x = 0 }
}
variable "untyped" {
  default = "plain"
}

account "v" {
  host     = "misskey.example"
  username = "v"
  profile {
    name             = var.a
    description      = "${var.b}|${var.c}|${var.d}"
    location         = "${var.n + 1}"
    followed_message = var.untyped
    fields           = [for t in var.tags : { name = t, value = tostring(var.obj.x) }]
  }
}
