package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mkctl/mkctl/internal/safego"
)

// The apply lock: a lease per account, kept in the account registry.
//
// Misskey has no compare-and-swap, so a lease cannot be taken by one
// conditional write. Each apply instead writes a claim of its own under a
// key nobody else uses (scope LockScope, key = a random claim id), then
// reads every claim back. The server stamps each write (get-detail's
// updatedAt), and the claims are ordered by the time each was first
// written; the earliest live claim holds the lease. Whoever is not first
// removes its claim and waits or gives up. Because every claimant writes
// before it reads, two claimants cannot both miss each other: the later
// writer always sees the earlier claim (the registry is one PostgreSQL
// table). The one window left is between the moment the server stamps a
// write and the moment it commits it; the winner re-lists the keys once
// more before going on, which closes it unless a commit takes longer than
// two round trips.
//
// A claim is live while its last renewal (server time) is younger than its
// TTL. The holder renews every TTL/3 from a goroutine of its own, so long
// rate-limit waits keep the lease; an apply that is killed stops renewing
// and its lease lapses after the TTL. Every time is the server's: the
// claimants' clocks never need to agree.
//
// The registry is private to each token (API-NOTES §7): the lease protects
// against concurrent applies that use the same token (two CI pipelines with
// the same secret, a person and CI sharing one token), not against an apply
// with another token of the same account. See README, "Concurrent applies".

// LockScope is the registry scope of the claims; one key per claim.
var LockScope = []string{"mkctl", "lock"}

// DefaultLockTTL is how long a lease lives without renewal. Two minutes
// lets a killed apply's lease lapse soon, and leaves a renewal every 40 s
// plenty of room for a slow server.
const DefaultLockTTL = 2 * time.Minute

// LockInfo describes who holds (or wants) the lease. It is stored in the
// registry, so it never holds the token.
type LockInfo struct {
	Version  int    `json:"v"`
	ID       string `json:"id"`
	Host     string `json:"host,omitempty"` // the machine's host name
	PID      int    `json:"pid,omitempty"`
	Mkctl    string `json:"mkctl,omitempty"`   // mkctl version
	Address  string `json:"address,omitempty"` // account.LABEL of the configuration
	Config   string `json:"config,omitempty"`  // the configuration directory
	Op       string `json:"op,omitempty"`      // "apply"
	TTLMilli int64  `json:"ttlMs"`
	// Run is one per apply: the claims of one run never stand in each
	// other's way (a fleet whose accounts share a token locks the same
	// registry once per account).
	Run string `json:"run,omitempty"`
	// Since is when the claim was first written (server time, RFC 3339),
	// filled in by every renewal: a renewal moves updatedAt, not the
	// claim's place in the queue.
	Since string `json:"since,omitempty"`
}

// LockClaim is a claim found in the registry.
type LockClaim struct {
	Key       string
	Info      LockInfo
	Since     time.Time // first written (server time)
	UpdatedAt time.Time // last renewed (server time)
}

// Describe says who holds the claim and since when, for error messages.
func (l LockClaim) Describe() string {
	var b strings.Builder
	b.WriteString("mkctl")
	if l.Info.Mkctl != "" {
		b.WriteString(" " + l.Info.Mkctl)
	}
	if l.Info.Host != "" || l.Info.PID != 0 {
		fmt.Fprintf(&b, " on %s (pid %d)", orUnknown(l.Info.Host), l.Info.PID)
	}
	if l.Info.Address != "" {
		b.WriteString(", " + l.Info.Address)
	}
	if l.Info.Config != "" {
		b.WriteString(" in " + l.Info.Config)
	}
	fmt.Fprintf(&b, ", since %s (lock id %s", l.Since.UTC().Format(time.RFC3339), l.Key)
	if !l.UpdatedAt.IsZero() {
		fmt.Fprintf(&b, ", last renewed %s", l.UpdatedAt.UTC().Format(time.RFC3339))
	}
	b.WriteString(")")
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown host"
	}
	return s
}

// LockHeldError is returned when another apply holds the account's lease.
type LockHeldError struct {
	Account string // @user@host
	Address string // account.LABEL of the configuration, for force-unlock
	Holder  LockClaim
	Waited  time.Duration
}

