account "list" {
  for_each = ["rain", "snow"]
  host     = "misskey.example"
  username = each.key
}
account "numbers" {
  for_each = toset([1, 2])
  host     = "misskey.example"
  username = "n${each.key}"
}
account "empty_key" {
  for_each = { "" = "x" }
  host     = "misskey.example"
  username = "e"
}
account "null" {
  for_each = null
  host     = "misskey.example"
  username = "n"
}
