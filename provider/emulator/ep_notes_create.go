package emulator

import (
	"slices"
	"time"
)

// notes/create — ep/notes/create.ts and core/NoteCreateService.ts: post a
// note; 300 an hour. Returns {createdNote}. The emulator has no channels,
// blocks, hashtags, mentions or custom emojis: a channelId is always
// NO_SUCH_CHANNEL, and the text is stored as is (no tags or @mentions
// extracted; the mentions a reply and a specified note imply are kept).
func init() { register("notes/create", perHour(300), handleNotesCreate) }

var (
	errNoSuchRenoteTarget       = clientError("NO_SUCH_RENOTE_TARGET", "b5c90186-4ab0-49c8-9bba-a1f76c282ba4", "No such renote target.")
	errCannotRenoteToPureRenote = clientError("CANNOT_RENOTE_TO_A_PURE_RENOTE", "fd4cc33e-2a37-48dd-99cc-9b806eb2031a", "You can not Renote a pure Renote.")
	errCannotRenoteVisibility   = clientError("CANNOT_RENOTE_DUE_TO_VISIBILITY", "be9529e9-fe72-4de0-ae43-0b363c4938af", "You can not Renote due to target visibility.")
	errNoSuchReplyTarget        = clientError("NO_SUCH_REPLY_TARGET", "749ee0f6-d3da-459a-bf02-282e2da4292c", "No such reply target.")
	errCannotReplyToInvisible   = clientError("CANNOT_REPLY_TO_AN_INVISIBLE_NOTE", "b98980fa-3780-406c-a935-b6d0eeee10d1", "You cannot reply to an invisible Note.")
	errCannotReplyToPureRenote  = clientError("CANNOT_REPLY_TO_A_PURE_RENOTE", "3ac74a84-8fd5-4bb0-870f-01804f82ce15", "You can not reply to a pure Renote.")
	errCannotReplyExtendedScope = clientError("CANNOT_REPLY_TO_SPECIFIED_VISIBILITY_NOTE_WITH_EXTENDED_VISIBILITY", "ed940410-535c-4d5e-bfa3-af798671e93c", "You cannot reply to a specified visibility note with extended visibility.")
	errCannotCreateExpiredPoll  = clientError("CANNOT_CREATE_ALREADY_EXPIRED_POLL", "04da457d-b083-4055-9082-955525eda5a5", "Poll is already expired.")
	errNoSuchChannel            = clientError("NO_SUCH_CHANNEL", "b1653923-5453-4edc-b786-7c4f39bb0bbb", "No such channel.")
	errNotesCreateNoSuchFile    = clientError("NO_SUCH_FILE", "b6992544-63e7-67f0-fa7f-32444b1b5306", "Some files are not found.")
)

