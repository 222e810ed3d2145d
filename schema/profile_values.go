package schema

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// fieldPatterns are the compiled ProfileField.Pattern values by name.
var fieldPatterns = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for _, f := range ProfileFields {
		if f.Pattern != "" {
			m[f.Name] = regexp.MustCompile(f.Pattern)
		}
	}
	return m
}()

// valueCheck validates one profile attribute's value and turns it into the
// form Misskey stores, so that a second plan compares equal to what `i`
// returns after the first apply.
type valueCheck struct {
	f       ProfileField
	expr    hcl.Expression
	ctx     *hcl.EvalContext
	ownHost string
	ownUser string // the account's user name, for also_known_as
	diags   hcl.Diagnostics
}

func (c *valueCheck) errorf(expr hcl.Expression, summary, format string, args ...any) {
	c.diags = append(c.diags, valueError(expr, c.ctx, summary, format, args...))
}

func (c *valueCheck) normalise(val cty.Value) any {
	switch c.f.Kind {
	case KindString:
		return c.str(val)
	case KindBool:
		return c.boolean(val)
	case KindEnum:
		return c.enum(val)
	case KindFields:
		return c.fields(val)
	case KindAccts:
		return c.accts(val)
	case KindHosts:
		return c.hosts(val)
	case KindEnumSet:
		return c.enumSet(val)
	case KindNoteAge:
		return c.noteAge(val)
	case KindMuteWords:
		return c.muteWords(val)
	case KindNotifConfig:
		return c.notifConfig(val)
	}
	panic(fmt.Sprintf("schema: profile field %s has unknown kind %d", c.f.Name, c.f.Kind))
}

func (c *valueCheck) typeError(expr hcl.Expression, got cty.Value, want, hint string) {
	c.errorf(expr, "Incorrect attribute value type", "%s must be %s; got %s. Hint: %s", c.f.Name, want, describeValue(got), hint)
}

func (c *valueCheck) nullError(hint string) {
	c.errorf(c.expr, "Null value not allowed", "%s cannot be null: Misskey has no empty state for it. Hint: %s", c.f.Name, hint)
}

func (c *valueCheck) str(val cty.Value) any {
	if val.IsNull() {
		if !c.f.Nullable {
			c.nullError(fmt.Sprintf("remove the attribute to leave %s unmanaged.", c.f.Name))
		}
		return nil
	}
	s, ok := asString(val)
	if !ok {
		c.typeError(c.expr, val, "a string", fmt.Sprintf("write text in quotes, e.g. %s = \"…\".", c.f.Name))
		return nil
	}
	if c.f.Name == "name" {
		// Misskey trims the name and stores a blank one as null.
		s = jsTrim(s)
	}
	if s == "" && c.f.Nullable {
		// i/update rejects "" (minLength 1); null is how it is cleared.
		return nil
	}
	if c.f.MaxLen > 0 {
		if n := ajvLength(s); n > c.f.MaxLen {
			hint := fmt.Sprintf("shorten it by %d.", n-c.f.MaxLen)
			if strings.HasSuffix(s, "\n") {
				hint += " The text ends with a line break, which counts too: chomp(...) removes it."
			}
			c.errorf(c.expr, "Value too long",
				"%s is %d characters long, but Misskey accepts at most %d. Characters are counted as Misskey counts them (Unicode code points: an emoji counts 1). Hint: %s",
				c.f.Name, n, c.f.MaxLen, hint)
			return nil
		}
	}
	if re := fieldPatterns[c.f.Name]; re != nil && !re.MatchString(s) {
		c.errorf(c.expr, "Invalid "+c.f.Name, "%s must match %s (%s); got %q. Hint: write it as YYYY-MM-DD, e.g. \"1990-04-23\".", c.f.Name, c.f.Pattern, c.f.Doc, s)
		return nil
	}
	if c.f.Name == "birthday" {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			c.errorf(c.expr, "Invalid birthday", "birthday %q is not a date in the calendar. Hint: check the month (01-12) and the day.", s)
			return nil
		}
	}
	return s
}

func (c *valueCheck) boolean(val cty.Value) any {
	if val.IsNull() {
		c.nullError(fmt.Sprintf("remove the attribute to leave %s unmanaged, or set it to true or false.", c.f.Name))
		return nil
	}
	if val.Type() != cty.Bool {
		c.typeError(c.expr, val, "a bool (true or false)", fmt.Sprintf("write %s = true or %s = false, without quotes.", c.f.Name, c.f.Name))
		return nil
	}
	return val.True()
}

