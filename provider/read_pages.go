package provider

import (
	"context"
	"fmt"
	"maps"
)

// pageSize is the largest limit Misskey's list endpoints accept.
const pageSize = 100

// readPages walks a newest-first list endpoint to its end: the first call
// has no cursor, each next one asks for items older than the last one seen
// (untilId), and a page shorter than pageSize is the last.
//
// That is the fewest requests this pagination allows: ⌈N/100⌉ for N items,
// plus one when N is a multiple of 100 (including N = 0), because a full
// page cannot tell whether more follow. The counters `i` reports
// (followingCount, …) could save that one request, but they are
// denormalised columns that can drift from the real rows; trusting one that
// is too low would drop follows from the live state, and the plan would then
// try to follow them again. One request per 100 is cheaper than that risk.
func readPages[T any](ctx context.Context, r *reading, endpoint string, params map[string]any, id func(*T) string) ([]T, error) {
	return readPagesWith(ctx, r.read, endpoint, params, id)
}

// readPagesWith is readPages sending each request with read (reading.lane
// for a chain that should not queue for the shared slots).
func readPagesWith[T any](ctx context.Context, read readFunc, endpoint string, params map[string]any, id func(*T) string) ([]T, error) {
	p := maps.Clone(params)
	if p == nil {
		p = map[string]any{}
	}
	p["limit"] = pageSize
	var all []T
	for {
		var page []T
		if err := read(ctx, endpoint, p, &page); err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < pageSize {
			return all, nil
		}
		last := id(&page[len(page)-1])
		if last == "" || last == p["untilId"] {
			// A server that ignores the cursor would loop forever.
			return nil, fmt.Errorf("%s: the server does not page on (untilId %q); cannot read the whole list", endpoint, last)
		}
		p = maps.Clone(p)
		p["untilId"] = last
	}
}
