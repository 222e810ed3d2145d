package planner

import (
	"fmt"
	"maps"
	"reflect"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/schema"
)

// TypeScheduledNote is the change type of a scheduled note (Key
// scheduled_note.LABEL), kept as a scheduled draft until Misskey posts it:
//
//	create   notes/drafts/create with After: text, cw, visibility, localOnly, reactionAcceptance,
//	         fileIds (an "" entry N is the file Refs["fileIds.N"] uploaded earlier in the apply),
//	         scheduledAt (epoch ms) and isActuallyScheduled: true.
//	update   notes/drafts/update {draftId: ID} + the whole of After, as for create: update defaults
//	         nothing, and without scheduledAt it unschedules the draft (API-NOTES §15).
//	delete   notes/drafts/delete {draftId: ID} (NO_SUCH_NOTE_DRAFT is success).
//
// The apply refuses a create or update whose scheduledAt has passed since
// the plan was made. The record holds the draft id with the applied
// content (Applied, with scheduledAt); once Misskey has posted the note
// the plan records it as posted (Applied["posted"], the note id when found)
// and never touches it again.
const TypeScheduledNote = "scheduled_note"

// LiveDraft is a note draft (notes/drafts/list).
type LiveDraft struct {
	ID                 string
	Text               string
	CW                 *string
	Visibility         string
	LocalOnly          bool
	ReactionAcceptance *string
	FileIDs            []string
	// ScheduledAt is epoch ms, 0 for none (null).
	ScheduledAt         int64
	IsActuallyScheduled bool
	CreatedAt           time.Time
	// Unsupported says why a scheduled_note block cannot describe the
	// draft (a poll, a reply, a renote, a channel, recipients); "" when it can.
	Unsupported string
}

// LiveDrafts is the account's drafts, read only when scheduled notes are
// managed.
type LiveDrafts struct {
	// Drafts is every draft of the account (scheduled or not).
	Drafts []LiveDraft
	// ReadAt is when the list was read: a recorded draft missing from it
	// whose time is before ReadAt was posted.
	ReadAt time.Time
	// Posted maps record keys of scheduled notes Misskey has posted to the
	// posted note's id, for the notes the provider found (users/notes
	// around the scheduled time); a posted note not found is absent.
	Posted map[string]string
}

// postGrace is how long after its time a draft that still exists is taken
// for one being posted right now rather than one whose posting failed
// (Misskey posts from a queue job).
const postGrace = time.Minute

func scheduledNoteKey(label string) string { return "scheduled_note." + label }

// ScheduledNoteID is the id of the note Misskey posted for a scheduled
// note of the account (by block label), when it has been posted and its id
// is known: from the ownership record, or found by this plan's read. Other
// kinds (clips) may refer to a posted scheduled note through it.
func (l *Live) ScheduledNoteID(label string) (string, bool) {
	key := scheduledNoteKey(label)
	if l.Drafts != nil {
		if id, ok := l.Drafts.Posted[key]; ok && id != "" {
			return id, true
		}
	}
	if l.Ownership != nil {
		if o, ok := l.Ownership.Objects[key]; ok && o.Applied["posted"] == true {
			if id, _ := o.Applied["noteId"].(string); id != "" {
				return id, true
			}
		}
	}
	return "", false
}

// draftBody is notes/drafts/create's (and update's) body for a block: the
// note's content, files and its time, every field, since update defaults
// none of them.
func (p *planState) draftBody(want *schema.ScheduledNote) (map[string]any, map[string]string) {
	body, refs := p.noteCreateParams(&want.PinnedNote)
	if _, ok := body["fileIds"]; !ok {
		body["fileIds"] = []any{}
	}
	body["scheduledAt"] = want.At.UnixMilli()
	body["isActuallyScheduled"] = true
	return body, refs
}

func draftContent(d LiveDraft) map[string]any {
	return map[string]any{
		"text":               d.Text,
		"cw":                 strPtr(d.CW),
		"visibility":         d.Visibility,
		"localOnly":          d.LocalOnly,
		"reactionAcceptance": strPtr(d.ReactionAcceptance),
	}
}

