package emulator

import "time"

// notes/delete — ep/notes/delete.ts: delete one of your notes; 204. 300
// an hour, and at least a second apart. The emulator has no moderators, so
// another user's note is always ACCESS_DENIED.
func init() {
	register("notes/delete", &RateLimit{Duration: time.Hour, Max: 300, MinInterval: time.Second}, handleNotesDelete)
}

var (
	errNotesDeleteNoSuchNote   = clientError("NO_SUCH_NOTE", "490be23f-8c1f-4796-819f-94cb4f9d1630", "No such note.")
	errNotesDeleteAccessDenied = clientError("ACCESS_DENIED", "fe8d7103-0ea8-4ec3-814d-f8b401dc69e9", "Access denied.")
)

func handleNotesDelete(c *call) (any, *apiError) {
	id, _ := c.str("noteId")
	n := c.e.st.note(id)
	if n == nil {
		return nil, errNotesDeleteNoSuchNote
	}
	if n.UserID != c.me.ID {
		return nil, errNotesDeleteAccessDenied
	}
	c.e.st.deleteNote(n)
	return nil, nil
}
