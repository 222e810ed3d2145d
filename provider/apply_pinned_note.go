package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"

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
	if ch.Action == planner.ActionCreate || ch.Action == planner.ActionReplace {
		var err error
		if ch, err = withFileIDs(ctx, run, ch); err != nil {
			return "", err
		}
	}
	switch ch.Action {
	case planner.ActionCreate:
		id, err := createNote(ctx, run, ch, nil)
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
		return ch.ID, repinNote(ctx, run.c, ch.ID)
	default:
		keep, _ := ch.After["keepNote"].(bool)
		return "", removeNote(ctx, run.c, ch.ID, keep)
	}
}

// repinNote unpins and pins a note again, which puts it on top. It also
// pins a recorded note that is not pinned any more: unpinning an own note
// that is not pinned succeeds silently (API-NOTES §2).
func repinNote(ctx context.Context, c *Client, id string) error {
	if err := c.Write(ctx, "i/unpin", map[string]any{"noteId": id}, nil); err != nil {
		return err
	}
	return pinAfterUnpin(ctx, c, id, id)
}

// retiringKey is where a replaced note stays in the record until it is
// gone: pinned_note.LABEL~ID.
func retiringKey(key, id string) string { return key + "~" + id }

// replaceNote posts the new note, pins it, and unpins and deletes the old
// one — or only unpins it when After["keepOld"] is true (mkctl adopted it,
// it did not post it). With the pin limit reached (PIN_LIMIT_EXCEEDED;
// policy pinLimit, 5 by default) the old note is unpinned first to make
// room.
//
// The write that points the record's key at the new note also keeps the old
// note under a retiring key, and that entry goes only once the old note is
// deleted or unpinned: an apply stopped in between leaves the old note in
// the record, so the next plan finishes the job instead of forgetting it.
func replaceNote(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	keepOld, _ := ch.After["keepOld"].(bool)
	rec, err := run.record(ctx)
	if err != nil {
		return "", err
	}
	retire := &planner.Owned{Key: retiringKey(ch.Key, ch.ID), ID: ch.ID}
	if old, ok := rec.Objects[ch.Key]; keepOld || ok && old.ID == ch.ID && old.Applied["adopted"] == true {
		// The next plan reads this to only unpin the note (keepNote).
		retire.Applied = map[string]any{"adopted": true}
	}
	id, err := createNote(ctx, run, ch, retire)
	if err != nil {
		return "", err
	}
	old := map[string]any{"noteId": ch.ID}
	err = pinNote(ctx, run.c, id)
	if IsCode(err, "PIN_LIMIT_EXCEEDED") {
		if err := run.c.Write(ctx, "i/unpin", old, nil); err != nil && !IsCode(err, "NO_SUCH_NOTE") {
			return "", fmt.Errorf("the new note was posted (id %s), but the pin limit is reached and unpinning the old note %s failed: %w", id, ch.ID, err)
		}
		err = pinAfterUnpin(ctx, run.c, id, ch.ID)
	}
	if err != nil {
		return "", fmt.Errorf("the new note was posted (id %s) but not pinned; the old note %s is left as it was: %w", id, ch.ID, err)
	}
	if err := removeNote(ctx, run.c, ch.ID, keepOld); err != nil {
		return "", fmt.Errorf("the new note %s is pinned, but removing the old note %s failed (the next plan tries again): %w", id, ch.ID, err)
	}
	if err := run.disownNote(ctx, retire.Key); err != nil {
		return "", fmt.Errorf("the new note %s is pinned and the old note %s removed, but mkctl could not record that: %w", id, ch.ID, err)
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
	err := c.Delete(ctx, "notes/delete", note, nil)
	if IsCode(err, "NO_SUCH_NOTE") {
		return nil
	}
	return err
}

// pinNote pins a note. ALREADY_PINNED happens when an earlier, interrupted
// apply pinned it, or when an i/unpin of it was just sent: Misskey answers
// i/unpin before the pin is deleted (API-NOTES §2). Unpinning and pinning
// once more puts it on top, where the plan's order expects the note applied
// last.
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

// pinAfterUnpin pins id right after an i/unpin of freed (id itself for a
// re-pin, the old note of a replace at the pin limit). That unpin may not
// have landed yet, and Misskey checks the pin limit before duplicates: at
// the limit the pin is then refused with PIN_LIMIT_EXCEEDED although the
// unpin makes room. So on that error freed is unpinned once more (harmless
// if it is not pinned) and the pin tried once more.
func pinAfterUnpin(ctx context.Context, c *Client, id, freed string) error {
	err := pinNote(ctx, c, id)
	if !IsCode(err, "PIN_LIMIT_EXCEEDED") {
		return err
	}
	if err := c.Write(ctx, "i/unpin", map[string]any{"noteId": freed}, nil); err != nil && !IsCode(err, "NO_SUCH_NOTE") {
		return err
	}
	return c.Write(ctx, "i/pin", map[string]any{"noteId": id}, nil)
}

// createNote posts the note of a create or replace, guarding against
// duplicates when a reply is lost: notes/create is not idempotent, and a
// lost reply leaves mkctl not knowing whether the note exists. So an Intent
// is recorded before the call and replaced by the note after it. A later
// apply that finds the Intent looks for the note first (findIntendedNote)
// and uses it instead of posting it again.
//
// retire, for a replace, is the old note's retiring entry: it is written in
// the same request that records the new note.
func createNote(ctx context.Context, run *applyRun, ch *planner.Change, retire *planner.Owned) (string, error) {
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
			if err := run.ownNote(ctx, ch.Key, id, ch.Applied, retire); err != nil {
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
	if err := run.c.Write(ctx, "notes/create", noteParams(ch.After), &created); err != nil {
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
	if err := run.ownNote(ctx, ch.Key, id, ch.Applied, retire); err != nil {
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

// noteParams is notes/create's body: After without keepOld, which is an
// instruction to mkctl, not a note field (Misskey ignores unknown
// parameters, so it would not fail, but nor should it be sent).
func noteParams(after map[string]any) map[string]any {
	if _, ok := after["keepOld"]; !ok {
		return after
	}
	p := maps.Clone(after)
	delete(p, "keepOld")
	return p
}

// withFileIDs fills the ids of files this apply uploaded into a note's
// fileIds (Refs "fileIds.N" name their record keys).
func withFileIDs(ctx context.Context, run *applyRun, ch *planner.Change) (*planner.Change, error) {
	ids, ok := ch.After["fileIds"].([]any)
	if !ok {
		return ch, nil
	}
	filled := make([]any, len(ids))
	copy(filled, ids)
	for i := range filled {
		if s, _ := filled[i].(string); s != "" {
			continue
		}
		ref := ch.Refs["fileIds."+strconv.Itoa(i)]
		if ref == "" {
			return nil, fmt.Errorf("the plan gives no id for file %d of the note", i+1)
		}
		id, err := run.idOf(ctx, ref)
		if err != nil {
			return nil, err
		}
		filled[i] = id
	}
	cp := *ch
	cp.After = maps.Clone(ch.After)
	cp.After["fileIds"] = filled
	return &cp, nil
}
