package emulator

// users/notes — ep/users/notes.ts: a user's notes, newest first, paginated
// by note id or date like every timeline. No credential needed. mkctl uses
// it to find a pinned note whose notes/create reply was lost. Replies are
// left out unless withReplies; renotes are in unless withRenotes is false;
// channel notes only with withChannelNotes; withFiles keeps notes with files.
// Visibility: the caller sees public and home notes, and followers-only ones
// of accounts they follow or their own.
func init() { register("users/notes", nil, handleUsersNotes) }

var (
	errUsersNotesNoSuchUser   = clientError("NO_SUCH_USER", "27e494ba-2ac2-48e8-893b-10d4d8c2387b", "No such user.")
	errUsersNotesRepliesFiles = clientError("BOTH_WITH_REPLIES_AND_WITH_FILES", "91c8cb9f-36ed-46e7-9ca2-7df96ed6e222", "Specifying both withReplies and withFiles is not supported")
)

func handleUsersNotes(c *call) (any, *apiError) {
	st := c.e.st
	id, _ := c.str("userId")
	u := st.user(id)
	if u == nil {
		return nil, errUsersNotesNoSuchUser
	}
	// The validator has applied the spec's defaults (withRenotes: true).
	withReplies, _ := c.boolean("withReplies")
	withRenotes, _ := c.boolean("withRenotes")
	withFiles, _ := c.boolean("withFiles")
	if withReplies && withFiles {
		return nil, errUsersNotesRepliesFiles
	}
	isMe := c.me != nil && c.me.ID == u.ID
	var rows []*Note
	for _, n := range st.Notes {
		if n.UserID != u.ID {
			continue
		}
		if n.ReplyID != nil && !withReplies || n.RenoteID != nil && !withRenotes || withFiles && len(n.FileIDs) == 0 {
			continue
		}
		switch n.Visibility {
		case "specified":
			if !isMe {
				continue
			}
		case "followers":
			if !isMe && (c.me == nil || st.followingOf(c.me.ID, u.ID) == nil) {
				continue
			}
		}
		rows = append(rows, n)
	}
	out := []any{}
	for _, n := range paginate(c, rows, func(n *Note) string { return n.ID }) {
		out = append(out, c.e.packNote(n, c.me, false))
	}
	return out, nil
}
