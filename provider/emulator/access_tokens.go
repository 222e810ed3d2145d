package emulator

import "slices"

// AccessTokensOf returns copies of a user's access tokens (MiAuth, Settings
// → API, tokens made by IssueToken), oldest first, as i/apps would list
// them — with the token itself, which i/apps does not show, so tests can
// look for it in what a client printed or wrote.
func (e *Emulator) AccessTokensOf(userID string) []AccessToken {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []AccessToken
	for _, t := range e.st.AccessTokens {
		if t.UserID == userID {
			c := *t
			c.Permission = slices.Clone(t.Permission)
			out = append(out, c)
		}
	}
	return out
}
