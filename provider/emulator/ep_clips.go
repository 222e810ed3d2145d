package emulator

import (
	"slices"
	"strings"
	"time"
)

// clips/* — ep/clips/*, core/ClipService.ts, ClipEntityService (API-NOTES
// §14). The traps are modelled: clips/update stores description || null
// (left out, it is cleared); clips/add-note accepts any existing note,
// even one the caller may not see, which clips/notes then hides while
// notesCount counts it; clips/remove-note of a note not in the clip
// answers 204 and still decrements the note's clippedCount.
func init() {
	register("clips/create", nil, handleClipsCreate)
	register("clips/update", nil, handleClipsUpdate)
	register("clips/delete", nil, handleClipsDelete)
	register("clips/list", nil, handleClipsList)
	register("clips/show", nil, handleClipsShow)
	register("clips/add-note", perHour(20), handleClipsAddNote)
	register("clips/remove-note", nil, handleClipsRemoveNote)
	register("clips/notes", nil, handleClipsNotes)
}

// Clip is a clip row.
type Clip struct {
	ID            string     `json:"id"`
	CreatedAt     time.Time  `json:"createdAt"`
	LastClippedAt *time.Time `json:"lastClippedAt"`
	UserID        string     `json:"userId"`
	Name          string     `json:"name"`
	Description   *string    `json:"description"`
	IsPublic      bool       `json:"isPublic"`
}

// ClipNote is a clip_note row (ON DELETE CASCADE from both the clip and
// the note).
type ClipNote struct {
	ID     string `json:"id"`
	ClipID string `json:"clipId"`
	NoteID string `json:"noteId"`
}

var (
	errTooManyClips        = clientError("TOO_MANY_CLIPS", "920f7c2d-6208-4b76-8082-e632020f5883", "You cannot create clip any more.")
	errUpdateNoSuchClip    = clientError("NO_SUCH_CLIP", "b4d92d70-b216-46fa-9a3f-a8c811699257", "No such clip.")
	errDeleteNoSuchClip    = clientError("NO_SUCH_CLIP", "70ca08ba-6865-4630-b6fb-8494759aa754", "No such clip.")
	errShowNoSuchClip      = clientError("NO_SUCH_CLIP", "c3c5fe33-d62c-44d2-9ea5-d997703f5c20", "No such clip.")
	errAddNoSuchClip       = clientError("NO_SUCH_CLIP", "d6e76cc0-a1b5-4c7c-a287-73fa9c716dcf", "No such clip.")
	errAddNoSuchNote       = clientError("NO_SUCH_NOTE", "fc8c0b49-c7a3-4664-a0a6-b418d386bb8b", "No such note.")
	errAlreadyClipped      = clientError("ALREADY_CLIPPED", "734806c4-542c-463a-9311-15c512803965", "The note has already been clipped.")
	errTooManyClipNotes    = clientError("TOO_MANY_CLIP_NOTES", "f0dba960-ff73-4615-8df4-d6ac5d9dc118", "You cannot add notes to the clip any more.")
	errRemoveNoSuchClip    = clientError("NO_SUCH_CLIP", "b80525c6-97f7-49d7-a42d-ebccd49cfd52", "No such clip.")
	errRemoveNoSuchNote    = clientError("NO_SUCH_NOTE", "aff017de-190e-434b-893e-33a9ff5049d8", "No such note.")
	errClipNotesNoSuchClip = clientError("NO_SUCH_CLIP", "1d7645e6-2b6d-4635-b0fe-fe22b0e72e00", "No such clip.")
)

func (e *Emulator) packClip(cl *Clip, me *User) map[string]any {
	m := map[string]any{
		"id": cl.ID, "createdAt": jsDate(cl.CreatedAt), "lastClippedAt": optDate(cl.LastClippedAt),
		"userId": cl.UserID, "user": e.packLite(e.st.user(cl.UserID)),
		"name": cl.Name, "description": optString(cl.Description), "isPublic": cl.IsPublic,
		"favoritedCount": 0,
	}
	if me != nil {
		m["isFavorited"] = false
	}
	if me != nil && me.ID == cl.UserID {
		n := 0
		for _, cn := range e.st.ClipNotes {
			if cn.ClipID == cl.ID {
				n++
			}
		}
		m["notesCount"] = n
	}
	return m
}

