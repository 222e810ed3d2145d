package miauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Grant is what the check answers once the user has approved.
type Grant struct {
	// Token is the access token: a secret.
	Token string
	// User is the account that approved.
	User User
}

// User is the part of the check's UserDetailedNotMe that a login needs.
type User struct {
	ID       string  `json:"id"`
	Username string  `json:"username"`
	Host     *string `json:"host"` // null for a local user, which it always is
	Name     *string `json:"name"`
}

// Checker calls POST /api/miauth/SESSION/check. Misskey hands the token
// out exactly once: the first check after approval gets it, every later
// one answers {"ok":false}. So checks must never run concurrently, and a
// check is never retried blindly.
type Checker struct {
	BaseURL   string
	Session   string
	UserAgent string
	// HTTPClient defaults to a client with a 15-second timeout that does
	// not follow redirects.
	HTTPClient *http.Client
}

// CheckError is a check that failed. Transient failures (the network, a
// 5xx or 429 answer) are worth another try at the next poll; the others
// mean the server does not do MiAuth at that address.
type CheckError struct {
	Status    int // 0 for a network error
	Transient bool
	Err       error
}

func (e *CheckError) Error() string { return "checking the MiAuth session: " + e.Err.Error() }
func (e *CheckError) Unwrap() error { return e.Err }

// maxCheckBytes bounds the answer: a token and a packed user.
const maxCheckBytes = 4 << 20

// Check asks whether the session was approved: a Grant if it was (and the
// token had not been handed out yet), nil while it was not.
func (c *Checker) Check(ctx context.Context) (*Grant, error) {
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{
			Timeout:       15 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	endpoint := strings.TrimRight(c.BaseURL, "/") + "/api/miauth/" + escapePathSegment(c.Session) + "/check"
	// No body and no credential, as the web client's own check sends.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, nil)
	if err != nil {
		return nil, &CheckError{Err: fmt.Errorf("invalid server URL %q", c.BaseURL)}
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		// url.Error repeats the URL, and the URL holds the session.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &CheckError{Transient: true, Err: fmt.Errorf("reaching %s: %w", c.BaseURL, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCheckBytes))
	if err != nil {
		return nil, &CheckError{Status: resp.StatusCode, Transient: true, Err: fmt.Errorf("reading the answer: %w", err)}
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, &CheckError{Status: resp.StatusCode, Transient: true, Err: fmt.Errorf("%s answered HTTP %d", c.BaseURL, resp.StatusCode)}
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return nil, &CheckError{Status: resp.StatusCode, Err: fmt.Errorf("%s redirects the API to %s: give that server after --host", c.BaseURL, redirectHost(resp))}
	case resp.StatusCode != http.StatusOK:
		return nil, &CheckError{Status: resp.StatusCode, Err: fmt.Errorf("%s answered HTTP %d: it does not look like a Misskey server with MiAuth", c.BaseURL, resp.StatusCode)}
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/json" {
		return nil, &CheckError{Status: resp.StatusCode, Err: fmt.Errorf("%s answered %q instead of JSON: it does not look like a Misskey server", c.BaseURL, mt)}
	}
	var answer struct {
		OK    bool   `json:"ok"`
		Token string `json:"token"`
		User  *User  `json:"user"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, &CheckError{Status: resp.StatusCode, Err: fmt.Errorf("the answer is not the JSON Misskey sends: %v", jsonErrText(err))}
	}
	if !answer.OK {
		return nil, nil
	}
	if answer.Token == "" || answer.User == nil || answer.User.Username == "" {
		// The token, if any, was handed out and is lost: say so.
		return nil, &CheckError{Status: resp.StatusCode, Err: errors.New("the server approved the session but its answer lacks the token or the user; revoke the new token in the instance's settings and try again")}
	}
	return &Grant{Token: answer.Token, User: *answer.User}, nil
}

func redirectHost(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil {
		return "another address"
	}
	return loc.Scheme + "://" + loc.Host
}

// jsonErrText describes a JSON error without quoting the input, which
// may hold the token.
func jsonErrText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %s has the wrong type", te.Field)
	}
	return "invalid JSON"
}
