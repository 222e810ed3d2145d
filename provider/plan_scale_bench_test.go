package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// followConfig writes a configuration declaring n follows the usual way: a
// list(string) variable fed to for_each = toset(...).
func followConfig(b *testing.B, n int) string {
	dir := b.TempDir()
	var sb strings.Builder
	sb.WriteString("variable \"friends\" {\n  type = list(string)\n  default = [\n")
	for i := range n {
		fmt.Fprintf(&sb, "    \"@user%d\",\n", i)
	}
	sb.WriteString(`  ]
}

account "main" {
  host     = "http://127.0.0.1:3000"
  username = "alice"
  follow "friends" {
    for_each = toset(var.friends)
    account  = each.key
  }
}
`)
	if err := os.WriteFile(filepath.Join(dir, "main.mk.hcl"), []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkPlanFollows is `mkctl plan` of an account whose n follows are all
// declared, followed and recorded (issue 9 item 3): loading the
// configuration, reading the account with the server's answers replayed
// from memory (so the time is mkctl's), and the diff. Linear in n; at
// 100,000 the target is under 3 s of CPU and 250 MiB. peak-heap-MiB is the
// largest heap a sampler saw during the ops beyond what the emulator and
// the recorded answers hold before them.
func BenchmarkPlanFollows(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			env := newEmuEnv(b)
			ids := env.emu.SeedUsers("user", n)
			env.emu.SeedFollows(env.me.ID, ids)
			rec := planner.NewOwnership("account.main")
			for i, id := range ids {
				rec.Objects[`follow["@user`+itoa(i)+`"]`] = planner.Owned{ID: id}
			}
			ctx := context.Background()
			write := func(ctx context.Context, endpoint string, params any) error {
				return env.c.call(ctx, endpoint, params, nil, true)
			}
			if err := storeOf(rec).save(ctx, write, rec); err != nil {
				b.Fatal(err)
			}
			dir := followConfig(b, n)
			rt := &replayTransport{next: env.emu.Transport(), recorded: map[string]replayed{}}
			token := env.emu.IssueToken(env.me.ID, mkctlPermissions)
			c, err := NewClient("http://127.0.0.1:3000", token, WithHTTPClient(&http.Client{Transport: rt}))
			if err != nil {
				b.Fatal(err)
			}
			plan := func() {
				cfg, _, diags := schema.Load(dir, schema.LoadOptions{})
				if diags.HasErrors() {
					b.Fatal(diags.Error())
				}
				live, err := ReadAccount(ctx, c, cfg.Accounts[0])
				if err != nil {
					b.Fatal(err)
				}
				ap, diags := planner.PlanAccount(cfg.Accounts[0], live)
				if diags.HasErrors() || len(ap.Changes) != 0 {
					b.Fatalf("plan: %d changes, %v", len(ap.Changes), diags)
				}
			}
			plan() // record the answers
			rt.replay = true
			requests := len(rt.recorded)
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base) // the emulator and the recorded answers
			var peak uint64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				var ms runtime.MemStats
				tick := time.NewTicker(10 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
					}
					runtime.ReadMemStats(&ms) // stops the world: not more often
					peak = max(peak, ms.HeapAlloc)
				}
			}()
			b.ReportAllocs()
			cpu0 := cpuSeconds()
			b.ResetTimer()
			for b.Loop() {
				plan()
			}
			b.StopTimer()
			b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/op")
			close(stop)
			<-done
			b.ReportMetric(float64(requests), "requests/op")
			b.ReportMetric(float64(peak-min(peak, base.HeapAlloc))/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/follow")
		})
	}
}

// cpuSeconds is the CPU time the process used so far (both cores), from the
// runtime's accounting: all time minus idle time.
func cpuSeconds() float64 {
	ms := []metrics.Sample{{Name: "/cpu/classes/total:cpu-seconds"}, {Name: "/cpu/classes/idle:cpu-seconds"}}
	metrics.Read(ms)
	return ms[0].Value.Float64() - ms[1].Value.Float64()
}
