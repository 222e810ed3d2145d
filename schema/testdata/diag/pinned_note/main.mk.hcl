account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  pinned_note "blank" {
    text = "  \n "
  }
  pinned_note "long" {
    text = "${join("", [for i in range(1000) : "xxx"])}y"
    cw   = "${join("", [for i in range(101) : "😀"])}"
  }
  pinned_note "types" {
    text                = null
    visibility          = "specified"
    local_only          = "yes"
    reaction_acceptance = "likeonly"
  }
  pinned_note "bad label" {
    text       = "ok"
    visibility = "publik"
  }
  pinned_note "blank" {
    text = "again"
  }
  pinned_note "fits" {
    text = "${join("", [for i in range(1000) : "😀😀😀"])}\n"
    lifecycle {
      prevent_destroy = "yes"
    }
  }
}