func (s *state) clip(id string) *Clip {
	for _, cl := range s.Clips {
		if cl.ID == id {
			return cl
		}
	}
	return nil
}

func (s *state) ownClip(id, userID string) *Clip {
	if cl := s.clip(id); cl != nil && cl.UserID == userID {
		return cl
	}
	return nil
}

// visibleClip is a clip me may read (clips/show, clips/notes): any
// public clip and my own private ones; nil for someone else's private clip,
// which both answer NO_SUCH_CLIP.
func (s *state) visibleClip(id string, me *User) *Clip {
	if cl := s.clip(id); cl != nil && (cl.IsPublic || me != nil && me.ID == cl.UserID) {
		return cl
	}
	return nil
}

func handleClipsCreate(c *call) (any, *apiError) {
	st := c.e.st
	count := countOwned(st.Clips, func(cl *Clip) string { return cl.UserID }, c.me.ID)
	if float64(count) >= c.me.policyNumber("clipLimit") {
		return nil, errTooManyClips
	}
	name, _ := c.str("name")
	desc, _ := c.str("description")
	if strings.ContainsRune(name+desc, 0) {
		return nil, nulInText()
	}
	pub, _ := c.boolean("isPublic")
	cl := &Clip{ID: st.IDs.next(c.now), CreatedAt: c.now, UserID: c.me.ID, Name: name, IsPublic: pub}
	if d, ok := c.str("description"); ok && d != "" {
		cl.Description = &d // "" is stored as null, as by clips/update
	}
	st.Clips = append(st.Clips, cl)
	return c.e.packClip(cl, c.me), nil
}

// handleClipsUpdate: ClipService.update stores description || null, so a
// description left out (or "") clears it; name and isPublic left out stay.
func handleClipsUpdate(c *call) (any, *apiError) {
	id, _ := c.str("clipId")
	cl := c.e.st.ownClip(id, c.me.ID)
	if cl == nil {
		return nil, errUpdateNoSuchClip
	}
	name, _ := c.str("name")
	desc, _ := c.str("description")
	if strings.ContainsRune(name+desc, 0) {
		return nil, nulInText()
	}
	if s, ok := c.str("name"); ok {
		cl.Name = s
	}
	if b, ok := c.boolean("isPublic"); ok {
		cl.IsPublic = b
	}
	cl.Description = nil
	if s, ok := c.str("description"); ok && s != "" {
		cl.Description = &s
	}
	return c.e.packClip(cl, c.me), nil
}

func handleClipsDelete(c *call) (any, *apiError) {
	id, _ := c.str("clipId")
	st := c.e.st
	cl := st.ownClip(id, c.me.ID)
	if cl == nil {
		return nil, errDeleteNoSuchClip
	}
	st.Clips = slices.DeleteFunc(st.Clips, func(x *Clip) bool { return x == cl })
	st.ClipNotes = slices.DeleteFunc(st.ClipNotes, func(x *ClipNote) bool { return x.ClipID == cl.ID })
	return nil, nil
}

func handleClipsList(c *call) (any, *apiError) {
	own := owned(c.e.st.Clips, func(cl *Clip) string { return cl.UserID }, c.me.ID)
	out := []any{}
	for _, cl := range paginate(c, own, func(x *Clip) string { return x.ID }) {
		out = append(out, c.e.packClip(cl, c.me))
	}
	return out, nil
}

// handleClipsShow: someone else's private clip is NO_SUCH_CLIP.
func handleClipsShow(c *call) (any, *apiError) {
	id, _ := c.str("clipId")
	cl := c.e.st.visibleClip(id, c.me)
	if cl == nil {
		return nil, errShowNoSuchClip
	}
	return c.e.packClip(cl, c.me), nil
}

