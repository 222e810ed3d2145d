// Package acctest connects tests to a real Misskey: the acceptance suite and
// the emulator conformance test. They run only when MKCTL_ACC=1, and then
// fail — never skip — when the server is missing, so a green run always
// means the real server was asked.
//
// The server is the kit in ../shared/misskey/server (README "Testing"):
//
//	../shared/misskey/server/up.sh
//	eval "$(../shared/misskey/server/env.sh)"
//	MKCTL_ACC=1 go test ./...
//
// Every test gets accounts of its own (admin/accounts/create with the kit's
// admin token), so tests do not see each other's objects and per-user rate
// limits start fresh; tokens for mkctl are MiAuth tokens made exactly the
// way the web UI makes them (miauth/gen-token, then miauth/SESSION/check).
package acctest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvVar turns the acceptance tests on.
const EnvVar = "MKCTL_ACC"

// upHint is what every failure to reach the server says.
const upHint = "start the real Misskey with ../shared/misskey/server/up.sh, then eval \"$(../shared/misskey/server/env.sh)\" (README \"Testing\")"

// Enabled reports whether MKCTL_ACC asks for the acceptance tests.
func Enabled() bool {
	v := os.Getenv(EnvVar)
	return v != "" && v != "0" && v != "false"
}

// Skip skips t unless the acceptance tests are on. It is the only skip in
// the suite: once MKCTL_ACC=1, a missing server is a failure.
func Skip(t testing.TB) {
	t.Helper()
	if !Enabled() {
		t.Skipf("acceptance test: set %s=1 (and %s)", EnvVar, upHint)
	}
}

// Server is the real Misskey the kit runs.
type Server struct {
	URL        string // http://127.0.0.1:3000, no trailing slash
	AdminToken string // native token of the instance's root administrator
	AliceToken string
	BobToken   string
	hc         *http.Client

	mu           sync.Mutex
	roleByPolicy map[string]string // "pinLimit=2" → role id, made once per run
}

var (
	serverOnce sync.Once
	server     *Server
	serverErr  error
)

// Connect returns the real server, or fails t (naming up.sh) when it is not
// configured or does not answer. It skips t when MKCTL_ACC is off.
func Connect(t testing.TB) *Server {
	t.Helper()
	Skip(t)
	serverOnce.Do(func() { server, serverErr = connect() })
	if serverErr != nil {
		t.Fatalf("acceptance tests need the real Misskey: %v; %s", serverErr, upHint)
	}
	return server
}

