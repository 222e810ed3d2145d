package emulator

import "time"

// The clip cases (API-NOTES §14), sent to both servers like confCases:
// each endpoint's success and errors (the ids differ per endpoint), the
// limits clipLimit and noteEachClipsLimit, and the traps — clips/update
// clears a description it is not sent, add-note takes a note the caller
// cannot see which clips/notes then hides while notesCount counts it,
// remove-note of a note not in the clip is 204 and drops clippedCount.
// ClipService changes clippedCount without awaiting it: the steps that
// read it wait a second first.
func init() {
	confCases = append(confCases, confCase{name: "clips", users: "a b", policies: map[string]map[string]any{"a": {"clipLimit": 2, "noteEachClipsLimit": 3}}, steps: []step{
		{as: "a", ep: "notes/create", body: obj{"text": "clip me"}, save: "n1"},
		{as: "a", ep: "notes/create", body: obj{"text": "clip me too", "visibility": "home"}, save: "n2"},
		{as: "b", ep: "notes/create", body: obj{"text": "only b", "visibility": "specified", "visibleUserIds": []any{}}, save: "n3"},
		{as: "b", ep: "notes/create", body: obj{"text": "b's public note"}, save: "n4"},
		{as: "a", ep: "clips/list"},
		{as: "a", ep: "clips/create", body: obj{"name": "reading", "description": "to read later", "isPublic": false}, save: "c1"},
		{as: "a", ep: "clips/create", body: obj{"name": "second", "description": ""}, save: "c2"},
		{as: "a", ep: "clips/create", body: obj{"name": "third"}},
		{as: "a", ep: "clips/create", body: obj{"name": ""}},
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$c1.id", "noteId": "$n1.createdNote.id"}},
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$c1.id", "noteId": "$n1.createdNote.id"}},
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$c1.id", "noteId": "0000000000"}},
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "0000000000", "noteId": "$n1.createdNote.id"}},
		{as: "b", ep: "clips/add-note", body: obj{"clipId": "$c1.id", "noteId": "$n4.createdNote.id"}},
		// A note a may not see: accepted.
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$c1.id", "noteId": "$n3.createdNote.id"}},
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$c1.id", "noteId": "$n2.createdNote.id"}},
		// At noteEachClipsLimit: the limit is checked before the note and the duplicate.
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$c1.id", "noteId": "$n4.createdNote.id"}},
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$c1.id", "noteId": "$n1.createdNote.id"}},
		{as: "a", ep: "clips/notes", body: obj{"clipId": "$c1.id"}},
		{as: "a", ep: "clips/notes", body: obj{"clipId": "$c1.id", "limit": 1}, save: "p1"},
		{as: "a", ep: "clips/notes", body: obj{"clipId": "$c1.id", "limit": 1, "untilId": "$p1.0.id"}},
		{as: "a", ep: "clips/notes", body: obj{"clipId": "0000000000"}},
		{as: "a", ep: "clips/list"},
		{as: "a", ep: "clips/list", body: obj{"limit": 1}, save: "l1"},
		{as: "a", ep: "clips/list", body: obj{"limit": 1, "untilId": "$l1.0.id"}},
		{as: "a", ep: "clips/show", body: obj{"clipId": "$c1.id"}},
		{as: "a", ep: "clips/show", body: obj{"clipId": "0000000000"}},
		{as: "b", ep: "clips/show", body: obj{"clipId": "$c1.id"}},
		{as: "b", ep: "clips/notes", body: obj{"clipId": "$c1.id"}},
		// Only the name: the description is cleared (sample 87).
		{as: "a", ep: "clips/update", body: obj{"clipId": "$c1.id", "name": "reading list"}},
		{as: "a", ep: "clips/update", body: obj{"clipId": "$c1.id", "description": "back", "isPublic": true}},
		{as: "a", ep: "clips/update", body: obj{"clipId": "$c1.id", "description": "", "isPublic": true}},
		{as: "a", ep: "clips/update", body: obj{"clipId": "$c1.id", "description": "back again"}},
		{as: "a", ep: "clips/update", body: obj{"clipId": "0000000000", "name": "x"}},
		{as: "b", ep: "clips/update", body: obj{"clipId": "$c1.id", "name": "x"}},
		// Public now: b sees it (without notesCount) and its notes, n3 (b's own) included.
		{as: "b", ep: "clips/show", body: obj{"clipId": "$c1.id"}},
		{as: "b", ep: "clips/notes", body: obj{"clipId": "$c1.id"}},
		// A note that is not in the clip: 204, and its clippedCount drops below 0.
		{as: "a", ep: "clips/remove-note", body: obj{"clipId": "$c1.id", "noteId": "$n4.createdNote.id"}},
		{as: "a", ep: "notes/show", wait: time.Second, body: obj{"noteId": "$n4.createdNote.id"}},
		{as: "a", ep: "clips/remove-note", body: obj{"clipId": "$c1.id", "noteId": "0000000000"}},
		{as: "a", ep: "clips/remove-note", body: obj{"clipId": "0000000000", "noteId": "$n1.createdNote.id"}},
		{as: "b", ep: "clips/remove-note", body: obj{"clipId": "$c1.id", "noteId": "$n1.createdNote.id"}},
		{as: "a", ep: "clips/remove-note", body: obj{"clipId": "$c1.id", "noteId": "$n1.createdNote.id"}},
		{as: "a", ep: "notes/show", wait: time.Second, body: obj{"noteId": "$n1.createdNote.id"}},
		{as: "a", ep: "notes/show", wait: time.Second, body: obj{"noteId": "$n2.createdNote.id"}},
		// A deleted note leaves its clips.
		{as: "a", ep: "notes/delete", body: obj{"noteId": "$n2.createdNote.id"}},
		{as: "a", ep: "clips/notes", body: obj{"clipId": "$c1.id"}},
		{as: "a", ep: "clips/show", body: obj{"clipId": "$c1.id"}},
		{as: "b", ep: "clips/delete", body: obj{"clipId": "$c1.id"}},
		{as: "a", ep: "clips/delete", body: obj{"clipId": "$c1.id"}},
		{as: "a", ep: "clips/delete", body: obj{"clipId": "$c1.id"}},
		{as: "a", ep: "clips/show", body: obj{"clipId": "$c1.id"}},
		{as: "a", ep: "clips/create", body: obj{"name": "third", "isPublic": true}},
		{as: "a", ep: "clips/list"},
	}})
}

