package provider

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// A liveReader reads one more part of an account once `i` is known. It
// must not change me; it returns a function that stores its result, run
// after every reader has finished, so readers can run at the same time
// without sharing the Live being filled. A nil store means nothing to add.
type liveReader func(ctx context.Context, c *Client, acct *schema.Account, me map[string]any) (store func(*planner.Live), err error)

// liveReaders are run concurrently after `i`. Each resource kind adds one.
var liveReaders = []liveReader{
	readAlsoKnownAs,
}

// maxConcurrentReads keeps one mkctl run from flooding a small instance.
const maxConcurrentReads = 4

// ReadAccount reads the live state of the account the token belongs to and
// checks that it is the account the configuration declares.
func ReadAccount(ctx context.Context, c *Client, acct *schema.Account) (*planner.Live, error) {
	me, err := readMe(ctx, c)
	if err != nil {
		return nil, err
	}
	id, _ := me["id"].(string)
	username, _ := me["username"].(string)
	if !strings.EqualFold(username, acct.Username) {
		return nil, &AccountMismatchError{Address: acct.Address(), Declared: acct.Username, TokenUsername: username, TokenUserID: id}
	}
	policies, _ := me["policies"].(map[string]any)
	live := &planner.Live{UserID: id, Username: username, Profile: me, Policies: policies}

	stores := make([]func(*planner.Live), len(liveReaders))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxConcurrentReads)
	for i, read := range liveReaders {
		g.Go(func() error {
			store, err := read(gctx, c, acct, me)
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
