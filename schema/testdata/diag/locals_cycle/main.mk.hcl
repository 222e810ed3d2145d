locals {
  a    = "${local.b}!"
  b    = upper(local.c)
  c    = local.a
  self = local.self
  ok   = "fine"
}
