package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// Blocks, mutes and renote mutes: blocking/list, mute/list and
// renote-mute/list, 100 a page (the default is 30), each a reader of its
// own in stage 2, only when the account manages the kind. The rows carry
// the other user packed, so the declared accounts that are already
// blocked or muted need no users/show.

// relationList is where each kind is listed, what to call it, the blocks
// that declare it and the Live field it fills.
var relationList = map[string]struct {
	endpoint, what string
	declared       func(*schema.Account) []*schema.UserRelation
	live           func(*planner.Live) *[]planner.LiveRelation
}{
	planner.TypeBlock: {"blocking/list", "blocks",
		func(a *schema.Account) []*schema.UserRelation { return a.Blocks },
		func(l *planner.Live) *[]planner.LiveRelation { return &l.Blocks }},
	planner.TypeMute: {"mute/list", "mutes",
		func(a *schema.Account) []*schema.UserRelation { return a.Mutes },
		func(l *planner.Live) *[]planner.LiveRelation { return &l.Mutes }},
	planner.TypeRenoteMute: {"renote-mute/list", "renote mutes",
		func(a *schema.Account) []*schema.UserRelation { return a.RenoteMutes },
		func(l *planner.Live) *[]planner.LiveRelation { return &l.RenoteMutes }},
}

func readBlocks(ctx context.Context, r *reading) (func(*planner.Live), error) {
	return readRelations(ctx, r, planner.TypeBlock)
}

func readMutes(ctx context.Context, r *reading) (func(*planner.Live), error) {
	return readRelations(ctx, r, planner.TypeMute)
}

func readRenoteMutes(ctx context.Context, r *reading) (func(*planner.Live), error) {
	return readRelations(ctx, r, planner.TypeRenoteMute)
}

// relationRow is a Blocking, Muting or RenoteMuting.
type relationRow struct {
	ID        string   `json:"id"`
	ExpiresAt *string  `json:"expiresAt"` // mutes only; ISO 8601 or null
	BlockeeID string   `json:"blockeeId"`
	Blockee   *apiUser `json:"blockee"`
	MuteeID   string   `json:"muteeId"`
	Mutee     *apiUser `json:"mutee"`
}

func readRelations(ctx context.Context, r *reading, kind string) (func(*planner.Live), error) {
	if !r.manages(kind) {
		return nil, nil
	}
	l := relationList[kind]
	rows, err := readPages(ctx, r, l.endpoint, nil, func(x *relationRow) string { return x.ID })
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", l.what, err)
	}
	out := make([]planner.LiveRelation, 0, len(rows))
	for _, row := range rows {
		u, id := row.Blockee, row.BlockeeID
		if kind != planner.TypeBlock {
			u, id = row.Mutee, row.MuteeID
		}
		if u == nil || u.Username == "" {
			continue // a user Misskey could not pack (being deleted)
		}
		lr := planner.LiveRelation{UserID: u.ID, Acct: u.acct()}
		if lr.UserID == "" {
			lr.UserID = id
		}
		if row.ExpiresAt != nil && *row.ExpiresAt != "" {
			t, err := time.Parse(time.RFC3339Nano, *row.ExpiresAt)
			if err != nil {
				return nil, fmt.Errorf("reading %s: expiresAt %q: %w", l.what, *row.ExpiresAt, err)
			}
			lr.ExpiresAt = &t
		}
		out = append(out, lr)
	}
	declared := l.declared(r.acct)
	return func(live *planner.Live) {
		*l.live(live) = out
		// The declared accounts found here are resolved: no users/show.
		byAcct := make(map[string]string, len(out))
		for _, lr := range out {
			byAcct[acctFold(lr.Acct)] = lr.UserID
		}
		for _, u := range declared {
			if id, ok := byAcct[acctFold(u.Acct)]; ok {
				live.Users[u.Acct] = id
			}
		}
	}, nil
}
