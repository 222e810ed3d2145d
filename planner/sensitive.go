package planner

import (
	"slices"

	"github.com/mkctl/mkctl/schema"
)

// MarkSensitive hides the configuration's sensitive values (variables
// declared sensitive = true and what is computed from them) in p:
//
//   - an attribute whose before or after value holds one is Sensitive:
//     the views show (sensitive) for both, the old value hidden with the
//     new one (the values stay: a profile update sends them);
//   - notes and reasons have them replaced by (sensitive);
//   - the keys of a change's After and Applied that hold one are listed
//     in Change.Sensitive. The values stay, for apply to send; Redacted
//     hides them, and the Sensitive attributes' values, for the JSON view
//     and for saved plans.
//
// Attributes the planner marks Sensitive itself (a webhook's secret,
// which Misskey returns in clear) are hidden the same way whatever their
// value. The set is kept in p for Redacted.
func MarkSensitive(p *Plan, set *schema.Sensitive) {
	p.Sensitive = set
	for _, a := range p.Accounts {
		if a == nil {
			continue
		}
		for i, n := range a.Notes {
			a.Notes[i] = set.Redact(n)
		}
		for _, ch := range a.Changes {
			if ch == nil {
				continue
			}
			ch.Reason = set.Redact(ch.Reason)
			for i := range ch.Attrs {
				at := &ch.Attrs[i]
				if set.Holds(at.Before) || set.Holds(at.After) {
					at.Sensitive = true
				}
			}
			for k, v := range ch.After {
				if set.Holds(v) && !slices.Contains(ch.Sensitive, k) {
					ch.Sensitive = append(ch.Sensitive, k)
				}
			}
			for k, v := range ch.Applied {
				if set.Holds(v) && !slices.Contains(ch.Sensitive, k) {
					ch.Sensitive = append(ch.Sensitive, k)
				}
			}
			slices.Sort(ch.Sensitive)
		}
	}
}

// hideValue is v as a sensitive value is shown: (sensitive), nil kept.
func hideValue(v any) any {
	if v == nil {
		return nil
	}
	return schema.SensitiveText
}

// Redacted is p as it may be shown or saved: every change with sensitive
// After or Applied keys is a copy holding (sensitive) there. p is not
// changed; changes without sensitive values are shared.
func (p *Plan) Redacted() *Plan {
	out := *p
	out.Accounts = make([]*AccountPlan, len(p.Accounts))
	for i, a := range p.Accounts {
		if a == nil {
			continue
		}
		ac := *a
		ac.Changes = make([]*Change, len(a.Changes))
		for j, ch := range a.Changes {
			ac.Changes[j] = ch.redacted()
		}
		out.Accounts[i] = &ac
	}
	return &out
}

func (ch *Change) redacted() *Change {
	if ch == nil || len(ch.Sensitive) == 0 && !slices.ContainsFunc(ch.Attrs, func(a AttrChange) bool { return a.Sensitive }) {
		return ch
	}
	c := *ch
	c.After = redactKeys(ch.After, ch.Sensitive)
	c.Applied = redactKeys(ch.Applied, ch.Sensitive)
	c.Attrs = slices.Clone(ch.Attrs)
	for i := range c.Attrs {
		if a := &c.Attrs[i]; a.Sensitive {
			a.Before, a.After = hideValue(a.Before), hideValue(a.After)
		}
	}
	return &c
}

func redactKeys(m map[string]any, keys []string) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if slices.Contains(keys, k) && v != nil {
			v = schema.SensitiveText
		}
		out[k] = v
	}
	return out
}

// RestoreSensitive gives a change read from a saved plan (with
// (sensitive) in place of its sensitive values) the values of the same
// change planned again: the saved plan's configuration hash matched, so
// they are the values the plan was made with. It says false when fresh
// lacks one of them (the plan is then stale).
func (ch *Change) RestoreSensitive(fresh *Change) bool {
	hidden := slices.ContainsFunc(ch.Attrs, func(a AttrChange) bool { return a.Sensitive })
	if len(ch.Sensitive) == 0 && !hidden {
		return true
	}
	if fresh == nil {
		return false
	}
	for i := range ch.Attrs {
		a := &ch.Attrs[i]
		if !a.Sensitive {
			continue
		}
		j := slices.IndexFunc(fresh.Attrs, func(f AttrChange) bool { return f.Name == a.Name })
		if j < 0 {
			return false
		}
		a.Before, a.After = fresh.Attrs[j].Before, fresh.Attrs[j].After
	}
	for _, k := range ch.Sensitive {
		if v, ok := ch.After[k]; ok && v != nil {
			fv, ok := fresh.After[k]
			if !ok {
				return false
			}
			ch.After[k] = fv
		}
		if v, ok := ch.Applied[k]; ok && v != nil {
			fv, ok := fresh.Applied[k]
			if !ok {
				return false
			}
			ch.Applied[k] = fv
		}
	}
	return true
}
