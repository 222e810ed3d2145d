package emulator

import "strings"

// EnsureUser returns the user named by an acct ("@user", "user",
// "@user@host"), creating it when it does not exist: a local user when the
// host is missing or is this server's, a remote one otherwise. The sandbox
// uses it so that every account a configuration mentions can be resolved.
func (e *Emulator) EnsureUser(acct string) *User {
	username, host, _ := strings.Cut(strings.TrimPrefix(acct, "@"), "@")
	host = strings.ToLower(host)
	if host == "" || host == e.host {
		if u := e.FindUserByUsername(username); u != nil {
			return u
		}
		return e.CreateUser(username)
	}
	e.mu.Lock()
	u := e.st.remoteUser(username, host)
	e.mu.Unlock()
	if u != nil {
		return u.snapshot()
	}
	return e.CreateRemoteUser(username, host)
}
