package planner

import (
	"reflect"
	"sort"
	"strings"

	"github.com/mkctl/mkctl/schema"
)

// diffProfile compares the written profile attributes with the live `i`
// object. Only attributes written in the configuration are compared, so an
// attribute the user does not manage is never touched.
func diffProfile(acct *schema.Account, live *Live) *Change {
	if acct.Profile == nil {
		return nil
	}
	localHost := hostOf(acct.Host)
	var attrs []AttrChange
	for _, f := range schema.ProfileFields {
		want, ok := acct.Profile.Attrs[f.Name]
		if !ok {
			continue
		}
		have, present := live.Profile[f.API]
		if !present {
			have = f.LiveDefault
		}
		if f.Kind == schema.KindNotifConfig {
			have = notifConfigByName(have, live)
		}
		before := canonical(f, have, localHost)
		after := canonical(f, want.Value, localHost)
		if !reflect.DeepEqual(before, after) {
			attrs = append(attrs, AttrChange{Name: f.Name, Before: before, After: after})
		}
	}
	if len(attrs) == 0 {
		return nil
	}
	return &Change{
		Address: acct.Address() + ".profile",
		Type:    "profile",
		Action:  ActionUpdate,
		Attrs:   attrs,
	}
}

// canonical puts a value into the one form both sides are compared in:
// Misskey answers [] or null for "no items" and keeps only name/value of a
// profile field, and a local account may be written without its host.
func canonical(f schema.ProfileField, v any, localHost string) any {
	switch f.Kind {
	case schema.KindFields:
		items, _ := v.([]any)
		out := make([]any, 0, len(items))
		for _, it := range items {
			m, _ := it.(map[string]any)
			out = append(out, map[string]any{"name": m["name"], "value": m["value"]})
		}
		return out
	case schema.KindAccts:
		items, _ := v.([]any)
		out := make([]string, 0, len(items))
		for _, it := range items {
			s, _ := it.(string)
			out = append(out, normalizeAcct(s, localHost))
		}
		sort.Strings(out)
		res := make([]any, len(out))
		for i, s := range out {
			res[i] = s
		}
		return res
	case schema.KindMuteWords:
		// Kept as sent, order included; `i` answers [] when there are none.
		if items, ok := v.([]any); ok {
			return items
		}
		return []any{}
	case schema.KindHosts, schema.KindEnumSet:
		// Misskey keeps the list as sent; mkctl manages it as a set.
		items, _ := v.([]any)
		out := make([]string, 0, len(items))
		for _, it := range items {
			s, _ := it.(string)
			out = append(out, s)
		}
		sort.Strings(out)
		res := make([]any, len(out))
		for i, s := range out {
			res[i] = s
		}
		return res
	}
	return v
}

// normalizeAcct turns "user", "@user", "user@host" and "@user@HOST" into
// "@user@host", using the account's own instance for local users.
func normalizeAcct(s, localHost string) string {
	s = strings.TrimPrefix(s, "@")
	user, host, found := strings.Cut(s, "@")
	if !found || host == "" {
		host = localHost
	}
	// Misskey matches usernames without case; compare them folded so a
	// spelling difference is not a perpetual change.
	return "@" + strings.ToLower(user) + "@" + strings.ToLower(host)
}

// hostOf strips the scheme from a base URL: "https://Misskey.example" → "misskey.example".
func hostOf(baseURL string) string {
	if _, rest, ok := strings.Cut(baseURL, "://"); ok {
		baseURL = rest
	}
	return strings.ToLower(strings.TrimSuffix(baseURL, "/"))
}

