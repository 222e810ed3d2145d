package provider

import (
	"context"
	"fmt"

	"github.com/mkctl/mkctl/planner"
)

// relationApplier blocks, mutes and renote-mutes accounts and undoes it.
// Change.ID is the other account's user id. blocking/create, mute/create
// and renote-mute/create are each limited to 20 calls an hour
// (blocking/delete to 100); the client waits a 429 out.
type relationApplier struct{ kind string }

var relationEndpoints = map[string]struct{ create, del, already, not string }{
	planner.TypeBlock:      {"blocking/create", "blocking/delete", "ALREADY_BLOCKING", "NOT_BLOCKING"},
	planner.TypeMute:       {"mute/create", "mute/delete", "ALREADY_MUTING", "NOT_MUTING"},
	planner.TypeRenoteMute: {"renote-mute/create", "renote-mute/delete", "ALREADY_MUTING", "NOT_MUTING"},
}

func (a relationApplier) check(ch *planner.Change) error {
	switch ch.Action {
	case planner.ActionCreate, planner.ActionDelete:
	case planner.ActionUpdate:
		if a.kind != planner.TypeMute {
			return fmt.Errorf("a %s can be created or deleted, not updated", a.kind)
		}
	default:
		return fmt.Errorf("a %s can be created or deleted, not %q", a.kind, ch.Action)
	}
	if ch.ID == "" {
		return fmt.Errorf("the plan gives no user id; make a new plan")
	}
	if v, ok := ch.After["expiresAt"]; ok && v != nil {
		if _, err := expiresMillis(v); err != nil {
			return err
		}
	}
	return nil
}

// expiresMillis is the plan's expiresAt (epoch milliseconds; a JSON
// number once the plan was saved) as mute/create takes it.
func expiresMillis(v any) (int64, error) {
	switch n := v.(type) {
	case int64:
		return n, nil
	case int:
		return int64(n), nil
	case float64:
		if n == float64(int64(n)) {
			return int64(n), nil
		}
	}
	return 0, fmt.Errorf("expiresAt is %#v in the plan, want epoch milliseconds", v)
}

func (a relationApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	ep := relationEndpoints[a.kind]
	id := map[string]any{"userId": ch.ID}
	switch ch.Action {
	case planner.ActionDelete:
		return "", a.remove(ctx, run.c, ch.ID)
	case planner.ActionUpdate:
		// Misskey has no mute/update: unmute, then mute with the new expiry.
		if err := a.remove(ctx, run.c, ch.ID); err != nil {
			return "", err
		}
	}
	body := id
	if v, ok := ch.After["expiresAt"]; ok && v != nil && a.kind == planner.TypeMute {
		ms, _ := expiresMillis(v)
		if ms <= run.c.now().UnixMilli() {
			// Misskey would answer 204 and mute nobody (API-NOTES §13).
			return "", fmt.Errorf("the mute's expires_at has passed since the plan was made; make a new plan")
		}
		body = map[string]any{"userId": ch.ID, "expiresAt": ms}
	}
	err := run.c.Write(ctx, ep.create, body, nil)
	if IsCode(err, ep.already) && ch.Action == planner.ActionCreate {
		return ch.ID, nil // made meanwhile: what the plan wants
	}
	return ch.ID, err
}

func (a relationApplier) remove(ctx context.Context, c *Client, userID string) error {
	ep := relationEndpoints[a.kind]
	err := c.Delete(ctx, ep.del, map[string]any{"userId": userID}, nil)
	if IsCode(err, ep.not) || IsCode(err, "NO_SUCH_USER") {
		return nil // already gone
	}
	return err
}
