package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider/emulator"
	"github.com/mkctl/mkctl/provider/misskeyapi"
)

// mkctlPermissions are the kinds `mkctl login` asks for (API-NOTES §8).
var mkctlPermissions = []string{
	"read:account", "write:account", "read:following", "write:following",
	"write:notes", "read:drive", "write:drive",
}

// emuEnv is an emulated server with one account, alice, and a client for it
// with a MiAuth-style token, the kind mkctl uses.
type emuEnv struct {
	emu   *emulator.Emulator
	clock *emulator.FakeClock
	me    *emulator.User
	c     *Client
	rec   *recorder
	// counts counts requests by endpoint, as the client sent them
	// (including faulted ones).
	mu     sync.Mutex
	counts map[string]int
}

type emuOpt func(*emulator.Options)

func withRateLimits(o *emulator.Options) { o.RateLimits = true }

func newEmuEnv(t testing.TB, opts ...emuOpt) *emuEnv {
	t.Helper()
	clock := emulator.NewFakeClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	o := emulator.Options{Clock: clock}
	for _, f := range opts {
		f(&o)
	}
	emu := emulator.New(o)
	t.Cleanup(func() { emu.AssertNoViolations(t) })
	me := emu.CreateUser("alice")
	token := emu.IssueToken(me.ID, mkctlPermissions)
	env := &emuEnv{emu: emu, clock: clock, me: me, rec: &recorder{}, counts: map[string]int{}}
	hc := &http.Client{Transport: &shimTransport{t: t, env: env, next: emu.Transport()}}
	c, err := NewClient("http://127.0.0.1:3000", token, WithHTTPClient(hc), WithSleep(env.rec.sleep), WithNotify(env.rec.note))
	if err != nil {
		t.Fatal(err)
	}
	c.jitter = func(d time.Duration) time.Duration { return d }
	c.now = clock.Now // the intent's time and Retry-After follow the server's clock
	env.c = c
	return env
}

func (env *emuEnv) count(endpoint string) int {
	env.mu.Lock()
	defer env.mu.Unlock()
	return env.counts[endpoint]
}

func (env *emuEnv) total() int {
	env.mu.Lock()
	defer env.mu.Unlock()
	n := 0
	for _, c := range env.counts {
		n += c
	}
	return n
}

func (env *emuEnv) resetCounts() {
	env.mu.Lock()
	env.counts = map[string]int{}
	env.mu.Unlock()
}

// record reads the ownership record through the API, as mkctl would.
func (env *emuEnv) record(t testing.TB) *planner.Ownership {
	t.Helper()
	rec, err := readOwnership(context.Background(), env.c.Read)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// writeRecord stores an ownership record, as an earlier apply would have.
func (env *emuEnv) writeRecord(t testing.TB, rec *planner.Ownership) {
	t.Helper()
	body := registryParams()
	body["value"] = rec
	if err := env.c.Write(context.Background(), "i/registry/set", body, nil); err != nil {
		t.Fatal(err)
	}
}

// shimTransport counts requests and serves users/notes while the emulator
// does not (it is needed to find a note whose notes/create reply was lost).
// The shim checks the body against api.json like the emulator does.
type shimTransport struct {
	t    testing.TB
	env  *emuEnv
	next http.RoundTripper
}

func (s *shimTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	endpoint := strings.TrimPrefix(req.URL.Path, "/api/")
	s.env.mu.Lock()
	s.env.counts[endpoint]++
	s.env.mu.Unlock()
	if endpoint != "users/notes" || emulator.Implements("users/notes") {
		return s.next.RoundTrip(req)
	}
	raw, _ := io.ReadAll(req.Body)
	req.Body.Close()
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		s.t.Errorf("users/notes: body %q: %v", raw, err)
	}
	if verr := misskeyapi.Validate("users/notes", body); verr != nil {
		s.t.Errorf("users/notes: %v", verr)
	}
	return jsonResponse(req, s.usersNotes(body)), nil
}

// usersNotes pages like Misskey's makePaginationQuery: ascending when only
// sinceId or sinceDate is given, newest first otherwise.
func (s *shimTransport) usersNotes(p map[string]any) []map[string]any {
	userID, _ := p["userId"].(string)
	notes := s.env.emu.NotesOf(userID)
	sinceID, _ := p["sinceId"].(string)
	untilID, _ := p["untilId"].(string)
	sinceDate, hasSinceDate := p["sinceDate"].(float64)
	untilDate, hasUntilDate := p["untilDate"].(float64)
	limit := 10
	if l, ok := p["limit"].(float64); ok {
		limit = int(l)
	}
	var out []*emulator.Note
	for _, n := range notes {
		ms := float64(n.CreatedAt.UnixMilli())
		if (sinceID != "" && n.ID <= sinceID) || (untilID != "" && n.ID >= untilID) ||
			(hasSinceDate && ms <= sinceDate) || (hasUntilDate && ms >= untilDate) || n.ReplyID != nil {
			continue
		}
		out = append(out, n)
	}
	ascending := (sinceID != "" || hasSinceDate) && untilID == "" && !hasUntilDate
	if !ascending {
		slices.Reverse(out)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	packed := make([]map[string]any, 0, len(out))
	for _, n := range out {
		packed = append(packed, map[string]any{
			"id": n.ID, "createdAt": n.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), "userId": n.UserID,
			"text": n.Text, "cw": n.CW, "visibility": n.Visibility, "localOnly": n.LocalOnly,
			"reactionAcceptance": n.ReactionAcceptance,
		})
	}
	return packed
}

func jsonResponse(req *http.Request, v any) *http.Response {
	data, _ := json.Marshal(v)
	return &http.Response{
		Status: "200 OK", StatusCode: 200, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:          io.NopCloser(bytes.NewReader(data)),
		ContentLength: int64(len(data)),
		Request:       req,
	}
}

// plan builds an account plan for alice.
func (env *emuEnv) plan(changes ...*planner.Change) *planner.AccountPlan {
	for _, ch := range changes {
		if ch.Address == "" {
			ch.Address = "account.main." + ch.Key
		}
	}
	return &planner.AccountPlan{Address: "account.main", Username: "alice", UserID: env.me.ID, Changes: changes}
}

func itoa(i int) string { return strconv.Itoa(i) }

func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }
