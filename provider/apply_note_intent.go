package provider

import (
	"context"
	"maps"
	"time"

	"github.com/mkctl/mkctl/planner"
)

const (
	// intentSlack is how far before the Intent's time the search starts:
	// At is the local clock, createdAt the server's, and they may differ.
	intentSlack = 10 * time.Minute
	// intentWindow is how long after At the note may have been created:
	// notes/create may wait out its hourly rate limit (several times, at
	// worst) after the Intent is recorded.
	intentWindow = 6 * time.Hour
)

// findIntendedNote looks for a note an interrupted apply may have posted:
// one of the account's notes created around in.At whose text and cw are
// in.Match, and that the ownership record does not already hold. Of several,
// the one created closest to At wins. "" when there is none.
//
// users/notes with only sinceDate (then only sinceId) lists notes oldest
// first (API-NOTES §3), so the notes posted right after At come in the first
// page; the walk stops at the first page reaching past the window, or at a
// short page.
func findIntendedNote(ctx context.Context, run *applyRun, in planner.Intent) (string, error) {
	rec, err := run.record(ctx)
	if err != nil {
		return "", err
	}
	until := in.At + intentWindow.Milliseconds()
	params := map[string]any{"userId": run.userID, "sinceDate": in.At - intentSlack.Milliseconds(), "limit": pageSize}
	best, bestDist := "", int64(-1)
	for {
		var page []apiNote
		if err := run.c.Read(ctx, "users/notes", params, &page); err != nil {
			return "", err
		}
		newest, newestAt := "", int64(0)
		for _, n := range page {
			at := noteTime(n)
			if n.ID > newest {
				newest, newestAt = n.ID, at
			}
			if at > until || !noteMatches(n, in.Match) || rec.OwnsID(n.ID) {
				continue
			}
			dist := at - in.At
			if dist < 0 {
				dist = -dist
			}
			if bestDist < 0 || dist < bestDist {
				best, bestDist = n.ID, dist
			}
		}
		// Misskey ids grow with time, so the largest id is the newest
		// note: the cursor whatever order the page came in.
		if len(page) < pageSize || newestAt > until || newest == "" || newest == params["sinceId"] {
			return best, nil
		}
		params = maps.Clone(params)
		delete(params, "sinceDate")
		params["sinceId"] = newest
	}
}

func noteTime(n apiNote) int64 {
	t, err := time.Parse(time.RFC3339Nano, n.CreatedAt)
	if err != nil {
		return 0
	}
	return t.UnixMilli()
}

func noteMatches(n apiNote, match map[string]any) bool {
	text, _ := match["text"].(string)
	if n.Text == nil || *n.Text != text {
		return false
	}
	cw, hasCW := match["cw"].(string)
	if n.CW == nil {
		return !hasCW
	}
	return hasCW && *n.CW == cw
}
