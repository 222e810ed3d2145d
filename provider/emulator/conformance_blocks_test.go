package emulator

import "time"

// Conformance cases for blocks, mutes and renote mutes (API-NOTES §13):
// each endpoint's success, its errors, list shapes and paging, mute
// expiresAt in milliseconds, seconds and the past, and what a block does
// to follows both ways, to follow requests and to the blockee's lists.
func init() {
	confCases = append(confCases,
		confCase{name: "blocking", users: "a b c", steps: []step{
			{as: "a", ep: "following/create", body: obj{"userId": "$b.id"}},
			{as: "b", ep: "following/create", body: obj{"userId": "$a.id"}},
			{as: "b", ep: "users/lists/create", body: obj{"name": "l"}, save: "bl"},
			{as: "b", ep: "users/lists/push", body: obj{"listId": "$bl.id", "userId": "$a.id"}},
			{as: "a", ep: "users/lists/create", body: obj{"name": "l"}, save: "al"},
			{as: "a", ep: "users/lists/push", body: obj{"listId": "$al.id", "userId": "$b.id"}},
			{as: "a", ep: "blocking/create", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "blocking/create", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "blocking/create", body: obj{"userId": "$a.id"}},
			{as: "a", ep: "blocking/create", body: obj{"userId": "0000000000"}},
			{as: "a", ep: "users/show", body: obj{"userId": "$b.id"}},
			{as: "b", ep: "users/show", body: obj{"userId": "$a.id"}},
			{as: "b", ep: "users/lists/show", body: obj{"listId": "$bl.id"}},
			{as: "a", ep: "users/lists/show", body: obj{"listId": "$al.id"}},
			{as: "a", ep: "following/create", body: obj{"userId": "$b.id"}},
			{as: "b", ep: "following/create", body: obj{"userId": "$a.id"}},
			{as: "a", ep: "blocking/create", body: obj{"userId": "$c.id"}},
			{as: "a", ep: "blocking/list"},
			{as: "a", ep: "blocking/list", body: obj{"limit": 1}, save: "p1"},
			{as: "a", ep: "blocking/list", body: obj{"limit": 1, "untilId": "$p1.0.id"}},
			{as: "a", ep: "blocking/list", body: obj{"limit": 0}},
			{as: "b", ep: "blocking/list"},
			{as: "a", ep: "blocking/delete", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "blocking/delete", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "blocking/delete", body: obj{"userId": "$a.id"}},
			{as: "a", ep: "blocking/delete", body: obj{"userId": "0000000000"}},
			{as: "a", ep: "users/show", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "blocking/list"},
		}},
		confCase{name: "mute", users: "a b c d", steps: []step{
			// Epoch seconds and a past time: 204, nobody muted.
			{as: "a", ep: "mute/create", body: obj{"userId": "$b.id", "expiresAt": 1798761600}},
			{as: "a", ep: "mute/create", body: obj{"userId": "$b.id", "expiresAt": 1000}},
			{as: "a", ep: "mute/list"},
			{as: "a", ep: "mute/create", body: obj{"userId": "$b.id", "expiresAt": 4102444800000}},
			{as: "a", ep: "mute/create", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "mute/create", body: obj{"userId": "$c.id", "expiresAt": nil}},
			{as: "a", ep: "mute/create", body: obj{"userId": "$d.id"}},
			{as: "a", ep: "mute/create", body: obj{"userId": "$a.id"}},
			{as: "a", ep: "mute/create", body: obj{"userId": "0000000000"}},
			{as: "a", ep: "mute/list"},
			{as: "a", ep: "mute/list", body: obj{"limit": 2}, save: "p1"},
			{as: "a", ep: "mute/list", body: obj{"limit": 2, "untilId": "$p1.1.id"}},
			{as: "a", ep: "mute/list", body: obj{"limit": 0}},
			{as: "a", ep: "users/show", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "mute/delete", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "mute/delete", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "mute/delete", body: obj{"userId": "$a.id"}},
			{as: "a", ep: "mute/delete", body: obj{"userId": "0000000000"}},
			{as: "a", ep: "mute/list"},
		}},
		// An expired mute stays listed, and mute/create answers
		// ALREADY_MUTING, until the 5-minute job removes it; mute/delete
		// then mute/create with a new end works meanwhile (mkctl's way of
		// changing an expiry). The mute ends 1.5 s after it is sent (time
		// enough for a loaded server to make it: an end already past
		// when Misskey handles the call mutes nobody), and is listed
		// 0.1 s after, so that the job (on the minutes divisible by 5)
		// runs in between about once in 2,000 runs; the emulator's side
		// of the expiry and of the job is TestMuteExpiryKeptUntilSweep.
		confCase{name: "mute-expired", users: "a b", steps: []step{
			{as: "a", ep: "mute/create", body: obj{"userId": "$b.id", "expiresAt": "$now+1500"}},
			{as: "a", ep: "mute/list", wait: 1600 * time.Millisecond},
			{as: "a", ep: "mute/create", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "users/show", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "mute/delete", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "mute/create", body: obj{"userId": "$b.id", "expiresAt": "$now+3600000"}},
			{as: "a", ep: "mute/list"},
		}},
		confCase{name: "renote-mute", users: "a b c", steps: []step{
			{as: "a", ep: "renote-mute/create", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "renote-mute/create", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "renote-mute/create", body: obj{"userId": "$c.id"}},
			{as: "a", ep: "renote-mute/create", body: obj{"userId": "$a.id"}},
			{as: "a", ep: "renote-mute/create", body: obj{"userId": "0000000000"}},
			{as: "a", ep: "renote-mute/list"},
			{as: "a", ep: "renote-mute/list", body: obj{"limit": 1}, save: "p1"},
			{as: "a", ep: "renote-mute/list", body: obj{"limit": 1, "untilId": "$p1.0.id"}},
			{as: "a", ep: "users/show", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "renote-mute/delete", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "renote-mute/delete", body: obj{"userId": "$b.id"}},
			{as: "a", ep: "renote-mute/delete", body: obj{"userId": "$a.id"}},
			{as: "a", ep: "renote-mute/delete", body: obj{"userId": "0000000000"}},
			{as: "a", ep: "renote-mute/list"},
		}},
	)
}
