package export

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/schema"
	"github.com/zclconf/go-cty/cty"
)

// FreshProfile is what `i` answers for a new account, keyed by Misskey's
// names: the profile of a user just created on Misskey 2026.5.4 (alice's
// first `i`, /work/shared/misskey/samples/01-i.json; API-NOTES §1 lists
// the fields). requireSigninToViewContents is absent from that answer
// (`i` sends it only when true) and alsoKnownAs is null there; both are
// written in the form the planner compares. Export writes a profile
// attribute only when the live value differs from this (name and
// description: whenever they are set), so the output shows what was
// changed on the account rather than every default.
var FreshProfile = map[string]any{
	"name":                        nil,
	"description":                 nil,
	"location":                    nil,
	"birthday":                    nil,
	"lang":                        nil,
	"fields":                      []any{},
	"isLocked":                    false,
	"isBot":                       false,
	"isCat":                       false,
	"isExplorable":                true,
	"hideOnlineStatus":            false,
	"publicReactions":             true,
	"noCrawle":                    false,
	"preventAiLearning":           true,
	"carefulBot":                  false,
	"autoAcceptFollowed":          true,
	"followingVisibility":         "public",
	"followersVisibility":         "public",
	"chatScope":                   "mutual",
	"followedMessage":             nil,
	"requireSigninToViewContents": false,
	"alsoKnownAs":                 []any{},
	"autoSensitive":               false,
	"alwaysMarkNsfw":              false,
	"injectFeaturedNote":          true,
	"receiveAnnouncementEmail":    true,
	"mutedInstances":              []any{},
	"mutedWords":                  []any{},
	"notificationRecieveConfig":   map[string]any{},
	"hardMutedWords":              []any{},
	// absent from `i` when null
	"makeNotesFollowersOnlyBefore": nil,
	"makeNotesHiddenBefore":        nil,
	"emailNotificationTypes":       []any{"follow", "receiveFollowRequest"},
}

// identityFields are written whenever they are set, even if a new account
// could have the same value: they are what a reader looks for first.
var identityFields = map[string]bool{"name": true, "description": true}

// writeOnlyProfileFields are profile attributes Misskey accepts but never
// returns (none of schema.ProfileFields today), by HCL name, with what to
// tell the user. Such a value becomes a variable without a default that
// the user must set, rather than a guess or a secret in the file.
var writeOnlyProfileFields = map[string]string{}

// fieldPatterns are the compiled ProfileField.Pattern values by name, the
// same check Load makes.
var fieldPatterns = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for _, f := range schema.ProfileFields {
		if f.Pattern != "" {
			m[f.Name] = regexp.MustCompile(f.Pattern)
		}
	}
	return m
}()

// profile writes the profile block: every attribute whose live value is
// not a new account's, in schema.ProfileFields order.
func (g *gen) profile(body *hclwrite.Body) {
	live := g.acc.Live.Profile
	// attrs in ProfileFields order; a skipped one is a comment (name "")
	// at its place.
	type attr struct {
		name, comment string
		toks          hclwrite.Tokens
	}
	var attrs []attr
	for _, f := range schema.ProfileFields {
		if why, ok := writeOnlyProfileFields[f.Name]; ok {
			attrs = append(attrs, attr{f.Name, "", g.unknownValue("profile_"+f.Name, variableType(f), fmt.Sprintf("profile %s of @%s (%s)", f.Name, g.username, why))})
			continue
		}
		v, present := live[f.API]
		if !present {
			if f.LiveDefault == nil {
				// `i` always sends it: without it there is nothing to
				// say about it, and leaving it out leaves it unmanaged.
				continue
			}
			v = f.LiveDefault
		}
		v = g.translateAccts(f, v)
		if !g.differsFromFresh(f, v) {
			continue
		}
		toks, prob := g.profileValue(f, v)
		if prob != "" {
			prob = stays(prob)
			attrs = append(attrs, attr{comment: fmt.Sprintf("%s is not exported: %s.", f.Name, prob)})
			g.note("profile %s is not exported: %s.", f.Name, prob)
			g.count("profile").Skipped++
			continue
		}
		attrs = append(attrs, attr{f.Name, "", toks})
	}
	for _, name := range schema.ProfileImages {
		toks, why := g.profileImage(name)
		switch {
		case why != "":
			why = stays(why)
			attrs = append(attrs, attr{comment: fmt.Sprintf("%s is not exported: %s.", name, why)})
			g.note("profile %s is not exported: %s.", name, why)
			g.count("profile").Skipped++
		case toks != nil:
			attrs = append(attrs, attr{name, "", toks})
		}
	}
	if len(attrs) == 0 {
		// Nothing differs from a new account: no profile block, so the
		// profile stays unmanaged rather than pinned to the defaults.
		return
	}
	body.AppendNewline()
	pb := body.AppendNewBlock("profile", nil).Body()
	g.count("profile").Declared = 1
	for _, a := range attrs {
		if a.name == "" {
			comment(pb, a.comment)
			continue
		}
		pb.SetAttributeRaw(a.name, a.toks)
	}
}

