account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  pinned_notes "a" {}
  folder "b" {}
  follow {}
  antenna "x" "y" {}
  pinned_note "hello" {
    text     = "hi"
    for_each = toset(["a"])
    localOnly = true
    lifecycle {
      prevent_destroy       = true
      create_before_destroy = true
    }
    lifecycle {}
  }
  follow "@alice@other.example" {
    count = 2
    with_reply = true
    lifecycle {
      prevent_destory = true
    }
  }
  antenna "storms" {
    src      = "all"
    keywords = [["storm"]]
    notify   = true
  }
  pinned_note "empty" {}
}
