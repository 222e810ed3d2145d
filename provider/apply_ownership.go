package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/mkctl/mkctl/planner"
)

// When the ownership record is written.
//
// i/registry/set replaces a whole value. The record is split into a
// manifest and chunks (ownership_store.go), and a write sends only the
// chunks that changed and the manifest; still, writing after every change
// would cost a request or two per change, so writes are batched, except
// where losing one would do harm:
//
//   - Pinned notes: written at once, at every step — the intent before
//     notes/create, the note right after it (with the retiring entry of a
//     replace), the retiring entry's removal once the old note is gone, an
//     unpin or delete. A note cannot be found again by a natural key (its
//     content is neither unique nor stable): a lost intent means a second
//     post, a lost note id an orphan nobody deletes.
//   - Every other kind (follows, drive folders, antennas, user lists, and
//     the plan's adoptions): written after every recordBatch changes, before
//     every rate-limit wait (it may last an hour, and the user may give up
//     and kill mkctl), when the apply fails or is interrupted, and at its
//     end. This is safe because these objects have a natural key: if mkctl
//     dies between two writes, the next plan finds the created objects of
//     the lost batch by acct, path or name and adopts them again, and
//     deleted ones are simply not there any more. (The one trace left is a
//     deleted object still in the record; should the same follow or name
//     come back by hand later, mkctl would take it for its own.)

// recordBatch is how many batched changes may wait for one write.
const recordBatch = 25

// record loads the ownership record on first use.
//
// A plan made in this process (ap.Ownership is set: a plan read from a file
// never carries it) uses the record ReadAccount read moments ago, saving a
// request; it is out of date only if another mkctl applied to the same
// account with the same token in between. A saved plan reads it fresh.
func (run *applyRun) record(ctx context.Context) (*planner.Ownership, error) {
	if run.loaded {
		return run.rec, nil
	}
	var rec *planner.Ownership
	if run.ap.Ownership != nil {
		rec = cloneOwnership(run.ap.Ownership)
	} else {
		var err error
		if rec, err = readOwnership(ctx, run.c.Read, run.ap.Address); err != nil {
			return nil, err
		}
	}
	if rec == nil {
		rec = planner.NewOwnership(run.ap.Address)
	}
	if rec.Account == "" {
		rec.Account = run.ap.Address
	}
	if rec.Objects == nil {
		rec.Objects = map[string]planner.Owned{}
	}
	run.rec, run.loaded = rec, true
	return rec, nil
}

// cloneOwnership copies a record deeply enough that changing the copy's
// objects and intents leaves the original alone.
func cloneOwnership(o *planner.Ownership) *planner.Ownership {
	cp := *o
	cp.Objects = make(map[string]planner.Owned, len(o.Objects))
	for k, obj := range o.Objects {
		obj.Applied = maps.Clone(obj.Applied)
		cp.Objects[k] = obj
	}
	cp.Intents = maps.Clone(o.Intents)
	cp.Calls = maps.Clone(o.Calls)
	cp.Limited = maps.Clone(o.Limited)
	if s, ok := o.Store.(*recordStore); ok && s != nil {
		cp.Store = s.clone()
	}
	return &cp
}

// save writes the record when it holds unwritten changes. i/registry/set is
// an upsert of the whole value, so repeating it is harmless: it is retried
// like a read.
func (run *applyRun) save(ctx context.Context) error {
	if !run.dirty || run.saving {
		return nil
	}
	run.saving = true
	defer func() { run.saving = false }()
	// A 429 makes the record worth writing before any change is recorded
	// (noteCall), so it may not be loaded yet.
	if _, err := run.record(ctx); err != nil {
		if run.saveErr == nil {
			run.saveErr = err
		}
		return err
	}
	run.mergeCalls(run.rec, run.c.now())
	store := storeOf(run.rec)
	store.address = run.ap.Address
	write := func(ctx context.Context, endpoint string, params any) error {
		return run.c.call(ctx, endpoint, params, nil, true)
	}
	if err := store.save(ctx, write, run.rec); err != nil {
		err = fmt.Errorf("saving mkctl's ownership record: %w", err)
		if run.saveErr == nil {
			run.saveErr = err
		}
		return err
	}
	run.dirty, run.pending = false, 0
	return nil
}

// saveBeforeWait is the client's beforeRateLimitWait: batched changes are
// written before a rate-limit wait. A failure is reported and the apply
// goes on; the next write tries again.
func (run *applyRun) saveBeforeWait(ctx context.Context) {
	if !run.dirty || run.saving {
		return
	}
	prev := run.saveErr
	if err := run.save(ctx); err != nil {
		run.base.notify(fmt.Sprintf("could not record the changes made so far before waiting (%s): %v", run.progress(), err))
		run.saveErr = prev // not fatal here: the next write tries again
	}
}

// flush writes what is still unwritten, at the end of an apply (also a
// failed or interrupted one). Nothing is tried after a failed write: the
// apply already reports it.
func (run *applyRun) flush(ctx context.Context) error {
	if !run.dirty || run.saveErr != nil {
		return nil
	}
	n := run.pending
	if err := run.save(ctx); err != nil {
		return fmt.Errorf("%s: mkctl could not record the last %d change(s) it made, so the next plan will not know about them (it finds follows, folders, antennas and lists again by name): %w", run.ap.Address, n, err)
	}
	return nil
}

