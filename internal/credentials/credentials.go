// Package credentials keeps the tokens `mkctl login` obtained, one per
// instance and username, in a JSON file in the user's configuration
// directory. The file holds secrets: it is written with mode 0600 in a
// directory with mode 0700, always through a temporary file and a rename so
// that a crash never leaves half a file, and reading a file that others can
// read produces a warning.
package credentials

import (
	"strings"
	"time"
)

// FileName is the credentials file's name inside the mkctl configuration
// directory.
const FileName = "credentials.json"

// formatVersion is the version of the file format; a file with a newer
// version is refused rather than rewritten without the fields this mkctl
// does not know.
const formatVersion = 1

// Credential is one stored token.
type Credential struct {
	// Host is the instance's normalised base URL (see CanonicalHost):
	// "https://misskey.example".
	Host string `json:"host"`
	// Username is the account's username as the server spells it (no @).
	Username string `json:"username"`
	// UserID is the account's Misskey user id.
	UserID string `json:"user_id,omitempty"`
	// Token is the MiAuth access token. It never leaves this file except
	// in requests to Host.
	Token string `json:"token"`
	// Permissions are the permission kinds the token was granted. MiAuth
	// grants all that were asked for or nothing, so this is the list
	// login asked for. Nil means unknown.
	Permissions []string `json:"permissions"`
	// CreatedAt is when login stored the token.
	CreatedAt time.Time `json:"created_at"`
}

// Matches reports whether c is the credential of username on host. Misskey
// usernames are case-insensitive (the server keys them by usernameLower);
// hosts are compared in canonical form.
func (c *Credential) Matches(host, username string) bool {
	return sameHost(c.Host, host) && strings.EqualFold(c.Username, username)
}

// HasPermission reports whether the token was granted a permission kind.
func (c *Credential) HasPermission(kind string) bool {
	for _, p := range c.Permissions {
		if p == kind {
			return true
		}
	}
	return false
}

// file is the JSON document on disk.
type file struct {
	Version     int          `json:"version"`
	Credentials []Credential `json:"credentials"`
}
