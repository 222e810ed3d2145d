account "fleet" {
  for_each = toset(["good", "bad one", "also bad"])
  host     = "misskey.example"
  username = each.key
  profile {
    is_bot = "yes"
  }
}
