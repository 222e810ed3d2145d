package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"sort"
)

// Fingerprint identifies the live state an account's plan was computed
// from, object by object, for a saved plan (mkctl plan -out): Objects maps
// each address the plan touches — every change's address, "adopt KEY" and
// "forget KEY" — to a hash of what the planner derived from that object's
// live state: its Misskey id, its current values of every attribute that
// differs (the before side), what apply will send and record, and the
// ownership-record facts the change rests on.
//
// Replanning the same configuration against the account at apply time
// gives the same hash for an object exactly when nothing the change
// depends on moved. Objects the plan does not touch are not in it, so
// drift elsewhere in the account does not make the plan stale; drift on a
// planned object does (its change differs, or it needs none any more).
type Fingerprint struct {
	Digest  string            `json:"digest"`  // sha256 over Objects, in address order
	Objects map[string]string `json:"objects"` // address → "sha256:HEX"
}

// Prefixes of the Fingerprint keys of adoptions and forgotten entries.
const (
	FingerprintAdopt  = "adopt "
	FingerprintForget = "forget "
)

// AccountFingerprint computes the fingerprint of an account's plan.
func AccountFingerprint(ap *AccountPlan) Fingerprint {
	objs := map[string]string{}
	for _, ch := range ap.Changes {
		if ch == nil || ch.Action == ActionNoop {
			continue
		}
		addr := ch.Address
		if ch.Followup {
			addr += " (followup)"
		}
		for n := 2; objs[addr] != ""; n++ {
			addr = fmt.Sprintf("%s #%d", ch.Address, n)
		}
		objs[addr] = hashJSON(fingerprintChange(ch))
	}
	for _, o := range ap.Adopt {
		objs[FingerprintAdopt+o.Key] = hashJSON(struct {
			ID      string         `json:"id"`
			Applied map[string]any `json:"applied"`
		}{o.ID, o.Applied})
	}
	for _, k := range ap.Forget {
		objs[FingerprintForget+k] = hashJSON(k)
	}
	return Fingerprint{Digest: digestOf(objs), Objects: objs}
}

// fingerprintChange is the change with what depends on the machine that
// plans left out: the absolute path of a file to upload ("source"), which
// differs between two checkouts of the same repository (its bytes are in
// the configuration's hash as md5, and the change carries that md5).
//
// Sensitive values are left out too (as (sensitive), see Redacted): a
// plain hash of a short secret could be reversed by guessing; the saved
// plan's configuration hash (salted PBKDF2) covers them.
func fingerprintChange(ch *Change) any {
	ch = ch.redacted()
	c := *ch
	c.After = withoutSource(ch.After)
	return struct {
		Change
		Applied map[string]any `json:"applied"`
	}{c, ch.Applied}
}

func withoutSource(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := maps.Clone(m)
	delete(out, "source")
	for k, v := range out {
		if sub, ok := v.(map[string]any); ok {
			out[k] = withoutSource(sub)
		}
	}
	return out
}

func hashJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(err.Error())
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func digestOf(objs map[string]string) string {
	keys := make([]string, 0, len(objs))
	for k := range objs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write([]byte(objs[k]))
		h.Write([]byte{'\n'})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Compare lists, sorted, the objects whose fingerprint differs between a
// saved plan (f) and a fresh one (now): changed, or planned in f and no
// longer needing the same change. Objects only in now are not the saved
// plan's business and are not listed.
func (f Fingerprint) Compare(now Fingerprint) []string {
	var moved []string
	for addr, h := range f.Objects {
		if now.Objects[addr] != h {
			moved = append(moved, addr)
		}
	}
	sort.Strings(moved)
	return moved
}
