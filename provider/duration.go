package provider

import "time"

// HumanDuration prints a duration as mkctl's messages do: whole seconds
// without zero units (1h, 5m, 59m59s), so that cmd says "5m" where Go says
// "5m0s".
func HumanDuration(d time.Duration) string { return humanDuration(d) }
