package schema

import (
	"slices"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/mkctl/mkctl/internal/redact"
)

// SensitiveMark is the cty mark of a value that comes from a variable
// declared with sensitive = true. It propagates through expressions, locals
// and function calls (go-cty and hcl carry marks through every operation);
// a value that carries it anywhere is sensitive as a whole.
const SensitiveMark = sensitiveMark("sensitive")

type sensitiveMark string

// SensitiveText is what every view, saved plan, note, log line and
// diagnostic shows in place of a sensitive value.
const SensitiveText = "(sensitive)"

// Sensitive is the set of strings that come from sensitive variables: the
// raw values given for them and every string an attribute, local or
// for_each value computed from them (a template "Bearer ${var.token}" is
// recorded whole). The schema hands unmarked values to the resource
// decoders, so the rest of mkctl knows sensitive values by this set: the
// planner hides the attributes that hold one, and the command line replaces
// any of them in its output. Safe for concurrent use.
type Sensitive struct {
	mu     sync.RWMutex
	values map[string]bool
	sorted []string // longest first, rebuilt when nil
}

// Add records s as sensitive ("" is never recorded).
func (set *Sensitive) Add(s string) {
	if set == nil || s == "" {
		return
	}
	set.mu.Lock()
	defer set.mu.Unlock()
	if set.values == nil {
		set.values = map[string]bool{}
	}
	if !set.values[s] {
		set.values[s] = true
		set.sorted = nil
	}
}

// Values lists the sensitive strings, longest first.
func (set *Sensitive) Values() []string {
	if set == nil {
		return nil
	}
	set.mu.Lock()
	defer set.mu.Unlock()
	if set.sorted == nil {
		set.sorted = make([]string, 0, len(set.values))
		for v := range set.values {
			set.sorted = append(set.sorted, v)
		}
		sort.Slice(set.sorted, func(i, j int) bool {
			if len(set.sorted[i]) != len(set.sorted[j]) {
				return len(set.sorted[i]) > len(set.sorted[j])
			}
			return set.sorted[i] < set.sorted[j]
		})
	}
	return slices.Clone(set.sorted)
}

// Len is the number of sensitive strings.
func (set *Sensitive) Len() int {
	if set == nil {
		return 0
	}
	set.mu.RLock()
	defer set.mu.RUnlock()
	return len(set.values)
}

// Holds says whether v (a string, or []any / map[string]any of them, as
// in a plan) holds a sensitive string: equal to one, or containing one
// as Redact would replace it.
func (set *Sensitive) Holds(v any) bool {
	if set.Len() == 0 {
		return false
	}
	switch v := v.(type) {
	case string:
		return set.Redact(v) != v
	case []any:
		return slices.ContainsFunc(v, set.Holds)
	case []string:
		for _, s := range v {
			if set.Holds(s) {
				return true
			}
		}
	case map[string]any:
		for _, x := range v {
			if set.Holds(x) {
				return true
			}
		}
	}
	return false
}

// Redact replaces every sensitive string in text by (sensitive): anywhere
// for a value of 8 bytes or more, as a whole word (not touching a letter
// or digit) for a shorter one, so that a one-letter value does not turn
// every such letter of a message into (sensitive). A text equal to a
// sensitive value is replaced whatever its length.
func (set *Sensitive) Redact(text string) string {
	if set.Len() == 0 || text == "" {
		return text
	}
	set.mu.RLock()
	whole := set.values[text]
	set.mu.RUnlock()
	if whole {
		return SensitiveText
	}
	for _, v := range set.Values() {
		text = redactWord(text, v)
	}
	return text
}

// RedactValue returns v (as in a plan: strings, []any, map[string]any)
// with every sensitive string redacted; v itself is not changed.
func (set *Sensitive) RedactValue(v any) any {
	if !set.Holds(v) {
		return v
	}
	switch v := v.(type) {
	case string:
		return set.Redact(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = set.RedactValue(x)
		}
		return out
	case []string:
		out := make([]string, len(v))
		for i, x := range v {
			out[i] = set.Redact(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = set.RedactValue(x)
		}
		return out
	}
	return v
}

// redactWord replaces value in s by (sensitive), by the rule token
// redaction uses (whole words only for a value shorter than 8 bytes).
func redactWord(s, value string) string {
	return redact.Word(s, value, SensitiveText)
}

// addValue records every string inside val (known, not null) as
// sensitive; numbers and bools are not recorded (replacing every "true"
// or "3" of the output would hide the plan, not the secret).
func (set *Sensitive) addValue(val cty.Value) {
	if set == nil {
		return
	}
	val, _ = val.UnmarkDeep()
	_ = cty.Walk(val, func(_ cty.Path, v cty.Value) (bool, error) {
		if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
			set.Add(v.AsString())
		}
		return true, nil
	})
}

// unmarkSensitive records the sensitive parts of val and returns it
// without marks, with whether it carried any: resource decoders read plain
// values (AsString panics on a marked one).
func (set *Sensitive) unmarkSensitive(val cty.Value) (cty.Value, bool) {
	if !val.ContainsMarked() {
		return val, false
	}
	plain, paths := val.UnmarkDeepWithPaths()
	for _, pm := range paths {
		if _, ok := pm.Marks[SensitiveMark]; !ok {
			continue
		}
		if part, err := pm.Path.Apply(plain); err == nil {
			set.addValue(part)
		} else {
			set.addValue(plain) // a path into a set: the whole value, to be safe
		}
	}
	return plain, true
}

// sensitiveKeys refuses for_each keys that come from a sensitive value, as
// Terraform does: a key names the object in addresses, in the ownership
// record and in saved plans, where (sensitive) cannot stand for it.
func (s *scope) sensitiveKeys(instances []instance, expr hcl.Expression, ctx *hcl.EvalContext) *hcl.Diagnostic {
	if s.sensitive.Len() == 0 {
		return nil
	}
	for _, inst := range instances {
		if s.sensitive.Holds(inst.key) {
			d := valueError(expr, ctx, "Invalid for_each argument",
				"A for_each key comes from a sensitive value: keys name the objects in plans, addresses, saved plans and mkctl's ownership record, so they cannot be hidden. Hint: iterate over values that are not sensitive (a sensitive value may still be used inside the block, through each.value or a variable).")
			d.EvalContext = nil // no "with var.x as …" lines
			return d
		}
	}
	return nil
}