func connect() (*Server, error) {
	s := &Server{
		URL:          strings.TrimRight(os.Getenv("MISSKEY_URL"), "/"),
		AdminToken:   os.Getenv("MISSKEY_TOKEN_ADMIN"),
		AliceToken:   os.Getenv("MISSKEY_TOKEN_ALICE"),
		BobToken:     os.Getenv("MISSKEY_TOKEN_BOB"),
		hc:           &http.Client{Timeout: 60 * time.Second},
		roleByPolicy: map[string]string{},
	}
	if s.URL == "" || s.AdminToken == "" {
		return nil, errors.New("MISSKEY_URL or MISSKEY_TOKEN_ADMIN is not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var meta struct {
		Version string `json:"version"`
	}
	if err := s.CallJSON(ctx, "", "meta", map[string]any{"detail": false}, &meta); err != nil {
		return nil, fmt.Errorf("%s does not answer: %w", s.URL, err)
	}
	if meta.Version == "" {
		return nil, fmt.Errorf("%s answered meta without a version: not a Misskey", s.URL)
	}
	if err := s.CallJSON(ctx, s.AdminToken, "i", map[string]any{}, nil); err != nil {
		return nil, fmt.Errorf("the admin token is refused by %s: %w", s.URL, err)
	}
	return s, nil
}

// Response is one raw answer of the server.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Error is a non-2xx answer.
type Error struct {
	Endpoint string
	Status   int
	Body     string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: HTTP %d %s", e.Endpoint, e.Status, e.Body)
}

// Call POSTs body (JSON) to /api/endpoint with token as a Bearer header (no
// header when token is empty) and returns the answer as it came.
func (s *Server) Call(ctx context.Context, token, endpoint string, body any) (*Response, error) {
	var buf []byte
	switch b := body.(type) {
	case nil:
		buf = []byte("{}")
	case []byte:
		buf = b
	case string:
		buf = []byte(b)
	default:
		var err error
		if buf, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/api/"+endpoint, bytes.NewReader(buf))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// CallJSON calls an endpoint and decodes a 2xx answer into out (which may
// be nil); any other status is an *Error.
func (s *Server) CallJSON(ctx context.Context, token, endpoint string, body, out any) error {
	r, err := s.Call(ctx, token, endpoint, body)
	if err != nil {
		return fmt.Errorf("%s: %w", endpoint, err)
	}
	if r.Status >= 300 {
		return &Error{Endpoint: endpoint, Status: r.Status, Body: string(r.Body)}
	}
	if out == nil || len(r.Body) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.Body, out); err != nil {
		return fmt.Errorf("%s: %w", endpoint, err)
	}
	return nil
}

// Must calls an endpoint as token and fails t unless it succeeds.
func (s *Server) Must(t testing.TB, token, endpoint string, body, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := s.CallJSON(ctx, token, endpoint, body, out); err != nil {
		t.Fatalf("real server: %v", err)
	}
}

// User is an account made for one test.
type User struct {
	ID          string
	Username    string
	NativeToken string // the web session token: every permission, secure endpoints too
	s           *Server
}

// NewUser makes a fresh local account whose username starts with prefix
// (letters, digits and _ only; the rest is random) and deletes it when t
// ends. Fresh accounts give each test a known, empty starting state and
// rate-limit buckets of its own.
func (s *Server) NewUser(t testing.TB, prefix string) *User {
	t.Helper()
	u, err := s.newUser(t, prefix)
	if err != nil {
		t.Fatalf("real server: %v", err)
	}
	return u
}

// NewUsers makes n accounts as NewUser does, eight at a time (one
// admin/accounts/create takes about a third of a second).
func (s *Server) NewUsers(t testing.TB, prefix string, n int) []*User {
	t.Helper()
	users := make([]*User, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			users[i], errs[i] = s.newUser(t, prefix)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("making account %d of %d: %v", i+1, n, err)
		}
	}
	return users
}

// newUser makes one account and registers its deletion with t. It does
// not fail t, so NewUsers can call it off the test's goroutine.
func (s *Server) newUser(t testing.TB, prefix string) (*User, error) {
	name := UniqueName(prefix)
	var out struct {
		ID       string `json:"id"`
		Username string `json:"username"`
		Token    string `json:"token"`
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := s.CallJSON(ctx, s.AdminToken, "admin/accounts/create", map[string]any{"username": name, "password": "acc-pass-" + name}, &out); err != nil {
		return nil, err
	}
	u := &User{ID: out.ID, Username: out.Username, NativeToken: out.Token, s: s}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// Deleting the account also ends its tokens, follows and notes.
		_ = s.CallJSON(ctx, s.AdminToken, "admin/accounts/delete", map[string]any{"userId": u.ID}, nil)
	})
	return u, nil
}

// UniqueName is prefix plus a random suffix, at most 20 word characters
// (Misskey's username rule).
func UniqueName(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	suffix := make([]byte, len(b))
	for i, c := range b {
		suffix[i] = alphabet[int(c)%len(alphabet)]
	}
	if len(prefix) > 11 {
		prefix = prefix[:11]
	}
	return prefix + "_" + string(suffix)
}

// MiAuth makes a third-party token for u holding perms, exactly as the web
// UI and mkctl login do: gen-token with the user's native token approves a
// fresh session, then the app collects the token with miauth/SESSION/check.
func (u *User) MiAuth(t testing.TB, perms ...string) string {
	t.Helper()
	session := NewSession()
	u.Approve(t, session, "mkctl-acceptance", perms)
	var check struct {
		OK    bool   `json:"ok"`
		Token string `json:"token"`
	}
	u.s.Must(t, "", "miauth/"+session+"/check", map[string]any{}, &check)
	if !check.OK || check.Token == "" {
		t.Fatalf("miauth/%s/check did not hand out the token", session)
	}
	return check.Token
}

