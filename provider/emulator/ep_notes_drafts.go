package emulator

import (
	"slices"
	"time"
)

// notes/drafts/* — ep/notes/drafts/*, core/NoteDraftService.ts and the
// postScheduledNote job (API-NOTES §15, checked against Misskey 2026.5.4).
//
//   - create: the draft count (noteDraftLimit) and, for a scheduled draft,
//     the scheduled count (scheduledNoteLimit) are checked before the
//     scheduledAt checks; isActuallyScheduled without scheduledAt is
//     SCHEDULED_AT_REQUIRED, a past one SCHEDULED_AT_MUST_BE_IN_FUTURE. A
//     past scheduledAt without isActuallyScheduled is stored (a plain draft).
//   - update: fields not sent are kept, except scheduledAt, which becomes
//     null (the trap: a scheduled draft updated without it is never posted
//     and still counts); the scheduled count is checked only when the
//     draft becomes scheduled.
//   - posting: a scheduled draft is posted when the emulator's clock
//     reaches its time (postDueDrafts, run before every request): a note
//     with a new id, created at that time, and the draft deleted. When the
//     note cannot be posted (a file gone) the draft stays, marked failed.
func init() {
	register("notes/drafts/create", perHour(300), handleDraftsCreate)
	register("notes/drafts/update", perHour(300), handleDraftsUpdate)
	register("notes/drafts/delete", nil, handleDraftsDelete)
	register("notes/drafts/list", nil, handleDraftsList)
	register("notes/drafts/count", nil, handleDraftsCount)
}

// NoteDraft is a note_draft row.
type NoteDraft struct {
	ID                  string     `json:"id"`
	CreatedAt           time.Time  `json:"createdAt"`
	UserID              string     `json:"userId"`
	Text                *string    `json:"text"`
	CW                  *string    `json:"cw"`
	Visibility          string     `json:"visibility"`
	VisibleUserIDs      []string   `json:"visibleUserIds"`
	LocalOnly           bool       `json:"localOnly"`
	ReactionAcceptance  *string    `json:"reactionAcceptance"`
	FileIDs             []string   `json:"fileIds"`
	Hashtag             *string    `json:"hashtag"`
	ScheduledAt         *time.Time `json:"scheduledAt"`
	IsActuallyScheduled bool       `json:"isActuallyScheduled"`
	// PostFailed: the job ran and could not post it (the draft stays).
	PostFailed bool `json:"postFailed,omitempty"`
}

var (
	errTooManyDrafts             = clientError("TOO_MANY_DRAFTS", "9ee33bbe-fde3-4c71-9b51-e50492c6b9c8", "You cannot create drafts any more.")
	errCreateTooManyScheduled    = clientError("TOO_MANY_SCHEDULED_NOTES", "22ae69eb-09e3-4541-a850-773cfa45e693", "You cannot create scheduled notes any more.")
	errUpdateTooManyScheduled    = clientError("TOO_MANY_SCHEDULED_NOTES", "02f5df79-08ae-4a33-8524-f1503c8f6212", "You cannot create scheduled notes any more.")
	errCreateScheduledAtRequired = clientError("SCHEDULED_AT_REQUIRED", "15e28a55-e74c-4d65-89b7-8880cdaaa87d", "scheduledAt is required when isActuallyScheduled is true.")
	errUpdateScheduledAtRequired = clientError("SCHEDULED_AT_REQUIRED", "fe9737d5-cc41-498c-af9d-149207307530", "scheduledAt is required when isActuallyScheduled is true.")
	errCreateScheduledAtPast     = clientError("SCHEDULED_AT_MUST_BE_IN_FUTURE", "e4bed6c9-017e-4934-aed0-01c22cc60ec1", "scheduledAt must be in the future.")
	errUpdateScheduledAtPast     = clientError("SCHEDULED_AT_MUST_BE_IN_FUTURE", "ed1a6673-d0d1-4364-aaae-9bf3f139cbc5", "scheduledAt must be in the future.")
	errNoSuchNoteDraft           = clientError("NO_SUCH_NOTE_DRAFT", "49cd6b9d-848e-41ee-b0b9-adaca711a6b1", "No such note draft.")
)

func (s *state) ownDraft(id, userID string) *NoteDraft {
	for _, d := range s.Drafts {
		if d.ID == id && d.UserID == userID {
			return d
		}
	}
	return nil
}

// draftCounts is how many drafts a user has, and how many are scheduled.
func (s *state) draftCounts(userID string) (all, scheduled int) {
	for _, d := range s.Drafts {
		if d.UserID == userID {
			all++
			if d.IsActuallyScheduled {
				scheduled++
			}
		}
	}
	return all, scheduled
}

