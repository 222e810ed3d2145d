package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

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
		out = append(out, liveNote(n))
	}
	return out, nil
}

func liveNote(n apiNote) planner.LiveNote {
	ln := planner.LiveNote{
		ID:                 n.ID,
		CW:                 n.CW,
		Visibility:         n.Visibility,
		LocalOnly:          n.LocalOnly,
		ReactionAcceptance: n.ReactionAcceptance,
		CreatedAt:          parseTime(n.CreatedAt),
	}
	if n.Text != nil {
		ln.Text = *n.Text
	}
	return ln
}

// readUnpinnedOwnedNotes fills Live.UnpinnedOwnedNotes: the notes the
// record holds as pinned notes (retiring ones of an interrupted replace
// included) that `i` does not list as pinned — unpinned by hand, or left
// between notes/create and i/pin by an interrupted apply. Each costs one
// notes/show; a note that no longer exists (NO_SUCH_NOTE) is left out.
// Nothing is asked when pinned notes are not managed (the planner then
// ignores them) or when every recorded note is pinned.
func readUnpinnedOwnedNotes(ctx context.Context, r *reading) (func(*planner.Live), error) {
	if r.rec == nil || !r.manages(planner.TypePinnedNote) {
		return nil, nil
	}
	pinned, err := pinnedNotes(r.me)
	if err != nil {
		return nil, err
	}
	isPinned := map[string]bool{}
	for _, n := range pinned {
		isPinned[n.ID] = true
	}
	keys := slices.Sorted(maps.Keys(r.rec.Objects))
	var ids []string
	for _, key := range keys {
		id := r.rec.Objects[key].ID
		if strings.HasPrefix(key, planner.TypePinnedNote+".") && id != "" && !isPinned[id] && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	myID, _ := r.me["id"].(string)
	found := make([]*planner.LiveNote, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	for i, id := range ids {
		g.Go(func() error {
			var n struct {
				apiNote
				UserID string `json:"userId"`
			}
			if err := r.read(gctx, "notes/show", map[string]any{"noteId": id}, &n); err != nil {
				if IsCode(err, "NO_SUCH_NOTE") {
					return nil // deleted: nothing to pin, unpin or delete
				}
				return fmt.Errorf("reading recorded pinned note %s: %w", id, err)
			}
			if n.ID != id || n.UserID != myID {
				// Not this account's note: the record is wrong about it,
				// and mkctl could neither pin nor delete it.
				return nil
			}
			ln := liveNote(n.apiNote)
			found[i] = &ln
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []planner.LiveNote
	for _, n := range found {
		if n != nil {
			out = append(out, *n)
		}
	}
	return func(l *planner.Live) { l.UnpinnedOwnedNotes = out }, nil
}
