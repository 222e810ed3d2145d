package cmd

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// PlanFileFormatVersion is the version of the saved plan format (plan
// -out). A reader accepts a file whose major part is its own; minor
// versions only add fields.
const PlanFileFormatVersion = "1.0"

// maxPlanFileBytes bounds what apply and show read: a plan of 100,000
// follows is a few tens of megabytes.
const maxPlanFileBytes = 256 << 20

// planFile is a saved plan: the changes exactly as apply carries them out,
// and what they were computed from, so that apply can refuse a stale plan.
// README.md ("Saved plans") documents every field.
type planFile struct {
	FormatVersion     string    `json:"format_version"`
	MkctlVersion      string    `json:"mkctl_version"`
	PlanFormatVersion string    `json:"plan_format_version"`
	CreatedAt         time.Time `json:"created_at"`
	// Sandbox says the plan was made against the sandbox's emulator
	// (--sandbox): it applies only there.
	Sandbox bool `json:"sandbox,omitempty"`
	// Targets, Excludes and AllowMassDelete are plan's --target, --exclude
	// and --allow-mass-delete: apply FILE plans again with them to compare
	// (see target.go). Partial is the plan's note that it is partial.
	Targets         []string           `json:"targets,omitempty"`
	Excludes        []string           `json:"excludes,omitempty"`
	AllowMassDelete bool               `json:"allow_mass_delete,omitempty"`
	Partial         *planner.Partial   `json:"partial,omitempty"`
	Configuration   planFileConfig     `json:"configuration"`
	Accounts        []*planFileAccount `json:"accounts"`
}

// planFileConfig is the configuration's hash: one digest over every
// input, and the inputs (files and variables, each hashed) so that a stale
// plan names what changed. No value is stored, only hashes.
type planFileConfig struct {
	Digest string             `json:"digest"`
	Inputs []schema.ReadEntry `json:"inputs"`
	// Salt (hex) salts the slow hash of the inputs that may hold secrets
	// (variables and var files): see protectInputs.
	Salt string `json:"salt"`
}

// secretHashIterations is PBKDF2's work factor for the inputs that may
// hold secrets: a variable's plain SHA-256 could be reversed by guessing
// a short secret; each guess now costs this many HMAC-SHA-256 rounds,
// with a salt of its own in every plan file.
const secretHashIterations = 50_000

// protectInputs replaces the digests of variables and var files by a
// salted PBKDF2-HMAC-SHA-256 of them ("pbkdf2-sha256:HEX").
func protectInputs(entries []schema.ReadEntry, salt []byte) ([]schema.ReadEntry, error) {
	out := make([]schema.ReadEntry, len(entries))
	for i, e := range entries {
		if e.Kind == schema.ReadVariable || e.Kind == schema.ReadVarFile {
			k, err := pbkdf2.Key(sha256.New, e.Digest, salt, secretHashIterations, 32)
			if err != nil {
				return nil, err
			}
			e.Digest = "pbkdf2-sha256:" + hex.EncodeToString(k)
		}
		out[i] = e
	}
	return out, nil
}

// inputsNow hashes the configuration's inputs as the saved plan did.
func (pf *planFile) inputsNow(log *schema.ReadLog) ([]schema.ReadEntry, error) {
	salt, err := hex.DecodeString(pf.Configuration.Salt)
	if err != nil {
		return nil, fmt.Errorf("the saved plan's salt is not hex: %w", err)
	}
	return protectInputs(log.Entries(), salt)
}

type planFileAccount struct {
	Address  string              `json:"address"`
	Host     string              `json:"host"`
	Username string              `json:"username"`
	UserID   string              `json:"user_id,omitempty"`
	Changes  []planFileChange    `json:"resource_changes"`
	Adopt    []planFileOwned     `json:"adopt,omitempty"`
	Forget   []string            `json:"forget,omitempty"`
	Notes    []string            `json:"notes,omitempty"`
	Live     planner.Fingerprint `json:"live_fingerprint"`
}