func (e *Emulator) packDraft(d *NoteDraft) map[string]any {
	files := []any{}
	for _, id := range d.FileIDs {
		if f := e.st.driveFile(id); f != nil {
			files = append(files, e.packDriveFile(f, fileView{withUserID: true, public: true}))
		}
	}
	var at any
	if d.ScheduledAt != nil {
		at = d.ScheduledAt.UnixMilli()
	}
	return map[string]any{
		"id":                  d.ID,
		"createdAt":           jsDate(d.CreatedAt),
		"scheduledAt":         at,
		"isActuallyScheduled": d.IsActuallyScheduled,
		"userId":              d.UserID,
		"user":                e.packLite(e.st.user(d.UserID)),
		"text":                optString(d.Text),
		"cw":                  optString(d.CW),
		"visibility":          d.Visibility,
		"localOnly":           d.LocalOnly,
		"reactionAcceptance":  optString(d.ReactionAcceptance),
		"visibleUserIds":      stringList(d.VisibleUserIDs),
		"hashtag":             optString(d.Hashtag),
		"fileIds":             stringList(d.FileIDs),
		"files":               files,
		"replyId":             nil,
		"renoteId":            nil,
		"channelId":           nil,
		"poll":                nil,
	}
}

// setDraftFields copies the sent fields onto d (update keeps the others);
// it checks the files, which must be the caller's.
func (c *call) setDraftFields(d *NoteDraft) *apiError {
	st := c.e.st
	if c.has("fileIds") {
		ids := c.strings("fileIds")
		for _, id := range ids {
			if st.ownFile(id, c.me.ID) == nil {
				return errNotesCreateNoSuchFile
			}
		}
		d.FileIDs = ids
	}
	if c.has("text") {
		d.Text = c.optStr("text")
	}
	if c.has("cw") {
		d.CW = c.optStr("cw")
	}
	if v, ok := c.str("visibility"); ok {
		d.Visibility = v
	}
	if c.has("visibleUserIds") {
		d.VisibleUserIDs = c.strings("visibleUserIds")
	}
	if b, ok := c.boolean("localOnly"); ok {
		d.LocalOnly = b
	}
	if c.has("reactionAcceptance") {
		d.ReactionAcceptance = c.optStr("reactionAcceptance")
	}
	if c.has("hashtag") {
		d.Hashtag = c.optStr("hashtag")
	}
	return nil
}

// maxDateMS is the largest epoch ms a JavaScript Date holds (±8.64e15).
const maxDateMS = 8.64e15

// scheduledAt reads the scheduledAt parameter (epoch ms; nil when absent or
// null, and for 0, which Misskey's `ps.scheduledAt ? new Date(…) : null`
// takes for none). invalid is a number past what a JavaScript Date holds:
// new Date gives an Invalid Date, which passes the "in the future" check
// (NaN compares false) and then fails the INSERT (badDraftTime).
func (c *call) scheduledAt() (at *time.Time, invalid bool) {
	ms, ok := c.params["scheduledAt"].(float64)
	if !ok || ms == 0 {
		return nil, false
	}
	if ms > maxDateMS || ms < -maxDateMS {
		return nil, true
	}
	t := time.UnixMilli(int64(ms)).UTC()
	return &t, false
}

// badDraftTime is the real server's answer to an Invalid Date scheduledAt
// (verified): PostgreSQL refuses the timestamp TypeORM writes for it.
func badDraftTime() *apiError {
	return internalError(`invalid input syntax for type timestamp with time zone: "0NaN-NaN-NaNTNaN:NaN:NaN.NaN+NaN:NaN"`, "QueryFailedError", newErrorID())
}

func handleDraftsCreate(c *call) (any, *apiError) {
	st := c.e.st
	scheduled, _ := c.boolean("isActuallyScheduled")
	all, sched := st.draftCounts(c.me.ID)
	if float64(all) >= c.me.policyNumber("noteDraftLimit") {
		return nil, errTooManyDrafts
	}
	if scheduled && float64(sched) >= c.me.policyNumber("scheduledNoteLimit") {
		return nil, errCreateTooManyScheduled
	}
	at, invalid := c.scheduledAt()
	if scheduled && at == nil && !invalid {
		return nil, errCreateScheduledAtRequired
	}
	if scheduled && at != nil && at.Before(c.now) {
		return nil, errCreateScheduledAtPast
	}
	d := &NoteDraft{UserID: c.me.ID, Visibility: "public", VisibleUserIDs: []string{}, FileIDs: []string{}}
	if apiErr := c.setDraftFields(d); apiErr != nil {
		return nil, apiErr
	}
	if invalid {
		return nil, badDraftTime()
	}
	d.ScheduledAt, d.IsActuallyScheduled = at, scheduled
	d.ID = st.IDs.next(c.now)
	d.CreatedAt = c.now
	st.Drafts = append(st.Drafts, d)
	return map[string]any{"createdDraft": c.e.packDraft(d)}, nil
}

