package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
)

// apiNote is the part of a packed Note mkctl compares, and the fields that
// tell whether a pinned_note block can describe the note at all
// (unsupportedNote); names as in api.json's Note schema.
type apiNote struct {
	ID                 string  `json:"id"`
	CreatedAt          string  `json:"createdAt"`
	Text               *string `json:"text"`
	CW                 *string `json:"cw"`
	Visibility         string  `json:"visibility"`
	LocalOnly          bool    `json:"localOnly"`
	ReactionAcceptance *string `json:"reactionAcceptance"`

	RenoteID  *string         `json:"renoteId"`
	ReplyID   *string         `json:"replyId"`
	FileIDs   []string        `json:"fileIds"`
	Poll      json.RawMessage `json:"poll"` // null or absent without a poll
	HasPoll   bool            `json:"hasPoll"`
	ChannelID *string         `json:"channelId"`
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
	ln.FileIDs = n.FileIDs
	ln.Unsupported = unsupportedNote(n)
	return ln
}

// Limits a pinned_note block accepts (schema/pinned_note.go); an instance
// may allow longer notes (MAX_NOTE_TEXT_LENGTH is configurable), and a
// block could not reproduce those.
const (
	maxBlockNoteText = 3000
	maxBlockNoteCW   = 100
)

// unsupportedNote says why a pinned_note block cannot describe n — it has
// something notes/create would need besides text, cw, visibility, localOnly
// and reactionAcceptance, or a value the block refuses — or "" when it can.
// Export skips such a note with this reason; the first reason found is
// enough to say why.
func unsupportedNote(n apiNote) string {
	switch {
	case n.RenoteID != nil && *n.RenoteID != "":
		return "it is a renote or a quote (renoteId)"
	case n.ReplyID != nil && *n.ReplyID != "":
		return "it is a reply (replyId)"
	case n.HasPoll || len(n.Poll) > 0 && string(n.Poll) != "null":
		return "it has a poll"
	case len(n.FileIDs) > 0:
		return "it has attached files"
	case n.ChannelID != nil && *n.ChannelID != "":
		return "it was posted in a channel"
	case n.Visibility == "specified":
		return `it is a direct note (visibility "specified"), whose recipients mkctl does not manage`
	case n.Visibility != "" && !slices.Contains([]string{"public", "home", "followers"}, n.Visibility):
		return fmt.Sprintf("its visibility %q is not one a pinned_note block takes", n.Visibility)
	case n.Text == nil || strings.TrimSpace(*n.Text) == "":
		return "it has no text"
	case utf8.RuneCountInString(*n.Text) > maxBlockNoteText:
		return fmt.Sprintf("its text is longer than the %d characters a pinned_note block takes", maxBlockNoteText)
	case n.CW != nil && utf8.RuneCountInString(*n.CW) > maxBlockNoteCW:
		return fmt.Sprintf("its content warning is longer than the %d characters a pinned_note block takes", maxBlockNoteCW)
	}
	return ""
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
	g, gctx := safego.WithContext(ctx, "notes/show (pinned notes)")
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
