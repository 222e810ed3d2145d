# A note Misskey posts by itself at a given time (a scheduled draft until
# then). Misskey allows ONE pending scheduled note per account by default
# (role policy scheduledNoteLimit).
#
#   mkctl apply --chdir examples/scheduled-post --sandbox --auto-approve
#   mkctl plan  --chdir examples/scheduled-post --var 'xmas_at=2026-12-24T09:00:00+09:00'
#
# The time is a variable: a date written into the file would be in the
# past one day, and validate refuses a time in the past. Once Misskey has
# posted the note, plan says so and never posts it again; remove the block
# then (mkctl forgets the note, which stays).

variable "host" {
  description = "The Misskey instance the account lives on."
  type        = string
  default     = "misskey.example"
}

variable "xmas_at" {
  description = "When Misskey posts the greeting (RFC 3339)."
  type        = string
  default     = "2099-12-24T09:00:00+09:00"
}

account "holidays" {
  host     = var.host
  username = "holidaybot"

  scheduled_note "xmas" {
    text       = "Merry Christmas from the holiday bot!"
    at         = var.xmas_at
    visibility = "home"
    cw         = "season's greetings"
  }
}