func handleDraftsUpdate(c *call) (any, *apiError) {
	st := c.e.st
	id, _ := c.str("draftId")
	d := st.ownDraft(id, c.me.ID)
	if d == nil {
		return nil, errNoSuchNoteDraft
	}
	scheduled, sent := c.boolean("isActuallyScheduled")
	if sent && scheduled && !d.IsActuallyScheduled {
		if _, sched := st.draftCounts(c.me.ID); float64(sched) >= c.me.policyNumber("scheduledNoteLimit") {
			return nil, errUpdateTooManyScheduled
		}
	}
	at, invalid := c.scheduledAt()
	if sent && scheduled && at == nil && !invalid {
		return nil, errUpdateScheduledAtRequired
	}
	if sent && scheduled && at != nil && at.Before(c.now) {
		return nil, errUpdateScheduledAtPast
	}
	next := *d
	if apiErr := c.setDraftFields(&next); apiErr != nil {
		return nil, apiErr
	}
	if invalid {
		return nil, badDraftTime()
	}
	// `scheduledAt: ps.scheduledAt ? new Date(ps.scheduledAt) : null`.
	next.ScheduledAt = at
	if sent {
		next.IsActuallyScheduled = scheduled
	}
	next.PostFailed = false
	*d = next
	return map[string]any{"updatedDraft": c.e.packDraft(d)}, nil
}

func handleDraftsDelete(c *call) (any, *apiError) {
	st := c.e.st
	id, _ := c.str("draftId")
	d := st.ownDraft(id, c.me.ID)
	if d == nil {
		return nil, errNoSuchNoteDraft
	}
	st.Drafts = slices.DeleteFunc(st.Drafts, func(x *NoteDraft) bool { return x == d })
	return nil, nil
}

func handleDraftsList(c *call) (any, *apiError) {
	var rows []*NoteDraft
	filter, hasFilter := c.boolean("scheduled")
	for _, d := range c.e.st.Drafts {
		if d.UserID == c.me.ID && (!hasFilter || d.IsActuallyScheduled == filter) {
			rows = append(rows, d)
		}
	}
	out := []any{}
	for _, d := range paginate(c, rows, func(d *NoteDraft) string { return d.ID }) {
		out = append(out, c.e.packDraft(d))
	}
	return out, nil
}

func handleDraftsCount(c *call) (any, *apiError) {
	all, _ := c.e.st.draftCounts(c.me.ID)
	return all, nil
}

// postDueDrafts runs the postScheduledNote jobs whose time has come: each
// scheduled draft with a time at or before now becomes a note created at
// that time, and the draft is deleted. A draft whose files are gone stays
// (scheduledNotePostFailed) and is not tried again.
func (e *Emulator) postDueDrafts(now time.Time) {
	st := e.st
	var due []*NoteDraft
	for _, d := range st.Drafts {
		if d.IsActuallyScheduled && d.ScheduledAt != nil && !d.ScheduledAt.After(now) && !d.PostFailed {
			due = append(due, d)
		}
	}
	if len(due) == 0 {
		return
	}
	slices.SortFunc(due, func(a, b *NoteDraft) int { return a.ScheduledAt.Compare(*b.ScheduledAt) })
	for _, d := range due {
		author := st.user(d.UserID)
		ok := author != nil
		for _, id := range d.FileIDs {
			if st.ownFile(id, d.UserID) == nil {
				ok = false
			}
		}
		var text *string
		if d.Text != nil {
			if t := jsTrim(*d.Text); t != "" {
				text = &t
			}
		}
		if text == nil && len(d.FileIDs) == 0 {
			ok = false
		}
		if !ok {
			d.PostFailed = true
			continue
		}
		at := *d.ScheduledAt
		n := &Note{UserID: d.UserID, Text: text, CW: d.CW, Visibility: d.Visibility, LocalOnly: d.LocalOnly,
			ReactionAcceptance: d.ReactionAcceptance, FileIDs: slices.Clone(d.FileIDs)}
		if n.Visibility == "specified" {
			n.VisibleUserIDs = slices.Clone(d.VisibleUserIDs)
		}
		adjustScope(n, author, nil, nil)
		n.ID = st.IDs.next(at)
		n.CreatedAt = at
		st.insertNote(n, author, at)
		st.countTargets(n, author)
		st.Drafts = slices.DeleteFunc(st.Drafts, func(x *NoteDraft) bool { return x == d })
	}
}
