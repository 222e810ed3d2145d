package emulator

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// User is one account, local or remote, with the profile fields Misskey
// keeps in its user and user_profile tables. The emulator hands out copies;
// change a user through the API or UpdateUser.
type User struct {
	ID       string  `json:"id"`
	Username string  `json:"username"`
	Host     *string `json:"host"` // nil for a local user
	// URI and URL are a remote user's ActivityPub id and profile page.
	URI *string `json:"uri"`
	URL *string `json:"url"`

	CreatedAt     time.Time  `json:"createdAt"`
	UpdatedAt     *time.Time `json:"updatedAt"`
	LastFetchedAt *time.Time `json:"lastFetchedAt"` // remote users

	Name            *string `json:"name"`
	Description     *string `json:"description"`
	Location        *string `json:"location"`
	Birthday        *string `json:"birthday"`
	Lang            *string `json:"lang"`
	FollowedMessage *string `json:"followedMessage"`
	Fields          []Field `json:"fields"`

	AvatarID          *string `json:"avatarId"`
	BannerID          *string `json:"bannerId"`
	PinnedPageID      *string `json:"pinnedPageId"`
	AvatarDecorations []any   `json:"avatarDecorations"`

	IsLocked                    bool `json:"isLocked"`
	IsBot                       bool `json:"isBot"`
	IsCat                       bool `json:"isCat"`
	IsExplorable                bool `json:"isExplorable"`
	IsSuspended                 bool `json:"isSuspended"`
	HideOnlineStatus            bool `json:"hideOnlineStatus"`
	PublicReactions             bool `json:"publicReactions"`
	CarefulBot                  bool `json:"carefulBot"`
	AutoAcceptFollowed          bool `json:"autoAcceptFollowed"`
	NoCrawle                    bool `json:"noCrawle"`
	PreventAiLearning           bool `json:"preventAiLearning"`
	RequireSigninToViewContents bool `json:"requireSigninToViewContents"`
	InjectFeaturedNote          bool `json:"injectFeaturedNote"`
	ReceiveAnnouncementEmail    bool `json:"receiveAnnouncementEmail"`
	AlwaysMarkNsfw              bool `json:"alwaysMarkNsfw"`
	AutoSensitive               bool `json:"autoSensitive"`

	FollowingVisibility string `json:"followingVisibility"`
	FollowersVisibility string `json:"followersVisibility"`
	ChatScope           string `json:"chatScope"`

	MakeNotesFollowersOnlyBefore *int64 `json:"makeNotesFollowersOnlyBefore"`
	MakeNotesHiddenBefore        *int64 `json:"makeNotesHiddenBefore"`

	MutedWords                []any          `json:"mutedWords"`
	HardMutedWords            []any          `json:"hardMutedWords"`
	MutedInstances            []any          `json:"mutedInstances"`
	EmailNotificationTypes    []any          `json:"emailNotificationTypes"`
	NotificationRecieveConfig map[string]any `json:"notificationRecieveConfig"`

	// AlsoKnownAs holds actor URIs, as the database does; `i` answers
	// with the user ids they resolve to.
	AlsoKnownAs []string `json:"alsoKnownAs"`

	// LoggedInDates are the days (YYYY/M/D) `i` was called on.
	LoggedInDates []string `json:"loggedInDates"`

	// The counters Misskey keeps on the user row, maintained by the
	// endpoints that change them (notes, follows).
	NotesCount     int `json:"notesCount"`
	FollowersCount int `json:"followersCount"`
	FollowingCount int `json:"followingCount"`

	// IsModerator and IsAdmin stand for a moderator's or an
	// administrator's role (set with UpdateUser): they skip an upload's
	// type, size and capacity checks and may see, change and delete other
	// users' drive files.
	IsModerator bool `json:"isModerator,omitempty"`
	IsAdmin     bool `json:"isAdmin,omitempty"`

	// PolicyOverrides change this user's role policies (SetPolicy).
	PolicyOverrides map[string]any `json:"policyOverrides,omitempty"`

	// Token is the native (web session) token of a local user. Copies
	// handed out by the emulator leave it empty: use NativeToken.
	Token string `json:"token,omitempty"`
}

// Field is one row of the profile table.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// isModerator is RoleService.isModerator: a moderator or administrator.
func (u *User) isModerator() bool { return u.IsModerator || u.IsAdmin }

// IsLocal reports whether the user belongs to the emulated server.
func (u *User) IsLocal() bool { return u.Host == nil }

// usernamePattern is the one Misskey enforces at signup.
var usernamePattern = regexp.MustCompile(`^\w{1,20}$`)

