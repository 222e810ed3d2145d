package emulator

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"
)

// i/update — ep/i/update.ts: change the caller's profile; 20 calls an hour.
// Every check runs before anything changes, as in the real endpoint (it
// writes once, at the end).
func init() { register("i/update", perHour(20), handleIUpdate) }

var (
	errNoSuchAvatar           = clientError("NO_SUCH_AVATAR", "539f3a45-f215-4f81-a9a8-31293640207f", "No such avatar file.")
	errNoSuchBanner           = clientError("NO_SUCH_BANNER", "0d8f5629-f210-41c2-9433-735831a58595", "No such banner file.")
	errAvatarNotAnImage       = clientError("AVATAR_NOT_AN_IMAGE", "f419f9f8-2f4d-46b1-9fb4-49d3a2fd7191", "The file specified as an avatar is not an image.")
	errBannerNotAnImage       = clientError("BANNER_NOT_AN_IMAGE", "75aedb19-2afd-4e6d-87fc-67941256fa60", "The file specified as a banner is not an image.")
	errNoSuchPage             = clientError("NO_SUCH_PAGE", "8e01b590-7eb9-431b-a239-860e086c408e", "No such page.")
	errInvalidRegexp          = clientError("INVALID_REGEXP", "0d786918-10df-41cd-8f33-8dec7d9a89a5", "Invalid Regular Expression.")
	errTooManyMutedWords      = clientError("TOO_MANY_MUTED_WORDS", "010665b1-a211-42d2-bc64-8f6609d79785", "Too many muted words.")
	errAliasNoSuchUser        = clientError("NO_SUCH_USER", "fcd2eef9-a9b2-4c4f-8624-038099e90aa5", "No such user.")
	errForbiddenToSetYourself = clientError("FORBIDDEN_TO_SET_YOURSELF", "25c90186-4ab0-49c8-9bba-a1fa6c202ba4", "You can't set yourself as your own alias.")
	errRestrictedByRole       = clientError("RESTRICTED_BY_ROLE", "8feff0ba-5ab5-585b-31f4-4df816663fad", "This feature is restricted by your role.")
)

func handleIUpdate(c *call) (any, *apiError) {
	next := *c.me // slices are replaced below, never changed in place

	if c.has("name") {
		next.Name = nil
		if s, ok := c.str("name"); ok {
			if t := jsTrim(s); t != "" {
				next.Name = &t // whitespace only → null
			}
		}
	}
	for name, dst := range map[string]**string{
		"description": &next.Description, "followedMessage": &next.FollowedMessage,
		"lang": &next.Lang, "location": &next.Location, "birthday": &next.Birthday,
	} {
		if c.has(name) {
			*dst = c.optStr(name)
		}
	}
	for name, dst := range map[string]*string{
		"followingVisibility": &next.FollowingVisibility, "followersVisibility": &next.FollowersVisibility, "chatScope": &next.ChatScope,
	} {
		if s, ok := c.str(name); ok {
			*dst = s
		}
	}

	for _, mw := range []struct {
		name string
		dst  *[]any
	}{{"mutedWords", &next.MutedWords}, {"hardMutedWords", &next.HardMutedWords}} {
		words, ok := c.params[mw.name].([]any)
		if !ok {
			continue
		}
		if float64(muteWordLength(words)) > c.me.policyNumber("wordMuteLimit") {
			return nil, errTooManyMutedWords
		}
		if !validMuteRegexps(words) {
			return nil, errInvalidRegexp
		}
		*mw.dst = cloneJSON(words).([]any)
	}
	for name, dst := range map[string]*[]any{"mutedInstances": &next.MutedInstances, "emailNotificationTypes": &next.EmailNotificationTypes} {
		if v, ok := c.params[name].([]any); ok {
			*dst = cloneJSON(v).([]any)
		}
	}
	if v, ok := c.params["notificationRecieveConfig"].(map[string]any); ok {
		next.NotificationRecieveConfig = cloneJSON(v).(map[string]any)
	}

	for name, dst := range map[string]*bool{
		"isLocked": &next.IsLocked, "isExplorable": &next.IsExplorable, "hideOnlineStatus": &next.HideOnlineStatus,
		"publicReactions": &next.PublicReactions, "isBot": &next.IsBot, "carefulBot": &next.CarefulBot,
		"autoAcceptFollowed": &next.AutoAcceptFollowed, "noCrawle": &next.NoCrawle, "preventAiLearning": &next.PreventAiLearning,
		"requireSigninToViewContents": &next.RequireSigninToViewContents, "isCat": &next.IsCat,
		"injectFeaturedNote": &next.InjectFeaturedNote, "receiveAnnouncementEmail": &next.ReceiveAnnouncementEmail,
		"autoSensitive": &next.AutoSensitive,
	} {
		if b, ok := c.boolean(name); ok {
			*dst = b
		}
	}
	for name, dst := range map[string]**int64{"makeNotesFollowersOnlyBefore": &next.MakeNotesFollowersOnlyBefore, "makeNotesHiddenBefore": &next.MakeNotesHiddenBefore} {
		if !c.has(name) {
			continue
		}
		*dst = nil
		if n, ok := c.params[name].(float64); ok {
			v := int64(n)
			*dst = &v
		}
	}
	if b, ok := c.boolean("alwaysMarkNsfw"); ok {
		if c.me.policyBool("alwaysMarkNsfw") {
			return nil, errRestrictedByRole
		}
		next.AlwaysMarkNsfw = b
	}

	// The file must be the caller's and an image; the role may forbid
	// changing it. null clears (the avatar falls back to the identicon).
	for _, img := range []struct {
		param      string
		dst        **string
		noSuch     *apiError
		notAnImage *apiError
	}{{"avatarId", &next.AvatarID, errNoSuchAvatar, errAvatarNotAnImage}, {"bannerId", &next.BannerID, errNoSuchBanner, errBannerNotAnImage}} {
		if id, ok := c.str(img.param); ok && id != "" {
			if !c.me.policyBool("canUpdateBioMedia") {
				return nil, errRestrictedByRole
			}
			f := c.e.st.ownFile(id, c.me.ID)
			if f == nil {
				return nil, img.noSuch
			}
			if !strings.HasPrefix(f.mime(), "image/") {
				return nil, img.notAnImage
			}
			*img.dst = &f.ID
		} else if c.has(img.param) && c.params[img.param] == nil {
			*img.dst = nil
		}
	}
	if decorations, ok := c.params["avatarDecorations"].([]any); ok {
		if float64(len(decorations)) > c.me.policyNumber("avatarDecorationLimit") {
			return nil, errRestrictedByRole
		}
		next.AvatarDecorations = []any{} // ids the user may not use are dropped silently
	}
	if id, ok := c.str("pinnedPageId"); ok && id != "" {
		return nil, errNoSuchPage
	} else if c.has("pinnedPageId") && c.params["pinnedPageId"] == nil {
		next.PinnedPageID = nil
	}

	if items, ok := c.params["fields"].([]any); ok {
		next.Fields = []Field{}
		for _, it := range items {
			m, _ := it.(map[string]any)
			name, _ := m["name"].(string)
			value, _ := m["value"].(string)
			name, value = jsTrim(name), jsTrim(value)
			if name != "" && value != "" {
				next.Fields = append(next.Fields, Field{Name: name, Value: value})
			}
		}
	}

	if items, ok := c.params["alsoKnownAs"].([]any); ok {
		var uris []string
		for _, it := range items {
			line, _ := it.(string)
			if line == "" {
				return nil, errAliasNoSuchUser
			}
			known := c.resolveAcct(line)
			if known == nil {
				return nil, errAliasNoSuchUser
			}
			if known.ID == c.me.ID {
				return nil, errForbiddenToSetYourself
			}
			if uri := c.e.userURI(known); !slices.Contains(uris, uri) {
				uris = append(uris, uri)
			}
		}
		next.AlsoKnownAs = uris // nil (null) for []
	}

	wasLocked := c.me.IsLocked
	*c.me = next
	// Unlocking accepts every pending request (acceptAllFollowRequests).
	if wasLocked && !next.IsLocked {
		c.e.st.acceptAllFollowRequests(c.me, c.now)
	}
	return c.e.packDetailed(c.me, packOpts{me: c.me, includeSecrets: c.native()}), nil
}