// profileImage is the avatar or banner as a path its bytes are downloaded
// to (nil when the account has none: a new account's, left out), or why
// it cannot be declared.
func (g *gen) profileImage(name string) (hclwrite.Tokens, string) {
	id, _ := g.acc.Live.Profile[name+"Id"].(string)
	if id == "" {
		return nil, ""
	}
	f, ok := g.acc.Live.ProfileImages[name]
	switch {
	case !ok:
		return nil, fmt.Sprintf("its file %s could not be read", id)
	case g.opts.SkipFiles[ImageSkipKey(f.ID)] != "":
		return nil, g.opts.SkipFiles[ImageSkipKey(f.ID)]
	case !strings.HasPrefix(f.Type, "image/"):
		return nil, fmt.Sprintf("its file is %s, not an image, which mkctl refuses as the %s", f.Type, name)
	case g.acc.FileURLs[f.ID] == "":
		return nil, "Misskey gave no URL to download its file from"
	case f.MD5 == "":
		return nil, "Misskey gave no md5 of its file"
	case f.Size > schema.MaxUploadBytes:
		return nil, fmt.Sprintf("its file is larger than the %d bytes mkctl uploads", int64(schema.MaxUploadBytes))
	}
	return str(g.imageSource(name, &f)), ""
}

// ImageSkipKey is the key of Options.SkipFiles that leaves out the avatar
// or banner whose file has id (the file's id alone leaves out its
// drive_file block).
func ImageSkipKey(id string) string { return "image:" + id }

// unknownValue declares a variable without a default for a value export
// cannot read, and tells the user to set it.
func (g *gen) unknownValue(name, typ, description string) hclwrite.Tokens {
	g.vars = append(g.vars, unknownVar{name: name, typ: typ, description: description})
	g.note("variable %q has no value: export cannot read %s; set it with --var %s=... or MKCTL_VAR_%s before planning.", name, description, name, name)
	return ref("var", name)
}

// variableType is the type constraint of a variable standing for f's
// value: string or bool; "" (any) for the lists, whose element types
// schema checks itself.
func variableType(f schema.ProfileField) string {
	switch f.Kind {
	case schema.KindBool:
		return "bool"
	case schema.KindString, schema.KindEnum:
		return "string"
	}
	return ""
}

// differsFromFresh reports whether the attribute is worth writing.
func (g *gen) differsFromFresh(f schema.ProfileField, v any) bool {
	if identityFields[f.Name] && v != nil {
		return true
	}
	fresh, known := FreshProfile[f.API]
	if !known {
		// A field added to ProfileFields but not to the table: write it,
		// which is always correct, only longer.
		return true
	}
	switch f.Kind {
	case schema.KindFields, schema.KindAccts:
		items, _ := v.([]any)
		freshItems, _ := fresh.([]any)
		return len(items) != 0 || len(freshItems) != 0
	case schema.KindMuteWords:
		items, _ := v.([]any)
		return len(items) != 0
	case schema.KindHosts, schema.KindEnumSet:
		// Sets: the order Misskey keeps does not matter.
		return !reflect.DeepEqual(liveStringSet(v), liveStringSet(fresh))
	}
	return !reflect.DeepEqual(v, fresh)
}

