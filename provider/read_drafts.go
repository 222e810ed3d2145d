package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/mkctl/mkctl/planner"
)

// apiDraft is a NoteDraft as notes/drafts/list returns it (API-NOTES §15):
// scheduledAt is epoch milliseconds or null, not an ISO string.
type apiDraft struct {
	ID                  string    `json:"id"`
	CreatedAt           time.Time `json:"createdAt"`
	ScheduledAt         *int64    `json:"scheduledAt"`
	IsActuallyScheduled bool      `json:"isActuallyScheduled"`
	Text                *string   `json:"text"`
	CW                  *string   `json:"cw"`
	Visibility          string    `json:"visibility"`
	LocalOnly           bool      `json:"localOnly"`
	ReactionAcceptance  *string   `json:"reactionAcceptance"`
	VisibleUserIDs      []string  `json:"visibleUserIds"`
	FileIDs             []string  `json:"fileIds"`
	ReplyID             *string   `json:"replyId"`
	RenoteID            *string   `json:"renoteId"`
	ChannelID           *string   `json:"channelId"`
	Poll                any       `json:"poll"`
}

func (d *apiDraft) live() planner.LiveDraft {
	ld := planner.LiveDraft{ID: d.ID, CW: d.CW, Visibility: d.Visibility, LocalOnly: d.LocalOnly,
		ReactionAcceptance: d.ReactionAcceptance, FileIDs: d.FileIDs, IsActuallyScheduled: d.IsActuallyScheduled, CreatedAt: d.CreatedAt}
	if d.Text != nil {
		ld.Text = *d.Text
	}
	if d.ScheduledAt != nil {
		ld.ScheduledAt = *d.ScheduledAt
	}
	if ld.FileIDs == nil {
		ld.FileIDs = []string{}
	}
	switch {
	case d.Poll != nil:
		ld.Unsupported = "it has a poll"
	case d.ReplyID != nil:
		ld.Unsupported = "it is a reply"
	case d.RenoteID != nil:
		ld.Unsupported = "it is a renote or quote"
	case d.ChannelID != nil:
		ld.Unsupported = "it is posted to a channel"
	case d.Visibility == "specified":
		ld.Unsupported = "it is a direct note (visibility specified)"
	}
	return ld
}

// readDrafts reads every note draft (notes/drafts/list, 100 a page: one
// request under the default noteDraftLimit of 10), only when scheduled
// notes are managed. For each recorded scheduled note whose draft is gone
// after its time — Misskey posted it and deleted the draft — it looks for
// the posted note (users/notes since the scheduled time, one request each:
// once when found, since the next apply records the note as posted; at
// every plan while none is found, as the plan then cannot tell posted
// from deleted and records nothing).
func readDrafts(ctx context.Context, r *reading) (func(*planner.Live), error) {
	if !r.manages(planner.TypeScheduledNote) {
		return nil, nil
	}
	rows, err := readPages(ctx, r, "notes/drafts/list", nil, func(d *apiDraft) string { return d.ID })
	if err != nil {
		return nil, fmt.Errorf("reading note drafts: %w", err)
	}
	out := &planner.LiveDrafts{ReadAt: r.c.now(), Drafts: make([]planner.LiveDraft, 0, len(rows)), Posted: map[string]string{}}
	exists := map[string]bool{}
	for i := range rows {
		out.Drafts = append(out.Drafts, rows[i].live())
		exists[rows[i].ID] = true
	}
	myID, _ := r.me["id"].(string)
	for _, o := range ownedOfKind(r.rec, planner.TypeScheduledNote) {
		// A number read back from the registry is a float64; one an apply
		// of this process recorded is still an int64.
		at, _ := expiresMillis(o.Applied["scheduledAt"])
		if o.Applied["posted"] == true || exists[o.ID] || at == 0 || at > out.ReadAt.UnixMilli() || myID == "" {
			continue
		}
		id, err := findPostedNote(ctx, r, myID, at, o.Applied)
		if err != nil {
			return nil, err
		}
		if id != "" {
			out.Posted[o.Key] = id
		}
	}
	return func(l *planner.Live) { l.Drafts = out }, nil
}

// findPostedNote finds the note Misskey posted for a scheduled draft: the
// oldest of the account's notes since the scheduled time with the draft's
// text and cw ("" when none matches: the plan then says it cannot tell
// whether the note was posted or the draft deleted).
func findPostedNote(ctx context.Context, r *reading, userID string, at int64, applied map[string]any) (string, error) {
	var notes []struct {
		ID   string  `json:"id"`
		Text *string `json:"text"`
		CW   *string `json:"cw"`
	}
	// sinceDate answers oldest first; the note is created when the job
	// runs, at or soon after the time.
	params := map[string]any{"userId": userID, "sinceDate": at - 1, "limit": 100, "withReplies": false, "withRenotes": false}
	if err := r.read(ctx, "users/notes", params, &notes); err != nil {
		return "", fmt.Errorf("looking for the posted scheduled notes: %w", err)
	}
	text, _ := applied["text"].(string)
	cw, _ := applied["cw"].(string)
	for _, n := range notes {
		nt, ncw := "", ""
		if n.Text != nil {
			nt = *n.Text
		}
		if n.CW != nil {
			ncw = *n.CW
		}
		if nt == text && ncw == cw {
			return n.ID, nil
		}
	}
	return "", nil
}
