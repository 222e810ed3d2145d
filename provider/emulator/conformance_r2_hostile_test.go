package emulator

import "strings"

// Hostile inputs for clips and scheduled drafts, sent to both servers:
// how Misskey counts a clip name and description (100 and 2048: code
// points, so astral characters count 1), that it keeps white space and
// line breaks in them, and scheduledAt at the edges (year 9999, past what
// a JavaScript Date holds), empty text with files, cw without text,
// "specified" drafts keeping their recipients.
func init() {
	astral := func(n int) string { return strings.Repeat("😀", n) }
	confCases = append(confCases,
		confCase{name: "clips-hostile", users: "a", steps: []step{
			{as: "a", ep: "clips/create", body: obj{"name": astral(100), "description": astral(2048)}, save: "c1"},
			{as: "a", ep: "clips/create", body: obj{"name": astral(101)}},
			{as: "a", ep: "clips/create", body: obj{"name": "x", "description": astral(2049)}},
			{as: "a", ep: "clips/create", body: obj{"name": " a \"quoted\"\nname\r\n ", "description": "  spaced\r\n  "}, save: "c2"},
			{as: "a", ep: "clips/create", body: obj{"name": "   "}},
			{as: "a", ep: "clips/create", body: obj{"name": "nul\u0000name"}},
			{as: "a", ep: "clips/create", body: obj{"name": "nul in description", "description": "a\u0000b"}},
			{as: "a", ep: "clips/update", body: obj{"clipId": "$c2.id", "name": astral(100), "description": astral(2048)}},
			{as: "a", ep: "clips/list"},
			{as: "a", ep: "clips/delete", body: obj{"clipId": "$c1.id"}},
			{as: "a", ep: "clips/delete", body: obj{"clipId": "$c2.id"}},
		}},
		// The caller blocks the author (the other way round from
		// clips-muted), a direct note to the caller, the caller's own
		// followers-only note.
		confCase{name: "clips-blocking", users: "a b", steps: []step{
			{as: "b", ep: "notes/create", body: obj{"text": "by b"}, save: "nb"},
			{as: "b", ep: "notes/create", body: obj{"text": "b to a", "visibility": "specified", "visibleUserIds": []any{"$a.id"}}, save: "ns"},
			{as: "a", ep: "notes/create", body: obj{"text": "a followers", "visibility": "followers"}, save: "na"},
			{as: "a", ep: "clips/create", body: obj{"name": "c"}, save: "cl"},
			{as: "a", ep: "clips/add-note", body: obj{"clipId": "$cl.id", "noteId": "$nb.createdNote.id"}},
			{as: "a", ep: "clips/add-note", body: obj{"clipId": "$cl.id", "noteId": "$ns.createdNote.id"}},
			{as: "a", ep: "clips/add-note", body: obj{"clipId": "$cl.id", "noteId": "$na.createdNote.id"}},
			{as: "a", ep: "clips/notes", body: obj{"clipId": "$cl.id"}},
			{as: "a", ep: "blocking/create", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "clips/notes", body: obj{"clipId": "$cl.id"}},
			{as: "a", ep: "clips/show", body: obj{"clipId": "$cl.id"}},
			{as: "a", ep: "notes/show", body: obj{"noteId": "$nb.createdNote.id"}},
		}},
		confCase{name: "note-drafts-hostile", users: "a b", steps: []step{
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "far", "scheduledAt": 253402300799999, "isActuallyScheduled": true}, save: "d1"},
			{as: "a", ep: "notes/drafts/delete", body: obj{"draftId": "$d1.createdDraft.id"}},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "too far", "scheduledAt": 8640000000000001, "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "max", "scheduledAt": 8640000000000000, "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/list"},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "neg", "scheduledAt": -8640000000000001}},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "zero", "scheduledAt": 0, "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "zero plain", "scheduledAt": 0}, save: "dz"},
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$dz.createdDraft.id", "scheduledAt": 8640000000000001}},
			{as: "a", ep: "notes/drafts/list"},
			{as: "a", ep: "notes/drafts/delete", body: obj{"draftId": "$dz.createdDraft.id"}},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": astral(3000)}, save: "d2"},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": astral(3001)}},
			{as: "a", ep: "notes/drafts/create", body: obj{"cw": "only a cw"}, save: "d3"},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": " \r\n x \r\n ", "visibility": "specified", "visibleUserIds": []any{"$b.id"}}, save: "d4"},
			{as: "a", ep: "notes/drafts/list"},
			{as: "a", ep: "notes/drafts/delete", body: obj{"draftId": "$d2.createdDraft.id"}},
			{as: "a", ep: "notes/drafts/delete", body: obj{"draftId": "$d3.createdDraft.id"}},
			{as: "a", ep: "notes/drafts/delete", body: obj{"draftId": "$d4.createdDraft.id"}},
		}},
	)
}