func handleNotesCreate(c *call) (any, *apiError) {
	st := c.e.st
	n := &Note{UserID: c.me.ID, Visibility: "public"}
	if v, ok := c.str("visibility"); ok {
		n.Visibility = v
	}
	n.LocalOnly, _ = c.boolean("localOnly")
	n.ReactionAcceptance = c.optStr("reactionAcceptance")

	// Files must be the caller's own, all of them.
	fileIDs := c.strings("fileIds")
	if !c.has("fileIds") {
		fileIDs = c.strings("mediaIds")
	}
	for _, id := range fileIDs {
		if st.ownFile(id, c.me.ID) == nil {
			return nil, errNotesCreateNoSuchFile
		}
	}
	n.FileIDs = fileIDs

	var renote, reply *Note
	if id, ok := c.str("renoteId"); ok {
		if renote = st.note(id); renote == nil {
			return nil, errNoSuchRenoteTarget
		}
		if renote.isPureRenote() {
			return nil, errCannotRenoteToPureRenote
		}
		if renote.UserID != c.me.ID && (renote.Visibility == "followers" || renote.Visibility == "specified") {
			return nil, errCannotRenoteVisibility
		}
		n.RenoteID = &renote.ID
	}
	if id, ok := c.str("replyId"); ok {
		if reply = st.note(id); reply == nil {
			return nil, errNoSuchReplyTarget
		}
		if reply.isPureRenote() {
			return nil, errCannotReplyToPureRenote
		}
		if !c.e.canSee(reply, c.me) {
			return nil, errCannotReplyToInvisible
		}
		if reply.Visibility == "specified" && n.Visibility != "specified" {
			return nil, errCannotReplyExtendedScope
		}
		n.ReplyID = &reply.ID
	}
	if poll, ok := c.params["poll"].(map[string]any); ok {
		p := &NotePoll{}
		for _, ch := range poll["choices"].([]any) {
			p.Choices = append(p.Choices, ch.(string))
		}
		p.Multiple, _ = poll["multiple"].(bool)
		if at, ok := poll["expiresAt"].(float64); ok {
			t := time.UnixMilli(int64(at)).UTC()
			if t.Before(c.now) {
				return nil, errCannotCreateExpiredPoll
			}
			p.ExpiresAt = &t
		} else if after, ok := poll["expiredAfter"].(float64); ok {
			t := c.now.Add(time.Duration(after) * time.Millisecond)
			p.ExpiresAt = &t
		}
		n.Poll = p
	}
	if _, ok := c.str("channelId"); ok {
		return nil, errNoSuchChannel
	}

	// NoteCreateService: the text is trimmed and an empty one is null.
	if s, ok := c.str("text"); ok {
		if t := jsTrim(s); t != "" {
			n.Text = &t
		}
	}
	n.CW = c.optStr("cw")
	if n.Visibility == "specified" {
		// Unknown ids are dropped (usersRepository.findBy In(...)).
		for _, id := range c.strings("visibleUserIds") {
			if st.user(id) != nil && !slices.Contains(n.VisibleUserIDs, id) {
				n.VisibleUserIDs = append(n.VisibleUserIDs, id)
			}
		}
	}
	// NoteCreateService: the replied note's author is mentioned (unless
	// it is oneself), and a specified note mentions its visible users and
	// makes the replied note's author one of them.
	if reply != nil && reply.UserID != c.me.ID {
		n.Mentions = append(n.Mentions, reply.UserID)
	}
	if n.Visibility == "specified" {
		for _, id := range n.VisibleUserIDs {
			if !slices.Contains(n.Mentions, id) {
				n.Mentions = append(n.Mentions, id)
			}
		}
		if reply != nil && !slices.Contains(n.VisibleUserIDs, reply.UserID) {
			n.VisibleUserIDs = append(n.VisibleUserIDs, reply.UserID)
		}
	}
	adjustScope(n, c.me, renote, reply)

	n.ID = st.IDs.next(c.now)
	n.CreatedAt = c.now
	st.insertNote(n, c.me, c.now)
	packed := c.e.packNote(n, c.me, true)
	st.countTargets(n, c.me)
	return map[string]any{"createdNote": packed}, nil
}

// adjustScope is NoteCreateService's visibility rules: silenced users
// cannot post publicly, a renote or reply cannot be more public than its
// target, and renoting or replying to a local-only note is local-only.
func adjustScope(n *Note, me *User, renote, reply *Note) {
	if n.Visibility == "public" && !me.policyBool("canPublicNote") {
		n.Visibility = "home"
	}
	if renote != nil {
		if renote.Visibility == "home" && n.Visibility == "public" {
			n.Visibility = "home"
		}
		if renote.Visibility == "followers" {
			n.Visibility = "followers"
		}
		if renote.LocalOnly {
			n.LocalOnly = true
		}
	}
	if reply != nil {
		if reply.Visibility != "public" && n.Visibility == "public" {
			n.Visibility = "home"
		}
		if reply.LocalOnly {
			n.LocalOnly = true
		}
	}
}
