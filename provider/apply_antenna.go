package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/mkctl/mkctl/planner"
)

// antennaApplier creates, updates and deletes antennas. After holds
// antennas/create's parameters (all of them for a create, the changed ones
// for an update); Refs["userList"] names the user list of a "list" antenna,
// whose id may be known only once this apply has created it.
type antennaApplier struct{}

func (antennaApplier) check(ch *planner.Change) error {
	switch ch.Action {
	case planner.ActionCreate:
		if name, _ := ch.After["name"].(string); name == "" {
			return fmt.Errorf("the plan gives no antenna name")
		}
	case planner.ActionUpdate, planner.ActionDelete:
		if ch.ID == "" {
			return fmt.Errorf("the plan gives no antenna id")
		}
	default:
		return fmt.Errorf("an antenna can be created, updated or deleted, not %q", ch.Action)
	}
	for ref := range ch.Refs {
		if ref != "userList" {
			return fmt.Errorf("an antenna cannot refer to a %q", ref)
		}
	}
	return nil
}

func (antennaApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	if ch.Action == planner.ActionDelete {
		err := run.c.Delete(ctx, "antennas/delete", map[string]any{"antennaId": ch.ID}, nil)
		if IsCode(err, "NO_SUCH_ANTENNA") {
			// Deleting a user list deletes its antennas with it (FK ON
			// DELETE CASCADE): gone is what the plan wants.
			return "", nil
		}
		return "", err
	}
	body := maps.Clone(ch.After)
	if body == nil {
		body = map[string]any{}
	}
	if ref := ch.Refs["userList"]; ref != "" {
		id, err := run.idOf(ctx, ref)
		if err != nil {
			return "", err
		}
		body["userListId"] = id
	}
	if ch.Action == planner.ActionUpdate {
		body["antennaId"] = ch.ID
		return ch.ID, run.c.Write(ctx, "antennas/update", body, nil)
	}
	var antenna struct {
		ID string `json:"id"`
	}
	if err := run.c.Write(ctx, "antennas/create", body, &antenna); err != nil {
		return "", err
	}
	if antenna.ID == "" {
		return "", fmt.Errorf("antennas/create: the answer has no antenna id")
	}
	return antenna.ID, nil
}