func (c *valueCheck) enum(val cty.Value) any {
	if val.IsNull() {
		if !c.f.Nullable {
			c.nullError(fmt.Sprintf("set one of %s, or remove the attribute to leave %s unmanaged.", quotedList(c.f.Enum), c.f.Name))
		}
		return nil
	}
	s, ok := asString(val)
	if !ok {
		c.typeError(c.expr, val, "a string", fmt.Sprintf("write one of the allowed values in quotes, e.g. %s = %s.", c.f.Name, quote(c.f.Enum[0])))
		return nil
	}
	if s == "" && c.f.Nullable {
		return nil
	}
	if slices.Contains(c.f.Enum, s) {
		return s
	}
	orNull := ""
	if c.f.Nullable {
		orNull = " (or null)"
	}
	hint := ""
	if sug := suggestValue(s, c.f.Enum); sug != "" {
		hint = fmt.Sprintf(" Did you mean %q?", sug)
	}
	if len(c.f.Enum) <= 10 {
		c.errorf(c.expr, "Unsupported value", "%s must be one of %s%s; got %q.%s", c.f.Name, quotedList(c.f.Enum), orNull, s, hint)
		return nil
	}
	if hint == "" {
		hint = " Hint: " + enumHint(s, c.f.Enum)
	}
	c.errorf(c.expr, "Unsupported value", "%s must be one of the %d codes Misskey knows%s; got %q.%s", c.f.Name, len(c.f.Enum), orNull, s, hint)
	return nil
}

// enumHint lists the values of a long enum sharing the written value's
// first two letters ("en" → "en", "en-GB", …), or all of them.
func enumHint(s string, enum []string) string {
	if len(s) >= 2 {
		var near []string
		for _, e := range enum {
			if strings.HasPrefix(strings.ToLower(e), strings.ToLower(s[:2])) {
				near = append(near, e)
			}
		}
		if len(near) > 0 {
			return "codes starting with " + quote(s[:2]) + " are " + quotedList(near) + "."
		}
	}
	return "valid codes are " + quotedList(enum) + "."
}

const fieldsExample = `fields = [{ name = "Website", value = "https://example.com" }]`

func (c *valueCheck) fields(val cty.Value) any {
	if val.IsNull() {
		c.nullError("fields = [] removes every field; remove the attribute to leave the fields unmanaged.")
		return nil
	}
	ty := val.Type()
	if ty.IsSetType() {
		c.typeError(c.expr, val, "a list of {name, value} objects", "the fields are shown in order, so use a list [...], not a set.")
		return nil
	}
	if !ty.IsListType() && !ty.IsTupleType() {
		c.typeError(c.expr, val, "a list of {name, value} objects", fieldsExample+".")
		return nil
	}
	if n := val.LengthInt(); c.f.MaxLen > 0 && n > c.f.MaxLen {
		c.errorf(c.expr, "Too many items", "fields has %d items, but Misskey accepts at most %d. Hint: remove %d.", n, c.f.MaxLen, n-c.f.MaxLen)
	}
	out := []any{}
	i := 0
	for it := val.ElementIterator(); it.Next(); i++ {
		_, item := it.Element()
		if f := c.field(i, item); f != nil {
			out = append(out, f)
		}
	}
	return out
}

