package emulator

// notes/show — ep/notes/show.ts: one note, detailed; no credential needed.
// A note the caller may not see comes back hidden, not refused; a deleted
// one is NO_SUCH_NOTE (sample 15).
func init() { register("notes/show", nil, handleNotesShow) }

var (
	errNotesShowNoSuchNote     = clientError("NO_SUCH_NOTE", "24fcbfc6-2e37-42b6-8388-c29b3861a08d", "No such note.")
	errContentRestrictedByUser = clientError("CONTENT_RESTRICTED_BY_USER", "fbcc002d-37d9-4944-a6b0-d9e29f2d33ab", "Content restricted by user. Please sign in to view.")
)

func handleNotesShow(c *call) (any, *apiError) {
	id, _ := c.str("noteId")
	n := c.e.st.note(id)
	if n == nil {
		return nil, errNotesShowNoSuchNote
	}
	if author := c.e.st.user(n.UserID); author != nil && author.RequireSigninToViewContents && c.me == nil {
		return nil, errContentRestrictedByUser
	}
	return c.e.packNote(n, c.me, true), nil
}
