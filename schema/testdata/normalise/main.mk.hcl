account "n" {
  host     = "HTTPS://Misskey.Example:443/"
  username = "@N_bot"
  profile {
    name          = "\u00a0 Weather \ufeff"
    description   = "line\n"
    location      = "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"
    fields        = [{ name = "  Web ", value = " https://x.example  " }]
    also_known_as = ["Old@Misskey.Example", "@zed@Other.Example:8443", "@alpha@other.example", "local"]
    is_bot        = false
    lang          = ""
    chat_scope    = "mutual"
  }
}

account "local" {
  host     = "http://[::1]:3000"
  username = "local"
}