// clips/notes also leaves out the notes of users the caller mutes and of
// users who block the caller, replies and renotes of theirs too (QueryService),
// while notesCount counts them; add-note of such a note already in the clip
// is ALREADY_CLIPPED, and remove-note takes it out.
func init() {
	confCases = append(confCases, confCase{name: "clips-muted", users: "a b c d", steps: []step{
		{as: "b", ep: "notes/create", body: obj{"text": "by b"}, save: "nb"},
		{as: "c", ep: "notes/create", body: obj{"text": "by c"}, save: "nc"},
		{as: "d", ep: "notes/create", body: obj{"text": "d replies to b", "replyId": "$nb.createdNote.id"}, save: "nd"},
		{as: "a", ep: "clips/create", body: obj{"name": "mixed"}, save: "cl"},
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$cl.id", "noteId": "$nb.createdNote.id"}},
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$cl.id", "noteId": "$nc.createdNote.id"}},
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$cl.id", "noteId": "$nd.createdNote.id"}},
		{as: "a", ep: "clips/notes", body: obj{"clipId": "$cl.id"}},
		{as: "a", ep: "mute/create", body: obj{"userId": "$b.id"}},
		{as: "a", ep: "clips/notes", body: obj{"clipId": "$cl.id"}},
		{as: "a", ep: "clips/show", body: obj{"clipId": "$cl.id"}},
		{as: "c", ep: "blocking/create", body: obj{"userId": "$a.id"}},
		{as: "a", ep: "clips/notes", body: obj{"clipId": "$cl.id"}},
		{as: "a", ep: "clips/add-note", body: obj{"clipId": "$cl.id", "noteId": "$nb.createdNote.id"}},
		{as: "a", ep: "clips/remove-note", body: obj{"clipId": "$cl.id", "noteId": "$nb.createdNote.id"}},
		{as: "a", ep: "clips/show", body: obj{"clipId": "$cl.id"}},
		{as: "a", ep: "mute/delete", body: obj{"userId": "$b.id"}},
		{as: "a", ep: "clips/notes", body: obj{"clipId": "$cl.id"}},
	}})
}
