package emulator

// users/notes — ep/users/notes.ts: a user's notes, newest first, paginated
// by note id or date like every timeline. No credential needed. mkctl uses
// it to find a pinned note whose notes/create reply was lost. Replies to
// other users are left out unless withReplies (a reply to oneself is in the
// user's timeline, misc/is-reply.ts); renotes are in unless withRenotes is false;
// channel notes only with withChannelNotes; withFiles keeps notes with files.
// Visibility: the caller sees public and home notes, and followers-only ones
// of accounts they follow or their own. An unknown userId is an empty
// timeline, not an error: the endpoint never looks the user up. Notes are
// packed with detail, as packMany does by default.
func init() { register("users/notes", nil, handleUsersNotes) }

var (
	errUsersNotesRepliesFiles = clientError("BOTH_WITH_REPLIES_AND_WITH_FILES", "91c8cb9f-36ed-46e7-9ca2-7df96ed6e222", "Specifying both withReplies and withFiles is not supported")
)

func handleUsersNotes(c *call) (any, *apiError) {
	st := c.e.st
	id, _ := c.str("userId")
	// The validator has applied the spec's defaults (withRenotes: true).
	withReplies, _ := c.boolean("withReplies")
	withRenotes, _ := c.boolean("withRenotes")
	withFiles, _ := c.boolean("withFiles")
	if withReplies && withFiles {
		return nil, errUsersNotesRepliesFiles
	}
	isMe := c.me != nil && c.me.ID == id
	var rows []*Note
	for _, n := range st.Notes {
		if n.UserID != id {
			continue
		}
		if st.isReplyToOther(n) && !withReplies || n.RenoteID != nil && !withRenotes || withFiles && len(n.FileIDs) == 0 {
			continue
		}
		switch n.Visibility {
		case "specified":
			if !isMe {
				continue
			}
		case "followers":
			if !isMe && (c.me == nil || st.followingOf(c.me.ID, id) == nil) {
				continue
			}
		}
		rows = append(rows, n)
	}
	out := []any{}
	for _, n := range paginate(c, rows, func(n *Note) string { return n.ID }) {
		out = append(out, c.e.packNote(n, c.me, true))
	}
	return out, nil
}

// isReplyToOther is misc/is-reply.ts isReply without a viewer: a reply
// whose target is someone else's note (a deleted target counts as other).
func (s *state) isReplyToOther(n *Note) bool {
	if n.ReplyID == nil {
		return false
	}
	r := s.note(*n.ReplyID)
	return r == nil || r.UserID != n.UserID
}