// planFileChange is a planner.Change with what apply records in the
// ownership record once it is done (Applied, not part of the JSON plan
// view).
type planFileChange struct {
	*planner.Change
	Applied map[string]any `json:"applied,omitempty"`
}

type planFileOwned struct {
	Key     string         `json:"key"`
	ID      string         `json:"id"`
	Applied map[string]any `json:"applied,omitempty"`
}

// configDigest hashes the inputs, in their (sorted) order.
func configDigest(inputs []schema.ReadEntry) string {
	h := sha256.New()
	for _, e := range inputs {
		fmt.Fprintf(h, "%s\x00%s\x00%s\n", e.Kind, e.Name, e.Digest)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// newPlanFile makes the saved form of a plan.
func newPlanFile(p *planner.Plan, log *schema.ReadLog, sandbox bool, sel *targetOptions) (*planFile, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	inputs, err := protectInputs(log.Entries(), salt)
	if err != nil {
		return nil, err
	}
	pf := &planFile{
		FormatVersion:     PlanFileFormatVersion,
		MkctlVersion:      Version,
		PlanFormatVersion: planner.FormatVersion,
		CreatedAt:         time.Now().UTC().Truncate(time.Second),
		Sandbox:           sandbox,
		Configuration:     planFileConfig{Digest: configDigest(inputs), Inputs: inputs, Salt: hex.EncodeToString(salt)},
		Accounts:          []*planFileAccount{},
		Partial:           p.Partial,
	}
	if sel != nil {
		pf.Targets, pf.Excludes, pf.AllowMassDelete = sel.Targets, sel.Excludes, sel.AllowMassDelete
	}
	// Sensitive values are saved as (sensitive); apply FILE takes them
	// from the plan it makes again (see checkLive).
	for _, ap := range p.Redacted().Accounts {
		a := &planFileAccount{
			Address: ap.Address, Host: ap.Host, Username: ap.Username, UserID: ap.UserID,
			Changes: []planFileChange{}, Forget: ap.Forget, Notes: ap.Notes,
			Live: planner.AccountFingerprint(ap),
		}
		for _, ch := range ap.Changes {
			if ch == nil {
				continue
			}
			a.Changes = append(a.Changes, planFileChange{Change: ch, Applied: ch.Applied})
		}
		for _, o := range ap.Adopt {
			a.Adopt = append(a.Adopt, planFileOwned{Key: o.Key, ID: o.ID, Applied: o.Applied})
		}
		pf.Accounts = append(pf.Accounts, a)
	}
	return pf, nil
}

// plan rebuilds the planner.Plan the file holds (without ownership
// records: apply takes those from its fresh read).
func (pf *planFile) plan() *planner.Plan {
	var aps []*planner.AccountPlan
	for _, a := range pf.Accounts {
		ap := &planner.AccountPlan{
			Address: a.Address, Host: a.Host, Username: a.Username, UserID: a.UserID,
			Forget: a.Forget, Notes: a.Notes,
		}
		for _, c := range a.Changes {
			if c.Change == nil {
				continue
			}
			ch := *c.Change
			ch.Applied = c.Applied
			ap.Changes = append(ap.Changes, &ch)
		}
		for _, o := range a.Adopt {
			ap.Adopt = append(ap.Adopt, planner.Owned{Key: o.Key, ID: o.ID, Applied: o.Applied})
		}
		aps = append(aps, ap)
	}
	p := planner.New(aps...)
	p.Partial = pf.Partial
	return p
}

// writePlanFile writes the plan atomically (a temporary file in the same
// directory, renamed over path) with mode 0600: readers never see half a
// plan, and a plan is only for its owner (it names accounts and ids).
func writePlanFile(path string, pf *planFile) (digest string, err error) {
	b, err := json.MarshalIndent(pf, "", "  ")
	if err != nil {
		return "", err
	}
	b = append(b, '\n')
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("saving the plan: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", fmt.Errorf("saving the plan: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return "", fmt.Errorf("saving the plan: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("saving the plan: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("saving the plan: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("saving the plan: %w", err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// readPlanFile reads and checks a saved plan: a file that is not one, or
// one from an incompatible mkctl, is refused here, before anything else.
func readPlanFile(path string) (*planFile, string, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("reading the saved plan: %w. Hint: save one first with `mkctl plan -out %s`", err, path)
		}
		return nil, "", fmt.Errorf("reading the saved plan: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPlanFileBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("reading the saved plan %s: %w", path, err)
	}
	if len(b) > maxPlanFileBytes {
		return nil, "", fmt.Errorf("%s is larger than %d MiB: not a saved plan", path, maxPlanFileBytes>>20)
	}
	var pf planFile
	if err := json.Unmarshal(b, &pf); err != nil || pf.FormatVersion == "" {
		return nil, "", fmt.Errorf("%s is not a saved plan (made by mkctl plan -out FILE)", path)
	}
	if major(pf.FormatVersion) != major(PlanFileFormatVersion) {
		return nil, "", fmt.Errorf("%s is a saved plan of format %s; this mkctl (%s) reads format %s. Hint: make a new plan with this mkctl", path, pf.FormatVersion, Version, PlanFileFormatVersion)
	}
	sum := sha256.Sum256(b)
	return &pf, "sha256:" + hex.EncodeToString(sum[:]), nil
}

// checkVersion refuses a plan another mkctl made: a different planner may
// compute different changes from the same configuration and account, and
// a different provider may carry them out differently.
func (pf *planFile) checkVersion(path string) error {
	if pf.MkctlVersion != Version || major(pf.PlanFormatVersion) != major(planner.FormatVersion) {
		return fmt.Errorf("the saved plan %s was made by mkctl %s; this is mkctl %s, which applies only plans it made itself. Hint: make a new plan with this mkctl: mkctl plan -out %s", path, pf.MkctlVersion, Version, path)
	}
	return nil
}

func major(v string) string {
	m, _, _ := strings.Cut(v, ".")
	return m
}

// configChanges names the inputs that differ between the saved plan and
// the configuration as it is now.
func configChanges(saved, now []schema.ReadEntry) []string {
	type key struct{ kind, name string }
	old := map[key]string{}
	for _, e := range saved {
		old[key{e.Kind, e.Name}] = e.Digest
	}
	var out []string
	seen := map[key]bool{}
	for _, e := range now {
		k := key{e.Kind, e.Name}
		seen[k] = true
		d, had := old[k]
		switch {
		case !had:
			out = append(out, describeInput(e.Kind, e.Name)+" is new (the plan did not read it)")
		case d != e.Digest:
			out = append(out, describeInput(e.Kind, e.Name)+" changed")
		}
	}
	for _, e := range saved {
		if !seen[key{e.Kind, e.Name}] {
			out = append(out, describeInput(e.Kind, e.Name)+" is no longer read (removed, or no longer used)")
		}
	}
	sort.Strings(out)
	return out
}

func describeInput(kind, name string) string {
	switch kind {
	case schema.ReadConfig:
		return "configuration file " + name
	case schema.ReadVarFile:
		return "variable file " + name
	case schema.ReadFile:
		return "file " + name + " (read by file() or templatefile())"
	case schema.ReadUpload:
		return "file " + name + " (uploaded)"
	case schema.ReadVariable:
		return "the value of " + name
	}
	return kind + " " + name
}

// stalePlanError is a refusal to apply a saved plan.
type stalePlanError struct {
	path  string
	what  string
	items []string
}

func (e *stalePlanError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "the saved plan %s is stale: %s since it was made, so it is not what was reviewed; nothing was changed:", e.path, e.what)
	for _, it := range e.items {
		sb.WriteString("\n  - " + it)
	}
	return sb.String()
}

func (e *stalePlanError) Hint() string {
	return "make and review a new plan: mkctl plan -out " + e.path
}

var _ hinter = (*stalePlanError)(nil)
