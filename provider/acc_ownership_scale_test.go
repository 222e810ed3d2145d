package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mkctl/mkctl/internal/acctest"
	"github.com/mkctl/mkctl/planner"
)

// sizeTransport counts i/registry/set requests and keeps the largest body.
type sizeTransport struct {
	next      http.RoundTripper
	sets, max atomic.Int64
}

func (s *sizeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/i/registry/set") {
		s.sets.Add(1)
		if req.ContentLength > s.max.Load() {
			s.max.Store(req.ContentLength)
		}
	}
	return s.next.RoundTrip(req)
}

// TestAccOwnershipRecord100k (issue 9 item 1): on the real Misskey, whose
// Fastify refuses a body over 1 MiB, an ownership record of 100,000 follows
// cannot be one value (the version 1 layout is answered with 413), but is
// written in the new layout, read back whole, and updated by rewriting
// only the chunks that changed. The user ids are made up: the registry
// does not look at them.
func TestAccOwnershipRecord100k(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "pscale")
	st := &sizeTransport{next: http.DefaultTransport}
	c := accClient(t, srv, u.MiAuth(t, mkctlPermissions...), WithHTTPClient(&http.Client{Transport: st}))
	const n = 100_000
	const address = "account.scale"

	rec := planner.NewOwnership(address)
	for i := range n {
		rec.Objects[fmt.Sprintf(`follow["@user%d@fed%d.example"]`, i, i%97)] = planner.Owned{ID: fmt.Sprintf("a%015d", i)}
	}
	rec.Objects["pinned_note.about"] = planner.Owned{ID: "pinnednote0001", Applied: map[string]any{"text": "about", "visibility": "public"}}

	// The old layout: one value, refused by the server's body limit.
	// Fastify answers 413 and closes the connection once it has read past
	// the limit, so a client still sending the 6 MB may instead see the
	// connection broken under it.
	v1 := registryParams(address)
	v1["value"] = map[string]any{"v": 1, "account": address, "objects": rec.Objects}
	err := c.Write(ctx, "i/registry/set", v1, nil)
	var apiErr *APIError
	var netErr *NetworkError
	switch {
	case asAPIError(err, &apiErr) && apiErr.Status == http.StatusRequestEntityTooLarge:
	case errors.As(err, &netErr) && (strings.Contains(err.Error(), "broken pipe") || strings.Contains(err.Error(), "connection reset")):
	default:
		t.Fatalf("the version 1 record of %d follows: err %v, want the server's 413", n, err)
	}
	if err := c.Read(ctx, "i/registry/get-detail", registryParams(address), nil); !IsCode(err, "NO_SUCH_KEY") {
		t.Fatalf("after the refused write: %v, want NO_SUCH_KEY (nothing stored)", err)
	}

	st.max.Store(0)
	st.sets.Store(0)
	write := func(ctx context.Context, endpoint string, params any) error {
		return c.call(ctx, endpoint, params, nil, true)
	}
	store := storeOf(rec)
	if err := store.save(ctx, write, rec); err != nil {
		t.Fatalf("writing the record: %v", err)
	}
	first := st.sets.Load()
	t.Logf("%d follows: %d registry writes, largest body %d bytes (%.0f%% of 1 MiB)", n, first, st.max.Load(), 100*float64(st.max.Load())/(1<<20))

	back, err := readOwnership(ctx, c.Read, address)
	if err != nil {
		t.Fatalf("reading the record back: %v", err)
	}
	assertSameRecord(t, back, rec)

	// An update as an apply makes it: 25 follows deleted (neighbours in
	// the plan's order, which is the keys' order), 25 made, then one batch
	// written. Only the chunks holding them and the manifest go.
	st.sets.Store(0)
	sorted := slices.Sorted(maps.Keys(back.Objects))
	for i, gone := range sorted[50_000:50_025] {
		delete(back.Objects, gone)
		storeOf(back).touch(gone)
		k := fmt.Sprintf(`follow["@new%d@fed.example"]`, i)
		back.Objects[k] = planner.Owned{Key: k, ID: fmt.Sprintf("b%015d", i)}
		storeOf(back).touch(k)
	}
	if err := storeOf(back).save(ctx, write, back); err != nil {
		t.Fatalf("updating the record: %v", err)
	}
	if got := st.sets.Load(); got > 4 {
		t.Errorf("the update wrote %d values, want at most 4 (the one or two chunks of the deleted follows, the last chunk, the manifest)", got)
	}
	again, err := readOwnership(ctx, c.Read, address)
	if err != nil {
		t.Fatalf("reading the updated record: %v", err)
	}
	assertSameRecord(t, again, back)

	// No key of the record is left that the manifest does not name.
	var keys []string
	if err := c.Read(ctx, "i/registry/keys", map[string]any{"scope": planner.OwnershipScope}, &keys); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Value manifest `json:"value"`
	}
	if err := c.Read(ctx, "i/registry/get-detail", registryParams(address), &m); err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{planner.OwnershipKey(address): true}
	chunks := 0
	for kind, refs := range m.Value.Chunks {
		for _, r := range refs {
			named[chunkKey(address, kind, r.Name)] = true
			chunks++
		}
	}
	for _, k := range keys {
		if !named[k] {
			t.Errorf("registry key %s is not named by the manifest", k)
		}
	}
	raw, _ := json.Marshal(m.Value)
	t.Logf("after the update: %d chunks, manifest %d bytes, %d keys", chunks, len(raw), len(keys))
}

func assertSameRecord(t *testing.T, got, want *planner.Ownership) {
	t.Helper()
	if len(got.Objects) != len(want.Objects) {
		t.Fatalf("read back %d objects, want %d", len(got.Objects), len(want.Objects))
	}
	for k, o := range want.Objects {
		g, ok := got.Objects[k]
		if !ok || g.ID != o.ID || !sameJSON(g.Applied, o.Applied) {
			t.Fatalf("object %s: read back %+v (%v), want %+v", k, g, ok, o)
		}
	}
}
