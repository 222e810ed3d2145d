variable "count" {
  type    = number
  default = 1
}
variable "tags" {
  type    = list(string)
  default = []
}
variable "owner" {
  default = "weather"
}