// translateAccts turns alsoKnownAs user ids (what `i` answers) into accts
// with UserAccts when the reader left them as ids.
func (g *gen) translateAccts(f schema.ProfileField, v any) any {
	if f.Kind != schema.KindAccts {
		return v
	}
	items, ok := v.([]any)
	if !ok {
		return v
	}
	out := make([]any, len(items))
	for i, it := range items {
		s, _ := it.(string)
		if s != "" && !strings.HasPrefix(s, "@") {
			if acct, ok := g.acc.UserAccts[s]; ok {
				it = acct
			}
		}
		out[i] = it
	}
	return out
}

// profileValue writes a live value the way Load reads it back to the
// same value, or says why it cannot.
func (g *gen) profileValue(f schema.ProfileField, v any) (hclwrite.Tokens, string) {
	if v == nil {
		if f.Nullable {
			return nullTok(), ""
		}
		return nil, "it is null, which mkctl cannot write for it"
	}
	switch f.Kind {
	case schema.KindString:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Sprintf("Misskey returned %T, not a string", v)
		}
		if prob := g.checkProfileString(f, s); prob != "" {
			return nil, prob
		}
		return g.text(s), ""
	case schema.KindBool:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Sprintf("Misskey returned %T, not a bool", v)
		}
		return boolTok(b), ""
	case schema.KindEnum:
		s, ok := v.(string)
		if !ok || !slices.Contains(f.Enum, s) {
			return nil, fmt.Sprintf("%v is not one of the values mkctl knows", v)
		}
		return str(s), ""
	case schema.KindFields:
		return g.profileFields(f, v)
	case schema.KindAccts:
		return g.profileAccts(f, v)
	case schema.KindHosts, schema.KindEnumSet:
		return profileStringSet(f, v)
	case schema.KindNoteAge:
		return profileNoteAge(v)
	case schema.KindMuteWords:
		return profileMuteWords(v)
	case schema.KindNotifConfig:
		return g.profileNotifConfig(v)
	}
	return nil, "mkctl does not know how to write it"
}

func (g *gen) checkProfileString(f schema.ProfileField, s string) string {
	switch {
	case s == "":
		return "it is an empty string, which mkctl reads as null"
	case hasNUL(s):
		return "it contains a NUL character"
	case f.Name == "name" && schema.JSTrim(s) != s:
		return "it starts or ends with white space, which mkctl trims as Misskey does"
	case f.MaxLen > 0 && schema.CharLen(s) > f.MaxLen:
		return fmt.Sprintf("it is %d characters long, more than the %d Misskey accepts", schema.CharLen(s), f.MaxLen)
	}
	if re := fieldPatterns[f.Name]; re != nil && !re.MatchString(s) {
		return fmt.Sprintf("%q does not match %s", s, f.Pattern)
	}
	if f.Name == "birthday" {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return fmt.Sprintf("%q is not a date in the calendar", s)
		}
	}
	return ""
}

