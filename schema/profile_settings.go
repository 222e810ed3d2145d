package schema

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf16"

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

// noteAge checks make_notes_followers_only_before and
// make_notes_hidden_before: an age ("720h": notes older than 30 days; a
// leading "-" means the same) or an RFC 3339 time (notes from before it),
// or null (off). The value is Misskey's stored form: an age is a negative
// number of seconds (≤ 0: relative), a time its epoch seconds (> 0).
func (c *valueCheck) noteAge(val cty.Value) any {
	if val.IsNull() {
		return nil
	}
	hint := fmt.Sprintf(`write an age, %s = "720h" (notes older than 30 days), or a time, %s = "2025-01-01T00:00:00Z" (notes from before it), or null to turn it off.`, c.f.Name, c.f.Name)
	s, ok := asString(val)
	if !ok || val.Type() != cty.String {
		c.typeError(c.expr, val, "a string", hint)
		return nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if t.Unix() <= 0 || t.Nanosecond() != 0 {
			c.errorf(c.expr, "Invalid time", "%s = %q: Misskey stores whole seconds after 1970-01-01T00:00:00Z. Hint: %s", c.f.Name, s, hint)
			return nil
		}
		return float64(t.Unix())
	}
	d, err := time.ParseDuration(strings.TrimPrefix(s, "-"))
	if err != nil || strings.HasPrefix(s, "--") || strings.HasPrefix(s, "-+") {
		c.errorf(c.expr, "Invalid age or time", "%s = %q is neither an age (a duration such as \"720h\" or \"90m\") nor an RFC 3339 time. Hint: %s", c.f.Name, s, hint)
		return nil
	}
	if d < 0 || d%time.Second != 0 {
		c.errorf(c.expr, "Invalid age", "%s = %q: Misskey counts the age in whole seconds. Hint: %s", c.f.Name, s, hint)
		return nil
	}
	if d == 0 {
		return 0.0 // not -0
	}
	return -float64(d / time.Second)
}

// muteWords checks muted_words and hard_muted_words: a list whose items
// are a list of keywords (all must appear: AND) or a regular expression
// written /pattern/flags, checked the way i/update checks it (RE2 syntax:
// no look-behind, no back-references). Misskey keeps the list as sent.
// The character budget (policy wordMuteLimit) is the planner's: it needs
// the account's policies.
func (c *valueCheck) muteWords(val cty.Value) any {
	example := fmt.Sprintf(`%s = [["spoiler", "movie"], "/^RT @/i"]`, c.f.Name)
	if val.IsNull() {
		c.nullError(fmt.Sprintf("%s = [] removes every muted word; remove the attribute to leave it unmanaged.", c.f.Name))
		return nil
	}
	ty := val.Type()
	if !ty.IsListType() && !ty.IsTupleType() {
		c.typeError(c.expr, val, "a list of keyword lists and /regex/ strings", example+".")
		return nil
	}
	out := []any{}
	i := 0
	for it := val.ElementIterator(); it.Next(); i++ {
		_, item := it.Element()
		ie := elemExpr(c.expr, i)
		ity := item.Type()
		if s, ok := asString(item); ok && ity == cty.String {
			if prob := MuteRegexpProblem(s); prob != "" {
				c.errorf(ie, "Invalid muted word", "%s[%d] %s", c.f.Name, i, prob)
				continue
			}
			out = append(out, s)
			continue
		}
		if item.IsNull() || !(ity.IsListType() || ity.IsTupleType() || ity.IsSetType()) {
			c.typeError(ie, item, "a list of keywords or a /regex/ string", example+".")
			continue
		}
		words := []any{}
		j := 0
		for wit := item.ElementIterator(); wit.Next(); j++ {
			_, w := wit.Element()
			s, ok := asString(w)
			if !ok || w.Type() != cty.String {
				c.typeError(elemExpr(ie, j), w, "a string", example+".")
				continue
			}
			if s == "" {
				c.errorf(elemExpr(ie, j), "Empty keyword", "%s[%d][%d] is empty. Hint: remove it.", c.f.Name, i, j)
				continue
			}
			words = append(words, s)
		}
		if len(words) == 0 {
			c.errorf(ie, "Empty keyword list", "%s[%d] has no keywords, and would mute nothing. Hint: remove it, or write [\"word\"].", c.f.Name, i)
			continue
		}
		out = append(out, words)
	}
	return out
}

var muteRegexpForm = regexp.MustCompile(`^/(.+)/(.*)$`)

