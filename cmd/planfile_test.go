package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// A saved plan is written whole, mode 0600, over an older one, with no
// temporary file left behind, and holds no token.
func TestPlanFileWrittenPrivatelyAndWhole(t *testing.T) {
	f := newLockFixture(t, 0)
	path := filepath.Join(f.dir, "bot.mkplan")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := f.run(context.Background(), "plan", "-out", path); code != 0 {
		t.Fatalf("plan -out: exit %d\n%s", code, out)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), f.token) {
		t.Fatal("the saved plan holds the token")
	}
	var pf planFile
	if err := json.Unmarshal(b, &pf); err != nil {
		t.Fatal(err)
	}
	if pf.FormatVersion != PlanFileFormatVersion || pf.MkctlVersion != Version || len(pf.Accounts) != 1 {
		t.Fatalf("header: %+v", pf)
	}
	if n := len(pf.Accounts[0].Changes); n != lockDeclared || len(pf.Accounts[0].Live.Objects) != lockDeclared {
		t.Errorf("%d changes, %d fingerprints; want %d", n, len(pf.Accounts[0].Live.Objects), lockDeclared)
	}
	entries, _ := os.ReadDir(f.dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// Two applies of one saved plan at once: the second waits for the first's
// lock, then re-reads the account and refuses the plan as stale. Nothing
// is created twice.
func TestSavedPlanAppliedTwiceAtOnce(t *testing.T) {
	f := newLockFixture(t, 5*time.Millisecond)
	path := filepath.Join(f.dir, "bot.mkplan")
	if code, out := f.run(context.Background(), "plan", "-out", path); code != 0 {
		t.Fatalf("plan -out: exit %d\n%s", code, out)
	}
	var (
		wg    sync.WaitGroup
		codes [2]int
		outs  [2]string
	)
	start := make(chan struct{})
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i], outs[i] = f.run(context.Background(), "apply", path, "--lock-timeout", "1m")
		}()
	}
	close(start)
	wg.Wait()
	if codes[0]+codes[1] != 1 {
		t.Fatalf("exit codes %v, want one success and one refusal\n%s\n%s", codes, outs[0], outs[1])
	}
	refused := outs[0]
	if codes[1] != 0 {
		refused = outs[1]
	}
	if !strings.Contains(refused, "is stale: the live account changed in what the plan depends on") {
		t.Errorf("refusal:\n%s", refused)
	}
	if n := f.total(); n != lockDeclared {
		t.Errorf("%d objects after two applies of one plan, want %d", n, lockDeclared)
	}
	if cl := f.claims(t); len(cl) != 0 {
		t.Errorf("claims left: %+v", cl)
	}
}

// What apply needs of a change survives the file: Applied (recorded in
// the ownership record, not part of plan --json), adoptions, forgets.
func TestPlanFileKeepsWhatApplyNeeds(t *testing.T) {
	p := planner.New(&planner.AccountPlan{
		Address: "account.bot", Host: "https://misskey.example", Username: "bot", UserID: "u1",
		Changes: []*planner.Change{{
			Address: "account.bot.pinned_note.about", Type: planner.TypePinnedNote, Action: planner.ActionCreate,
			Key: "pinned_note.about", After: map[string]any{"text": "About", "fileIds": []any{""}},
			Refs: map[string]string{"fileIds.0": `drive_file["a.png"]`}, Applied: map[string]any{"text": "About"},
		}},
		Adopt:  []planner.Owned{{Key: "antenna.news", ID: "a1", Applied: map[string]any{"adopted": true}}},
		Forget: []string{"follow[\"@gone\"]"},
	})
	path := filepath.Join(t.TempDir(), "p.mkplan")
	saved, err := newPlanFile(p, &schema.ReadLog{}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := writePlanFile(path, saved); err != nil {
		t.Fatal(err)
	}
	pf, hash, err := readPlanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "sha256:") {
		t.Errorf("hash %q", hash)
	}
	got := pf.plan().Accounts[0]
	ch := got.Changes[0]
	if ch.Applied["text"] != "About" || ch.Refs["fileIds.0"] != `drive_file["a.png"]` || ch.Key != "pinned_note.about" {
		t.Errorf("change: %+v", ch)
	}
	if len(got.Adopt) != 1 || got.Adopt[0].Key != "antenna.news" || got.Adopt[0].Applied["adopted"] != true {
		t.Errorf("adopt: %+v", got.Adopt)
	}
	if len(got.Forget) != 1 {
		t.Errorf("forget: %v", got.Forget)
	}
	// The file's fingerprint is the one a fresh plan of the same state gives.
	if moved := pf.Accounts[0].Live.Compare(planner.AccountFingerprint(p.Accounts[0])); len(moved) != 0 {
		t.Errorf("fingerprint differs after a round trip: %v", moved)
	}
	if moved := pf.Accounts[0].Live.Compare(planner.AccountFingerprint(got)); len(moved) != 0 {
		t.Errorf("fingerprint of the decoded plan differs: %v", moved)
	}
}

func TestConfigChangesNamed(t *testing.T) {
	saved := []schema.ReadEntry{
		{Kind: schema.ReadConfig, Name: "main.mk.hcl", Digest: "sha256:1"},
		{Kind: schema.ReadFile, Name: "bio.txt", Digest: "sha256:2"},
		{Kind: schema.ReadVariable, Name: "var.motto", Digest: "sha256:3"},
		{Kind: schema.ReadUpload, Name: "logo.png", Digest: "md5:4"},
	}
	now := []schema.ReadEntry{
		{Kind: schema.ReadConfig, Name: "main.mk.hcl", Digest: "sha256:1"},
		{Kind: schema.ReadConfig, Name: "new.mk.hcl", Digest: "sha256:9"},
		{Kind: schema.ReadFile, Name: "bio.txt", Digest: "sha256:2"},
		{Kind: schema.ReadVariable, Name: "var.motto", Digest: "sha256:5"},
	}
	got := strings.Join(configChanges(saved, now), "\n")
	for _, want := range []string{
		"configuration file new.mk.hcl is new",
		"the value of var.motto changed",
		"file logo.png (uploaded) is no longer read",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "bio.txt") || strings.Contains(got, "main.mk.hcl") {
		t.Errorf("unchanged inputs named:\n%s", got)
	}
	if configDigest(saved) == configDigest(now) {
		t.Error("same digest for different inputs")
	}
}

// Variables and var files are hashed slowly, with the plan's own salt: a
// short secret cannot be found by hashing guesses with plain SHA-256.
func TestSecretInputsSaltedAndSlow(t *testing.T) {
	in := []schema.ReadEntry{
		{Kind: schema.ReadVariable, Name: "var.token", Digest: "sha256:aa"},
		{Kind: schema.ReadVarFile, Name: "secrets.hcl", Digest: "sha256:bb"},
		{Kind: schema.ReadConfig, Name: "main.mk.hcl", Digest: "sha256:cc"},
	}
	a, err := protectInputs(in, []byte("salt-one"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := protectInputs(in, []byte("salt-one"))
	c, _ := protectInputs(in, []byte("salt-two"))
	for i := range 2 {
		if !strings.HasPrefix(a[i].Digest, "pbkdf2-sha256:") || a[i].Digest != b[i].Digest || a[i].Digest == c[i].Digest {
			t.Errorf("%s: %s / %s / %s", in[i].Name, a[i].Digest, b[i].Digest, c[i].Digest)
		}
	}
	if a[2].Digest != "sha256:cc" || in[0].Digest != "sha256:aa" {
		t.Errorf("config file digest %s, input %s", a[2].Digest, in[0].Digest)
	}
}