func (e *LockHeldError) Error() string {
	waited := ""
	if e.Waited >= time.Second {
		waited = " after waiting " + humanDuration(e.Waited)
	}
	unlock := "mkctl force-unlock ACCOUNT_ADDRESS"
	if e.Address != "" {
		unlock = "mkctl force-unlock " + e.Address
	}
	return fmt.Sprintf("%s is locked by another apply%s: %s. Wait for it to finish (or run with --lock-timeout 5m to wait); "+
		"a lock left by a killed apply lapses %s after its last renewal, or remove it with '%s'",
		e.Account, waited, e.Holder.Describe(), humanDuration(e.Holder.ttl()), unlock)
}

// Lease is a held lock. Release it exactly once.
type Lease struct {
	c     *Client
	key   string
	info  LockInfo
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
	mu    sync.Mutex
	err   error // the renewal that failed last, if the lease may be lost
	onErr func(error)
}

// LockOptions tune Acquire; the zero value is the default.
type LockOptions struct {
	TTL time.Duration
	// Timeout is how long to wait for another apply's lease: 0 fails at
	// once, as Terraform's -lock-timeout=0s.
	Timeout time.Duration
	// Poll is the pause between tries while waiting (default 2 s).
	Poll time.Duration
	// OnWait is told, once, who holds the lease when Acquire starts to wait.
	OnWait func(LockClaim)
	// Stale, when set, tells claims whose apply is known to be gone (a
	// process of this machine that no longer runs: an apply killed a
	// moment ago need not block its re-run for the TTL).
	Stale func(LockInfo) bool
	// OnLost is told when renewals have failed for so long that the lease
	// may have lapsed (another apply could take it).
	OnLost func(error)
}

// NewLockID returns a random id for a claim's key or for LockInfo.Run.
func NewLockID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// Acquire takes the account's lease for info (its ID, TTL and Since are
// filled in). It waits up to opts.Timeout for a lease someone else holds.
// Uncontended it costs 4 registry requests: the claim, the key list, the
// claim's detail (the server's time) and a second key list.
func Acquire(ctx context.Context, c *Client, account string, info LockInfo, opts LockOptions) (*Lease, error) {
	if opts.TTL <= 0 {
		opts.TTL = DefaultLockTTL
	}
	if opts.Poll <= 0 {
		opts.Poll = 2 * time.Second
	}
	info.Version = 1
	info.ID = NewLockID()
	info.TTLMilli = opts.TTL.Milliseconds()
	start := time.Now()
	told := false
	ties := 0
	for {
		holder, written, err := tryClaim(ctx, c, &info, opts.Stale)
		if err != nil {
			if written {
				_ = removeClaim(c, info.ID) // best effort: it lapses anyway
			}
			return nil, err
		}
		if holder == nil {
			l := &Lease{c: c, key: info.ID, info: info, stop: make(chan struct{}), done: make(chan struct{}), onErr: opts.OnLost}
			go l.renew(opts.TTL)
			return l, nil
		}
		// Not ours: withdraw the claim, so that it does not stand in the
		// way of the holder's successor.
		if err := removeClaim(c, info.ID); err != nil {
			return nil, err
		}
		tie := holder.Since.Format(time.RFC3339Nano) == info.Since
		info.Since = ""
		waited := time.Since(start)
		if tie && ties < 5 {
			// Written in the same millisecond: both claimants yield, so
			// try again after a random pause, whatever the timeout.
			ties++
			if err := sleepContext(ctx, time.Duration(50+mrand.IntN(250))*time.Millisecond); err != nil {
				return nil, err
			}
			continue
		}
		if waited >= opts.Timeout {
			return nil, &LockHeldError{Account: account, Address: info.Address, Holder: *holder, Waited: waited}
		}
		if !told && opts.OnWait != nil {
			opts.OnWait(*holder)
			told = true
		}
		pause := min(opts.Poll, opts.Timeout-waited)
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("waiting for the lock of %s (held by %s): %w", account, holder.Describe(), ctx.Err())
		case <-t.C:
		}
	}
}

