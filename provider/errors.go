package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mkctl/mkctl/provider/misskeyapi"
)

// APIError is an HTTP answer that is not a success. For Misskey's own
// errors the fields are those of its {"error": {...}} body; any other
// answer (a proxy page, Fastify's 404, an empty 405) gets Code "HTTP_<status>".
type APIError struct {
	Endpoint string
	// Login is the `mkctl login` command for the instance that answered,
	// for hints ("mkctl login --host misskey.example").
	Login   string
	Status  int
	Code    string         // RATE_LIMIT_EXCEEDED, or HTTP_404 for a non-Misskey answer
	ID      string         // Misskey's stable error id (a UUID)
	Message string         // human text, from Misskey or the status line
	Kind    string         // Misskey's error kind: client, server or permission
	Info    map[string]any // extra detail: INVALID_PARAM's param/reason, the 429 reset time, …
}

func (e *APIError) Error() string {
	if !e.fromMisskey() {
		msg := fmt.Sprintf("%s: the server answered HTTP %d", e.Endpoint, e.Status)
		if e.Message != "" {
			msg += ": " + e.Message
		}
		return msg + e.detail()
	}
	return fmt.Sprintf("%s: Misskey answered %d %s: %s%s", e.Endpoint, e.Status, e.Code, e.Message, e.detail())
}

// fromMisskey tells Misskey's own error bodies from everything else.
func (e *APIError) fromMisskey() bool { return !strings.HasPrefix(e.Code, "HTTP_") }

func (e *APIError) detail() string {
	if p, ok := e.Info["param"].(string); ok {
		if r, ok := e.Info["reason"].(string); ok {
			return fmt.Sprintf(" (param %s: %s)", p, r)
		}
		return fmt.Sprintf(" (param %s)", p)
	}
	if inner, ok := e.Info["e"].(map[string]any); ok { // INTERNAL_ERROR
		if m, ok := inner["message"].(string); ok && m != "" {
			return fmt.Sprintf(" (%s)", m)
		}
	}
	if loc, ok := e.Info["location"].(string); ok && loc != "" {
		return fmt.Sprintf(" (redirect to %s)", loc)
	}
	return ""
}

func (e *APIError) login() string {
	if e.Login == "" {
		return "mkctl login --host HOST"
	}
	return e.Login
}