// appliedNote is what the record keeps of a scheduled note: its content,
// its files (drive_file keys: after posting, a changed files list is
// reported as an edit that cannot apply) and its time.
func appliedNote(want *schema.ScheduledNote) map[string]any {
	a := noteContent(&want.PinnedNote)
	files := make([]any, len(want.Files))
	for i, k := range want.Files {
		files[i] = k
	}
	a["files"] = files
	a["scheduledAt"] = want.At.UnixMilli()
	return a
}

// filesEdited reports whether the block's files differ from those the
// record holds; a record without "files" (kept before they were) tells
// nothing, so it claims no edit.
func filesEdited(o Owned, want *schema.ScheduledNote) bool {
	rec, ok := o.Applied["files"].([]any)
	if !ok {
		return false
	}
	if len(rec) != len(want.Files) {
		return true
	}
	for i, k := range want.Files {
		if s, _ := rec[i].(string); s != k {
			return true
		}
	}
	return false
}

func timeMS(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }

// recordedAt is the scheduledAt the record holds for an entry (0: none).
func recordedAt(o Owned) int64 {
	switch v := o.Applied["scheduledAt"].(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	case int:
		return int64(v)
	}
	return 0
}

// planScheduledNotes keeps a scheduled draft per block until Misskey posts
// it, then only reports it as posted.
func (p *planState) planScheduledNotes() (ups, dels []*Change) {
	desired := p.acct.ScheduledNotes
	if len(desired) == 0 && !p.purged("scheduled_notes") && !p.ownsAny("scheduled_note.") {
		return nil, nil
	}
	var drafts []LiveDraft
	now := time.Now()
	var posted map[string]string
	if d := p.live.Drafts; d != nil {
		drafts, posted = d.Drafts, d.Posted
		if !d.ReadAt.IsZero() {
			now = d.ReadAt
		}
	}
	byID := map[string]LiveDraft{}
	for _, d := range drafts {
		byID[d.ID] = d
	}
	rec := p.live.Ownership.objects()
	matched := map[string]bool{} // draft ids the plan keeps for a block
	var pending []hcl.Range      // blocks that leave a scheduled draft
	declared := map[string]bool{}

	for _, want := range desired {
		key := scheduledNoteKey(want.Label)
		declared[key] = true
		reason := "" // why an owned note is created again
		p.protect(key, want.Lifecycle)
		o, owned := rec[key]
		if owned && o.Applied["posted"] == true {
			p.reportPosted(key, want, o)
			continue
		}
		if owned {
			if d, ok := byID[o.ID]; ok {
				matched[d.ID] = true
				if c := p.keepDraft(key, want, d, now); c != nil {
					ups = append(ups, c)
				}
				// Scheduled, or to be scheduled again by the update
				// (unscheduled by hand): it takes a scheduledNoteLimit slot.
				pending = append(pending, want.DeclRange)
				continue
			}
			if at := recordedAt(o); at != 0 && at <= now.UnixMilli() {
				if nid := posted[key]; nid != "" {
					// Gone after its time, and the note is there: Misskey
					// posted it (it deletes the draft when it posts).
					// Record that, once.
					applied := maps.Clone(o.Applied)
					applied["posted"] = true
					applied["draftId"] = o.ID
					applied["noteId"] = nid
					p.ap.Adopt = append(p.ap.Adopt, Owned{Key: key, ID: nid, Applied: applied})
					p.reportPosted(key, want, Owned{Key: key, ID: nid, Applied: applied})
					continue
				}
				// Gone after its time, but no note of the account since
				// then has its text: deleted by hand (before or after its
				// time), or posted and the note deleted or edited since.
				// Nothing says which, so nothing is recorded (a record of
				// "posted" would be a guess). A new later at is the user
				// saying "post it": schedule it again; otherwise say so
				// at every plan, changing nothing.
				if want.At.UnixMilli() == at || !want.At.After(now) {
					p.note("%s: the draft mkctl scheduled for %s is gone, and no note of the account posted since then has its text: mkctl cannot tell whether Misskey posted it (and the note was deleted or edited since) or the draft was deleted by hand, so it changes nothing. Hint: if it was posted, or you do not want it, remove the block (mkctl forgets it); to have it posted, give a later at and mkctl schedules it again.",
						key, timeMS(at))
					continue
				}
				reason = fmt.Sprintf("the draft mkctl scheduled for %s is gone and no posted note was found: scheduled again at the new time", timeMS(at))
			} else {
				// Gone before its time (deleted by hand): schedule it again.
				reason = "the scheduled draft mkctl made was deleted before its time"
			}
		}
		if !want.At.After(now) {
			// Reached for a note mkctl never scheduled, or for one whose
			// draft was deleted by hand before its time and whose at was
			// then moved into the past: say which.
			known := "mkctl has no record of scheduling it"
			if owned {
				known = "the draft mkctl scheduled for it was deleted before its time, so it would be scheduled again"
				if at := recordedAt(o); at != 0 {
					known = fmt.Sprintf("the draft mkctl scheduled for %s was deleted before its time, so it would be scheduled again", timeMS(at))
				}
			}
			p.errorf(want.AtRange, "at is in the past",
				"scheduled_note %q is to be posted at %s, which has passed, and %s: Misskey refuses to schedule a note in the past (SCHEDULED_AT_MUST_BE_IN_FUTURE). Hint: give a later time, or remove the block.",
				want.Label, want.AtText, known)
			continue
		}
		body, refs := p.draftBody(want)
		if !owned {
			if d, ok := p.adoptableDraft(want, drafts, matched); ok {
				matched[d.ID] = true
				p.adopt(key, d.ID, appliedNote(want))
				pending = append(pending, want.DeclRange)
				continue
			}
		}
		pending = append(pending, want.DeclRange)
		ups = append(ups, &Change{Address: p.address(key), Type: TypeScheduledNote, Action: ActionCreate, Key: key,
			After: body, Applied: appliedNote(want), Refs: refs, Reason: reason,
			Attrs: append(append(noteAttrs(nil, body), p.noteFileAttrs(nil, &want.PinnedNote)...), AttrChange{Name: "at", After: want.AtText})})
	}

	// Drafts no block declares: delete mkctl's (and, with purge, any
	// scheduled draft); forget posted notes whose block is gone.
	unmanagedScheduled, others := 0, 0
	deleted := map[string]bool{}
	for _, d := range drafts {
		if matched[d.ID] {
			continue
		}
		key, owned := p.live.Ownership.keyOf(d.ID)
		owned = owned && recordKind(key) == TypeScheduledNote && !declared[key]
		switch {
		case owned || p.purged("scheduled_notes") && d.IsActuallyScheduled:
			if !owned {
				key = fmt.Sprintf("scheduled_note[%q]", d.ID)
			}
			deleted[d.ID] = true
			attrs := noteAttrs(draftContent(d), nil)
			if d.ScheduledAt != 0 {
				attrs = append(attrs, AttrChange{Name: "at", Before: timeMS(d.ScheduledAt)})
			}
			c := &Change{Address: p.address(key), Type: TypeScheduledNote, Action: ActionDelete, Key: key, ID: d.ID, Attrs: attrs}
			if !owned {
				c.Reason = "deleted because of purge"
			}
			dels = append(dels, c)
		case d.IsActuallyScheduled:
			unmanagedScheduled++
		default:
			others++
		}
	}
	for key, o := range rec {
		if recordKind(key) != TypeScheduledNote || declared[key] || deleted[o.ID] {
			continue
		}
		if _, exists := byID[o.ID]; exists {
			continue
		}
		p.ap.Forget = append(p.ap.Forget, key)
		if o.Applied["posted"] == true {
			p.note("%s: the block is gone; the note Misskey posted stays, mkctl only forgets it.", key)
		}
	}
	if unmanagedScheduled > 0 {
		p.note("%d scheduled note(s) not managed by this configuration (left alone).", unmanagedScheduled)
	}
	if !p.overLimit(countLimit{"scheduledNoteLimit", 1, "scheduled notes", "scheduled_notes"}, pending, unmanagedScheduled) {
		p.overLimit(countLimit{"noteDraftLimit", 10, "note drafts", "scheduled_notes"}, pending, unmanagedScheduled+others)
	}
	return ups, dels
}

