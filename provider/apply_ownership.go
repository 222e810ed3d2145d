package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/mkctl/mkctl/planner"
)

// The ownership record is rewritten whole with i/registry/set after every
// change that alters it. Writes that would not change it are skipped.

// record loads the ownership record on first use. It is read fresh rather
// than taken from the plan: a saved plan does not carry it, and another
// apply may have changed it since the plan was made.
func (run *applyRun) record(ctx context.Context) (*planner.Ownership, error) {
	if run.loaded {
		return run.rec, nil
	}
	rec, err := readOwnership(ctx, run.c.Read)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		rec = planner.NewOwnership(run.ap.Address)
	}
	if rec.Account == "" {
		rec.Account = run.ap.Address
	}
	run.rec, run.loaded = rec, true
	return rec, nil
}

// save writes the record. i/registry/set is an upsert of the whole value,
// so repeating it is harmless: it is retried like a read.
func (run *applyRun) save(ctx context.Context) error {
	body := registryParams()
	body["value"] = run.rec
	if err := run.c.call(ctx, "i/registry/set", body, nil, true); err != nil {
		return fmt.Errorf("saving mkctl's ownership record: %w", err)
	}
	return nil
}

// recordChange records the outcome of a completed change.
func (run *applyRun) recordChange(ctx context.Context, ch *planner.Change, id string) error {
	if ch.Key == "" || ch.Type == planner.TypeProfile {
		return nil // the profile: nothing to own
	}
	var err error
	if ch.Action == planner.ActionDelete {
		err = run.disown(ctx, ch.Key)
	} else {
		err = run.own(ctx, ch.Key, id, ch.Applied)
	}
	if err != nil {
		return fmt.Errorf("the change was made, but mkctl could not record it, so the next plan will not know about it: %w", err)
	}
	return nil
}

// own records that key is the object id (dropping any intent for it).
// Applied nil keeps what the record has for the same object.
func (run *applyRun) own(ctx context.Context, key, id string, applied map[string]any) error {
	run.created[key] = id
	rec, err := run.record(ctx)
	if err != nil {
		return err
	}
	old, had := rec.Objects[key]
	if applied == nil && had && old.ID == id {
		applied = old.Applied
	}
	_, intent := rec.Intents[key]
	if had && !intent && old.ID == id && sameJSON(old.Applied, applied) {
		return nil
	}
	rec.Objects[key] = planner.Owned{Key: key, ID: id, Applied: applied}
	delete(rec.Intents, key)
	return run.save(ctx)
}

// disown removes key from the record.
func (run *applyRun) disown(ctx context.Context, key string) error {
	rec, err := run.record(ctx)
	if err != nil {
		return err
	}
	_, had := rec.Objects[key]
	_, intent := rec.Intents[key]
	if !had && !intent {
		return nil
	}
	delete(rec.Objects, key)
	delete(rec.Intents, key)
	return run.save(ctx)
}

// setIntent records a creation about to start (see planner.Intent).
func (run *applyRun) setIntent(ctx context.Context, key string, in planner.Intent) error {
	rec, err := run.record(ctx)
	if err != nil {
		return err
	}
	if rec.Intents == nil {
		rec.Intents = map[string]planner.Intent{}
	}
	rec.Intents[key] = in
	return run.save(ctx)
}

// clearIntent forgets an intent whose creation certainly did not happen.
func (run *applyRun) clearIntent(ctx context.Context, key string) error {
	if run.rec == nil {
		return nil
	}
	if _, ok := run.rec.Intents[key]; !ok {
		return nil
	}
	delete(run.rec.Intents, key)
	return run.save(ctx)
}

// adopt records existing objects the plan matched to declarations, with
// one write, without touching them on the server.
func (run *applyRun) adopt(ctx context.Context, objs []planner.Owned) error {
	rec, err := run.record(ctx)
	if err != nil {
		return fmt.Errorf("recording adopted objects: %w", err)
	}
	before := maps.Clone(rec.Objects)
	for _, o := range objs {
		rec.Objects[o.Key] = planner.Owned{Key: o.Key, ID: o.ID, Applied: o.Applied}
	}
	if sameJSON(before, rec.Objects) {
		return nil
	}
	if err := run.save(ctx); err != nil {
		return fmt.Errorf("recording adopted objects: %w", err)
	}
	return nil
}

// sameJSON compares values as they would be stored: the record read back
// holds float64 where the plan may hold ints.
func sameJSON(a, b any) bool {
	ja, erra := json.Marshal(a)
	jb, errb := json.Marshal(b)
	return erra == nil && errb == nil && bytes.Equal(ja, jb)
}