// Hint tells the user what to do about the error, or "" when there is
// nothing better to say than the message.
func (e *APIError) Hint() string {
	switch e.Code {
	case "AUTHENTICATION_FAILED":
		return fmt.Sprintf("the token is wrong or was revoked: if it comes from MKCTL_TOKEN or the account's MKCTL_TOKEN_<NAME>, set that to a valid token (a variable wins over a stored token); otherwise run `%s` again", e.login())
	case "CREDENTIAL_REQUIRED":
		return fmt.Sprintf("no token was sent; run `%s`, or set MKCTL_TOKEN (or the account's MKCTL_TOKEN_<NAME>)", e.login())
	case "PERMISSION_DENIED":
		if p := endpointPermission(e.Endpoint); p != "" {
			return fmt.Sprintf("the token lacks the permission %s that %s needs; create a token with it (`%s` asks for every permission mkctl uses)", p, e.Endpoint, e.login())
		}
		return fmt.Sprintf("the token lacks a permission that %s needs; create a token with it (`%s` asks for every permission mkctl uses)", e.Endpoint, e.login())
	case "ACCESS_DENIED":
		return fmt.Sprintf("%s accepts only a web browser session's token, not an app token; mkctl cannot call it", e.Endpoint)
	case "ROLE_PERMISSION_DENIED", "RESTRICTED_BY_ROLE":
		return "a role policy of this instance forbids this for the account; ask the instance's admins"
	case "YOUR_ACCOUNT_SUSPENDED":
		return "the account is suspended on this instance; nothing can change until a moderator lifts the suspension"
	case "YOUR_ACCOUNT_MOVED":
		return "the account has moved to another account, and Misskey refuses changes to a moved account"
	case "USER_IS_DELETED":
		return "the account that owns the token is being deleted"
	case "RATE_LIMIT_EXCEEDED":
		if ms, ok := e.Info["resetMs"].(float64); ok {
			return fmt.Sprintf("Misskey limits how often %s may be called; run mkctl again after %s", e.Endpoint, time.UnixMilli(int64(ms)).Local().Format("15:04:05 (Jan 2)"))
		}
		return fmt.Sprintf("Misskey limits how often %s may be called; wait a while and run mkctl again", e.Endpoint)
	case "NO_SUCH_USER":
		return "a user mkctl looked up does not exist on that server (or is suspended); check how @user@host is spelled in the configuration"
	case "FAILED_TO_RESOLVE_REMOTE_USER":
		return "Misskey could not fetch a remote user from its server (it may be down, or block this instance); try again later"
	case "FORBIDDEN_TO_SET_YOURSELF":
		return "also_known_as must not list the account itself"
	case "URI_NULL":
		return "Misskey found no ActivityPub URI for an account in also_known_as; check that the account exists"
	case "INVALID_PARAM":
		return "Misskey rejected a parameter mkctl sent; this is likely a mkctl bug: please report it at https://github.com/mkctl/mkctl/issues with this message"
	case "YOUR_NAME_CONTAINS_PROHIBITED_WORDS":
		return "this instance's admins prohibit a word in the display name; choose another name"
	case "CONTAINS_PROHIBITED_WORDS":
		return "this instance's admins prohibit a word in the note's text or cw; change the text"
	case "CONTAINS_TOO_MANY_MENTIONS":
		return "the note mentions more users than the role policy mentionLimit allows (20 by default); mention fewer"
	case "HAS_CHILD_FILES_OR_FOLDERS":
		return "Misskey deletes only empty folders: move or delete what is inside it (Drive in the web UI), or keep declaring the folder"
	case "PIN_LIMIT_EXCEEDED":
		return "the account may pin only as many notes as its role policy pinLimit allows (5 by default); declare fewer pinned notes"
	case "TOO_MANY_ANTENNAS":
		return "the account may have only as many antennas as its role policy antennaLimit allows (5 by default)"
	case "TOO_MANY_CLIPS":
		return "the account may have only as many clips as its role policy clipLimit allows (10 by default)"
	case "NO_SUCH_CLIP":
		// Reads list the clips, then read each one's notes: one deleted
		// in between (in the web UI) fails the read, not the account.
		if e.Endpoint == "clips/notes" {
			return "the clip was deleted while mkctl read the account (in the web UI?); run mkctl again"
		}
	case "TOO_MANY_CLIP_NOTES":
		return "a clip may hold only as many notes as the role policy noteEachClipsLimit allows (200 by default)"
	case "TOO_MANY_USERLISTS":
		return "the account may have only as many user lists as its role policy userListLimit allows (10 by default)"
	case "TOO_MANY_USERS":
		return "a user list may hold only as many members as the role policy userEachUserListsLimit allows (50 by default)"
	case "EMPTY_KEYWORD":
		return "Misskey needs at least one keyword or exclude keyword in every antenna"
	case "FOLLOWEE_IS_YOURSELF":
		return "an account cannot follow itself; remove that follow from the configuration"
	case "BLOCKING":
		return "the account blocks that user; unblock it before following"
	case "BLOCKED", "YOU_HAVE_BEEN_BLOCKED":
		return "that user blocks this account"
	case "INTERNAL_ERROR":
		return "Misskey failed internally; try again later, and tell the instance's admins if it keeps happening"
	case "HTTP_404":
		return fmt.Sprintf("the server does not know the endpoint %s: it may run a Misskey version mkctl does not support, or it may not be a Misskey server", e.Endpoint)
	case "HTTP_413":
		return "the request is larger than the server accepts (Misskey takes JSON bodies up to 1 MiB)"
	case "HTTP_502", "HTTP_503", "HTTP_504":
		return "the server, or a proxy in front of it, is unavailable; try again later"
	}
	if loc, ok := e.Info["location"].(string); ok && loc != "" {
		return fmt.Sprintf("the server redirects to %s; set the account's host to that address", loc)
	}
	return ""
}