// keepDraft compares a recorded draft with its block: an update when they
// differ (the whole body, scheduledAt always), nothing when they agree.
func (p *planState) keepDraft(key string, want *schema.ScheduledNote, d LiveDraft, now time.Time) *Change {
	wantAt := want.At.UnixMilli()
	if d.IsActuallyScheduled && d.ScheduledAt != 0 && d.ScheduledAt <= now.UnixMilli() {
		if now.Sub(time.UnixMilli(d.ScheduledAt)) < postGrace {
			p.note("%s: Misskey is posting this note now (its time %s has just passed).", key, timeMS(d.ScheduledAt))
			return nil
		}
		if !want.At.After(now) {
			p.note("%s: Misskey did not post this note at %s: the scheduled draft is still there, so posting failed (Misskey notified the account: scheduledNotePostFailed) and it will not try again. Fix the cause (a file deleted, a prohibited word, a role that may not post) and set a later at to schedule it again, or remove the block to delete the draft.",
				key, timeMS(d.ScheduledAt))
			return nil
		}
	}
	body, refs := p.draftBody(want)
	live := draftContent(d)
	attrs := noteAttrs(live, body)
	attrs = append(attrs, p.noteFileAttrs(d.FileIDs, &want.PinnedNote)...)
	sameFiles := p.sameFiles(&want.PinnedNote, d.FileIDs)
	if d.ScheduledAt != wantAt || !d.IsActuallyScheduled {
		var before any
		if d.ScheduledAt != 0 {
			before = timeMS(d.ScheduledAt)
		}
		if !d.IsActuallyScheduled {
			before = "not scheduled"
		}
		attrs = append(attrs, AttrChange{Name: "at", Before: before, After: want.AtText})
	}
	if len(attrs) == 0 && sameFiles {
		return nil
	}
	if !want.At.After(now) {
		p.errorf(want.AtRange, "at is in the past",
			"scheduled_note %q is to be posted at %s, which has passed, but its scheduled draft must change: Misskey refuses a time in the past (SCHEDULED_AT_MUST_BE_IN_FUTURE). Hint: give a later time.", want.Label, want.AtText)
		return nil
	}
	reason := ""
	switch {
	case d.IsActuallyScheduled && d.ScheduledAt == 0:
		reason = "the draft lost its time (an update without scheduledAt): Misskey would never post it"
	case !sameFiles && len(attrs) == 0:
		reason = "a file changed"
	}
	return &Change{Address: p.address(key), Type: TypeScheduledNote, Action: ActionUpdate, Key: key, ID: d.ID,
		After: body, Applied: appliedNote(want), Refs: refs, Attrs: attrs, Reason: reason}
}