// tryClaim writes info's claim and reads every claim back: nil when info's
// claim is the earliest live one, else the claim that is. written tells
// whether the claim reached the registry (then it must be removed).
func tryClaim(ctx context.Context, c *Client, info *LockInfo, stale func(LockInfo) bool) (holder *LockClaim, written bool, err error) {
	if err := setClaim(ctx, c, *info); err != nil {
		return nil, false, err
	}
	keys, err := lockKeys(ctx, c)
	if err != nil {
		return nil, true, err
	}
	first, mine, err := earliest(ctx, c, keys, info.ID, nil, stale)
	if err != nil {
		return nil, true, err
	}
	if mine == nil {
		// Our own claim vanished: someone ran force-unlock in between.
		return nil, true, errors.New("taking the apply lock: the lock was removed while it was being taken (force-unlock?); try again")
	}
	info.Since = mine.Since.Format(time.RFC3339Nano)
	if first.Key != info.ID {
		return first, true, nil
	}
	// A claim stamped just before ours may commit just after our read:
	// list once more, and look only at keys not seen yet.
	again, err := lockKeys(ctx, c)
	if err != nil {
		return nil, true, err
	}
	var fresh []string
	for _, k := range again {
		if !slices.Contains(keys, k) {
			fresh = append(fresh, k)
		}
	}
	if len(fresh) == 0 {
		return nil, true, nil
	}
	other, _, err := earliest(ctx, c, fresh, "", mine, stale)
	if err != nil {
		return nil, true, err
	}
	if other != nil && other.Key != info.ID {
		return other, true, nil
	}
	return nil, true, nil
}

// earliest reads the claims at keys and returns the earliest live one (and
// the claim with key mineKey, whose updatedAt is the server's "now"). With
// mine given, only claims before it count and "now" is its updatedAt.
func earliest(ctx context.Context, c *Client, keys []string, mineKey string, mine *LockClaim, stale func(LockInfo) bool) (first, own *LockClaim, err error) {
	claims, err := readClaims(ctx, c, keys)
	if err != nil {
		return nil, nil, err
	}
	for _, cl := range claims {
		if cl != nil && cl.Key == mineKey {
			own = cl
		}
	}
	ref := own
	if mine != nil {
		ref = mine
		first = mine
	}
	if ref == nil {
		return nil, nil, nil
	}
	now := ref.UpdatedAt
	for _, cl := range claims {
		if cl == nil {
			continue
		}
		if cl.Key != ref.Key {
			if !cl.UpdatedAt.Add(cl.ttl()).After(now) {
				continue // lapsed: its apply stopped renewing it
			}
			if ref.Info.Run != "" && cl.Info.Run == ref.Info.Run {
				continue // another account of this same apply
			}
			if stale != nil && stale(cl.Info) {
				continue // its process is gone
			}
		}
		// A tie with our own claim goes to the other: both may then
		// yield and try again (Acquire), but never both hold.
		if first == nil || claimBefore(cl, first) || first.Key == ref.Key && cl.Key != ref.Key && cl.Since.Equal(first.Since) {
			first = cl
		}
	}
	return first, own, nil
}

// ttl is how long the claim lives without renewal; a claim that does not
// say (not mkctl's format) gets the default.
func (l LockClaim) ttl() time.Duration {
	if l.Info.TTLMilli <= 0 {
		return DefaultLockTTL
	}
	return time.Duration(l.Info.TTLMilli) * time.Millisecond
}

func claimBefore(a, b *LockClaim) bool {
	if !a.Since.Equal(b.Since) {
		return a.Since.Before(b.Since)
	}
	return a.Key < b.Key
}

func lockParams(key string) map[string]any {
	return map[string]any{"key": key, "scope": LockScope}
}

func setClaim(ctx context.Context, c *Client, info LockInfo) error {
	body := lockParams(info.ID)
	body["value"] = info
	if err := c.call(ctx, "i/registry/set", body, nil, true); err != nil {
		return fmt.Errorf("taking the apply lock: %w", err)
	}
	return nil
}

func lockKeys(ctx context.Context, c *Client) ([]string, error) {
	var keys []string
	if err := c.Read(ctx, "i/registry/keys", map[string]any{"scope": LockScope}, &keys); err != nil {
		return nil, fmt.Errorf("reading the apply lock: %w", err)
	}
	return keys, nil
}

