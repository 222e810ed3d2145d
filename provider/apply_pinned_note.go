package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/mkctl/mkctl/planner"
)

// pinnedNoteApplier posts and pins notes, re-pins them to restore the
// order, replaces them (notes cannot be edited) and unpins them. Misskey
// shows the most recently pinned note first; the planner orders the changes
// so that the last one applied ends on top.
type pinnedNoteApplier struct{}

func (pinnedNoteApplier) check(ch *planner.Change) error {
	switch ch.Action {
	case planner.ActionCreate, planner.ActionReplace:
		if text, _ := ch.After["text"].(string); text == "" {
			return fmt.Errorf("the plan gives no text for the note")
		}
		if ch.Action == planner.ActionReplace && ch.ID == "" {
			return fmt.Errorf("the plan gives no id for the note to replace")
		}
	case planner.ActionUpdate, planner.ActionDelete:
		if ch.ID == "" {
			return fmt.Errorf("the plan gives no note id")
		}
	default:
		return fmt.Errorf("a pinned note cannot be changed by %q", ch.Action)
	}
	return nil
}

func (pinnedNoteApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	switch ch.Action {
	case planner.ActionCreate:
		id, err := createNote(ctx, run, ch)
		if err != nil {
			return "", err
		}
		if err := pinNote(ctx, run.c, id); err != nil {
			return "", fmt.Errorf("the note was posted (id %s) but not pinned: %w", id, err)
		}
		return id, nil
	case planner.ActionReplace:
		return replaceNote(ctx, run, ch)
	case planner.ActionUpdate:
		// A re-pin: unpinning and pinning again puts the note on top.
		note := map[string]any{"noteId": ch.ID}
		if err := run.c.Write(ctx, "i/unpin", note, nil); err != nil {
			return "", err
		}
		return ch.ID, run.c.Write(ctx, "i/pin", note, nil)
	default:
		keep, _ := ch.After["keepNote"].(bool)
		return "", removeNote(ctx, run.c, ch.ID, keep)
	}
}

// replaceNote posts the new note, pins it, and unpins and deletes the old
// one. With the pin limit reached (PIN_LIMIT_EXCEEDED; policy pinLimit, 5
// by default) the old note is unpinned first to make room.
func replaceNote(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	id, err := createNote(ctx, run, ch)
	if err != nil {
		return "", err
	}
	old := map[string]any{"noteId": ch.ID}
	err = pinNote(ctx, run.c, id)
	if IsCode(err, "PIN_LIMIT_EXCEEDED") {
		if err := run.c.Write(ctx, "i/unpin", old, nil); err != nil && !IsCode(err, "NO_SUCH_NOTE") {
			return "", fmt.Errorf("the new note was posted (id %s), but the pin limit is reached and unpinning the old note %s failed: %w", id, ch.ID, err)
		}
		err = pinNote(ctx, run.c, id)
	}
	if err != nil {
		return "", fmt.Errorf("the new note was posted (id %s) but not pinned; the old note %s is left as it was: %w", id, ch.ID, err)
	}
	if err := removeNote(ctx, run.c, ch.ID, false); err != nil {
		return "", fmt.Errorf("the new note %s is pinned, but removing the old note %s failed: %w", id, ch.ID, err)
	}
	return id, nil
}

// removeNote unpins a note and, unless keep, deletes it. A note that no
// longer exists is what the plan wants.
func removeNote(ctx context.Context, c *Client, id string, keep bool) error {
	note := map[string]any{"noteId": id}
	if err := c.Write(ctx, "i/unpin", note, nil); err != nil {
		if IsCode(err, "NO_SUCH_NOTE") {
			return nil // deleted outside mkctl (its pin went with it)
		}
		return err
	}
	if keep {
		return nil
	}
	err := c.Write(ctx, "notes/delete", note, nil)
	if IsCode(err, "NO_SUCH_NOTE") {
		return nil
	}
	return err
}

// pinNote pins a note. ALREADY_PINNED happens when an earlier, interrupted
// apply pinned it: pinning again after an unpin puts it on top, where the
// plan's order expects the note applied last.
func pinNote(ctx context.Context, c *Client, id string) error {
	note := map[string]any{"noteId": id}
	err := c.Write(ctx, "i/pin", note, nil)
	if !IsCode(err, "ALREADY_PINNED") {
		return err
	}
	if err := c.Write(ctx, "i/unpin", note, nil); err != nil {
		return err
	}
	return c.Write(ctx, "i/pin", note, nil)
}

// createNote posts the note of a create or replace, guarding against
// duplicates when a reply is lost: notes/create is not idempotent, and a
// lost reply leaves mkctl not knowing whether the note exists. So an Intent
// is recorded before the call and replaced by the note after it. A later
// apply that finds the Intent looks for the note first (findIntendedNote)
// and uses it instead of posting it again.
func createNote(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	rec, err := run.record(ctx)
	if err != nil {
		return "", err
	}
	match := noteMatch(ch.After)
	if in, ok := rec.Intents[ch.Key]; ok && sameJSON(in.Match, match) {
		id, err := findIntendedNote(ctx, run, in)
		if err != nil {
			return "", fmt.Errorf("looking for the note an interrupted apply may have posted: %w", err)
		}
		if id != "" {
			if err := run.own(ctx, ch.Key, id, ch.Applied); err != nil {
				return "", fmt.Errorf("found the note an interrupted apply posted (id %s), but mkctl could not record it: %w", id, err)
			}
			return id, nil
		}
	}
	in := planner.Intent{At: run.base.now().UnixMilli(), Match: match}
	if err := run.setIntent(ctx, ch.Key, in); err != nil {
		return "", fmt.Errorf("nothing was posted: recording the intent to post the note failed: %w", err)
	}
	var created struct {
		CreatedNote apiNote `json:"createdNote"`
	}
	if err := run.c.Write(ctx, "notes/create", ch.After, &created); err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.Status < 500 {
			// Misskey refused it (or a 429 was not waited out): nothing
			// was posted, so there is nothing for a later run to look for.
			// A failure to clear only costs that run one users/notes call.
			_ = run.clearIntent(ctx, ch.Key)
		}
		return "", err
	}
	id := created.CreatedNote.ID
	if id == "" {
		return "", fmt.Errorf("notes/create: the answer has no note id")
	}
	if err := run.own(ctx, ch.Key, id, ch.Applied); err != nil {
		return "", fmt.Errorf("the note was posted (id %s), but mkctl could not record it: %w", id, err)
	}
	return id, nil
}

// noteMatch is what identifies a posted note: its text and cw.
func noteMatch(after map[string]any) map[string]any {
	m := map[string]any{"text": after["text"], "cw": nil}
	switch cw := after["cw"].(type) {
	case string:
		m["cw"] = cw
	case *string:
		if cw != nil {
			m["cw"] = *cw
		}
	}
	return m
}
