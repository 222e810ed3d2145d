package provider

import (
	"context"
	"fmt"

	"github.com/mkctl/mkctl/planner"
)

// readUserLists reads every user list with one users/lists/list (at most
// policy userListLimit, 10 by default; not paginated), members included as
// user ids. Antennas refer to lists by id, so an account that manages
// antennas reads its lists too.
func readUserLists(ctx context.Context, r *reading) (func(*planner.Live), error) {
	if !r.manages(planner.TypeUserList) && !r.manages(planner.TypeAntenna) {
		return nil, nil
	}
	var rows []struct {
		ID        string   `json:"id"`
		Name      string   `json:"name"`
		UserIDs   []string `json:"userIds"`
		CreatedAt string   `json:"createdAt"`
	}
	if err := r.read(ctx, "users/lists/list", nil, &rows); err != nil {
		return nil, fmt.Errorf("reading user lists: %w", err)
	}
	lists := make([]planner.LiveUserList, 0, len(rows))
	for _, ul := range rows {
		lists = append(lists, planner.LiveUserList{ID: ul.ID, Name: ul.Name, UserIDs: ul.UserIDs, CreatedAt: parseTime(ul.CreatedAt)})
	}
	return func(l *planner.Live) { l.UserLists = lists }, nil
}
