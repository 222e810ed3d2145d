package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/mkctl/mkctl/planner"
)

// webhookApplier creates, updates and deletes webhooks (i/webhooks/*).
// i/webhooks/update answers 204 without a body; create cannot set active,
// so a webhook declared inactive is created and then updated.
type webhookApplier struct{}

func (webhookApplier) check(ch *planner.Change) error {
	switch ch.Action {
	case planner.ActionCreate:
		if name, _ := ch.After["name"].(string); name == "" {
			return fmt.Errorf("the plan gives no webhook name")
		}
	case planner.ActionUpdate:
		if ch.ID == "" {
			return fmt.Errorf("the plan gives no webhook id")
		}
		if len(ch.After) == 0 {
			// Misskey answers an update with nothing to change with a 500.
			return fmt.Errorf("the plan updates the webhook without changing anything")
		}
	case planner.ActionDelete:
		if ch.ID == "" {
			return fmt.Errorf("the plan gives no webhook id")
		}
	default:
		return fmt.Errorf("a webhook can be created, updated or deleted, not %q", ch.Action)
	}
	if len(ch.Refs) > 0 {
		return fmt.Errorf("a webhook refers to nothing else")
	}
	return nil
}

func (webhookApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	switch ch.Action {
	case planner.ActionDelete:
		err := run.c.Delete(ctx, "i/webhooks/delete", map[string]any{"webhookId": ch.ID}, nil)
		if IsCode(err, "NO_SUCH_WEBHOOK") {
			return "", nil // gone already: what the plan wants
		}
		return "", err
	case planner.ActionUpdate:
		body := maps.Clone(ch.After)
		body["webhookId"] = ch.ID
		return ch.ID, run.c.Write(ctx, "i/webhooks/update", body, nil)
	}
	body := maps.Clone(ch.After)
	active, hasActive := body["active"]
	delete(body, "active")
	var hook struct {
		ID string `json:"id"`
	}
	if err := run.c.Write(ctx, "i/webhooks/create", body, &hook); err != nil {
		return "", err
	}
	if hook.ID == "" {
		return "", fmt.Errorf("i/webhooks/create: the answer has no webhook id")
	}
	if hasActive && active == false {
		if err := run.c.Write(ctx, "i/webhooks/update", map[string]any{"webhookId": hook.ID, "active": false}, nil); err != nil {
			return hook.ID, err
		}
	}
	return hook.ID, nil
}
