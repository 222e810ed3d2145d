package cmd

import (
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/schema"
)

// validateChecks are validate's checks beyond loading: those plan makes
// differently because it knows the account. A scheduled_note whose time
// has passed is an error offline; plan accepts it when mkctl's ownership
// record shows it scheduled the note (Misskey has posted it).
func validateChecks(cfg *schema.Config) hcl.Diagnostics {
	return schema.PastScheduledNotes(cfg, time.Now())
}
