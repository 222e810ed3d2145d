package provider

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// How ReadAccount spends requests (see also each reader):
//
//	stage 1  `i` and the ownership record (i/registry/get-detail), at the same time. `i` gives the
//	         profile, the policies and the pinned notes (top first), so pinned notes cost nothing more.
//	         Recorded pinned notes that are not pinned cost a notes/show each (readUnpinnedOwnedNotes).
//	stage 2  one reader per resource kind, run at the same time, each only when the account manages
//	         that kind (see reading.manages): unpinned recorded notes, follows, follow requests, drive
//	         folders, antennas, user lists, also_known_as.
//	stage 3  users/show for accts the configuration mentions that stage 2 did not already identify.
//
// A profile-only configuration therefore costs exactly two requests. Every
// request goes through reading.read, which keeps at most maxConcurrentReads in
// flight for the whole ReadAccount, however many goroutines wait for a slot.

// A liveReader reads one more part of an account once `i` and the ownership
// record are known. It returns a function that stores its result, run after
// every reader has finished, so readers can run at the same time without
// sharing the Live being filled. A nil store means nothing to add.
type liveReader func(ctx context.Context, r *reading) (store func(*planner.Live), err error)

// liveReaders are run concurrently after `i`. Each resource kind adds one.
var liveReaders = []liveReader{
	readUnpinnedOwnedNotes,
	readAlsoKnownAs,
	readFollows,
	readFollowRequests,
	readDriveFolders,
	readAntennas,
	readUserLists,
}

// maxConcurrentReads keeps one mkctl run from flooding a small instance.
const maxConcurrentReads = 4

// reading is one ReadAccount in progress: what every reader needs.
type reading struct {
	c    *Client
	acct *schema.Account
	me   map[string]any
	rec  *planner.Ownership // nil when the account has no record yet
	// slots bounds the requests in flight across all readers.
	slots chan struct{}
}

// read is Client.Read holding one of the ReadAccount's request slots. A slot
// is held only for the duration of one call, so waiting for one cannot
// deadlock.
func (r *reading) read(ctx context.Context, endpoint string, params, out any) error {
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", endpoint, ctx.Err())
	}
	defer func() { <-r.slots }()
	return r.c.Read(ctx, endpoint, params, out)
}

// ReadAccount reads the live state of the account the token belongs to and
// checks that it is the account the configuration declares.
func ReadAccount(ctx context.Context, c *Client, acct *schema.Account) (*planner.Live, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &reading{c: c, acct: acct, slots: make(chan struct{}, maxConcurrentReads)}

	// The record is read while `i` is in flight; its result is used only
	// once `i` has shown that the token is the right one.
	type recResult struct {
		rec *planner.Ownership
		err error
	}
	recCh := make(chan recResult, 1)
	go func() {
		rec, err := readOwnership(ctx, r.read, acct.Address())
		recCh <- recResult{rec, err}
	}()

	me, err := readMe(ctx, c)
	if err != nil {
		return nil, err
	}
	id, _ := me["id"].(string)
	username, _ := me["username"].(string)
	if !strings.EqualFold(username, acct.Username) {
		return nil, &AccountMismatchError{Address: acct.Address(), Declared: acct.Username, TokenUsername: username, TokenUserID: id}
	}
	res := <-recCh
	if res.err != nil {
		return nil, res.err
	}
	r.me, r.rec = me, res.rec

	policies, _ := me["policies"].(map[string]any)
	live := &planner.Live{
		UserID:     id,
		Username:   username,
		Profile:    me,
		Policies:   policies,
		Users:      map[string]string{},
		Unresolved: map[string]string{},
		Ownership:  res.rec,
	}
	if live.PinnedNotes, err = pinnedNotes(me); err != nil {
		return nil, err
	}

	stores := make([]func(*planner.Live), len(liveReaders))
	g, gctx := errgroup.WithContext(ctx)
	for i, read := range liveReaders {
		g.Go(func() error {
			store, err := read(gctx, r)
			stores[i] = store
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, store := range stores {
		if store != nil {
			store(live)
		}
	}
	if err := resolveUsers(ctx, r, live); err != nil {
		return nil, err
	}
	return live, nil
}

// readMe calls `i`, the token owner's own profile.
func readMe(ctx context.Context, c *Client) (map[string]any, error) {
	var me map[string]any
	if err := c.Read(ctx, "i", nil, &me); err != nil {
		return nil, err
	}
	id, _ := me["id"].(string)
	username, _ := me["username"].(string)
	if id == "" || username == "" {
		return nil, fmt.Errorf("i: the answer from %s has no user id or username; is %s a Misskey server?", c.Host(), c.BaseURL())
	}
	return me, nil
}
