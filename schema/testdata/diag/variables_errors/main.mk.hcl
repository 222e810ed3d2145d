variable "count" {
  type    = number
  default = "many"
}
variable "owner" {
  type = string
}
variable "owner" {
}
variable "tags" {
  type = list(strin)
}
variable "bad name!" {
  defualt = 1
}