// planProfile diffs the profile and checks the changes against the
// account's role policies, so that a change Misskey would refuse is a plan
// error rather than a failed apply.
func (p *planState) planProfile() *Change {
	c := diffProfile(p.acct, p.live)
	if c == nil {
		return nil
	}
	for _, a := range c.Attrs {
		// i/update refuses any alwaysMarkNsfw, even the value the role
		// forces, when the policy is on (RESTRICTED_BY_ROLE); a value
		// equal to the live one is never sent.
		if a.Name == "always_mark_nsfw" && p.live.Policies["alwaysMarkNsfw"] == true {
			p.errorf(p.acct.Profile.Attrs[a.Name].Range, "always_mark_nsfw is set by the role",
				"This account's role marks every upload as sensitive (role policy alwaysMarkNsfw), and Misskey refuses any change of always_mark_nsfw then (RESTRICTED_BY_ROLE). Hint: remove always_mark_nsfw from the profile block, or set it to %v, its current value.", a.Before)
		}
		if a.Name == "notification_receive_config" {
			p.resolveNotifConfig(c, a)
		}
		// Each list has its own budget of characters (policy
		// wordMuteLimit), checked by i/update on what is sent.
		if f, _ := schema.ProfileFieldByName(a.Name); f.Kind == schema.KindMuteWords {
			limit := 200
			if v, ok := p.live.Policies["wordMuteLimit"].(float64); ok {
				limit = int(v)
			}
			words, _ := a.After.([]any)
			if n := schema.MuteWordsLength(words); n > limit {
				p.errorf(p.acct.Profile.Attrs[a.Name].Range, "Too many muted words",
					"%s has %d characters in all (every keyword and every /regex/ counts, as JavaScript counts: an emoji may count 2), but this account's role allows %d (policy wordMuteLimit; each of muted_words and hard_muted_words has its own budget): Misskey would answer TOO_MANY_MUTED_WORDS. Hint: remove %d characters, or merge keywords into one /regex/.",
					a.Name, n, limit, n-limit)
			}
		}
	}
	return c
}

// notifConfigByName is a live notificationRecieveConfig with each user list
// named as the configuration names it ({"type": "list", "list": NAME}), so
// both sides compare; a list id the account does not have stays an id.
// Misskey stores the object as sent; {} or a missing key is every default.
// NotifConfigRef prefixes the Refs of a profile change that name a user
// list created in the same apply: "notification_receive_config.reply" →
// "user_list.friends"; the body's userListId for that type is "" until then.
const NotifConfigRef = "notification_receive_config."

func notifConfigByName(v any, live *Live) any {
	m, _ := v.(map[string]any)
	out := map[string]any{}
	for k, e := range m {
		em, _ := e.(map[string]any)
		if em["type"] != "list" {
			out[k] = map[string]any{"type": em["type"]}
			continue
		}
		id, _ := em["userListId"].(string)
		named := map[string]any{"type": "list", "userListId": id}
		for _, l := range live.UserLists {
			if l.ID == id {
				named = map[string]any{"type": "list", "list": l.Name}
				break
			}
		}
		out[k] = named
	}
	return out
}

// resolveNotifConfig puts what i/update is sent into c.After: the desired
// object with each list's id. A list the plan creates (declared, not live)
// has no id yet: its entry is sent with the id the apply gets when it
// creates the list, named by Refs["notification_receive_config.TYPE"] as an
// antenna names its list, and the profile change then goes after the
// lists' creation (PlanAccount).
func (p *planState) resolveNotifConfig(c *Change, a AttrChange) {
	want, _ := a.After.(map[string]any)
	body := map[string]any{}
	rng := p.acct.Profile.Attrs[a.Name].Range
	for k, e := range want {
		em, _ := e.(map[string]any)
		if em["type"] != "list" {
			body[k] = map[string]any{"type": em["type"]}
			continue
		}
		name, _ := em["list"].(string)
		id := ""
		for _, l := range p.live.UserLists {
			if l.Name == name {
				id = l.ID
				break
			}
		}
		if id == "" {
			declared := false
			for _, l := range p.acct.UserLists {
				declared = declared || l.Name == name
			}
			if !declared {
				p.errorf(rng, "No such user list", "notification_receive_config.%s names the user list %q, which the account does not have and the configuration does not declare; Misskey needs the id of a list. Hint: declare user_list %q in this account block (the apply creates it first), or check the name.", k, name, name)
				continue
			}
			if c.Refs == nil {
				c.Refs = map[string]string{}
			}
			c.Refs[NotifConfigRef+k] = userListKey(name)
		}
		body[k] = map[string]any{"type": "list", "userListId": id}
	}
	if c.After == nil {
		c.After = map[string]any{}
	}
	c.After[a.Name] = body
}