// newUser makes a user with the defaults Misskey gives a new account.
func newUser(id, username string, now time.Time) *User {
	return &User{
		ID:                       id,
		Username:                 username,
		CreatedAt:                now,
		Fields:                   []Field{},
		AvatarDecorations:        []any{},
		IsExplorable:             true,
		PublicReactions:          true,
		AutoAcceptFollowed:       true,
		PreventAiLearning:        true,
		InjectFeaturedNote:       true,
		ReceiveAnnouncementEmail: true,
		FollowingVisibility:      "public",
		FollowersVisibility:      "public",
		ChatScope:                "mutual",
		MutedWords:               []any{},
		HardMutedWords:           []any{},
		MutedInstances:           []any{},
		// The web client's signup leaves these two on (sample 01).
		EmailNotificationTypes:    []any{"follow", "receiveFollowRequest"},
		NotificationRecieveConfig: map[string]any{},
		LoggedInDates:             []string{},
	}
}

// snapshot is the copy the emulator hands out: no token, no shared slices.
func (u *User) snapshot() *User {
	c := *u
	c.Token = ""
	c.Fields = append([]Field(nil), u.Fields...)
	c.AlsoKnownAs = append([]string(nil), u.AlsoKnownAs...)
	c.LoggedInDates = append([]string(nil), u.LoggedInDates...)
	c.AvatarDecorations = cloneJSON(u.AvatarDecorations).([]any)
	c.MutedWords = cloneJSON(u.MutedWords).([]any)
	c.HardMutedWords = cloneJSON(u.HardMutedWords).([]any)
	c.MutedInstances = cloneJSON(u.MutedInstances).([]any)
	c.EmailNotificationTypes = cloneJSON(u.EmailNotificationTypes).([]any)
	c.NotificationRecieveConfig = cloneJSON(u.NotificationRecieveConfig).(map[string]any)
	if u.PolicyOverrides != nil {
		c.PolicyOverrides = cloneJSON(u.PolicyOverrides).(map[string]any)
	}
	return &c
}

// CreateUser adds a local user with a new native token and returns a copy
// of it. It panics if the username is not a valid Misskey username or is
// taken (usernames are unique regardless of case): that is a mistake in the
// test or caller, not a condition to handle.
func (e *Emulator) CreateUser(username string) *User {
	if !usernamePattern.MatchString(username) {
		panic(fmt.Sprintf("emulator: invalid username %q", username))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.st.localUser(username) != nil {
		panic(fmt.Sprintf("emulator: username %q is taken", username))
	}
	now := e.now()
	u := newUser(e.st.IDs.next(now), username, now)
	u.Token = randomString(tokenAlphabet, nativeTokenLength)
	e.st.Users = append(e.st.Users, u)
	return u.snapshot()
}

// CreateRemoteUser adds a user of another server, known to this one as if
// it had been fetched over ActivityPub, so that users/show {username, host}
// and i/update alsoKnownAs find it. Unknown remote users fail to resolve,
// as they would without federation.
func (e *Emulator) CreateRemoteUser(username, host string) *User {
	host = strings.ToLower(host)
	if username == "" || host == "" {
		panic("emulator: a remote user needs a username and a host")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.st.remoteUser(username, host) != nil {
		panic(fmt.Sprintf("emulator: @%s@%s exists", username, host))
	}
	now := e.now()
	u := newUser(e.st.IDs.next(now), username, now)
	uri := "https://" + host + "/users/" + username
	url := "https://" + host + "/@" + username
	u.Host, u.URI, u.URL, u.LastFetchedAt = &host, &uri, &url, &now
	e.st.Users = append(e.st.Users, u)
	return u.snapshot()
}

// FindUserByUsername returns a copy of the local user with that username
// (compared without case, as Misskey does), or nil.
func (e *Emulator) FindUserByUsername(username string) *User {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u := e.st.localUser(username); u != nil {
		return u.snapshot()
	}
	return nil
}

// UserByID returns a copy of a user, or nil.
func (e *Emulator) UserByID(id string) *User {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u := e.st.user(id); u != nil {
		return u.snapshot()
	}
	return nil
}

// UpdateUser changes a user in place, under the emulator's lock — for test
// set-ups the API cannot make (a suspended or locked account). It panics
// for an unknown id.
func (e *Emulator) UpdateUser(id string, change func(u *User)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.st.user(id)
	if u == nil {
		panic(fmt.Sprintf("emulator: no user %q", id))
	}
	change(u)
}

// SetPolicy overrides one role policy of a user (pinLimit, antennaLimit,
// rateLimitFactor, …), as a role assigned to them would. Numbers may be
// given as any Go integer or float type, lists as []string or []any.
func (e *Emulator) SetPolicy(userID, key string, value any) {
	switch v := value.(type) {
	case int:
		value = float64(v)
	case int64:
		value = float64(v)
	case float32:
		value = float64(v)
	case []string: // uploadableFileTypes
		list := make([]any, len(v))
		for i, x := range v {
			list[i] = x
		}
		value = list
	}
	e.UpdateUser(userID, func(u *User) {
		if u.PolicyOverrides == nil {
			u.PolicyOverrides = map[string]any{}
		}
		u.PolicyOverrides[key] = value
	})
}
