package provider

import (
	"context"
	"fmt"

	"github.com/mkctl/mkctl/planner"
)

// followApplier follows, re-configures and unfollows accounts. Change.ID is
// the followee's user id. following/create, /update and /delete are each
// limited to 100 calls an hour; the client waits the limit out.
type followApplier struct{}

func (followApplier) check(ch *planner.Change) error {
	switch ch.Action {
	case planner.ActionCreate, planner.ActionUpdate, planner.ActionDelete:
	default:
		return fmt.Errorf("a follow can be created, updated or deleted, not %q", ch.Action)
	}
	if ch.ID == "" {
		return fmt.Errorf("the plan gives no user id for the followee; make a new plan")
	}
	if v, ok := ch.After["notify"]; ok {
		if _, err := notifyParam(v); err != nil {
			return err
		}
	}
	if v, ok := ch.After["withReplies"]; ok {
		if _, isBool := v.(bool); !isBool {
			return fmt.Errorf("withReplies is %T in the plan, want a boolean", v)
		}
	}
	return nil
}

func (followApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	switch ch.Action {
	case planner.ActionCreate:
		return ch.ID, followCreate(ctx, run.c, ch)
	case planner.ActionUpdate:
		body := map[string]any{"userId": ch.ID}
		for k, v := range ch.After {
			body[k] = v
		}
		if v, ok := ch.After["notify"]; ok {
			body["notify"], _ = notifyParam(v)
		}
		return ch.ID, run.c.Write(ctx, "following/update", body, nil)
	default:
		return "", unfollow(ctx, run.c, ch.ID, ch.Pending)
	}
}

// followCreate follows, then sets notify with following/update when the
// follow is established. following/create answers the same whether it made
// a follow or a follow request (API-NOTES §3): a remote followee always
// gets a request, and for a local one following/update's NOT_FOLLOWING says
// it was a request (a locked account). A request keeps Misskey's defaults
// until it is accepted; the next plan shows the difference then.
func followCreate(ctx context.Context, c *Client, ch *planner.Change) error {
	body := map[string]any{"userId": ch.ID}
	if v, ok := ch.After["withReplies"]; ok {
		body["withReplies"] = v
	}
	var followee apiUser
	err := c.Write(ctx, "following/create", body, &followee)
	if err != nil && !IsCode(err, "ALREADY_FOLLOWING") {
		return err // ALREADY_FOLLOWING: followed meanwhile, which is what the plan wants
	}
	v, ok := ch.After["notify"]
	if !ok || (followee.Host != nil && *followee.Host != "") {
		return nil
	}
	notify, _ := notifyParam(v)
	err = c.Write(ctx, "following/update", map[string]any{"userId": ch.ID, "notify": notify}, nil)
	if IsCode(err, "NOT_FOLLOWING") {
		return nil
	}
	return err
}

// unfollow ends a follow or withdraws a follow request; either way nothing
// remains. A request accepted since the plan was made has become a follow,
// and a follow may have been undone meanwhile: each call falls back to the
// other, and finding nothing at all is success.
func unfollow(ctx context.Context, c *Client, userID string, pending bool) error {
	id := map[string]any{"userId": userID}
	if pending {
		err := c.Delete(ctx, "following/requests/cancel", id, nil)
		if !IsCode(err, "FOLLOW_REQUEST_NOT_FOUND") {
			return err
		}
		err = c.Delete(ctx, "following/delete", id, nil)
		if IsCode(err, "NOT_FOLLOWING") {
			return nil
		}
		return err
	}
	err := c.Delete(ctx, "following/delete", id, nil)
	if !IsCode(err, "NOT_FOLLOWING") {
		return err
	}
	err = c.Delete(ctx, "following/requests/cancel", id, nil)
	if IsCode(err, "FOLLOW_REQUEST_NOT_FOUND") {
		return nil
	}
	return err
}

// notifyParam is following/update's notify: "normal" or "none". The plan
// may carry it as that string or as the HCL boolean.
func notifyParam(v any) (string, error) {
	switch v := v.(type) {
	case bool:
		if v {
			return "normal", nil
		}
		return "none", nil
	case string:
		if v == "normal" || v == "none" {
			return v, nil
		}
	}
	return "", fmt.Errorf("notify is %#v in the plan, want \"normal\" or \"none\"", v)
}
