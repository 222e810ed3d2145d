package emulator

import (
	"slices"
	"time"
)

// Note is a note row (models/Note.ts) with the columns the emulator uses.
// The emulator hands out copies (NotesOf).
type Note struct {
	ID                 string    `json:"id"`
	CreatedAt          time.Time `json:"createdAt"`
	UserID             string    `json:"userId"`
	Text               *string   `json:"text"`
	CW                 *string   `json:"cw"`
	Visibility         string    `json:"visibility"` // public, home, followers, specified
	VisibleUserIDs     []string  `json:"visibleUserIds"`
	LocalOnly          bool      `json:"localOnly"`
	ReactionAcceptance *string   `json:"reactionAcceptance"`
	ReplyID            *string   `json:"replyId"`
	RenoteID           *string   `json:"renoteId"`
	FileIDs            []string  `json:"fileIds"`
	Poll               *NotePoll `json:"poll"`
	// Mentions are the mentioned users' ids: the author of the replied
	// note and, for a specified note, its visible users (the emulator
	// extracts no @mentions from the text).
	Mentions     []string `json:"mentions,omitempty"`
	RepliesCount int      `json:"repliesCount"`
	RenoteCount  int      `json:"renoteCount"`
	// ClippedCount is the note's clippedCount column: clips/add-note and
	// clips/remove-note change it, the latter even for a note not in the
	// clip (it can go below 0, API-NOTES §14).
	ClippedCount int `json:"clippedCount,omitempty"`
}

// NotePoll is a note's poll (the poll table).
type NotePoll struct {
	Choices   []string   `json:"choices"`
	Multiple  bool       `json:"multiple"`
	ExpiresAt *time.Time `json:"expiresAt"`
}

// NotePin is a user_note_pining row. Its id is made when the note is
// pinned, so ordering pins by id is ordering them by pin time.
type NotePin struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	UserID    string    `json:"userId"`
	NoteID    string    `json:"noteId"`
}

func (n *Note) snapshot() *Note {
	c := *n
	c.VisibleUserIDs = slices.Clone(n.VisibleUserIDs)
	c.FileIDs = slices.Clone(n.FileIDs)
	if n.Poll != nil {
		p := *n.Poll
		p.Choices = slices.Clone(n.Poll.Choices)
		c.Poll = &p
	}
	return &c
}

// isPureRenote is misc/is-renote.ts isRenote && !isQuote: a renote with
// nothing of its own.
func (n *Note) isPureRenote() bool {
	return n.RenoteID != nil && n.ReplyID == nil && n.Text == nil && n.CW == nil && len(n.FileIDs) == 0 && n.Poll == nil
}

func (s *state) note(id string) *Note {
	for _, n := range s.Notes {
		if n.ID == id {
			return n
		}
	}
	return nil
}

// ownNote is `notesRepository.findOneBy({id, userId})`.
func (s *state) ownNote(id, userID string) *Note {
	if n := s.note(id); n != nil && n.UserID == userID {
		return n
	}
	return nil
}

// pinsOf lists a user's pins most recently pinned first: UserEntityService
// orders them by pin.id DESC.
func (s *state) pinsOf(userID string) []*NotePin {
	var out []*NotePin
	for _, p := range s.Pins {
		if p.UserID == userID {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *NotePin) int { return -compareIDs(a.ID, b.ID) })
	return out
}

// insertNote stores a new note like NoteCreateService: it bumps the
// author's notesCount (which also sets updatedAt, as incNotesCountOfUser
// does). The counters of the replied and renoted notes follow with
// countTargets.
func (s *state) insertNote(n *Note, author *User, now time.Time) {
	s.Notes = append(s.Notes, n)
	author.NotesCount++
	author.UpdatedAt = &now
}

// countTargets is NoteCreateService's saveReply and incRenoteCount: the
// replied note's repliesCount always, the renoted note's renoteCount only
// when someone else renotes or quotes it and is not a bot. notes/create
// runs it after packing its answer, because the server does not await
// these updates: the answer shows the targets' counts from before.
func (s *state) countTargets(n *Note, author *User) {
	if n.ReplyID != nil {
		if r := s.note(*n.ReplyID); r != nil {
			r.RepliesCount++
		}
	}
	if n.RenoteID != nil {
		if r := s.note(*n.RenoteID); r != nil && r.UserID != author.ID && !author.IsBot {
			r.RenoteCount++
		}
	}
}

