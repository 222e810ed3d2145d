package planner

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mkctl/mkctl/schema"
)

// Blocks, mutes and renote mutes (issue 13). Each is keyed by the other
// account, like a follow: block["@a@b.example"], mute["@a"],
// renote_mute["@a"]; Change.ID is that account's user id.
//
//	create  blocking/create, mute/create (expiresAt in epoch ms when set), renote-mute/create
//	update  a mute whose expiry changes: mute/delete then mute/create (Misskey has no mute/update)
//	delete  blocking/delete, mute/delete, renote-mute/delete
const (
	TypeBlock      = "block"
	TypeMute       = "mute"
	TypeRenoteMute = "renote_mute"
)

// LiveRelation is a block, mute or renote mute the account has.
type LiveRelation struct {
	UserID string
	Acct   string // normalised as schema.UserRelation.Acct
	// ExpiresAt is a mute's end; nil when indefinite (and for the other kinds).
	ExpiresAt *time.Time
}

// relationKey is the record key of a block, mute or renote mute.
func relationKey(kind, acct string) string {
	return kind + "[" + strconv.Quote(strings.ToLower(acct)) + "]"
}

var relationPurge = map[string]string{TypeBlock: "blocks", TypeMute: "mutes", TypeRenoteMute: "renote_mutes"}

func relationLive(live *Live, kind string) []LiveRelation {
	switch kind {
	case TypeBlock:
		return live.Blocks
	case TypeMute:
		return live.Mutes
	}
	return live.RenoteMutes
}

func relationDeclared(acct *schema.Account, kind string) []*schema.UserRelation {
	switch kind {
	case TypeBlock:
		return acct.Blocks
	case TypeMute:
		return acct.Mutes
	}
	return acct.RenoteMutes
}

// expiresParam is a mute's expiresAt as mute/create takes it: epoch
// milliseconds (API-NOTES §13: seconds would be a time in 1970, and
// Misskey answers that with success and mutes nobody).
func expiresParam(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func expiresText(t *time.Time) any {
	if t == nil {
		return "(never)"
	}
	return t.UTC().Format(time.RFC3339)
}

func sameExpiry(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.UnixMilli() == b.UnixMilli()
}

// planRelations diffs one kind.
func (p *planState) planRelations(kind string) (ups, dels []*Change) {
	liveRows := relationLive(p.live, kind)
	live := make(map[string]LiveRelation, len(liveRows))
	liveByID := make(map[string]LiveRelation, len(liveRows))
	for _, r := range liveRows {
		live[strings.ToLower(r.Acct)] = r
		liveByID[r.UserID] = r
	}
	declared := relationDeclared(p.acct, kind)
	declaredIDs := make(map[string]bool, len(declared))
	var newBlocks []string
	for _, want := range declared {
		key := relationKey(kind, want.Acct)
		p.protect(key, want.Lifecycle)
		have, ok := live[strings.ToLower(want.Acct)]
		if !ok {
			if id, resolved := p.live.Users[want.Acct]; resolved {
				have, ok = liveByID[id]
			}
		}
		if ok {
			declaredIDs[have.UserID] = true
			p.adopt(key, have.UserID, nil)
			if kind == TypeMute && !sameExpiry(want.ExpiresAt, have.ExpiresAt) {
				ups = append(ups, &Change{Address: p.address(key), Type: kind, Action: ActionUpdate, Key: key, ID: have.UserID,
					After:  map[string]any{"userId": have.UserID, "expiresAt": expiresParam(want.ExpiresAt)},
					Attrs:  []AttrChange{{Name: "expires_at", Before: expiresText(have.ExpiresAt), After: expiresText(want.ExpiresAt)}},
					Reason: "Misskey cannot change a mute's expiry: mkctl unmutes and mutes again"})
			}
			continue
		}
		id, resolved := p.userID(want.Acct)
		if !resolved {
			subject := want.AcctRange
			if subject.Filename == "" {
				subject = want.DeclRange
			}
			p.unresolved(subject, want.Acct, kind)
			continue
		}
		declaredIDs[id] = true
		c := &Change{Address: p.address(key), Type: kind, Action: ActionCreate, Key: key, ID: id,
			After: map[string]any{"userId": id},
			Attrs: []AttrChange{{Name: "account", After: want.Acct}}}
		if kind == TypeMute && want.ExpiresAt != nil {
			c.After["expiresAt"] = expiresParam(want.ExpiresAt)
			c.Attrs = append(c.Attrs, AttrChange{Name: "expires_at", After: expiresText(want.ExpiresAt)})
		}
		if kind == TypeBlock {
			newBlocks = append(newBlocks, want.Acct)
		}
		ups = append(ups, c)
	}
	if len(newBlocks) > 0 {
		p.blockNote(newBlocks)
	}

	unmanaged := 0
	for _, r := range liveRows {
		if declaredIDs[r.UserID] {
			continue
		}
		key := relationKey(kind, r.Acct)
		if !p.owned(key, r.UserID) && !p.purged(relationPurge[kind]) {
			unmanaged++
			continue
		}
		dels = append(dels, &Change{Address: p.address(key), Type: kind, Action: ActionDelete, Key: key, ID: r.UserID,
			Attrs: []AttrChange{{Name: "account", Before: r.Acct}}})
	}
	if unmanaged > 0 {
		noun := map[string]string{TypeBlock: "block(s)", TypeMute: "mute(s)", TypeRenoteMute: "renote mute(s)"}[kind]
		p.note("%d %s not managed by this configuration (left alone).", unmanaged, noun)
	}
	return ups, dels
}

// blockNote says in words what the new blocks do to follows: Misskey
// removes the follow both ways and the pending requests both ways, and
// unblocking restores none of it (API-NOTES §13).
func (p *planState) blockNote(accts []string) {
	var followed []string
	for _, a := range accts {
		if id, ok := p.userID(a); ok {
			for _, f := range p.live.Follows {
				if f.UserID == id {
					followed = append(followed, a)
					break
				}
			}
		}
	}
	msg := fmt.Sprintf("Blocking %s also ends, both ways, the follows and follow requests between this account and them (they stop following it, it stops following them) and removes this account from their lists; unblocking later restores none of it.", sample(accts, 5))
	if len(followed) > 0 {
		msg += fmt.Sprintf(" This account follows %d of them now: %s.", len(followed), sample(followed, 5))
	}
	p.note("%s", msg)
}
