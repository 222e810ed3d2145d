package planner

import (
	"slices"

	"github.com/mkctl/mkctl/schema"
)

// TypeWebhook is the change type of a webhook (Key webhook.NAME):
//
//	create   i/webhooks/create {name, url, secret, on}; then, when After["active"] is false,
//	         i/webhooks/update {webhookId, active: false} (new webhooks are active).
//	update   i/webhooks/update {webhookId: ID} + After (only the changed fields; 204, no body).
//	delete   i/webhooks/delete {webhookId: ID}.
//
// The secret is always a sensitive attribute: Misskey returns it in clear,
// so the plan compares it but shows (sensitive), and saved plans do not
// hold it (Change.Sensitive lists "secret").
const TypeWebhook = "webhook"

// LiveWebhook is a webhook as i/webhooks/list returns it.
type LiveWebhook struct {
	ID     string
	Name   string
	URL    string
	Secret string
	On     []string
	Active bool
}

func webhookKey(name string) string { return "webhook." + name }

// planWebhooks matches webhooks by name and changes them in place.
func (p *planState) planWebhooks() (ups, dels []*Change) {
	byName := groupBy(p.live.Webhooks, func(w LiveWebhook) string { return w.Name })
	declared := map[string]bool{}
	for _, want := range p.acct.Webhooks {
		declared[want.Name] = true
		key := webhookKey(want.Name)
		p.protect(key, want.Lifecycle)
		if slices.Contains(want.On, schema.WebhookEventNeverSent) {
			p.note("%s: Misskey accepts the event %q but never delivers it (no code of Misskey 2026.5.4 sends it).", key, schema.WebhookEventNeverSent)
		}
		on := toAny(want.On)
		matches := byName[want.Name]
		if len(matches) > 1 {
			p.errorf(want.DeclRange, "Ambiguous webhook",
				"The account has %d webhooks named %q; mkctl cannot tell which one this block means. Hint: rename or delete the extra ones in Misskey, then plan again.",
				len(matches), want.Name)
			continue
		}
		if len(matches) == 0 {
			after := map[string]any{"name": want.Name, "url": want.URL, "secret": want.Secret, "on": on}
			attrs := []AttrChange{{Name: "url", After: want.URL}}
			if want.Secret != "" {
				attrs = append(attrs, AttrChange{Name: "secret", After: want.Secret, Sensitive: true})
			}
			attrs = append(attrs, AttrChange{Name: "on", After: on})
			if !want.Active {
				after["active"] = false
				attrs = append(attrs, AttrChange{Name: "active", After: false})
			}
			ups = append(ups, &Change{Address: p.address(key), Type: TypeWebhook, Action: ActionCreate, Key: key, After: after, Attrs: attrs, Sensitive: []string{"secret"}})
			continue
		}
		live := matches[0]
		p.adopt(key, live.ID, nil)
		after := map[string]any{}
		var attrs []AttrChange
		if live.URL != want.URL {
			after["url"] = want.URL
			attrs = append(attrs, AttrChange{Name: "url", Before: live.URL, After: want.URL})
		}
		if live.Secret != want.Secret {
			after["secret"] = want.Secret
			attrs = append(attrs, AttrChange{Name: "secret", Before: live.Secret, After: want.Secret, Sensitive: true})
		}
		if !sameEvents(live.On, want.On) {
			after["on"] = on
			attrs = append(attrs, AttrChange{Name: "on", Before: toAny(live.On), After: on})
		}
		if live.Active != want.Active {
			after["active"] = want.Active
			attrs = append(attrs, AttrChange{Name: "active", Before: live.Active, After: want.Active})
		}
		if len(attrs) == 0 {
			continue
		}
		ch := &Change{Address: p.address(key), Type: TypeWebhook, Action: ActionUpdate, Key: key, ID: live.ID, After: after, Attrs: attrs}
		if _, ok := after["secret"]; ok {
			ch.Sensitive = []string{"secret"}
		}
		ups = append(ups, ch)
	}

	unmanaged := 0
	for _, w := range p.live.Webhooks {
		if declared[w.Name] {
			continue
		}
		key := webhookKey(w.Name)
		if !p.owned(key, w.ID) && !p.purged("webhooks") {
			unmanaged++
			continue
		}
		dels = append(dels, &Change{Address: p.address(key), Type: TypeWebhook, Action: ActionDelete, Key: key, ID: w.ID,
			Attrs: []AttrChange{{Name: "url", Before: w.URL}, {Name: "on", Before: toAny(w.On)}}})
	}
	if unmanaged > 0 {
		p.note("%d webhook(s) not managed by this configuration (left alone).", unmanaged)
	}
	p.overLimit(countLimit{"webhookLimit", 3, "webhooks", "webhooks"}, declRanges(p.acct.Webhooks), unmanaged)
	return ups, dels
}

// sameEvents compares two event lists as sets: Misskey keeps the order it
// is sent, which means nothing.
func sameEvents(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y)) && len(a) == len(b)
}
