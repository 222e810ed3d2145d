package emulator

// The webhook cases (API-NOTES §12), sent to both servers like confCases.
func init() {
	confCases = append(confCases, confCase{name: "webhooks", users: "a b", policies: map[string]map[string]any{"a": {"webhookLimit": 3}}, steps: []step{
		{as: "a", ep: "i/webhooks/list"},
		{as: "a", ep: "i/webhooks/create", body: obj{"name": "ci", "url": "https://hooks.example/misskey", "secret": "s3cret", "on": []any{"note", "follow", "followed"}}, save: "w1"},
		// url is not validated, on may be empty and keeps duplicates, secret defaults to "".
		{as: "a", ep: "i/webhooks/create", body: obj{"name": "odd", "url": "not a url", "on": []any{}}, save: "w2"},
		{as: "a", ep: "i/webhooks/create", body: obj{"name": "dup", "url": "https://hooks.example/d", "on": []any{"reaction", "reaction"}}},
		{as: "a", ep: "i/webhooks/create", body: obj{"name": "four", "url": "https://hooks.example/4", "on": []any{"note"}}},
		{as: "a", ep: "i/webhooks/create", body: obj{"name": "bad", "url": "https://hooks.example/x", "on": []any{"notification"}}},
		{as: "a", ep: "i/webhooks/create", body: obj{"name": "", "url": "https://hooks.example/x", "on": []any{}}},
		{as: "a", ep: "i/webhooks/create", body: obj{"name": "nourl", "on": []any{}}},
		{as: "a", ep: "i/webhooks/list", unordered: true},
		{as: "a", ep: "i/webhooks/show", body: obj{"webhookId": "$w1.id"}},
		{as: "b", ep: "i/webhooks/show", body: obj{"webhookId": "$w1.id"}},
		{as: "a", ep: "i/webhooks/show", body: obj{"webhookId": "0000000000"}},
		{as: "a", ep: "i/webhooks/update", body: obj{"webhookId": "$w1.id", "active": false, "on": []any{"mention"}}},
		{as: "a", ep: "i/webhooks/update", body: obj{"webhookId": "$w1.id", "secret": nil}},
		{as: "a", ep: "i/webhooks/update", body: obj{"webhookId": "$w1.id"}},
		{as: "b", ep: "i/webhooks/update", body: obj{"webhookId": "$w1.id", "name": "x"}},
		{as: "a", ep: "i/webhooks/update", body: obj{"webhookId": "$w2.id", "name": "renamed", "url": "https://hooks.example/r", "secret": "new"}},
		// No ORDER BY: after several updates the heap order is PostgreSQL's
		// business (the emulator moves an updated row to the end).
		{as: "a", ep: "i/webhooks/list", unordered: true},
		{as: "a", ep: "i/webhooks/show", body: obj{"webhookId": "$w1.id"}},
		{as: "b", ep: "i/webhooks/delete", body: obj{"webhookId": "$w1.id"}},
		{as: "a", ep: "i/webhooks/delete", body: obj{"webhookId": "$w1.id"}},
		{as: "a", ep: "i/webhooks/delete", body: obj{"webhookId": "$w1.id"}},
		{as: "a", ep: "i/webhooks/create", body: obj{"name": "again", "url": "https://hooks.example/a", "on": []any{"reply", "renote", "mention", "unfollow"}}},
		{as: "a", ep: "i/webhooks/list", unordered: true},
	}})
}
