account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  user_list "friends" {}
  user_list "family" {}

  antenna "nothing" {}
  antenna "empty parts" {
    keywords         = [["storm", ""], [], "   "]
    exclude_keywords = [[1, true]]
  }
  antenna "users on all" {
    keywords = [["x"]]
    users    = ["@alice@other.example"]
  }
  antenna "list missing" {
    source   = "list"
    keywords = [["x"]]
  }
  antenna "list on all" {
    keywords  = [["x"]]
    user_list = user_list.friends
  }
  antenna "typo ref" {
    source    = "list"
    keywords  = [["x"]]
    user_list = user_list.frends
  }
  antenna "typo string" {
    source    = "list"
    keywords  = [["x"]]
    user_list = "famly"
  }
  antenna "source typo" {
    source   = "user"
    keywords = "storm"
  }
  antenna "bad users" {
    source   = "users"
    keywords = [["x"]]
    users    = ["@bob", "@BOB@misskey.example", "not valid"]
  }
  antenna "nothing" {
    keywords = [["x"]]
  }
  antenna "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
    keywords     = [["x"]]
    with_file    = 1
    exclude_bots = null
  }
  antenna "explicit empty" {
    keywords         = []
    exclude_keywords = null
  }
}
