package emulator

import (
	"slices"
	"strings"
	"time"
)

// compareIDs orders ids as PostgreSQL orders the varchar id column. aidx
// ids are lower-case base 36 of a fixed length, so byte order is time
// order under any collation.
func compareIDs(a, b string) int { return strings.Compare(a, b) }

// dateCursor stands for idService.gen(date) in a date cursor: the id a row
// made at that millisecond would have, with the lowest node and counter.
// The real server picks a random node and counter there, so rows made in
// that very millisecond fall on either side; here they count as after it.
// IdService.gen takes a date in the future as now.
func dateCursor(ms int64, now time.Time) string {
	ms = min(ms, now.UnixMilli())
	return pad36(max(ms-aidEpochMs, 0), 8) + "00000000"
}

// paginate is QueryService.makePaginationQuery followed by .limit(limit),
// on rows already filtered by the endpoint:
//
//   - sinceId and untilId: ids strictly between, newest first;
//   - only sinceId: ids after it, OLDEST first (ascending);
//   - only untilId: ids before it, newest first;
//   - then the same three cases for sinceDate/untilDate (a 0 is "not
//     given", as in JavaScript's truthiness test);
//   - no cursor: newest first.
func paginate[T any](c *call, rows []T, id func(T) string) []T {
	return limitRows(c, cursorWindow(c, rows, id))
}

// cursorWindow is makePaginationQuery alone, without the limit: for an
// endpoint that orders the window its own way (drive/files' sort) before
// it takes the first limit rows.
func cursorWindow[T any](c *call, rows []T, id func(T) string) []T {
	sinceID, _ := c.str("sinceId")
	untilID, _ := c.str("untilId")
	sinceDate, untilDate := c.integer("sinceDate"), c.integer("untilDate")
	var lower, upper string // exclusive bounds, "" for none
	ascending := false
	switch {
	case sinceID != "" && untilID != "":
		lower, upper = sinceID, untilID
	case sinceID != "":
		lower, ascending = sinceID, true
	case untilID != "":
		upper = untilID
	case sinceDate != 0 && untilDate != 0:
		lower, upper = dateCursor(sinceDate, c.now), dateCursor(untilDate, c.now)
	case sinceDate != 0:
		lower, ascending = dateCursor(sinceDate, c.now), true
	case untilDate != 0:
		upper = dateCursor(untilDate, c.now)
	}
	var out []T
	for _, r := range rows {
		rid := id(r)
		if (lower == "" || compareIDs(rid, lower) > 0) && (upper == "" || compareIDs(rid, upper) < 0) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b T) int {
		if ascending {
			return compareIDs(id(a), id(b))
		}
		return compareIDs(id(b), id(a))
	})
	return out
}

// limitRows is .limit(limit): the first limit rows (all when 0).
func limitRows[T any](c *call, rows []T) []T {
	if limit := int(c.integer("limit")); limit > 0 && len(rows) > limit {
		return rows[:limit]
	}
	return rows
}
