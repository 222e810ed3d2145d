package emulator

import "time"

// The note draft cases (API-NOTES §15), sent to both servers like
// confCases. Each case has fresh users, so it starts with no drafts: the
// default scheduledNoteLimit of 1 is what the limit steps meet. "$now+N"
// is epoch ms N from when the step is sent.
func init() {
	confCases = append(confCases,
		confCase{name: "note-drafts", users: "a b", steps: []step{
			{as: "a", ep: "notes/drafts/list"},
			{as: "a", ep: "notes/drafts/count"},
			// A time in the past, then one scheduled, then a second one.
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "too late", "scheduledAt": "$now-60000", "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "posted later", "visibility": "home", "scheduledAt": "$now+3600000", "isActuallyScheduled": true}, save: "d1"},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "another", "scheduledAt": "$now+7200000", "isActuallyScheduled": true}},
			// The count limit comes before the scheduledAt checks.
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "no time", "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "long ago", "scheduledAt": "$now-60000", "isActuallyScheduled": true}},
			// A past time without isActuallyScheduled: a plain draft.
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "just a draft", "scheduledAt": "$now-60000"}, save: "d2"},
			// The whole draft, as mkctl sends it: stays scheduled.
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d1.createdDraft.id", "text": "edited", "cw": "spoiler", "visibility": "followers",
				"localOnly": true, "reactionAcceptance": "likeOnly", "fileIds": []any{}, "scheduledAt": "$now+5400000", "isActuallyScheduled": true}},
			// Fields not sent are kept; scheduledAt is not.
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d1.createdDraft.id", "visibility": "home", "scheduledAt": "$now+5400000", "isActuallyScheduled": true}},
			// The trap: text only unschedules the draft, which still counts.
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d1.createdDraft.id", "text": "edited again"}},
			{as: "a", ep: "notes/drafts/list"},
			{as: "a", ep: "notes/drafts/list", body: obj{"scheduled": true}},
			{as: "a", ep: "notes/drafts/list", body: obj{"scheduled": false}},
			{as: "a", ep: "notes/drafts/list", body: obj{"limit": 1}},
			{as: "a", ep: "notes/drafts/count"},
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d2.createdDraft.id", "scheduledAt": "$now+3600000", "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d1.createdDraft.id", "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d1.createdDraft.id", "scheduledAt": "$now-60000", "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d1.createdDraft.id", "scheduledAt": "$now+3600000", "isActuallyScheduled": true}},
			{as: "b", ep: "notes/drafts/delete", body: obj{"draftId": "$d1.createdDraft.id"}},
			{as: "b", ep: "notes/drafts/update", body: obj{"draftId": "$d1.createdDraft.id", "text": "x"}},
			{as: "b", ep: "notes/drafts/list"},
			{as: "a", ep: "notes/drafts/delete", body: obj{"draftId": "$d1.createdDraft.id"}},
			{as: "a", ep: "notes/drafts/delete", body: obj{"draftId": "$d1.createdDraft.id"}},
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d1.createdDraft.id", "text": "gone"}},
			{as: "a", ep: "notes/drafts/count"},
			// A draft a few seconds ahead is posted: a new note, the draft gone.
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "scheduled 2 s ahead", "scheduledAt": "$now+2000", "isActuallyScheduled": true}, save: "d3"},
			{as: "a", ep: "notes/drafts/list", body: obj{"scheduled": true}},
			{as: "a", ep: "notes/drafts/list", wait: 8 * time.Second},
			{as: "a", ep: "notes/drafts/count"},
			{as: "a", ep: "users/notes", body: obj{"userId": "$a.id"}},
			{as: "a", ep: "notes/drafts/delete", body: obj{"draftId": "$d3.createdDraft.id"}},
		}},
		// Files: the caller's own only, packed in the draft; a file deleted
		// later stays in fileIds. Text is stored as sent (not trimmed).
		confCase{name: "note-drafts-files", users: "a b", steps: []step{
			uploadStep("a", file("tree.png", pngGreen), obj{"name": "tree.png"}, "f"),
			uploadStep("b", file("bob.png", pngRed), obj{"name": "bob.png"}, "bf"),
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "  with a file  ", "fileIds": []any{"$f.id"}, "scheduledAt": "$now+3600000", "isActuallyScheduled": true}, save: "d"},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "bob's file", "fileIds": []any{"$bf.id"}}},
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d.createdDraft.id", "fileIds": []any{"$bf.id"}, "scheduledAt": "$now+3600000", "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d.createdDraft.id", "fileIds": []any{}, "scheduledAt": "$now+3600000", "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d.createdDraft.id", "fileIds": []any{"$f.id"}, "scheduledAt": "$now+3600000", "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/list"},
			{as: "a", ep: "notes/drafts/delete", body: obj{"draftId": "$d.createdDraft.id"}},
		}},
		confCase{name: "note-drafts-limit", policies: map[string]map[string]any{"a": {"noteDraftLimit": 1}}, steps: []step{
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "one"}, save: "d"},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "two"}},
			{as: "a", ep: "notes/drafts/create", body: obj{"text": "two", "scheduledAt": "$now+3600000", "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/update", body: obj{"draftId": "$d.createdDraft.id", "text": "one", "scheduledAt": "$now+3600000", "isActuallyScheduled": true}},
			{as: "a", ep: "notes/drafts/count"},
		}},
	)
}
