package emulator

import "strings"

// Profile settings (API-NOTES §11 "The other fields"): each field set,
// read back with `i`, and cleared; the errors i/update answers for them.
func init() { confCases = append(confCases, profileSettingsCases()...) }

func profileSettingsCases() []confCase {
	return []confCase{
		{name: "i/update/settings/booleans", users: "a", steps: []step{
			{as: "a", ep: "i/update", body: obj{"autoSensitive": true, "alwaysMarkNsfw": true, "injectFeaturedNote": false, "receiveAnnouncementEmail": false}},
			{as: "a", ep: "i"},
			{as: "a", ep: "i/update", body: obj{"autoSensitive": false, "alwaysMarkNsfw": false, "injectFeaturedNote": true, "receiveAnnouncementEmail": true}},
			{as: "a", ep: "i"},
		}},
		// When the role forces alwaysMarkNsfw, any value is refused, even
		// the forced one.
		{name: "i/update/settings/nsfw-role", users: "a", policies: map[string]map[string]any{"a": {"alwaysMarkNsfw": true}}, steps: []step{
			{as: "a", ep: "i/update", body: obj{"alwaysMarkNsfw": false}},
			{as: "a", ep: "i/update", body: obj{"alwaysMarkNsfw": true}},
			{as: "a", ep: "i/update", body: obj{"autoSensitive": true}},
			{as: "a", ep: "i"},
		}},
		{name: "i/update/settings/words", users: "a", steps: []step{
			{as: "a", ep: "i/update", body: obj{"mutedWords": []any{"cat"}}},
			{as: "a", ep: "i/update", body: obj{"mutedWords": []any{"/(?<=a)b/"}}},
			{as: "a", ep: "i/update", body: obj{"hardMutedWords": []any{`/(a)\1/`}}},
			// Each field has its own 200-character budget.
			{as: "a", ep: "i/update", body: obj{"mutedWords": []any{[]any{strings.Repeat("m", 100)}}, "hardMutedWords": []any{[]any{strings.Repeat("h", 150)}}}},
			{as: "a", ep: "i/update", body: obj{"mutedWords": []any{[]any{strings.Repeat("m", 150)}, "/" + strings.Repeat("n", 49) + "/"}}},
			{as: "a", ep: "i/update", body: obj{"mutedWords": []any{[]any{strings.Repeat("m", 150)}, "/" + strings.Repeat("n", 50) + "/"}}},
			{as: "a", ep: "i/update", body: obj{"mutedWords": []any{[]any{"a", "b"}, "/c+/im"}, "hardMutedWords": []any{[]any{"ñ"}}}},
			{as: "a", ep: "i"},
			{as: "a", ep: "i/update", body: obj{"mutedWords": []any{}, "hardMutedWords": []any{}}},
			{as: "a", ep: "i"},
		}},
		{name: "i/update/settings/lists", users: "a", steps: []step{
			{as: "a", ep: "i/update", body: obj{"mutedInstances": []any{"Example.COM", "example.com", "xn--bcher-kva.example"}, "emailNotificationTypes": []any{"nonsense", "mention"}}},
			{as: "a", ep: "i"},
			{as: "a", ep: "i/update", body: obj{"mutedInstances": []any{}, "emailNotificationTypes": []any{"follow", "receiveFollowRequest"}}},
			{as: "a", ep: "i"},
		}},
		// notificationRecieveConfig is replaced, not merged.
		{name: "i/update/settings/notifications", users: "a", steps: []step{
			{as: "a", ep: "users/lists/create", body: obj{"name": "friends"}, save: "l"},
			{as: "a", ep: "i/update", body: obj{"notificationRecieveConfig": obj{"follow": obj{"type": "following"}, "reply": obj{"type": "list", "userListId": "$l.id"}}}},
			{as: "a", ep: "i"},
			{as: "a", ep: "i/update", body: obj{"notificationRecieveConfig": obj{"mention": obj{"type": "never"}}}},
			{as: "a", ep: "i"},
			{as: "a", ep: "i/update", body: obj{"notificationRecieveConfig": obj{}}},
			{as: "a", ep: "i"},
		}},
		// The key is absent from `i` when the value is null.
		{name: "i/update/settings/make-notes-before", users: "a", steps: []step{
			{as: "a", ep: "i/update", body: obj{"makeNotesFollowersOnlyBefore": -2592000, "makeNotesHiddenBefore": 1700000000}},
			{as: "a", ep: "i"},
			{as: "a", ep: "i/update", body: obj{"makeNotesFollowersOnlyBefore": nil, "makeNotesHiddenBefore": nil}},
			{as: "a", ep: "i"},
		}},
	}
}
