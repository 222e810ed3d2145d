package emulator

import (
	"fmt"
	"slices"
	"time"
)

// Token shapes of misc/token.ts and AuthenticateService.ts: a native token
// (the web client's session) is exactly 16 characters; an access token
// (MiAuth, "Service connection", OAuth2) is 32 random characters.
const (
	tokenAlphabet     = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	nativeTokenLength = 16
	accessTokenLength = 32
)

// AccessToken is an access_token row: a third-party token with an explicit
// permission list. Its ID is the registry domain of everything written with
// it.
type AccessToken struct {
	ID          string    `json:"id"`
	UserID      string    `json:"userId"`
	Token       string    `json:"token"`
	Permission  []string  `json:"permission"`
	Session     *string   `json:"session"` // MiAuth session, nil otherwise
	Fetched     bool      `json:"fetched"` // handed out by miauth/…/check
	Name        *string   `json:"name"`
	Description *string   `json:"description"`
	IconURL     *string   `json:"iconUrl"`
	CreatedAt   time.Time `json:"createdAt"`
	LastUsedAt  time.Time `json:"lastUsedAt"`
}

func (t *AccessToken) allows(kind string) bool { return slices.Contains(t.Permission, kind) }

// NativeToken returns a local user's native token ("" for an unknown or
// remote user). It can call every endpoint, including secure ones.
func (e *Emulator) NativeToken(userID string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u := e.st.user(userID); u != nil {
		return u.Token
	}
	return ""
}

// IssueToken returns a token for a local user. With no permissions it is
// the user's native token; otherwise a new access token limited to those
// permission kinds ("read:account", "write:account", …), as MiAuth would
// make. It panics for an unknown or remote user.
func (e *Emulator) IssueToken(userID string, permissions []string) string {
	if len(permissions) == 0 {
		if tok := e.NativeToken(userID); tok != "" {
			return tok
		}
		panic(fmt.Sprintf("emulator: no local user %q", userID))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.st.user(userID)
	if u == nil || !u.IsLocal() {
		panic(fmt.Sprintf("emulator: no local user %q", userID))
	}
	return e.newAccessToken(u, slices.Clone(permissions), nil, nil, nil, nil).Token
}

// newAccessToken stores a new access token; the caller holds e.mu.
func (e *Emulator) newAccessToken(u *User, permission []string, session, name, description, iconURL *string) *AccessToken {
	now := e.now()
	t := &AccessToken{
		ID:          e.st.IDs.next(now),
		UserID:      u.ID,
		Token:       randomString(tokenAlphabet, accessTokenLength),
		Permission:  permission,
		Session:     session,
		Name:        name,
		Description: description,
		IconURL:     iconURL,
		CreatedAt:   now,
		LastUsedAt:  now,
	}
	e.st.AccessTokens = append(e.st.AccessTokens, t)
	return t
}

// authenticate resolves a token like AuthenticateService.authenticate:
// (nil, nil, nil) for no token; the user and nil for a native token; the
// user and the access token otherwise. The caller holds e.mu.
func (e *Emulator) authenticate(token *string) (*User, *AccessToken, *apiError) {
	if token == nil {
		return nil, nil, nil
	}
	if len(*token) == nativeTokenLength {
		for _, u := range e.st.Users {
			if u.IsLocal() && u.Token == *token {
				return u, nil, nil
			}
		}
		return nil, nil, errAuthenticationFailed
	}
	for _, t := range e.st.AccessTokens {
		if t.Token == *token {
			u := e.st.user(t.UserID)
			if u == nil {
				return nil, nil, errAuthenticationFailed
			}
			t.LastUsedAt = e.now()
			return u, t, nil
		}
	}
	return nil, nil, errAuthenticationFailed
}
