package view

import (
	"encoding/json"
	"io"

	"github.com/mkctl/mkctl/planner"
)

// jsonPlan is the machine-readable plan. Its shape is versioned by
// planner.FormatVersion: fields may be added, never renamed or removed
// without a major bump.
type jsonPlan struct {
	*planner.Plan
	MkctlVersion string          `json:"mkctl_version"`
	Changes      bool            `json:"changes"`
	Summary      planner.Summary `json:"summary"`
}

// JSONPlan writes the plan as one indented JSON document.
func JSONPlan(w io.Writer, p *planner.Plan, version string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Sensitive values of the changes' payloads become (sensitive); the
	// attributes are hidden already (planner.MarkSensitive).
	return enc.Encode(jsonPlan{Plan: p.Redacted(), MkctlVersion: version, Changes: p.HasChanges(), Summary: p.Summary()})
}
