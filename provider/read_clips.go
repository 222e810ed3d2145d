package provider

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
)

// apiClip is a Clip as clips/list returns it (API-NOTES §14).
type apiClip struct {
	ID          string  `json:"id"`
	CreatedAt   string  `json:"createdAt"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	IsPublic    bool    `json:"isPublic"`
	NotesCount  int     `json:"notesCount"`
}

// readClips reads the clips when the account manages them: clips/list,
// 100 a page (newest first); then, at once for every declared clip that
// sets notes, its notes (clips/notes, 100 a page, by note id); then
// notes/show for each declared note id not in its clip yet, so a wrong
// id is a plan error rather than a failed apply (a few requests: only
// the notes to add). The clips a configuration does not declare need no
// notes: they are left alone or deleted whole.
func readClips(ctx context.Context, r *reading) (func(*planner.Live), error) {
	if !r.manages(planner.TypeClip) {
		return nil, nil
	}
	rows, err := readPages(ctx, r, "clips/list", nil, func(c *apiClip) string { return c.ID })
	if err != nil {
		return nil, fmt.Errorf("reading clips: %w", err)
	}
	clips := make([]planner.LiveClip, len(rows))
	byName := map[string][]int{}
	for i, c := range rows {
		clips[i] = liveClip(c)
		byName[c.Name] = append(byName[c.Name], i)
	}

	var withNotes []*planner.LiveClip
	for _, want := range r.acct.Clips {
		if at := byName[want.Name]; want.ManageNotes && len(at) == 1 {
			withNotes = append(withNotes, &clips[at[0]])
		} // else a new clip has no notes; two of one name stop the plan
	}
	if err := readClipNotes(ctx, r, withNotes); err != nil {
		return nil, err
	}

	checked, err := checkClipNotes(ctx, r, clips, byName)
	if err != nil {
		return nil, err
	}
	return func(l *planner.Live) {
		l.Clips = clips
		l.CheckedNotes = checked
	}, nil
}

// readClipNotes reads the notes of the clips at once, in the read's slots
// (clips/notes, 100 a page).
func readClipNotes(ctx context.Context, r *reading, clips []*planner.LiveClip) error {
	g, gctx := safego.WithContext(ctx, "clips/notes")
	for _, lc := range clips {
		g.Go(func() error {
			notes, err := readPages(gctx, r, "clips/notes", map[string]any{"clipId": lc.ID}, func(n *struct {
				ID string `json:"id"`
			}) string {
				return n.ID
			})
			if err != nil {
				return fmt.Errorf("reading the notes of clip %q: %w", lc.Name, err)
			}
			lc.NoteIDs = make([]string, len(notes))
			for i, n := range notes {
				lc.NoteIDs[i] = n.ID
			}
			return nil
		})
	}
	return g.Wait()
}

// readAllClips is readClips for export: every clip with its notes.
func readAllClips(ctx context.Context, r *reading) (func(*planner.Live), error) {
	rows, err := readPages(ctx, r, "clips/list", nil, func(c *apiClip) string { return c.ID })
	if err != nil {
		return nil, fmt.Errorf("reading clips: %w", err)
	}
	clips := make([]planner.LiveClip, len(rows))
	all := make([]*planner.LiveClip, len(rows))
	for i, c := range rows {
		clips[i] = liveClip(c)
		all[i] = &clips[i]
	}
	if err := readClipNotes(ctx, r, all); err != nil {
		return nil, err
	}
	return func(l *planner.Live) { l.Clips = clips }, nil
}

func liveClip(c apiClip) planner.LiveClip {
	lc := planner.LiveClip{ID: c.ID, Name: c.Name, Public: c.IsPublic, NotesCount: c.NotesCount}
	if c.Description != nil {
		lc.Description = *c.Description
	}
	lc.CreatedAt, _ = time.Parse(time.RFC3339Nano, c.CreatedAt)
	return lc
}

// checkClipNotes looks up, with notes/show, the note ids the clips list
// that are not in their clip yet: NO_SUCH_NOTE makes NoteMissing, a note
// packed isHidden (this account may not see it) NoteHidden.
func checkClipNotes(ctx context.Context, r *reading, clips []planner.LiveClip, byName map[string][]int) (map[string]string, error) {
	todo := map[string]bool{}
	for _, want := range r.acct.Clips {
		in := map[string]bool{}
		if at := byName[want.Name]; len(at) == 1 {
			for _, id := range clips[at[0]].NoteIDs {
				in[id] = true
			}
		}
		for _, n := range want.Notes {
			id := n.ID
			if n.ScheduledNote != "" {
				// The note Misskey posted, when the record holds its id:
				// it may have been deleted since (a note found by this
				// read's users/notes exists).
				id = recordedPostedNote(r.rec, n.ScheduledNote)
			}
			if id != "" && !in[id] {
				todo[id] = true
			}
		}
	}
	if len(todo) == 0 {
		return nil, nil
	}
	var mu sync.Mutex
	out := make(map[string]string, len(todo))
	g, gctx := safego.WithContext(ctx, "notes/show (clip notes)")
	for id := range todo {
		g.Go(func() error {
			var note struct {
				IsHidden bool `json:"isHidden"`
			}
			err := r.read(gctx, "notes/show", map[string]any{"noteId": id}, &note)
			state := ""
			switch {
			case IsCode(err, "NO_SUCH_NOTE"):
				state = planner.NoteMissing
			case err != nil:
				return fmt.Errorf("looking up note %s of a clip: %w", id, err)
			case note.IsHidden:
				state = planner.NoteHidden
			}
			mu.Lock()
			out[id] = state
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// recordedPostedNote is the id of the note Misskey posted for the scheduled
// note LABEL, as the ownership record holds it ("" when not recorded).
func recordedPostedNote(rec *planner.Ownership, label string) string {
	if rec == nil {
		return ""
	}
	o, ok := rec.Objects["scheduled_note."+label]
	if !ok || o.Applied["posted"] != true {
		return ""
	}
	id, _ := o.Applied["noteId"].(string)
	return id
}
