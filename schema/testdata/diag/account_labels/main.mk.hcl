account {
  host     = "misskey.example"
  username = "a"
}
account "b" "c" {
  host     = "misskey.example"
  username = "b"
}
account "1st" {
  host     = "misskey.example"
  username = "first"
}
