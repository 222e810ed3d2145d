package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/mkctl/mkctl/planner"
)

// antennaResponseOnly are fields antennas/list returns that are not
// parameters of antennas/create or antennas/update: leaving them out of
// LiveAntenna.Fields lets the planner compare Fields key by key with what
// it would send. notify is always false and kept only for compatibility
// (API-NOTES §6).
var antennaResponseOnly = map[string]bool{
	"id": true, "name": true, "createdAt": true, "isActive": true, "hasUnreadNote": true, "notify": true,
}

// readAntennas reads every antenna with one antennas/list (Misskey caps an
// account at policy antennaLimit, 5 by default, and the endpoint is not
// paginated). The list has no defined order.
func readAntennas(ctx context.Context, r *reading) (func(*planner.Live), error) {
	if !r.manages(planner.TypeAntenna) {
		return nil, nil
	}
	var rows []map[string]any
	if err := r.read(ctx, "antennas/list", nil, &rows); err != nil {
		return nil, fmt.Errorf("reading antennas: %w", err)
	}
	antennas := make([]planner.LiveAntenna, 0, len(rows))
	for _, a := range rows {
		la := planner.LiveAntenna{Fields: map[string]any{}}
		la.ID, _ = a["id"].(string)
		la.Name, _ = a["name"].(string)
		la.CreatedAt = parseTime(a["createdAt"])
		for k, v := range a {
			if !antennaResponseOnly[k] {
				la.Fields[k] = v
			}
		}
		antennas = append(antennas, la)
	}
	return func(l *planner.Live) { l.Antennas = antennas }, nil
}

// parseTime reads a packed createdAt; zero when absent or malformed (it
// only orders duplicates, see planner/dedupe.go).
func parseTime(v any) time.Time {
	s, _ := v.(string)
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