// field checks one {name, value} item; nil when it is invalid.
func (c *valueCheck) field(i int, item cty.Value) map[string]any {
	itemExpr := elemExpr(c.expr, i)
	ity := item.Type()
	if item.IsNull() || !(ity.IsObjectType() || ity.IsMapType()) {
		c.errorf(itemExpr, "Invalid profile field", "fields[%d] must be an object with name and value; got %s. Hint: %s.", i, describeValue(item), fieldsExample)
		return nil
	}
	got := map[string]cty.Value{}
	for it := item.ElementIterator(); it.Next(); {
		k, v := it.Element()
		got[k.AsString()] = v
	}
	ok := true
	for _, k := range sortedKeys(got) {
		if k != "name" && k != "value" {
			c.errorf(keyExpr(itemExpr, k, true), "Invalid profile field",
				"fields[%d] has the key %q, but an item has exactly two keys, name and value.%s", i, k, didYouMean(k, []string{"name", "value"}))
			ok = false
		}
	}
	res := map[string]any{}
	for _, k := range []string{"name", "value"} {
		v, present := got[k]
		if !present {
			c.errorf(itemExpr, "Invalid profile field", "fields[%d] has no %s. Hint: every item needs both, e.g. { name = \"Website\", value = \"https://example.com\" }.", i, k)
			ok = false
			continue
		}
		ve := keyExpr(itemExpr, k, false)
		str, isStr := asString(v)
		if !isStr {
			c.errorf(ve, "Incorrect attribute value type", "fields[%d].%s must be a string; got %s. Hint: quote it.", i, k, describeValue(v))
			ok = false
			continue
		}
		s := jsTrim(str)
		if s == "" {
			c.errorf(ve, "Empty profile field",
				"fields[%d].%s is empty after trimming spaces. Misskey silently drops such an item, so the next plan would show it again forever. Hint: fill it in or remove the item.", i, k)
			ok = false
			continue
		}
		res[k] = s
	}
	if !ok {
		return nil
	}
	return res
}

func (c *valueCheck) accts(val cty.Value) any {
	const example = `also_known_as = ["@old@misskey.example"]`
	if val.IsNull() {
		c.nullError("also_known_as = [] removes every alias; remove the attribute to leave it unmanaged.")
		return nil
	}
	ty := val.Type()
	if !ty.IsListType() && !ty.IsTupleType() && !ty.IsSetType() {
		c.typeError(c.expr, val, "a list of account addresses", example+".")
		return nil
	}
	if n := val.LengthInt(); c.f.MaxLen > 0 && n > c.f.MaxLen {
		c.errorf(c.expr, "Too many items", "also_known_as has %d items, but Misskey accepts at most %d. Hint: remove %d.", n, c.f.MaxLen, n-c.f.MaxLen)
	}
	seen := map[string]int{}
	var out []string
	i := 0
	for it := val.ElementIterator(); it.Next(); i++ {
		_, v := it.Element()
		ie := elemExpr(c.expr, i)
		str, isStr := asString(v)
		if !isStr {
			c.typeError(ie, v, "a list of strings", example+".")
			continue
		}
		acct, prob := normaliseAcct(str, c.ownHost)
		if prob != "" {
			c.errorf(ie, "Invalid account address", "also_known_as[%d]: %s", i, prob)
			continue
		}
		// Misskey resolves user names case-insensitively: two spellings of
		// one account would be one alias.
		key := strings.ToLower(acct)
		if c.ownUser != "" && key == "@"+strings.ToLower(c.ownUser) {
			// Misskey answers FORBIDDEN_TO_SET_YOURSELF, but only at apply.
			c.errorf(ie, "Account cannot be its own alias", "also_known_as[%d] (%s) is this account itself (@%s on %s); Misskey refuses to list an account as its own alias. Hint: list the accounts this one moved from, not itself.", i, str, c.ownUser, c.ownHost)
			continue
		}
		if j, dup := seen[key]; dup {
			c.errorf(ie, "Duplicate account address", "also_known_as[%d] (%s) is the same account as also_known_as[%d]; Misskey requires unique items. Hint: remove one of them.", i, acct, j)
			continue
		}
		seen[key] = i
		out = append(out, acct)
	}
	sort.Strings(out)
	res := make([]any, len(out))
	for i, a := range out {
		res[i] = a
	}
	return res
}

// elemExpr is the expression of item i when the value is written as a
// list literal, so that a diagnostic points at the item itself; otherwise
// the whole expression.
func elemExpr(expr hcl.Expression, i int) hcl.Expression {
	if t, ok := expr.(*hclsyntax.TupleConsExpr); ok && i < len(t.Exprs) {
		return t.Exprs[i]
	}
	return expr
}

// keyExpr is the key (wantKey) or value expression of key k when expr is
// an object literal; otherwise expr itself.
func keyExpr(expr hcl.Expression, k string, wantKey bool) hcl.Expression {
	o, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return expr
	}
	for _, item := range o.Items {
		name := hcl.ExprAsKeyword(item.KeyExpr)
		if name == "" {
			if v, diags := item.KeyExpr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				name = v.AsString()
			}
		}
		if name == k {
			if wantKey {
				return item.KeyExpr
			}
			return item.ValueExpr
		}
	}
	return expr
}
