package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/mkctl/mkctl/planner"
)

// scheduledNoteApplier creates, updates and deletes scheduled drafts
// (notes/drafts/*, API-NOTES §15). Create and update send the whole draft
// with scheduledAt and isActuallyScheduled: true — an update without
// scheduledAt would leave the draft unscheduled yet still counted against
// scheduledNoteLimit.
type scheduledNoteApplier struct{}

func (scheduledNoteApplier) check(ch *planner.Change) error {
	switch ch.Action {
	case planner.ActionCreate, planner.ActionUpdate:
		if ch.Action == planner.ActionUpdate && ch.ID == "" {
			return fmt.Errorf("the plan gives no draft id")
		}
		if _, err := expiresMillis(ch.After["scheduledAt"]); err != nil {
			return fmt.Errorf("the plan gives no time for the scheduled note: %w", err)
		}
		if ch.After["isActuallyScheduled"] != true {
			return fmt.Errorf("the plan does not schedule the draft (isActuallyScheduled)")
		}
	case planner.ActionDelete:
		if ch.ID == "" {
			return fmt.Errorf("the plan gives no draft id")
		}
	default:
		return fmt.Errorf("a scheduled note can be created, updated or deleted, not %q", ch.Action)
	}
	return nil
}

// draftErrorHints say what to do about the errors of notes/drafts/*.
var draftErrorHints = map[string]string{
	"TOO_MANY_SCHEDULED_NOTES":       "the account has as many scheduled notes as its role allows (policy scheduledNoteLimit, 1 by default): remove a scheduled_note block, wait until one is posted, or delete a scheduled note in Misskey, then plan again",
	"TOO_MANY_DRAFTS":                "the account has as many note drafts as its role allows (policy noteDraftLimit, 10 by default): delete some drafts in Misskey, then plan again",
	"SCHEDULED_AT_MUST_BE_IN_FUTURE": "the scheduled time has passed: give a later at and plan again",
	"NO_SUCH_FILE":                   "a file the note attaches is gone: plan again to upload it",
}

func (scheduledNoteApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	if ch.Action == planner.ActionDelete {
		err := run.c.Delete(ctx, "notes/drafts/delete", map[string]any{"draftId": ch.ID}, nil)
		if IsCode(err, "NO_SUCH_NOTE_DRAFT") {
			return "", nil // gone already (posted, or deleted by hand): what the plan wants
		}
		return "", err
	}
	at, _ := expiresMillis(ch.After["scheduledAt"])
	if at <= run.c.now().UnixMilli() {
		// Misskey would refuse it; an update would also have to give up
		// the draft's time.
		return "", fmt.Errorf("the note's time (at) has passed since the plan was made, so it cannot be scheduled; give a later at and make a new plan")
	}
	filled, err := withFileIDs(ctx, run, ch)
	if err != nil {
		return "", err
	}
	body := maps.Clone(filled.After)
	body["scheduledAt"] = at
	endpoint, answer := "notes/drafts/create", "createdDraft"
	if ch.Action == planner.ActionUpdate {
		endpoint, answer = "notes/drafts/update", "updatedDraft"
		body["draftId"] = ch.ID
	}
	var res map[string]struct {
		ID string `json:"id"`
	}
	if err := run.c.Write(ctx, endpoint, body, &res); err != nil {
		if ch.Action == planner.ActionUpdate && IsCode(err, "NO_SUCH_NOTE_DRAFT") {
			return "", fmt.Errorf("%w (the draft is gone: Misskey posted it or someone deleted it; make a new plan)", err)
		}
		for code, hint := range draftErrorHints {
			if IsCode(err, code) {
				return "", fmt.Errorf("%w (%s)", err, hint)
			}
		}
		return "", err
	}
	id := res[answer].ID
	if id == "" {
		return "", fmt.Errorf("%s: the answer has no draft id", endpoint)
	}
	return id, nil
}