// Approve is the user pressing "Allow" on the consent page of session.
func (u *User) Approve(t testing.TB, session, name string, perms []string) {
	t.Helper()
	if perms == nil {
		perms = []string{}
	}
	u.s.Must(t, u.NativeToken, "miauth/gen-token", map[string]any{"session": session, "name": name, "permission": perms}, nil)
}

// NewSession is a random MiAuth session id.
func NewSession() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Call calls an endpoint as u with its native token and fails t unless it
// succeeds.
func (u *User) Call(t testing.TB, endpoint string, body, out any) {
	t.Helper()
	u.s.Must(t, u.NativeToken, endpoint, body, out)
}

// SetPolicy gives u a role whose only policy is key = value (pinLimit,
// antennaLimit, …), overriding the instance default for u alone. The role
// is named after the policy and value ("mkctl-acc pinLimit=2"), so every
// run reuses the one made the first time instead of piling up roles.
func (s *Server) SetPolicy(t testing.TB, u *User, key string, value any) {
	t.Helper()
	roleKey := fmt.Sprintf("%s=%v", key, value)
	name := "mkctl-acc " + roleKey
	s.mu.Lock()
	defer s.mu.Unlock()
	roleID := s.roleByPolicy[roleKey]
	if roleID == "" {
		var roles []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		s.Must(t, s.AdminToken, "admin/roles/list", map[string]any{}, &roles)
		for _, r := range roles {
			if r.Name == name {
				roleID = r.ID
				break
			}
		}
	}
	if roleID == "" {
		var role struct {
			ID string `json:"id"`
		}
		s.Must(t, s.AdminToken, "admin/roles/create", map[string]any{
			"name": name, "description": "mkctl acceptance tests: " + roleKey + " for the accounts a test assigns",
			"color": nil, "iconUrl": nil, "target": "manual", "condFormula": map[string]any{},
			"isPublic": false, "isModerator": false, "isAdministrator": false, "asBadge": false,
			"canEditMembersByModerator": false, "displayOrder": 0,
			"policies": map[string]any{key: map[string]any{"useDefault": false, "priority": 2, "value": value}},
		}, &role)
		roleID = role.ID
	}
	s.roleByPolicy[roleKey] = roleID
	s.Must(t, s.AdminToken, "admin/roles/assign", map[string]any{"roleId": roleID, "userId": u.ID}, nil)
	s.waitPolicy(t, u, key, value)
}

// waitPolicy polls u's `i` until its policies show key = value. Misskey's
// RoleService learns of a new role and of an assignment through its event
// bus, after the admin call has answered: a test that acts at once can
// still get the default limit.
func (s *Server) waitPolicy(t testing.TB, u *User, key string, value any) {
	t.Helper()
	want, _ := json.Marshal(value)
	deadline := time.Now().Add(15 * time.Second)
	for {
		var me struct {
			Policies map[string]json.RawMessage `json:"policies"`
		}
		s.Must(t, u.NativeToken, "i", map[string]any{}, &me)
		if string(me.Policies[key]) == string(want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s=%s assigned to %s, but its policies still say %s", key, want, u.Username, me.Policies[key])
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// KitDir finds the server kit: $MISSKEY_KIT, or shared/misskey/server
// beside one of the working directory's ancestors (the layout of this
// project's checkouts: ../shared/misskey/server from the repository).
func KitDir() (string, error) {
	if d := os.Getenv("MISSKEY_KIT"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		cand := filepath.Join(dir, "shared", "misskey", "server")
		if _, err := os.Stat(filepath.Join(cand, "reset-rate-limits.sh")); err == nil {
			return cand, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("the server kit (shared/misskey/server) is not beside any parent of " + wd + "; set MISSKEY_KIT")
		}
	}
}

// ResetRateLimits forgets the instance's rate-limit counters with the kit's
// script, so tests need not wait out an hour. Limits stay on.
func (s *Server) ResetRateLimits(t testing.TB) {
	t.Helper()
	kit, err := KitDir()
	if err != nil {
		t.Fatalf("reset rate limits: %v", err)
	}
	out, err := exec.Command("bash", filepath.Join(kit, "reset-rate-limits.sh")).CombinedOutput()
	if err != nil {
		t.Fatalf("reset rate limits: %v\n%s", err, out)
	}
}