// adoptableDraft finds an unowned scheduled draft with the block's content,
// files and time.
func (p *planState) adoptableDraft(want *schema.ScheduledNote, drafts []LiveDraft, matched map[string]bool) (LiveDraft, bool) {
	content := noteContent(&want.PinnedNote)
	for _, d := range drafts {
		if matched[d.ID] || !d.IsActuallyScheduled || d.Unsupported != "" || p.live.Ownership.OwnsID(d.ID) {
			continue
		}
		if d.ScheduledAt == want.At.UnixMilli() && sameContent(draftContent(d), content) && p.sameFiles(&want.PinnedNote, d.FileIDs) {
			return d, true
		}
	}
	return LiveDraft{}, false
}

// reportPosted says that a scheduled note was posted, and that an edit of
// its block cannot apply any more.
func (p *planState) reportPosted(key string, want *schema.ScheduledNote, o Owned) {
	what := "posted by Misskey"
	if id, _ := o.Applied["noteId"].(string); id != "" {
		what += " as note " + id
	}
	at := recordedAt(o)
	if at != 0 {
		what += " at " + timeMS(at)
	}
	applied := map[string]any{}
	for _, k := range []string{"text", "cw", "visibility", "localOnly", "reactionAcceptance"} {
		applied[k] = o.Applied[k]
	}
	edited := !reflect.DeepEqual(applied, noteContent(&want.PinnedNote)) || at != 0 && at != want.At.UnixMilli() || filesEdited(o, want)
	if edited {
		p.note("%s: already %s; the block's changes cannot apply (Misskey cannot edit a posted note), so nothing changes. Remove the block to forget the note (the note stays).", key, what)
		return
	}
	p.note("%s: %s; nothing to do.", key, what)
}
