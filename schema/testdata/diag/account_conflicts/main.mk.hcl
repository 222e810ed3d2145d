account "fleet" {
  for_each = toset(["rain"])
  host     = "misskey.example"
  username = "${each.key}bot"
}
account "fleet_rain" {
  host     = "https://Misskey.Example/"
  username = "other"
}
account "again" {
  host     = "misskey.example"
  username = "RainBot"
}
