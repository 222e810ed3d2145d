package provider

import (
	"context"
	"fmt"

	"github.com/mkctl/mkctl/planner"
)

// userListApplier creates user lists, changes their members and deletes
// them. After["push"] and After["pull"] are user ids. users/lists/push is
// limited to 30 calls an hour: a large list takes a while, and Apply
// reports progress while the client waits.
type userListApplier struct{}

func (userListApplier) check(ch *planner.Change) error {
	switch ch.Action {
	case planner.ActionCreate:
		if name, _ := ch.After["name"].(string); name == "" {
			return fmt.Errorf("the plan gives no list name")
		}
	case planner.ActionUpdate, planner.ActionDelete:
		if ch.ID == "" {
			return fmt.Errorf("the plan gives no list id")
		}
	default:
		return fmt.Errorf("a user list can be created, updated or deleted, not %q", ch.Action)
	}
	for _, k := range []string{"push", "pull"} {
		if _, err := userIDs(ch.After[k]); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

func (userListApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	push, _ := userIDs(ch.After["push"])
	pull, _ := userIDs(ch.After["pull"])
	switch ch.Action {
	case planner.ActionDelete:
		err := run.c.Delete(ctx, "users/lists/delete", map[string]any{"listId": ch.ID}, nil)
		if IsCode(err, "NO_SUCH_LIST") {
			return "", nil // deleted outside mkctl
		}
		return "", err
	case planner.ActionUpdate:
		// Pull first: a list holds at most userEachUserListsLimit members
		// (50 by default), so making room before adding avoids TOO_MANY_USERS.
		if err := listMembers(ctx, run.c, "users/lists/pull", ch.ID, pull); err != nil {
			return "", err
		}
		return ch.ID, listMembers(ctx, run.c, "users/lists/push", ch.ID, push)
	}
	var list struct {
		ID string `json:"id"`
	}
	if err := run.c.Write(ctx, "users/lists/create", map[string]any{"name": ch.After["name"]}, &list); err != nil {
		return "", err
	}
	if list.ID == "" {
		return "", fmt.Errorf("users/lists/create: the answer has no list id")
	}
	// Record the list before adding members: pushes may take hours (30 an
	// hour) or fail, and the list must not be orphaned meanwhile. It is
	// written with the batch, at the latest before the first rate-limit
	// wait of the pushes (see apply_ownership.go).
	if len(push) > 0 {
		if err := run.ownLater(ctx, ch.Key, list.ID); err != nil {
			return "", fmt.Errorf("the list was created (id %s), but mkctl could not record it: %w", list.ID, err)
		}
	}
	return list.ID, listMembers(ctx, run.c, "users/lists/push", list.ID, push)
}

// listMembers pushes or pulls users one call at a time (Misskey has no
// batch form). A user already in the list is what a push wants.
func listMembers(ctx context.Context, c *Client, endpoint, listID string, ids []string) error {
	for i, id := range ids {
		err := c.Write(ctx, endpoint, map[string]any{"listId": listID, "userId": id}, nil)
		if err != nil && !(endpoint == "users/lists/push" && IsCode(err, "ALREADY_ADDED")) {
			return fmt.Errorf("%d of %d members done: %w", i, len(ids), err)
		}
	}
	return nil
}

// userIDs reads a list of user ids from the plan ([]any after JSON, or
// []string when built in process).
func userIDs(v any) ([]string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case []string:
		return v, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok || s == "" {
				return nil, fmt.Errorf("%#v is not a user id", x)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a list of user ids, got %T", v)
}
