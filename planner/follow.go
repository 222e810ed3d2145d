package planner

import (
	"fmt"
	"strconv"
	"strings"
)

// followKey is the record key of a follow. Usernames and hosts are
// case-insensitive in Misskey, so the key is lower-cased.
func followKey(acct string) string { return "follow[" + strconv.Quote(strings.ToLower(acct)) + "]" }

func notifyValue(b bool) string {
	if b {
		return "normal"
	}
	return "none"
}

// planFollows matches follows by the followed account. A follow to a locked
// or remote account is a request until accepted: it is shown as pending and
// never sent twice.
func (p *planState) planFollows() (ups, dels []*Change) {
	// Maps sized up front: at 100,000 follows growing them was a tenth
	// of a plan's CPU.
	live := make(map[string]LiveFollow, len(p.live.Follows))
	liveByID := make(map[string]LiveFollow, len(p.live.Follows))
	for _, f := range p.live.Follows {
		live[strings.ToLower(f.Acct)] = f
		liveByID[f.UserID] = f
	}
	// An account may be stored under another acct than the one written
	// (WebFinger aliases, split domains): once resolved, match by user id.
	declaredIDs := make(map[string]bool, len(p.acct.Follows))
	declared := make(map[string]bool, len(p.acct.Follows))
	var pending []string
	for _, want := range p.acct.Follows {
		folded := strings.ToLower(want.Acct)
		declared[folded] = true
		key := followKey(want.Acct)
		p.protect(key, want.Lifecycle)
		have, ok := live[folded]
		if !ok {
			if id, resolved := p.live.Users[want.Acct]; resolved {
				have, ok = liveByID[id]
			}
		}
		if ok {
			declaredIDs[have.UserID] = true
		}
		if !ok {
			id, resolved := p.userID(want.Acct)
			if !resolved {
				subject := want.AcctRange
				if subject.Filename == "" {
					subject = want.DeclRange
				}
				p.unresolved(subject, want.Acct, "follow")
				continue
			}
			c := &Change{Address: p.address(key), Type: TypeFollow, Action: ActionCreate, Key: key, ID: id,
				After: map[string]any{"userId": id},
				Attrs: []AttrChange{{Name: "account", After: want.Acct}}}
			if want.WithReplies != nil {
				c.After["withReplies"] = *want.WithReplies
				c.Attrs = append(c.Attrs, AttrChange{Name: "with_replies", After: *want.WithReplies})
			}
			if want.Notify != nil {
				c.After["notify"] = notifyValue(*want.Notify)
				c.Attrs = append(c.Attrs, AttrChange{Name: "notify", After: *want.Notify})
			}
			ups = append(ups, c)
			continue
		}
		p.adopt(key, have.UserID, nil)
		if have.Pending {
			// Settings can be changed only once the request is accepted.
			pending = append(pending, want.Acct)
			continue
		}
		after := map[string]any{}
		var attrs []AttrChange
		if want.WithReplies != nil && *want.WithReplies != have.WithReplies {
			after["withReplies"] = *want.WithReplies
			attrs = append(attrs, AttrChange{Name: "with_replies", Before: have.WithReplies, After: *want.WithReplies})
		}
		if want.Notify != nil && *want.Notify != have.Notify {
			after["notify"] = notifyValue(*want.Notify)
			attrs = append(attrs, AttrChange{Name: "notify", Before: have.Notify, After: *want.Notify})
		}
		if len(attrs) > 0 {
			after["userId"] = have.UserID
			ups = append(ups, &Change{Address: p.address(key), Type: TypeFollow, Action: ActionUpdate, Key: key, ID: have.UserID, After: after, Attrs: attrs})
		}
	}
	if len(pending) > 0 {
		p.note("%d follow request(s) pending, waiting for the other side to accept: %s.", len(pending), sample(pending, 5))
	}

	unmanaged := 0
	for _, f := range p.live.Follows {
		if declared[strings.ToLower(f.Acct)] || declaredIDs[f.UserID] {
			continue
		}
		key := followKey(f.Acct)
		if !p.owned(key, f.UserID) && !p.purged("follows") {
			unmanaged++
			continue
		}
		c := &Change{Address: p.address(key), Type: TypeFollow, Action: ActionDelete, Key: key, ID: f.UserID, Pending: f.Pending,
			Attrs: []AttrChange{{Name: "account", Before: f.Acct}}}
		if f.Pending {
			c.Reason = "cancels the pending follow request"
		}
		dels = append(dels, c)
	}
	unmanaged += p.live.UnlistedFollows
	if unmanaged > 0 {
		p.note("%d follow(s) not managed by this configuration (left alone).", unmanaged)
	}
	return ups, dels
}

// sample lists at most n items, then how many more there are.
func sample(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
