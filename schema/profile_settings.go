package schema

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mkctl/mkctl/internal/hosturl"
	"github.com/zclconf/go-cty/cty"
)

// NotificationTypes are the notification types of Misskey 2026.5.4 (the
// keys of notificationRecieveConfig; API-NOTES §11). Misskey does not
// check emailNotificationTypes against them, so mkctl does.
var NotificationTypes = []string{
	"note", "follow", "mention", "reply", "renote", "quote", "reaction", "pollEnded",
	"scheduledNotePosted", "scheduledNotePostFailed", "receiveFollowRequest", "followRequestAccepted",
	"roleAssigned", "chatRoomInvitationReceived", "achievementEarned", "app", "test",
}

// stringList checks that val is a list (or set) of strings and calls item
// for each; it returns false when val is not such a list.
func (c *valueCheck) stringList(val cty.Value, example string, item func(i int, s string)) bool {
	if val.IsNull() {
		c.nullError(fmt.Sprintf("%s = [] removes every item; remove the attribute to leave it unmanaged.", c.f.Name))
		return false
	}
	ty := val.Type()
	if !ty.IsListType() && !ty.IsTupleType() && !ty.IsSetType() {
		c.typeError(c.expr, val, "a list of strings", example+".")
		return false
	}
	if n := val.LengthInt(); c.f.MaxLen > 0 && n > c.f.MaxLen {
		c.errorf(c.expr, "Too many items", "%s has %d items, but mkctl accepts at most %d. Hint: remove %d.", c.f.Name, n, c.f.MaxLen, n-c.f.MaxLen)
	}
	i := 0
	for it := val.ElementIterator(); it.Next(); i++ {
		_, v := it.Element()
		s, ok := asString(v)
		if !ok {
			c.typeError(elemExpr(c.expr, i), v, "a list of strings", example+".")
			continue
		}
		item(i, s)
	}
	return true
}

// sortedAny is the sorted strings as a []any (never nil).
func sortedAny(items []string) []any {
	sort.Strings(items)
	out := make([]any, len(items))
	for i, s := range items {
		out[i] = s
	}
	return out
}

// hosts checks muted_instances: server names, stored by mkctl in their one
// spelling (lower-case punycode, no trailing dot; a port kept), because
// Misskey stores the strings as sent and matches note hosts against them
// exactly: "Example.COM" would mute nothing.
func (c *valueCheck) hosts(val cty.Value) any {
	const example = `muted_instances = ["spam.example"]`
	seen := map[string]int{}
	var out []string
	if !c.stringList(val, example, func(i int, raw string) {
		ie := elemExpr(c.expr, i)
		host, prob := CanonicalHost(raw)
		if prob != "" {
			c.errorf(ie, "Invalid host", "%s[%d]: %s", c.f.Name, i, prob)
			return
		}
		if j, dup := seen[host]; dup {
			c.errorf(ie, "Duplicate host", "%s[%d] (%s) is the same server as %s[%d]. Hint: remove one of them.", c.f.Name, i, host, c.f.Name, j)
			return
		}
		seen[host] = i
		out = append(out, host)
	}) {
		return nil
	}
	return sortedAny(out)
}

// CanonicalHost is a server name ("host" or "host:port") in the one
// spelling mkctl compares and sends: lower case, punycode, no trailing dot.
// The problem is a sentence with a hint, "" when raw is valid.
func CanonicalHost(raw string) (string, string) {
	if strings.Contains(raw, "://") || strings.ContainsAny(raw, "/@") || strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || isJSWhitespace(r) }) {
		return "", fmt.Sprintf("%q is not a server name. Hint: write only the server's name, e.g. \"spam.example\".", raw)
	}
	name, port, hasPort := strings.Cut(strings.TrimSuffix(raw, "."), ":")
	name, p := hosturl.CanonicalHostname(name)
	if p != nil {
		return "", fmt.Sprintf("%q: %s. Hint: %s.", raw, p.Detail, p.Hint)
	}
	if hasPort {
		if !hosturl.ValidPort(port) {
			return "", fmt.Sprintf("%q has an invalid port %q. Hint: a port is a number from 1 to 65535.", raw, port)
		}
		name += ":" + port
	}
	return name, ""
}

// enumSet checks a list of values from c.f.Enum, without duplicates; the
// order does not matter to Misskey, so it is kept sorted.
func (c *valueCheck) enumSet(val cty.Value) any {
	example := fmt.Sprintf("%s = [%s]", c.f.Name, quote(c.f.Enum[1]))
	seen := map[string]int{}
	var out []string
	if !c.stringList(val, example, func(i int, s string) {
		ie := elemExpr(c.expr, i)
		if !slices.Contains(c.f.Enum, s) {
			hint := didYouMean(s, c.f.Enum)
			if hint == "" {
				hint = " Hint: the notification types are " + quotedList(c.f.Enum) + "."
			}
			c.errorf(ie, "Unsupported value", "%s[%d] is %q, which is not a notification type (Misskey stores it, but it never matches anything).%s", c.f.Name, i, s, hint)
			return
		}
		if j, dup := seen[s]; dup {
			c.errorf(ie, "Duplicate value", "%s[%d] (%q) is already %s[%d]. Hint: remove one of them.", c.f.Name, i, s, c.f.Name, j)
			return
		}
		seen[s] = i
		out = append(out, s)
	}) {
		return nil
	}
	return sortedAny(out)
}
