package emulator

import "slices"

// i/unpin — ep/i/unpin.ts, NotePiningService.removePinned: NO_SUCH_NOTE
// only when the note is not yours; unpinning a note that is not pinned
// succeeds. The real server does not await the delete before answering,
// so its answer may still list the note; the emulator's never does.
func init() { register("i/unpin", nil, handleIUnpin) }

var errUnpinNoSuchNote = clientError("NO_SUCH_NOTE", "454170ce-9d63-4a43-9da1-ea10afe81e21", "No such note.")

func handleIUnpin(c *call) (any, *apiError) {
	id, _ := c.str("noteId")
	n := c.e.st.ownNote(id, c.me.ID)
	if n == nil {
		return nil, errUnpinNoSuchNote
	}
	c.e.st.Pins = slices.DeleteFunc(c.e.st.Pins, func(p *NotePin) bool { return p.UserID == c.me.ID && p.NoteID == n.ID })
	return c.e.packDetailed(c.me, packOpts{me: c.me}), nil
}