func (g *gen) profileFields(f schema.ProfileField, v any) (hclwrite.Tokens, string) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Sprintf("Misskey returned %T, not a list", v)
	}
	if f.MaxLen > 0 && len(items) > f.MaxLen {
		return nil, fmt.Sprintf("it has %d items, more than the %d Misskey accepts", len(items), f.MaxLen)
	}
	objs := make([]hclwrite.Tokens, 0, len(items))
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, fmt.Sprintf("item %d is not an object", i)
		}
		var parts []hclwrite.ObjectAttrTokens
		for _, k := range []string{"name", "value"} {
			s, ok := m[k].(string)
			switch {
			case !ok:
				return nil, fmt.Sprintf("item %d has no %s", i, k)
			case s == "" || schema.JSTrim(s) != s:
				return nil, fmt.Sprintf("item %d's %s is empty or starts or ends with white space, which mkctl trims as Misskey does", i, k)
			case hasNUL(s):
				return nil, fmt.Sprintf("item %d's %s contains a NUL character", i, k)
			}
			parts = append(parts, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForIdentifier(k), Value: str(s)})
		}
		objs = append(objs, inlineObject(parts))
	}
	return list(objs, 0), ""
}

// inlineObject is { name = "…", value = "…" } on one line.
func inlineObject(attrs []hclwrite.ObjectAttrTokens) hclwrite.Tokens {
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrace, Bytes: []byte("{")}}
	for i, a := range attrs {
		if i > 0 {
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")})
		}
		toks = append(toks, a.Name...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("=")})
		toks = append(toks, a.Value...)
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte("}")})
}

func (g *gen) profileAccts(f schema.ProfileField, v any) (hclwrite.Tokens, string) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Sprintf("Misskey returned %T, not a list", v)
	}
	if f.MaxLen > 0 && len(items) > f.MaxLen {
		return nil, fmt.Sprintf("it has %d items, more than the %d Misskey accepts", len(items), f.MaxLen)
	}
	seen := map[string]bool{}
	accts := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, "an item is not a string"
		}
		// The reader turns `i`'s user ids into "@user@host"; anything
		// else is an id no one could resolve (a deleted user), not a
		// user name.
		acct, prob := schema.NormaliseAcct(s, g.ownHost)
		if prob != "" || !strings.HasPrefix(s, "@") {
			return nil, fmt.Sprintf("%q is not an account address (the user id of an account that could not be found?)", s)
		}
		key := strings.ToLower(acct)
		if key == "@"+strings.ToLower(g.username) {
			return nil, "it names the account itself"
		}
		if seen[key] {
			return nil, fmt.Sprintf("%s is listed twice", acct)
		}
		seen[key] = true
		accts = append(accts, acct)
	}
	sort.Strings(accts)
	return strList(accts, 3), ""
}

// liveStringSet is a list of strings, sorted; nil when v is not one.
func liveStringSet(v any) []string {
	items, _ := v.([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// profileStringSet writes muted_instances or email_notification_types:
// only when Load reads the same set back, so a host Misskey keeps in
// another spelling (Misskey stores what it was sent) or a value that is no
// notification type is left out with the reason.
func profileStringSet(f schema.ProfileField, v any) (hclwrite.Tokens, string) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Sprintf("Misskey returned %T, not a list", v)
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, "an item is not a string"
		}
		if f.Kind == schema.KindHosts {
			host, prob := schema.CanonicalHost(s)
			if prob != "" {
				return nil, fmt.Sprintf("%q is not a server name", s)
			}
			if host != s {
				return nil, fmt.Sprintf("%q is not written the way mkctl writes hosts (%q): it mutes nothing", s, host)
			}
		} else if !slices.Contains(f.Enum, s) {
			return nil, fmt.Sprintf("%q is not a notification type", s)
		}
		if seen[s] {
			return nil, fmt.Sprintf("%s is listed twice", s)
		}
		seen[s] = true
		out = append(out, s)
	}
	sort.Strings(out)
	return strList(out, 3), ""
}

// profileNoteAge writes Misskey's seconds back as schema reads them: ≤ 0
// as an age ("720h0m0s"), > 0 as an RFC 3339 time in UTC.
func profileNoteAge(v any) (hclwrite.Tokens, string) {
	n, ok := v.(float64)
	if !ok || n != float64(int64(n)) {
		return nil, fmt.Sprintf("Misskey returned %v, not a whole number of seconds", v)
	}
	if n > 0 {
		return str(time.Unix(int64(n), 0).UTC().Format(time.RFC3339)), ""
	}
	return str((time.Duration(-n) * time.Second).String()), ""
}

