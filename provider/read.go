package provider

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"

	"github.com/mkctl/mkctl/internal/safego"
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
//	         folders, antennas, user lists, also_known_as. A reader that needs only the record starts as
//	         soon as the record is there, without waiting for `i`.
//	         The drive files' listings (readDriveFiles) follow the folder walk in the same reader,
//	         as soon as it has given their folders' ids; drive/files/show for the avatar and banner
//	         is a reader of its own (readProfileImages). `drive` comes last, only when the plan may
//	         upload (readDriveUsage).
//	stage 3  users/show for accts the configuration mentions that stage 2 did not already identify.
//
// A profile-only configuration therefore costs exactly two requests. Every
// request goes through reading.read, which keeps at most maxConcurrentReads in
// flight for the whole ReadAccount, however many goroutines wait for a slot;
// a chain of pages has a slot of its own (reading.lane).

// A liveReader reads one more part of an account once `i` and the ownership
// record are known. It returns a function that stores its result, run after
// every reader has finished, so readers can run at the same time without
// sharing the Live being filled. A nil store means nothing to add.
type liveReader func(ctx context.Context, r *reading) (store func(*planner.Live), err error)

// liveReaders are run concurrently in stage 2. Each resource kind adds one.
// needsMe marks the readers that use `i` (reading.me): the others start
// when the record arrives, which saves the wait for `i` (on a real server
// the slower of the two) on every chain of reads they begin.
var liveReaders = []struct {
	read    liveReader
	needsMe bool
}{
	{readUnpinnedOwnedNotes, true}, // the pinned notes
	{readAlsoKnownAs, true},        // the profile's alsoKnownAs
	{readFollows, true},            // followingCount chooses between paging and users/show
	{readFollowRequests, false},
	{readFoldersAndFiles, false}, // the files' listings follow the folder walk at once
	{readAntennas, false},
	{readUserLists, false},
	{readWebhooks, false},
	{readClips, false},
	{readProfileImages, true}, // avatarId and bannerId
	{readBlocks, false},
	{readMutes, false},
	{readRenoteMutes, false},
	{readDrafts, true}, // the user id, to find posted notes
}

// readerName names a liveReader in an internal error ("readFollows"): the
// step a bug report needs, without a name field in every table entry.
func readerName(f liveReader) string {
	name := runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name()
	return name[strings.LastIndexByte(name, '.')+1:]
}

// maxConcurrentReads keeps one mkctl run from flooding a small instance. A
// browser opens 6 connections per host for one page; a plan's reads are
// light (no rate limit, indexed queries), and with fewer slots than the
// requests that could go out at once the read is bound by the queue rather
// than by the chain of requests it must make in sequence.
const maxConcurrentReads = 8

// maxPageChains is how many chains of pages (reading.lane) run besides the
// shared slots: the follows and the sent follow requests.
const maxPageChains = 2

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
	return r.readWith(ctx, r.slots, endpoint, params, out)
}

func (r *reading) readWith(ctx context.Context, slots chan struct{}, endpoint string, params, out any) error {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", endpoint, ctx.Err())
	}
	defer func() { <-slots }()
	return r.c.Read(ctx, endpoint, params, out)
}

// lane is a read function with one slot of its own, for a chain of pages
// (readPagesWith). Its requests follow one another, so it adds at most one
// request in flight; in the shared slots each page would queue behind the
// other readers' requests, and the longest chain of the read (51 pages for
// 5,000 follows) would wait at every step.
func (r *reading) lane() readFunc {
	slots := make(chan struct{}, 1)
	return func(ctx context.Context, endpoint string, params, out any) error {
		return r.readWith(ctx, slots, endpoint, params, out)
	}
}

// ReadAccount reads the live state of the account the token belongs to and
// checks that it is the account the configuration declares.
//
// Readers that need only the record may run before `i` has shown the token
// to be the right one: they only read, and on a mismatch their results are
// dropped and the mismatch is the error.
func ReadAccount(ctx context.Context, c *Client, acct *schema.Account) (*planner.Live, error) {
	live, err := readAccount(ctx, c, acct)
	// A reader's panic (an internal error) says what its value says,
	// which no request path has scrubbed.
	return live, c.scrub(err)
}

func readAccount(ctx context.Context, c *Client, acct *schema.Account) (*planner.Live, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &reading{c: c, acct: acct, slots: make(chan struct{}, maxConcurrentReads)}

	type recResult struct {
		rec *planner.Ownership
		err error
	}
	recCh := make(chan recResult, 1)
	go func() {
		var rec *planner.Ownership
		err := safego.Call("reading the ownership record", func() (err error) {
			rec, err = readOwnership(ctx, r.read, acct.Address())
			return err
		})
		recCh <- recResult{rec, err}
	}()
	type meResult struct {
		me  map[string]any
		err error
	}
	meCh := make(chan meResult, 1)
	go func() {
		var me map[string]any
		err := safego.Call("i", func() (err error) {
			me, err = readMe(ctx, c)
			return err
		})
		meCh <- meResult{me, err}
	}()

	stores := make([]func(*planner.Live), len(liveReaders))
	g, gctx := safego.WithContext(ctx, "reading the account")
	start := func(needsMe bool) {
		for i, lr := range liveReaders {
			if lr.needsMe == needsMe {
				g.GoStep(readerName(lr.read), func() error {
					store, err := lr.read(gctx, r)
					stores[i] = store
					return err
				})
			}
		}
	}
	// fail stops the readers already running and returns err: `i`'s error
	// (a wrong token, a mismatch) comes first, whatever they ran into.
	fail := func(err error) (*planner.Live, error) {
		cancel()
		_ = g.Wait()
		return nil, err
	}

	var me map[string]any
	var id, username string
	var recErr error
	for gotMe, gotRec := false, false; !gotMe || !gotRec; {
		select {
		case res := <-recCh:
			gotRec = true
			if recErr = res.err; recErr == nil {
				r.rec = res.rec
				if r.rec != nil {
					r.rec.ReadAt = c.now().UnixMilli() // the wait estimate's "now"
				}
				start(false)
			}
		case res := <-meCh:
			gotMe = true
			if res.err != nil {
				return fail(res.err)
			}
			me = res.me
			id, _ = me["id"].(string)
			username, _ = me["username"].(string)
			if !strings.EqualFold(username, acct.Username) {
				return fail(&AccountMismatchError{Address: acct.Address(), Declared: acct.Username, TokenUsername: username, TokenUserID: id})
			}
		}
	}
	if recErr != nil {
		return fail(recErr)
	}
	r.me = me

	policies, _ := me["policies"].(map[string]any)
	live := &planner.Live{
		UserID:     id,
		Username:   username,
		Profile:    me,
		Policies:   policies,
		Users:      map[string]string{},
		Unresolved: map[string]string{},
		Ownership:  r.rec,
	}
	var err error
	if live.PinnedNotes, err = pinnedNotes(me); err != nil {
		return fail(err)
	}

	start(true)
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, store := range stores {
		if store != nil {
			store(live)
		}
	}
	// The drive's free space, only when the plan may upload: that needs
	// the files and the images.
	if err := readDriveUsage(ctx, r, live); err != nil {
		return nil, err
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
