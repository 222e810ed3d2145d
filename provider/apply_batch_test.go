package provider

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

// registryBytes counts the request bytes sent to i/registry/set.
type registryBytes struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent int
}

func (rb *registryBytes) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/api/i/registry/set") && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		rb.mu.Lock()
		rb.sent += len(body)
		rb.mu.Unlock()
	}
	return rb.next.RoundTrip(req)
}

func (rb *registryBytes) total() int {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return rb.sent
}

// countRegistryBytes makes env's client count the bytes of every record write.
func countRegistryBytes(env *emuEnv) *registryBytes {
	rb := &registryBytes{next: env.c.hc.Transport}
	hc := *env.c.hc
	hc.Transport = rb
	env.c.hc = &hc
	return rb
}

// followCreates follows n fresh local users f0 … f<n-1>.
func followCreates(env *emuEnv, n int) []*planner.Change {
	ids := env.emu.SeedUsers("f", n)
	changes := make([]*planner.Change, n)
	for i, id := range ids {
		changes[i] = followChange(planner.ActionCreate, "@f"+itoa(i), id, nil)
	}
	return changes
}

// 250 follows: the record is written in batches, not after every follow.
func TestApplyBatchesRecordWrites(t *testing.T) {
	env := newEmuEnv(t)
	ap := env.plan(followCreates(env, 250)...)
	rb := countRegistryBytes(env)
	res, err := Apply(context.Background(), env.c, ap, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Added: 250}) {
		t.Errorf("res = %+v", res)
	}
	writes := env.count("i/registry/set")
	t.Logf("apply of 250 follows: %d i/registry/set calls, %d bytes sent to it", writes, rb.total())
	if writes != 250/recordBatch {
		t.Errorf("%d record writes, want %d (one per %d follows)", writes, 250/recordBatch, recordBatch)
	}
	if n := len(env.record(t).Objects); n != 250 {
		t.Errorf("record holds %d follows, want 250", n)
	}
}

// BenchmarkApply250Follows measures what recording an apply of 250 follows
// costs: i/registry/set calls and the bytes sent with them.
func BenchmarkApply250Follows(b *testing.B) {
	var writes, sent int
	for range b.N {
		b.StopTimer()
		env := newEmuEnv(b)
		ap := env.plan(followCreates(env, 250)...)
		rb := countRegistryBytes(env)
		b.StartTimer()
		if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		writes += env.count("i/registry/set")
		sent += rb.total()
	}
	b.ReportMetric(float64(writes)/float64(b.N), "registry-writes/op")
	b.ReportMetric(float64(sent)/float64(b.N), "registry-bytes/op")
}
