package provider

import (
	"encoding/json"
	"fmt"

	"github.com/mkctl/mkctl/planner"
)

// apiNote is the part of a packed Note mkctl compares.
type apiNote struct {
	ID                 string  `json:"id"`
	CreatedAt          string  `json:"createdAt"`
	Text               *string `json:"text"`
	CW                 *string `json:"cw"`
	Visibility         string  `json:"visibility"`
	LocalOnly          bool    `json:"localOnly"`
	ReactionAcceptance *string `json:"reactionAcceptance"`
}

// pinnedNotes takes the pinned notes from `i`, which lists them most
// recently pinned first — the order the profile shows them, top first
// (API-NOTES §1). Reading them from `i` costs no request of its own.
func pinnedNotes(me map[string]any) ([]planner.LiveNote, error) {
	raw, ok := me["pinnedNotes"]
	if !ok || raw == nil {
		return nil, nil
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("i: pinnedNotes: %w", err)
	}
	var notes []apiNote
	if err := json.Unmarshal(data, &notes); err != nil {
		return nil, fmt.Errorf("i: pinnedNotes is not a list of notes: %w", err)
	}
	out := make([]planner.LiveNote, 0, len(notes))
	for _, n := range notes {
		ln := planner.LiveNote{
			ID:                 n.ID,
			CW:                 n.CW,
			Visibility:         n.Visibility,
			LocalOnly:          n.LocalOnly,
			ReactionAcceptance: n.ReactionAcceptance,
		}
		if n.Text != nil {
			ln.Text = *n.Text
		}
		out = append(out, ln)
	}
	return out, nil
}