// handleClipsAddNote is ClipService.addNote: the clip, the count limit,
// then the insert, whose unique key is ALREADY_CLIPPED and whose foreign
// key a missing note. Visibility is not checked.
func handleClipsAddNote(c *call) (any, *apiError) {
	st := c.e.st
	clipID, _ := c.str("clipId")
	noteID, _ := c.str("noteId")
	cl := st.ownClip(clipID, c.me.ID)
	if cl == nil {
		return nil, errAddNoSuchClip
	}
	count, already := 0, false
	for _, cn := range st.ClipNotes {
		if cn.ClipID == cl.ID {
			count++
			already = already || cn.NoteID == noteID
		}
	}
	if float64(count) >= c.me.policyNumber("noteEachClipsLimit") {
		return nil, errTooManyClipNotes
	}
	if already {
		return nil, errAlreadyClipped
	}
	n := st.note(noteID)
	if n == nil {
		return nil, errAddNoSuchNote
	}
	st.ClipNotes = append(st.ClipNotes, &ClipNote{ID: st.IDs.next(c.now), ClipID: cl.ID, NoteID: n.ID})
	now := c.now
	cl.LastClippedAt = &now
	n.ClippedCount++
	return nil, nil
}

// handleClipsRemoveNote: NO_SUCH_NOTE only for a note that does not
// exist; a note not in the clip is 204 and its clippedCount still drops.
func handleClipsRemoveNote(c *call) (any, *apiError) {
	st := c.e.st
	clipID, _ := c.str("clipId")
	noteID, _ := c.str("noteId")
	cl := st.ownClip(clipID, c.me.ID)
	if cl == nil {
		return nil, errRemoveNoSuchClip
	}
	n := st.note(noteID)
	if n == nil {
		return nil, errRemoveNoSuchNote
	}
	st.ClipNotes = slices.DeleteFunc(st.ClipNotes, func(x *ClipNote) bool { return x.ClipID == cl.ID && x.NoteID == n.ID })
	n.ClippedCount--
	return nil, nil
}

// handleClipsNotes: the clip's notes by note id (newest first), those the
// caller may not see left out, and those of users the caller mutes or who
// block the caller (mutedOrBlockedFor); someone else's private clip is
// NO_SUCH_CLIP.
func handleClipsNotes(c *call) (any, *apiError) {
	st := c.e.st
	clipID, _ := c.str("clipId")
	cl := st.visibleClip(clipID, c.me)
	if cl == nil {
		return nil, errClipNotesNoSuchClip
	}
	var notes []*Note
	for _, cn := range st.ClipNotes {
		if cn.ClipID != cl.ID {
			continue
		}
		if n := st.note(cn.NoteID); n != nil && c.e.canSee(n, c.me) && !st.mutedOrBlockedFor(n, c.me) {
			notes = append(notes, n)
		}
	}
	out := []any{}
	for _, n := range paginate(c, notes, func(x *Note) string { return x.ID }) {
		out = append(out, c.e.packNote(n, c.me, true))
	}
	return out, nil
}

// mutedOrBlockedFor is QueryService.generateMutedUserQueryForNotes and
// generateBlockedUserQueryForNotes for a note: its author, the author of
// the note it replies to or of the note it renotes, is muted by me or
// blocks me. clips/notes leaves such notes out (its notesCount does not).
func (s *state) mutedOrBlockedFor(n *Note, me *User) bool {
	if me == nil {
		return false
	}
	users := []string{n.UserID}
	for _, ref := range []*string{n.ReplyID, n.RenoteID} {
		if ref != nil {
			if r := s.note(*ref); r != nil {
				users = append(users, r.UserID)
			}
		}
	}
	for _, u := range users {
		if s.mutingOf(me.ID, u) != nil || s.blockingOf(u, me.ID) != nil {
			return true
		}
	}
	return false
}

// nulInText is the real server's answer to a NUL character (U+0000) in a
// clip's name or description (verified): PostgreSQL text cannot hold it.
func nulInText() *apiError {
	return internalError(`invalid byte sequence for encoding "UTF8": 0x00`, "QueryFailedError", newErrorID())
}