// readClaims reads the claims at keys at once; an entry is nil where
// readClaim found none.
func readClaims(ctx context.Context, c *Client, keys []string) ([]*LockClaim, error) {
	claims := make([]*LockClaim, len(keys))
	g, gctx := safego.WithContext(ctx, "i/registry/get-detail (lock claims)")
	for i, k := range keys {
		g.Go(func() error {
			cl, err := readClaim(gctx, c, k)
			claims[i] = cl
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return claims, nil
}

// readClaim reads one claim; nil when it is gone or not mkctl's format.
func readClaim(ctx context.Context, c *Client, key string) (*LockClaim, error) {
	var detail struct {
		UpdatedAt string          `json:"updatedAt"`
		Value     json.RawMessage `json:"value"`
	}
	if err := c.Read(ctx, "i/registry/get-detail", lockParams(key), &detail); err != nil {
		if IsCode(err, "NO_SUCH_KEY") {
			return nil, nil
		}
		return nil, fmt.Errorf("reading the apply lock: %w", err)
	}
	updated, err := time.Parse(time.RFC3339Nano, detail.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("reading the apply lock: updatedAt %q: %w", detail.UpdatedAt, err)
	}
	cl := &LockClaim{Key: key, UpdatedAt: updated, Since: updated}
	if err := json.Unmarshal(detail.Value, &cl.Info); err != nil {
		// Something else wrote into mkctl's lock scope: it still counts
		// as a claim (it may be a newer mkctl's), stamped by the server.
		cl.Info = LockInfo{}
	}
	if s, err := time.Parse(time.RFC3339Nano, cl.Info.Since); err == nil && s.Before(updated) {
		cl.Since = s
	}
	return cl, nil
}

// removeClaim deletes a claim even when ctx is done (Ctrl-C must still
// release the lease), within a short time of its own.
func removeClaim(c *Client, key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := c.call(ctx, "i/registry/remove", lockParams(key), nil, true); err != nil {
		return fmt.Errorf("releasing the apply lock: %w", err)
	}
	return nil
}

// renew rewrites the claim every ttl/3 until Release. A renewal that
// fails is retried at the next tick; when none has succeeded for most of
// the TTL the lease may lapse, and OnLost is told.
func (l *Lease) renew(ttl time.Duration) {
	defer close(l.done)
	t := time.NewTicker(ttl / 3)
	defer t.Stop()
	last := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-l.stop
		cancel()
	}()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		rctx, rcancel := context.WithTimeout(ctx, ttl/3)
		// A panic is a failed renewal (retried, then OnLost), not a crash
		// of the apply that holds the lease.
		err := safego.Call("i/registry/set (renewing the apply lock)", func() error { return setClaim(rctx, l.c, l.info) })
		rcancel()
		if err == nil {
			last = time.Now()
			continue
		}
		if ctx.Err() != nil {
			return
		}
		if time.Since(last) > ttl*2/3 {
			l.mu.Lock()
			l.err = fmt.Errorf("renewing the apply lock: %w", err)
			l.mu.Unlock()
			if l.onErr != nil {
				l.onErr(err)
			}
		}
	}
}

// ID is the claim's key, which force-unlock takes.
func (l *Lease) ID() string { return l.key }

// Release stops renewing and removes the claim. Safe to call more than
// once and after the context of Acquire is done.
func (l *Lease) Release() error {
	var err error
	l.once.Do(func() {
		close(l.stop)
		<-l.done
		err = removeClaim(l.c, l.key)
	})
	return err
}

// Claims lists every claim on the account, lapsed ones included, earliest
// first: what force-unlock shows and removes.
func Claims(ctx context.Context, c *Client) ([]LockClaim, error) {
	keys, err := lockKeys(ctx, c)
	if err != nil {
		return nil, err
	}
	claims, err := readClaims(ctx, c, keys)
	if err != nil {
		return nil, err
	}
	var out []LockClaim
	for _, cl := range claims {
		if cl != nil {
			out = append(out, *cl)
		}
	}
	slices.SortFunc(out, func(a, b LockClaim) int {
		if claimBefore(&a, &b) {
			return -1
		}
		if claimBefore(&b, &a) {
			return 1
		}
		return 0
	})
	return out, nil
}

// RemoveClaim deletes one claim (force-unlock).
func RemoveClaim(ctx context.Context, c *Client, key string) error {
	if err := c.call(ctx, "i/registry/remove", lockParams(key), nil, true); err != nil {
		return fmt.Errorf("removing the apply lock %s: %w", key, err)
	}
	return nil
}