// resolveAcct is Acct.parse followed by RemoteUserResolveService.resolveUser,
// without federation: a remote account resolves only if the emulator knows
// it (CreateRemoteUser).
func (c *call) resolveAcct(acct string) *User {
	acct = strings.TrimPrefix(acct, "@")
	username, host, hasHost := strings.Cut(acct, "@")
	host, _, _ = strings.Cut(host, "@") // split('@', 2) drops the rest
	if !hasHost || c.isLocalHost(host) {
		return c.e.st.localUser(username)
	}
	return c.e.st.remoteUser(username, host)
}

// muteWordLength is the character count i/update limits: the JavaScript
// length (UTF-16 units) of every word, in plain strings and in arrays.
func muteWordLength(words []any) int {
	n := 0
	for _, w := range words {
		switch x := w.(type) {
		case string:
			n += jsLength(x)
		case []any:
			for _, s := range x {
				if str, ok := s.(string); ok {
					n += jsLength(str)
				}
			}
		}
	}
	return n
}

var muteRegexpForm = regexp.MustCompile(`^/(.+)/(.*)$`)

// validMuteRegexps checks that plain-string mute words are /regex/flags
// that RE2 accepts (Go's regexp is RE2 syntax).
func validMuteRegexps(words []any) bool {
	for _, w := range words {
		s, ok := w.(string)
		if !ok {
			continue
		}
		m := muteRegexpForm.FindStringSubmatch(s)
		if m == nil {
			return false
		}
		prefix := ""
		for i, f := range m[2] {
			if !strings.ContainsRune("dgimsuy", f) || strings.ContainsRune(m[2][:i], f) {
				return false
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
			return false
		}
	}
	return true
}

// jsLength is JavaScript's String.length: UTF-16 code units.
func jsLength(s string) int { return len(utf16.Encode([]rune(s))) }

// jsTrim is String.prototype.trim: JavaScript's white space and line
// terminators (unlike Go's unicode.IsSpace it includes U+FEFF and excludes
// U+0085).
func jsTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case '\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff':
			return true
		}
		return r >= '\u2000' && r <= '\u200a'
	})
}