// profileMuteWords writes muted_words or hard_muted_words in order: a
// keyword list as a list, a regex as its string; only what schema reads
// back the same (a plain-string word Misskey would not accept today is
// left out with the reason).
func profileMuteWords(v any) (hclwrite.Tokens, string) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Sprintf("Misskey returned %T, not a list", v)
	}
	out := make([]hclwrite.Tokens, 0, len(items))
	for _, it := range items {
		switch x := it.(type) {
		case string:
			if prob := schema.MuteRegexpProblem(x); prob != "" {
				return nil, prob
			}
			out = append(out, str(x))
		case []any:
			words := make([]string, 0, len(x))
			for _, w := range x {
				s, ok := w.(string)
				if !ok || s == "" {
					return nil, "a keyword is empty or not a string"
				}
				words = append(words, s)
			}
			if len(words) == 0 {
				return nil, "it has an empty keyword list"
			}
			out = append(out, strList(words, 4))
		default:
			return nil, "an item is neither a keyword list nor a string"
		}
	}
	return list(out, 0), ""
}

// profileNotifConfig writes notification_receive_config as an object
// from type to who may notify. `i` names a user list by id: the entry is
// written as { list = user_list.NAME } when that list is exported too (a
// plan may name a list it creates in the same apply), and the whole
// attribute is left out (with the reason) otherwise.
func (g *gen) profileNotifConfig(v any) (hclwrite.Tokens, string) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Sprintf("Misskey returned %T, not an object", v)
	}
	if len(m) == 0 {
		return hclwrite.TokensForValue(cty.EmptyObjectVal), ""
	}
	var attrs []hclwrite.ObjectAttrTokens
	for _, k := range sortedStrings(m) {
		em, _ := m[k].(map[string]any)
		t, _ := em["type"].(string)
		if !slices.Contains(schema.NotificationTypes, k) {
			return nil, fmt.Sprintf("%q is not a notification type mkctl knows", k)
		}
		if t == "list" {
			id, _ := em["userListId"].(string)
			name, why := g.exportedListName(id)
			if why != "" {
				return nil, fmt.Sprintf("%s notifies only the members of the user list %s, which %s", k, id, why)
			}
			// { list = user_list.NAME } on one line, as README writes it.
			list := hclwrite.Tokens{{Type: hclsyntax.TokenOBrace, Bytes: []byte("{")}}
			list = append(list, hclwrite.TokensForIdentifier("list")...)
			list = append(list, &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("=")})
			list = append(list, listRef(name)...)
			list = append(list, &hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte("}")})
			attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForIdentifier(k), Value: list})
			continue
		}
		if !slices.Contains(schema.NotificationReceivers, t) {
			return nil, fmt.Sprintf("%s has %q, not a value mkctl knows", k, t)
		}
		attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForIdentifier(k), Value: hclwrite.TokensForValue(cty.StringVal(t))})
	}
	return hclwrite.TokensForObject(attrs), ""
}

// exportedListName is the name of the live user list id when userLists
// writes a block for it (user_lists exported, the one list of its name, a
// name validate accepts); else why not.
func (g *gen) exportedListName(id string) (string, string) {
	if !g.wants("user_lists") {
		return "", "is not exported (export user_lists too)"
	}
	name, found, count := "", false, 0
	for _, l := range g.acc.Live.UserLists {
		if l.ID == id {
			name, found = l.Name, true
		}
	}
	if !found {
		return "", "the account does not have"
	}
	for _, l := range g.acc.Live.UserLists {
		if l.Name == name {
			count++
		}
	}
	if count > 1 {
		return "", fmt.Sprintf("is one of %d lists named %s, which mkctl cannot tell apart", count, quoteName(name))
	}
	if why := nameProblem(name); why != "" {
		return "", "is not exported: " + why
	}
	return name, ""
}
