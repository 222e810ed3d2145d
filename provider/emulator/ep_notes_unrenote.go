package emulator

import "time"

// notes/unrenote — ep/notes/unrenote.ts: delete every note of the caller
// whose renoteId is the given note (quotes included: the query is
// findBy({userId, renoteId})); 204. kind write:notes; 300 an hour and at
// least a second apart, in its own bucket. mkctl calls it only as its
// write:notes permission probe (provider/probe.go), without a noteId.
func init() {
	register("notes/unrenote", &RateLimit{Duration: time.Hour, Max: 300, MinInterval: time.Second}, handleNotesUnrenote)
}

var errUnrenoteNoSuchNote = clientError("NO_SUCH_NOTE", "efd4a259-2442-496b-8dd7-b255aa1a160f", "No such note.")

func handleNotesUnrenote(c *call) (any, *apiError) {
	id, _ := c.str("noteId")
	target := c.e.st.note(id) // GetterService.getNote: any note, whoever may see it
	if target == nil {
		return nil, errUnrenoteNoSuchNote
	}
	var renotes []*Note
	for _, n := range c.e.st.Notes {
		if n.UserID == c.me.ID && n.RenoteID != nil && *n.RenoteID == target.ID {
			renotes = append(renotes, n)
		}
	}
	for _, n := range renotes {
		if c.e.st.note(n.ID) != nil { // an earlier deletion may have cascaded to it
			c.e.st.deleteNote(n)
		}
	}
	return nil, nil
}