// MuteRegexpProblem says what is wrong with a muted word written as a
// string ("" when nothing): i/update wants /pattern/flags that RE2 (Go's
// regexp syntax) compiles, else INVALID_REGEXP.
func MuteRegexpProblem(s string) string {
	m := muteRegexpForm.FindStringSubmatch(s)
	if m == nil {
		return fmt.Sprintf("%q is a string, which Misskey reads as a regular expression written /pattern/flags (it answers INVALID_REGEXP otherwise). Hint: for a keyword write a list, [%q].", s, s)
	}
	prefix := ""
	for i, f := range m[2] {
		if !strings.ContainsRune("dgimsuy", f) || strings.ContainsRune(m[2][:i], f) {
			return fmt.Sprintf("%q has the flags %q; the flags of a JavaScript regular expression are d, g, i, m, s, u and y, each once.", s, m[2])
		}
		if strings.ContainsRune("ims", f) {
			prefix += string(f)
		}
	}
	pattern := m[1]
	if prefix != "" {
		pattern = "(?" + prefix + ")" + pattern
	}
	if _, err := regexp.Compile(pattern); err != nil {
		return fmt.Sprintf("%q is not a regular expression Misskey accepts (RE2 syntax: no look-behind, no back-references; INVALID_REGEXP): %v.", s, err)
	}
	return ""
}

// MuteWordsLength is what policy wordMuteLimit limits: the JavaScript
// length (UTF-16 units) of every string of the list, regexes included.
func MuteWordsLength(words []any) int {
	n := 0
	for _, w := range words {
		switch x := w.(type) {
		case string:
			n += len(utf16.Encode([]rune(x)))
		case []any:
			for _, s := range x {
				if str, ok := s.(string); ok {
					n += len(utf16.Encode([]rune(str)))
				}
			}
		}
	}
	return n
}

// NotificationReceivers are the plain values of notification_receive_config
// (besides a user list).
var NotificationReceivers = []string{"all", "following", "follower", "mutualFollow", "followingOrFollower", "never"}

// notifConfig checks notification_receive_config: an object from
// notification type to who may notify, one of NotificationReceivers or
// { list = user_list.NAME }. The value is Misskey's stored form with the
// list by name ({"type": "list", "list": NAME}); the planner turns names
// into ids. Misskey replaces the whole object, so a type left out is the
// default.
func (c *valueCheck) notifConfig(val cty.Value) any {
	const example = `notification_receive_config = { follow = "following", reply = { list = user_list.friends } }`
	if val.IsNull() {
		c.nullError("notification_receive_config = {} sets every type to its default; remove the attribute to leave it unmanaged.")
		return nil
	}
	ty := val.Type()
	if !ty.IsObjectType() && !ty.IsMapType() {
		c.typeError(c.expr, val, "an object from notification type to who may notify", example+".")
		return nil
	}
	out := map[string]any{}
	for it := val.ElementIterator(); it.Next(); {
		k, v := it.Element()
		key := k.AsString()
		ke, ve := keyExpr(c.expr, key, true), keyExpr(c.expr, key, false)
		if !slices.Contains(NotificationTypes, key) {
			c.errorf(ke, "Unsupported notification type", "notification_receive_config has the key %q, which is not a notification type.%s Hint: the types are %s.", key, didYouMean(key, NotificationTypes), quotedList(NotificationTypes))
			continue
		}
		if s, ok := asString(v); ok && v.Type() == cty.String {
			if !slices.Contains(NotificationReceivers, s) {
				c.errorf(ve, "Unsupported value", "notification_receive_config.%s is %q; it must be one of %s, or { list = user_list.NAME }.%s", key, s, quotedList(NotificationReceivers), didYouMean(s, NotificationReceivers))
				continue
			}
			out[key] = map[string]any{"type": s}
			continue
		}
		vty := v.Type()
		if v.IsNull() || !(vty.IsObjectType() || vty.IsMapType()) || v.LengthInt() != 1 {
			c.typeError(ve, v, `one of `+quotedList(NotificationReceivers)+` or { list = user_list.NAME }`, example+".")
			continue
		}
		var name string
		okList := false
		for lit := v.ElementIterator(); lit.Next(); {
			lk, lv := lit.Element()
			if s, ok := asString(lv); ok && lk.AsString() == "list" && lv.Type() == cty.String && s != "" {
				name, okList = s, true
			}
		}
		if !okList {
			c.typeError(ve, v, `{ list = user_list.NAME }`, example+".")
			continue
		}
		out[key] = map[string]any{"type": "list", "list": name}
	}
	return out
}
