account "a" {
  host     = "http://misskey.example"
  username = "a"
}
account "b" {
  host     = "https://misskey.example/api"
  username = "b"
}
account "c" {
  host     = "ftp://misskey.example"
  username = "c"
}
account "d" {
  host     = "https://misskey.example/?x=1"
  username = "d"
}
account "e" {
  host     = ""
  username = "e"
}
account "f" {
  host     = ["misskey.example"]
  username = "f"
}