// recordChange records the outcome of a completed change: pinned notes at
// once, other kinds in batches.
func (run *applyRun) recordChange(ctx context.Context, ch *planner.Change, id string) error {
	if ch.Key == "" || ch.Type == planner.TypeProfile {
		return nil // the profile: nothing to own
	}
	var changed bool
	var err error
	if ch.Action == planner.ActionDelete {
		changed, err = run.drop(ctx, ch.Key)
	} else {
		changed, err = run.put(ctx, ch.Key, id, ch.Applied)
	}
	if err == nil && changed {
		if ch.Type == planner.TypePinnedNote {
			err = run.save(ctx)
		} else {
			err = run.later(ctx)
		}
	}
	if err != nil {
		return fmt.Errorf("the change was made, but mkctl could not record it, so the next plan will not know about it: %w", err)
	}
	return nil
}

// later counts a batched change and writes the batch when it is full.
func (run *applyRun) later(ctx context.Context) error {
	run.pending++
	if run.pending < recordBatch {
		return nil
	}
	return run.save(ctx)
}

// put records that key is the object id and drops any intent for it.
// Applied nil keeps what the record has for the same object. It reports
// whether the record changed; nothing is written.
func (run *applyRun) put(ctx context.Context, key, id string, applied map[string]any) (bool, error) {
	run.created[key] = id
	rec, err := run.record(ctx)
	if err != nil {
		return false, err
	}
	old, had := rec.Objects[key]
	if applied == nil && had && old.ID == id {
		applied = old.Applied
	}
	_, intent := rec.Intents[key]
	if had && !intent && old.ID == id && sameJSON(old.Applied, applied) {
		return false, nil
	}
	rec.Objects[key] = planner.Owned{Key: key, ID: id, Applied: applied}
	delete(rec.Intents, key)
	storeOf(rec).touch(key)
	run.dirty = true
	return true, nil
}

// drop removes key (and any intent for it) from the record; nothing is
// written.
func (run *applyRun) drop(ctx context.Context, key string) (bool, error) {
	rec, err := run.record(ctx)
	if err != nil {
		return false, err
	}
	_, had := rec.Objects[key]
	_, intent := rec.Intents[key]
	if !had && !intent {
		return false, nil
	}
	delete(rec.Objects, key)
	delete(rec.Intents, key)
	storeOf(rec).touch(key)
	run.dirty = true
	return true, nil
}

// ownLater records an object of a batched kind before its change is done
// (a user list, before its members are pushed for hours): it is written
// with the batch, or before the first rate-limit wait.
func (run *applyRun) ownLater(ctx context.Context, key, id string) error {
	changed, err := run.put(ctx, key, id, nil)
	if err != nil || !changed {
		return err
	}
	return run.later(ctx)
}

// ownNote records a posted note at once; retire, when set, is the note it
// replaces, kept under its retiring key in the same write (see replaceNote).
func (run *applyRun) ownNote(ctx context.Context, key, id string, applied map[string]any, retire *planner.Owned) error {
	if retire != nil {
		if _, err := run.put(ctx, retire.Key, retire.ID, retire.Applied); err != nil {
			return err
		}
	}
	if _, err := run.put(ctx, key, id, applied); err != nil {
		return err
	}
	return run.save(ctx)
}

// disownNote removes a pinned note's key at once.
func (run *applyRun) disownNote(ctx context.Context, key string) error {
	if _, err := run.drop(ctx, key); err != nil {
		return err
	}
	return run.save(ctx)
}

// setIntent records, at once, a creation about to start (see planner.Intent).
func (run *applyRun) setIntent(ctx context.Context, key string, in planner.Intent) error {
	rec, err := run.record(ctx)
	if err != nil {
		return err
	}
	if rec.Intents == nil {
		rec.Intents = map[string]planner.Intent{}
	}
	rec.Intents[key] = in
	run.dirty = true
	return run.save(ctx)
}

// clearIntent forgets, at once, an intent whose creation certainly did not
// happen.
func (run *applyRun) clearIntent(ctx context.Context, key string) error {
	if run.rec == nil {
		return nil
	}
	if _, ok := run.rec.Intents[key]; !ok {
		return nil
	}
	delete(run.rec.Intents, key)
	run.dirty = true
	return run.save(ctx)
}

// adopt records existing objects the plan matched to declarations, without
// touching them on the server. They are written with the first batch (or at
// the end): the next plan would match them again by their natural key.
func (run *applyRun) adopt(ctx context.Context, objs []planner.Owned, forget []string) error {
	rec, err := run.record(ctx)
	if err != nil {
		return fmt.Errorf("recording adopted objects: %w", err)
	}
	store := storeOf(rec)
	changed := false
	for _, o := range objs {
		if old, had := rec.Objects[o.Key]; had && old.ID == o.ID && sameJSON(old.Applied, o.Applied) {
			continue
		}
		rec.Objects[o.Key] = planner.Owned{Key: o.Key, ID: o.ID, Applied: o.Applied}
		store.touch(o.Key)
		changed = true
	}
	// Entries of objects that are gone: a later object that merely looks
	// the same (a follow made again by hand) must not count as mkctl's.
	for _, key := range forget {
		if _, had := rec.Objects[key]; had {
			delete(rec.Objects, key)
			store.touch(key)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	run.dirty = true
	return run.later(ctx)
}

// sameJSON compares values as they would be stored: the record read back
// holds float64 where the plan may hold ints.
func sameJSON(a, b any) bool {
	ja, erra := json.Marshal(a)
	jb, errb := json.Marshal(b)
	return erra == nil && errb == nil && bytes.Equal(ja, jb)
}
