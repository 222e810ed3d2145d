package provider

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/internal/acctest"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider/emulator"
	"github.com/mkctl/mkctl/schema"
)

// registryKeys lists the keys of mkctl's scope, as stored.
func (env *emuEnv) registryKeys(t testing.TB) []string {
	t.Helper()
	var keys []string
	if err := env.c.Read(context.Background(), "i/registry/keys", map[string]any{"scope": planner.OwnershipScope}, &keys); err != nil {
		t.Fatal(err)
	}
	return keys
}

// followAccount declares n follows of seeded users.
func followAccount(env *emuEnv, n int) (*schema.Account, []string) {
	ids := env.emu.SeedUsers("user", n)
	acct := account()
	for i := range ids {
		acct.Follows = append(acct.Follows, &schema.Follow{Acct: "@user" + itoa(i)})
	}
	return acct, ids
}

func mustPlanApply(t testing.TB, env *emuEnv, acct *schema.Account) (*planner.AccountPlan, Result) {
	t.Helper()
	ctx := context.Background()
	live, err := ReadAccount(ctx, env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	ap, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	res, err := Apply(ctx, env.c, ap, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ap, res
}

// Issue 9 item 1: the record of many follows is stored in chunks that
// each fit Misskey's body limit (the emulator answers a larger body with
// 413 and records a violation, which fails the test); the plan after the
// apply finds nothing to do and reads every entry back; removing the
// follows from the configuration (they are mkctl's) deletes them all and
// leaves an empty record and no chunk behind.
//
// Plain `go test` uses 5,000 follows (several chunks) to stay fast; the
// full suite (MKCTL_ACC=1, what CI runs) uses 30,000, past the 25,000
// where the single-value record failed with 413 (about 25 s, mostly the
// emulator parsing the chunks it is sent); MKCTL_TEST_FOLLOWS=100000 runs
// the full scale (about 90 s), and so does BenchmarkOwnershipRecord100k.
func TestOwnershipRecordManyFollows(t *testing.T) {
	t.Parallel()
	n := 5_000
	if acctest.Enabled() && !testing.Short() {
		n = 30_000
	}
	if v := os.Getenv("MKCTL_TEST_FOLLOWS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			t.Fatalf("MKCTL_TEST_FOLLOWS=%q: %v", v, err)
		}
	}
	ownershipScale(t, n)
}

// ownershipScale applies n follows, plans again and deletes them all.
func ownershipScale(t testing.TB, n int) {
	env := newEmuEnv(t)
	acct, ids := followAccount(env, n)

	// The first plan is given the followees' ids, as resolving 100,000
	// names one users/show at a time is the emulator's slowest path (a
	// scan of every user per name) and not what this test is about.
	ctx := context.Background()
	live, err := ReadAccount(ctx, env.c, account())
	if err != nil {
		t.Fatal(err)
	}
	live.Users = map[string]string{}
	for i, id := range ids {
		live.Users["@user"+itoa(i)] = id
	}
	ap, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	res, err := Apply(ctx, env.c, ap, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != n {
		t.Fatalf("added %d of %d", res.Added, n)
	}
	sets := env.count("i/registry/set")
	rec := env.record(t)
	if len(rec.Objects) != n {
		t.Fatalf("record holds %d objects, want %d", len(rec.Objects), n)
	}
	for i, id := range ids {
		if o := rec.Objects[`follow["@user`+itoa(i)+`"]`]; o.ID != id {
			t.Fatalf("follow %d: record %q, want %q", i, o.ID, id)
		}
	}
	keys := env.registryKeys(t)
	t.Logf("%d follows: %d registry writes during the apply, %d keys (%d changes)", n, sets, len(keys), len(ap.Changes))

	// Plan again: no changes, and the record reads back whole.
	env.resetCounts()
	live, err = ReadAccount(ctx, env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	again, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() || len(again.Changes) != 0 || len(again.Adopt) != 0 {
		t.Fatalf("second plan: %d changes, %d adoptions, %v", len(again.Changes), len(again.Adopt), diags)
	}
	if got := env.count("i/registry/get-detail"); got != len(keys) {
		t.Errorf("the plan read %d registry keys, want %d (the manifest and each chunk once)", got, len(keys))
	}

	// Delete them all.
	acct.Follows = nil
	_, res = mustPlanApply(t, env, acct)
	if res.Destroyed != n {
		t.Fatalf("destroyed %d of %d", res.Destroyed, n)
	}
	if rec := env.record(t); len(rec.Objects) != 0 {
		t.Fatalf("record still holds %d objects", len(rec.Objects))
	}
	if keys := env.registryKeys(t); len(keys) != 1 || keys[0] != planner.OwnershipKey("account.main") {
		t.Errorf("registry keys after deleting everything: %v, want only the manifest", keys)
	}
}

// A record in the old one-value format (here 20,000 follows, 96% of the
// body limit) is read as it is; the next apply replaces it by the manifest
// and chunks, with every entry kept, in one switch: until the manifest is
// written the old value stays whole.
func TestOwnershipRecordMigratesVersion1(t *testing.T) {
	n := 20_000
	if testing.Short() {
		n = 2_000
	}
	env := newEmuEnv(t)
	acct, ids := followAccount(env, n)
	env.emu.SeedFollows(env.me.ID, ids)
	old := planner.NewOwnership("account.main")
	old.Version = 1
	for i, id := range ids {
		old.Objects[`follow["@user`+itoa(i)+`"]`] = planner.Owned{ID: id}
	}
	env.writeRecord(t, old)

	// One more follow: the apply writes the new layout.
	env.emu.SeedUsers("extra", 1)
	acct.Follows = append(acct.Follows, &schema.Follow{Acct: "@extra0"})

	// The first chunk write fails: the old record is untouched.
	env.emu.FailNext("i/registry/set", emulator.FaultBeforeExecute)
	env.emu.FailNext("i/registry/set", emulator.FaultBeforeExecute)
	env.emu.FailNext("i/registry/set", emulator.FaultBeforeExecute)
	env.emu.FailNext("i/registry/set", emulator.FaultBeforeExecute)
	ctx := context.Background()
	live, err := ReadAccount(ctx, env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	ap, _ := planner.PlanAccount(acct, live)
	if _, err := Apply(ctx, env.c, ap, nil); err == nil {
		t.Fatal("apply succeeded though every registry write failed")
	}
	var raw struct {
		Value struct {
			Version int `json:"v"`
		} `json:"value"`
	}
	if err := env.c.Read(ctx, "i/registry/get-detail", registryParams("account.main"), &raw); err != nil || raw.Value.Version != 1 {
		t.Fatalf("after a failed migration the record is version %d (%v), want the old 1", raw.Value.Version, err)
	}
	if rec := env.record(t); len(rec.Objects) != n {
		t.Fatalf("old record holds %d objects, want %d", len(rec.Objects), n)
	}

	mustPlanApply(t, env, acct)
	if err := env.c.Read(ctx, "i/registry/get-detail", registryParams("account.main"), &raw); err != nil || raw.Value.Version != planner.OwnershipVersion {
		t.Fatalf("after the apply the record is version %d (%v)", raw.Value.Version, err)
	}
	rec := env.record(t)
	if len(rec.Objects) != n+1 {
		t.Fatalf("record holds %d objects, want %d", len(rec.Objects), n+1)
	}
	for i, id := range ids {
		if rec.Objects[`follow["@user`+itoa(i)+`"]`].ID != id {
			t.Fatalf("follow %d lost in the migration", i)
		}
	}
	// Every stored chunk is one the manifest names.
	named := map[string]bool{planner.OwnershipKey("account.main"): true}
	var m struct {
		Value manifest `json:"value"`
	}
	if err := env.c.Read(ctx, "i/registry/get-detail", registryParams("account.main"), &m); err != nil {
		t.Fatal(err)
	}
	for kind, refs := range m.Value.Chunks {
		for _, r := range refs {
			named[chunkKey("account.main", kind, r.Name)] = true
		}
	}
	for _, k := range env.registryKeys(t) {
		if !named[k] {
			t.Errorf("registry key %s is not named by the manifest", k)
		}
	}
}

// Write only what changed: with thousands of follows recorded, an apply
// that adds 25 rewrites the last chunk and the manifest, not the others;
// a pinned-note step rewrites only the manifest.
func TestOwnershipRecordWritesOnlyChangedChunks(t *testing.T) {
	env := newEmuEnv(t)
	acct, _ := followAccount(env, 10_000)
	mustPlanApply(t, env, acct)
	before := env.registryKeys(t)
	if len(before) < 4 {
		t.Fatalf("10,000 follows in %d keys; want several chunks", len(before))
	}
	env.emu.SeedUsers("more", 25)
	for i := range 25 {
		acct.Follows = append(acct.Follows, &schema.Follow{Acct: "@more" + itoa(i)})
	}
	env.resetCounts()
	mustPlanApply(t, env, acct)
	if got := env.count("i/registry/set"); got != 2 {
		t.Errorf("%d registry writes for 25 new follows, want 2 (the last chunk, the manifest)", got)
	}
	// The superseded last chunk, and the one the previous write had
	// superseded: the manifest lists it until a later write, as a crash
	// could have come between the switch and its removal.
	if got := env.count("i/registry/remove"); got != 2 {
		t.Errorf("%d registry removals, want 2", got)
	}
	if after := env.registryKeys(t); len(after) != len(before) {
		t.Errorf("keys %d → %d", len(before), len(after))
	}
}

// A reader that reads the manifest while a writer switches to new chunks
// and removes the old ones reads again instead of mixing two writes.
func TestOwnershipRecordReaderRetriesOnSwitch(t *testing.T) {
	env := newEmuEnv(t)
	acct, _ := followAccount(env, 1_000)
	mustPlanApply(t, env, acct)
	var manifestRaw json.RawMessage
	var detail struct {
		Value json.RawMessage `json:"value"`
	}
	if err := env.c.Read(context.Background(), "i/registry/get-detail", registryParams("account.main"), &detail); err != nil {
		t.Fatal(err)
	}
	manifestRaw = detail.Value
	reads := 0
	read := func(ctx context.Context, endpoint string, params, out any) error {
		p := params.(map[string]any)
		if p["key"] == planner.OwnershipKey("account.main") {
			reads++
			if reads == 1 {
				// The first read sees a manifest naming a chunk that is gone.
				var m manifest
				_ = json.Unmarshal(manifestRaw, &m)
				m.Chunks["follow"] = append(m.Chunks["follow"], chunkRef{Name: "999-0", N: 3})
				b, _ := json.Marshal(map[string]any{"value": m})
				return json.Unmarshal(b, out)
			}
		}
		return env.c.Read(ctx, endpoint, params, out)
	}
	rec, err := readOwnership(context.Background(), read, "account.main")
	if err != nil {
		t.Fatal(err)
	}
	if reads != 2 || len(rec.Objects) != 1_000 {
		t.Fatalf("manifest read %d times, %d objects", reads, len(rec.Objects))
	}
}

// A chunk that does not hold what its manifest says is an error naming it,
// not a silently smaller record (mkctl would forget what it owns).
func TestOwnershipRecordDamagedChunk(t *testing.T) {
	env := newEmuEnv(t)
	acct, _ := followAccount(env, 1_000)
	mustPlanApply(t, env, acct)
	var chunkKeyName string
	for _, k := range env.registryKeys(t) {
		if strings.Contains(k, ":follow:") {
			chunkKeyName = k
		}
	}
	p := map[string]any{"key": chunkKeyName, "scope": planner.OwnershipScope, "value": map[string]any{"account": "account.main", "kind": "follow", "e": map[string]string{"@x": "y"}}}
	if err := env.c.Write(context.Background(), "i/registry/set", p, nil); err != nil {
		t.Fatal(err)
	}
	_, err := readOwnership(context.Background(), env.c.Read, "account.main")
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("err = %v", err)
	}
}

func TestCompactNameRoundTrip(t *testing.T) {
	for _, key := range []string{`follow["@a@b.example"]`, `follow["@a"]`, `drive_folder["media/ä \"q\""]`, "antenna.x.y", "user_list.l"} {
		kind, name, ok := compactName(key)
		if !ok || fullKey(kind, name) != key {
			t.Errorf("%s: %q %q %v → %q", key, kind, name, ok, fullKey(kind, name))
		}
	}
	for _, key := range []string{"pinned_note.a", `follow[@a]`, "antenna.", `follow["\x41"]`} {
		if _, _, ok := compactName(key); ok {
			t.Errorf("%s has a compact form; it must stay in the manifest", key)
		}
	}
}

// BenchmarkOwnershipScale100k is the whole of TestOwnershipRecordManyFollows
// at 100,000 follows: apply, plan, delete (about 90 s an op).
func BenchmarkOwnershipScale100k(b *testing.B) {
	for b.Loop() {
		ownershipScale(b, 100_000)
	}
}

// BenchmarkOwnershipRecord measures the record alone at 1k, 10k and 100k
// follows: reading it (requests/op: the manifest and each chunk) and
// writing one batch of 25 new follows (writes/op, bytes/op sent), which is
// what an apply does every 25 changes.
func BenchmarkOwnershipRecord(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		env := newEmuEnv(b)
		rec := planner.NewOwnership("account.main")
		for i := range n {
			rec.Objects[`follow["@user`+itoa(i)+`@host.example"]`] = planner.Owned{ID: "a" + strconv.Itoa(1e15+i)}
		}
		var sent int64
		write := func(ctx context.Context, endpoint string, params any) error {
			if p, ok := params.(map[string]any); ok {
				if v, ok := p["value"].(json.RawMessage); ok {
					sent += int64(len(v))
				}
			}
			return env.c.call(ctx, endpoint, params, nil, true)
		}
		ctx := context.Background()
		if err := storeOf(rec).save(ctx, write, rec); err != nil {
			b.Fatal(err)
		}
		b.Run(itoa(n/1000)+"k/read", func(b *testing.B) {
			env.resetCounts()
			for b.Loop() {
				got, err := readOwnership(ctx, env.c.Read, "account.main")
				if err != nil || len(got.Objects) != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(env.total())/float64(b.N), "requests/op")
		})
		b.Run(itoa(n/1000)+"k/batch", func(b *testing.B) {
			env.resetCounts()
			sent = 0
			next := 0
			for b.Loop() {
				for range 25 {
					k := `follow["@new` + itoa(next) + `@host.example"]`
					rec.Objects[k] = planner.Owned{ID: "b" + strconv.Itoa(1e15+next)}
					storeOf(rec).touch(k)
					next++
				}
				if err := storeOf(rec).save(ctx, write, rec); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(env.count("i/registry/set"))/float64(b.N), "writes/op")
			b.ReportMetric(float64(sent)/float64(b.N), "sent-bytes/op")
		})
	}
}
