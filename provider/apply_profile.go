package provider

import (
	"context"
	"fmt"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// profileApplier updates the profile with one i/update call. i/update is
// limited to 20 calls an hour and republishes the actor to every follower,
// so all attributes go in the same call and an empty change sends nothing.
type profileApplier struct{}

func (profileApplier) check(ch *planner.Change) error {
	if ch.Action != planner.ActionUpdate {
		return fmt.Errorf("a profile can only be updated, not %q", ch.Action)
	}
	_, err := profileUpdateBody(ch)
	return err
}

func (profileApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	body, err := profileUpdateBody(ch)
	if err != nil {
		return "", err
	}
	if len(body) == 0 {
		return "", nil
	}
	return "", run.c.Write(ctx, "i/update", body, nil)
}

// profileUpdateBody maps HCL attribute names to i/update parameters. After
// is sent as is: nil becomes JSON null, which is how Misskey clears a value
// (it rejects "").
func profileUpdateBody(ch *planner.Change) (map[string]any, error) {
	body := make(map[string]any, len(ch.Attrs))
	for _, a := range ch.Attrs {
		f, ok := schema.ProfileFieldByName(a.Name)
		if !ok {
			return nil, fmt.Errorf("unknown profile attribute %q in the plan", a.Name)
		}
		if _, dup := body[f.API]; dup {
			return nil, fmt.Errorf("profile attribute %q appears twice in the plan", a.Name)
		}
		body[f.API] = a.After
	}
	return body, nil
}
