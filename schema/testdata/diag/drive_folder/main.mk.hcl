account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  drive_folder "assets/icons" {}
  drive_folder "assets" {
    drive_folder "icons" {}
    drive_folder "icons" {}
    drive_folder "" {}
    name = "x"
  }
  drive_folder "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn" {}
  drive_folder "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn" {}
  drive_folder "assets" {}
  drive_folder "many" {
    for_each = toset(["a"])
  }
}
