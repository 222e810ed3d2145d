package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/mkctl/mkctl/planner"
)

// clipApplier creates, updates and deletes clips (clips/*, API-NOTES §14;
// planner.TypeClip says what each action sends).
type clipApplier struct{}

func (clipApplier) check(ch *planner.Change) error {
	switch ch.Action {
	case planner.ActionCreate:
		if name, _ := ch.After["name"].(string); name == "" {
			return fmt.Errorf("the plan gives no clip name")
		}
	case planner.ActionUpdate, planner.ActionDelete:
		if ch.ID == "" {
			return fmt.Errorf("the plan gives no clip id")
		}
	default:
		return fmt.Errorf("a clip can be created, updated or deleted, not %q", ch.Action)
	}
	add, _ := ch.After["add"].([]any)
	for ref, key := range ch.Refs {
		n, err := strconv.Atoi(strings.TrimPrefix(ref, "notes."))
		if !strings.HasPrefix(ref, "notes.") || err != nil || n < 0 || n >= len(add) || add[n] != "" {
			return fmt.Errorf("a clip cannot refer to a %q", ref)
		}
		if !strings.HasPrefix(key, planner.TypePinnedNote+".") {
			return fmt.Errorf("a clip's note cannot come from %s", key)
		}
	}
	for i, v := range add {
		if s, ok := v.(string); !ok || s == "" && ch.Refs["notes."+strconv.Itoa(i)] == "" {
			return fmt.Errorf("the plan adds a note without an id to the clip")
		}
	}
	return nil
}

func (clipApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	name := strings.TrimPrefix(ch.Key, "clip.")
	switch ch.Action {
	case planner.ActionDelete:
		err := run.c.Delete(ctx, "clips/delete", map[string]any{"clipId": ch.ID}, nil)
		if IsCode(err, "NO_SUCH_CLIP") {
			return "", nil // gone already: what the plan wants
		}
		return "", err
	case planner.ActionCreate:
		var clip struct {
			ID string `json:"id"`
		}
		body := map[string]any{"name": ch.After["name"], "description": ch.After["description"], "isPublic": ch.After["isPublic"]}
		if err := run.c.Write(ctx, "clips/create", body, &clip); err != nil {
			return "", clipError(err, name)
		}
		if clip.ID == "" {
			return "", fmt.Errorf("clips/create: the answer has no clip id")
		}
		// If a note fails now, the clip is not recorded; the next plan
		// finds it by name, adopts it and adds the notes still missing.
		return clip.ID, addClipNotes(ctx, run, ch, clip.ID, name)
	}
	if u, ok := ch.After["update"].(map[string]any); ok {
		// Always with the description: clips/update clears it otherwise.
		body := map[string]any{"clipId": ch.ID, "description": u["description"], "isPublic": u["isPublic"]}
		if err := run.c.Write(ctx, "clips/update", body, nil); err != nil {
			return ch.ID, clipError(err, name)
		}
	}
	if remove, _ := ch.After["remove"].([]any); len(remove) > 0 {
		if err := removeClipNotes(ctx, run, ch.ID, name, remove); err != nil {
			return ch.ID, err
		}
	}
	return ch.ID, addClipNotes(ctx, run, ch, ch.ID, name)
}

// removeClipNotes takes notes out of a clip, only those it holds now:
// clips/remove-note of a note that is not in the clip answers 204 and
// still decrements the note's clippedCount (to -1, API-NOTES §14). So the
// clip's notes are read again first (a saved plan may be old; a replaced
// pinned note is gone, and its clip entry with it).
func removeClipNotes(ctx context.Context, run *applyRun, clipID, name string, remove []any) error {
	notes, err := readPagesWith(ctx, run.c.Read, "clips/notes", map[string]any{"clipId": clipID}, func(n *struct {
		ID string `json:"id"`
	}) string {
		return n.ID
	})
	if err != nil {
		return clipError(err, name)
	}
	in := map[string]bool{}
	for _, n := range notes {
		in[n.ID] = true
	}
	for _, v := range remove {
		id, _ := v.(string)
		if !in[id] {
			continue
		}
		err := run.c.Write(ctx, "clips/remove-note", map[string]any{"clipId": clipID, "noteId": id}, nil)
		if err != nil && !IsCode(err, "NO_SUCH_NOTE") { // deleted since: not in the clip any more
			return clipError(err, name)
		}
	}
	return nil
}

// addClipNotes adds After["add"] to the clip, an "" entry being the note
// Refs["notes.N"] names (posted earlier in this apply). ALREADY_CLIPPED is
// what the plan wants.
func addClipNotes(ctx context.Context, run *applyRun, ch *planner.Change, clipID, name string) error {
	add, _ := ch.After["add"].([]any)
	done := map[string]bool{}
	// The record keeps the notes this apply and earlier ones added (see
	// planner.TypeClip): Apply records ch.Applied once the change is done.
	_, managed := ch.After["add"]
	_, removes := ch.After["remove"]
	var added []any
	if known, ok := ch.After["known"].([]any); ok {
		added = append(added, known...)
	}
	defer func() {
		if managed || removes || len(added) > 0 {
			ch.Applied = map[string]any{"addedNotes": added}
		}
	}()
	for i, v := range add {
		id, _ := v.(string)
		if id == "" {
			ref := ch.Refs["notes."+strconv.Itoa(i)]
			var err error
			if id, err = run.idOf(ctx, ref); err != nil {
				return err
			}
		}
		if done[id] {
			continue
		}
		done[id] = true
		err := run.c.Write(ctx, "clips/add-note", map[string]any{"clipId": clipID, "noteId": id}, nil)
		switch {
		case err == nil || IsCode(err, "ALREADY_CLIPPED"):
			// ALREADY_CLIPPED: in the clip, yet the plan did not see it
			// there: clips/notes hides it (its author is muted, or blocks
			// the account).
			added = append(added, id)
		case IsCode(err, "NO_SUCH_NOTE"):
			return fmt.Errorf("clip %q: the note %s does not exist (clips/add-note: NO_SUCH_NOTE); remove it from the clip's notes, or check the id: %w", name, id, err)
		default:
			return clipError(err, name)
		}
	}
	return nil
}

// clipError names the clip in an API error.
func clipError(err error, name string) error {
	switch {
	case IsCode(err, "TOO_MANY_CLIPS"):
		return fmt.Errorf("clip %q: the account has as many clips as its role policy clipLimit allows (10 by default); remove a clip block, or add \"clips\" to purge so mkctl deletes the clips it does not declare: %w", name, err)
	case IsCode(err, "TOO_MANY_CLIP_NOTES"):
		return fmt.Errorf("clip %q: the clip holds as many notes as the role policy noteEachClipsLimit allows (200 by default); list fewer notes: %w", name, err)
	case IsCode(err, "NO_SUCH_CLIP"):
		return fmt.Errorf("clip %q was deleted since the plan was made; run mkctl plan again: %w", name, err)
	}
	return fmt.Errorf("clip %q: %w", name, err)
}