// endpointPermission is the token permission ("kind") an endpoint
// requires, "" when it needs none; it makes PERMISSION_DENIED actionable.
// It is read from the api.json the emulator validates against, not from a
// table of our own, so an endpoint a new kind starts calling cannot be
// left out of it (blocks, mutes, webhooks and drafts once were).
func endpointPermission(endpoint string) string {
	if spec, ok := misskeyapi.Endpoint(endpoint); ok {
		return spec.Kind
	}
	return ""
}

// IsCode reports whether err is, or wraps, an APIError with the given code.
func IsCode(err error, code string) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == code
}

// loginCommand is the command that gets a new token for this instance:
// what an API error and a refused stream tell the user to run.
func (c *Client) loginCommand() string {
	return "mkctl login --host " + strings.TrimPrefix(c.base, "https://")
}

// apiError turns a non-2xx answer into an APIError, with the token scrubbed
// from every string the server sent back.
func (c *Client) apiError(endpoint string, resp *response) *APIError {
	e := &APIError{Endpoint: endpoint, Status: resp.status, Login: c.loginCommand()}
	var env struct {
		Error *struct {
			Message string         `json:"message"`
			Code    string         `json:"code"`
			ID      string         `json:"id"`
			Kind    string         `json:"kind"`
			Info    map[string]any `json:"info"`
		} `json:"error"`
	}
	if json.Unmarshal(resp.body, &env) == nil && env.Error != nil && env.Error.Code != "" && !strings.HasPrefix(env.Error.Code, "HTTP_") {
		e.Code = c.redact(env.Error.Code)
		e.ID = c.redact(env.Error.ID)
		e.Message = c.redact(env.Error.Message)
		e.Kind = c.redact(env.Error.Kind)
		if env.Error.Info != nil {
			e.Info = c.redactValue(env.Error.Info).(map[string]any)
		}
		return e
	}
	e.Code = "HTTP_" + strconv.Itoa(resp.status)
	e.Message = c.redact(foreignMessage(resp))
	if loc := resp.header.Get("Location"); loc != "" && resp.status >= 300 && resp.status < 400 {
		e.Info = map[string]any{"location": c.redact(loc)}
	}
	return e
}

// foreignMessage finds something readable in an answer that is not a
// Misskey error: Fastify's {"message": ...}, a short plain-text body, or
// the status text.
func foreignMessage(resp *response) string {
	var fastify struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(resp.body, &fastify) == nil && fastify.Message != "" {
		return truncate(fastify.Message, 200)
	}
	mt, _, _ := mime.ParseMediaType(resp.header.Get("Content-Type"))
	text := strings.TrimSpace(string(resp.body))
	if text != "" && (mt == "text/plain" || mt == "") && !strings.HasPrefix(text, "<") {
		line, _, _ := strings.Cut(text, "\n")
		return truncate(strings.TrimSpace(line), 200)
	}
	return http.StatusText(resp.status)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// AccountMismatchError is a token that belongs to another account than the
// one the configuration (or a saved plan) is about. Writing with it would
// change the wrong account.
type AccountMismatchError struct {
	Address       string // account.weather
	Declared      string // the username the configuration declares
	TokenUsername string // the username the token belongs to
	// PlanUserID and TokenUserID are set when a saved plan was made for a
	// different user id than the token's (same name, re-created account).
	PlanUserID  string
	TokenUserID string
}

func (e *AccountMismatchError) Error() string {
	if e.PlanUserID != "" && e.PlanUserID != e.TokenUserID {
		return fmt.Sprintf("the token belongs to @%s (user id %s), but the plan for %s was made for user id %s; make a new plan",
			e.TokenUsername, e.TokenUserID, e.Address, e.PlanUserID)
	}
	return fmt.Sprintf("the token belongs to @%s, but %s declares username = %q; use that account's token",
		e.TokenUsername, e.Address, e.Declared)
}
