package provider

import (
	"context"
	"fmt"

	"github.com/mkctl/mkctl/planner"
)

// driveFolderApplier creates and deletes drive folders. Folders cannot be
// updated in place by the plan: a folder's key is its path. Creating is
// limited to 10 an hour (API-NOTES §4); the client waits the limit out and
// Apply reports progress while it does.
type driveFolderApplier struct{}

func (driveFolderApplier) check(ch *planner.Change) error {
	switch ch.Action {
	case planner.ActionCreate:
		name, ok := ch.After["name"].(string)
		if !ok || name == "" {
			return fmt.Errorf("the plan gives no folder name")
		}
		if p, ok := ch.After["parentId"]; ok && p != nil {
			if _, isString := p.(string); !isString {
				return fmt.Errorf("parentId is %T in the plan, want a string", p)
			}
		}
	case planner.ActionDelete:
		if ch.ID == "" {
			return fmt.Errorf("the plan gives no folder id to delete")
		}
	default:
		return fmt.Errorf("a drive folder can be created or deleted, not %q", ch.Action)
	}
	return nil
}

func (driveFolderApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	if ch.Action == planner.ActionDelete {
		err := run.c.Delete(ctx, "drive/folders/delete", map[string]any{"folderId": ch.ID}, nil)
		if IsCode(err, "NO_SUCH_FOLDER") {
			return "", nil // deleted outside mkctl: what the plan wants
		}
		return "", err
	}
	body := map[string]any{"name": ch.After["name"]}
	// parentId: the existing parent's id, or the id of the parent created
	// earlier in this apply; left out at the root (Misskey's default).
	if p, _ := ch.After["parentId"].(string); p != "" {
		body["parentId"] = p
	} else if ref := ch.Refs["parent"]; ref != "" {
		id, err := run.idOf(ctx, ref)
		if err != nil {
			return "", err
		}
		body["parentId"] = id
	}
	var folder struct {
		ID string `json:"id"`
	}
	if err := run.c.Write(ctx, "drive/folders/create", body, &folder); err != nil {
		return "", err
	}
	if folder.ID == "" {
		return "", fmt.Errorf("drive/folders/create: the answer has no folder id")
	}
	return folder.ID, nil
}