// deleteNote removes a note like NoteDeleteService plus the database's
// ON DELETE CASCADE: the note, its pins, and the replies and renotes of it
// (recursively, with their pins). NoteDeleteService decrements only the
// replied note's repliesCount: the author's notesCount and the renoted
// note's renoteCount stay as they were (checked against a real server).
func (s *state) deleteNote(n *Note) {
	if n.ReplyID != nil {
		if r := s.note(*n.ReplyID); r != nil {
			r.RepliesCount = max(r.RepliesCount-1, 0)
		}
	}
	gone := map[string]bool{n.ID: true}
	for changed := true; changed; {
		changed = false
		for _, x := range s.Notes {
			if gone[x.ID] {
				continue
			}
			if (x.ReplyID != nil && gone[*x.ReplyID]) || (x.RenoteID != nil && gone[*x.RenoteID]) {
				gone[x.ID] = true
				changed = true
			}
		}
	}
	s.Notes = slices.DeleteFunc(s.Notes, func(x *Note) bool { return gone[x.ID] })
	s.Pins = slices.DeleteFunc(s.Pins, func(p *NotePin) bool { return gone[p.NoteID] })
	s.ClipNotes = slices.DeleteFunc(s.ClipNotes, func(c *ClipNote) bool { return gone[c.NoteID] })
}

// canSee is NoteEntityService's visibility check (shouldHideNote inverted)
// for the visibilities the emulator models.
func (e *Emulator) canSee(n *Note, me *User) bool {
	switch n.Visibility {
	case "public", "home":
		return true
	}
	if me == nil {
		return false
	}
	if me.ID == n.UserID {
		return true
	}
	if n.Visibility == "specified" {
		return slices.Contains(n.VisibleUserIDs, me.ID)
	}
	// followers: a reply to me, or I follow the author.
	if n.ReplyID != nil {
		if r := e.st.note(*n.ReplyID); r != nil && r.UserID == me.ID {
			return true
		}
	}
	return e.st.followingOf(me.ID, n.UserID) != nil
}

// packNote is NoteEntityService.pack: the fields sample 08 shows, the
// optional ones only when they apply, and with detail the reply, renote,
// poll and clippedCount. A note the viewer may not see is packed hidden
// (hideNote), not refused.
func (e *Emulator) packNote(n *Note, me *User, detail bool) map[string]any {
	author := e.st.user(n.UserID)
	files := []any{}
	for _, id := range n.FileIDs {
		if f := e.st.driveFile(id); f != nil {
			files = append(files, e.packDriveFile(f, fileView{withUserID: true, public: true}))
		}
	}
	m := map[string]any{
		"id":                 n.ID,
		"createdAt":          jsDate(n.CreatedAt),
		"userId":             n.UserID,
		"user":               e.packLite(author),
		"text":               optString(n.Text),
		"cw":                 optString(n.CW),
		"visibility":         n.Visibility,
		"localOnly":          n.LocalOnly,
		"reactionAcceptance": optString(n.ReactionAcceptance),
		"renoteCount":        n.RenoteCount,
		"repliesCount":       n.RepliesCount,
		"reactionCount":      0,
		"reactions":          map[string]any{},
		"reactionEmojis":     map[string]any{},
		"fileIds":            stringList(n.FileIDs),
		"files":              files,
		"replyId":            optString(n.ReplyID),
		"renoteId":           optString(n.RenoteID),
	}
	if n.Visibility == "specified" {
		m["visibleUserIds"] = stringList(n.VisibleUserIDs)
	}
	if len(n.Mentions) > 0 {
		m["mentions"] = stringList(n.Mentions)
	}
	if n.Poll != nil {
		m["hasPoll"] = true
	}
	if detail {
		m["clippedCount"] = n.ClippedCount
		if n.ReplyID != nil {
			if r := e.st.note(*n.ReplyID); r != nil {
				m["reply"] = e.packNote(r, me, false)
			}
		}
		if n.RenoteID != nil {
			if r := e.st.note(*n.RenoteID); r != nil {
				m["renote"] = e.packNote(r, me, true)
			}
		}
		if n.Poll != nil {
			m["poll"] = packPoll(n.Poll)
		}
	}
	if !e.canSee(n, me) {
		delete(m, "visibleUserIds")
		delete(m, "poll")
		m["fileIds"], m["files"] = []any{}, []any{}
		m["text"], m["cw"] = nil, nil
		m["isHidden"] = true
	}
	return m
}

func packPoll(p *NotePoll) map[string]any {
	choices := make([]any, 0, len(p.Choices))
	for _, c := range p.Choices {
		choices = append(choices, map[string]any{"text": c, "votes": 0, "isVoted": false})
	}
	return map[string]any{"multiple": p.Multiple, "expiresAt": optDate(p.ExpiresAt), "choices": choices}
}

// stringList encodes a nil slice as [] rather than null.
func stringList(s []string) []any {
	out := make([]any, 0, len(s))
	for _, x := range s {
		out = append(out, x)
	}
	return out
}
