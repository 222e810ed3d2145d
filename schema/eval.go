package schema

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// scope is what an expression may refer to: var.<name>, local.<name>,
// each.key / each.value inside a for_each account, and the functions.
type scope struct {
	vars       map[string]cty.Value // every declared variable
	locals     map[string]cty.Value // locals evaluated so far
	localNames map[string]bool      // every declared local
	each       *eachValue           // nil outside for_each
	funcs      map[string]function.Function
	// userLists is the user_list object of the account being evaluated:
	// one attribute per user_list block, whose value is the list's name,
	// so that `user_list = user_list.friends` reads "friends". nil outside
	// an account block.
	userLists     *cty.Value
	userListNames []string // the same names, in declaration order
	// driveFiles is the drive_file map of the account being evaluated:
	// drive path → drive path, so that drive_file["media/logo.png"]
	// reads "media/logo.png". nil outside an account block.
	driveFiles    *cty.Value
	driveFileKeys []string // the same paths, in declaration order
	// pinnedLabels and scheduledLabels are the account's pinned_note and
	// scheduled_note labels, for a clip's notes (clip.go); noteRefs is
	// set inside an account block.
	pinnedLabels, scheduledLabels []string
	noteRefs                      bool
	// files reads the files that drive_file, avatar and banner name,
	// once per Load.
	files *fileSources
	// ctx caches the EvalContext once nothing it holds can change any
	// more (set by withUserLists, after locals are evaluated; built on
	// first use in a for_each instance whose parent had one).
	ctx *hcl.EvalContext
	// parentCtx is the cached context of the scope withEach was called
	// on: a for_each instance's context is a small child of it holding
	// each, built only when an expression needs it.
	parentCtx *hcl.EvalContext
	// shared is set for the instances of one for_each block (see
	// forInstances): what does not depend on each is worked out once.
	shared *instanceCache
	// sensitive records what sensitive values make (see Sensitive).
	sensitive *Sensitive
}

// eachValue is each.key and each.value of a for_each instance; the cty
// object `each` is built only when an expression needs more than a bare
// each.key or each.value.
type eachValue struct {
	key   cty.Value
	value cty.Value
}

func (e *eachValue) object() cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"key": e.key, "value": e.value})
}

// withUserLists returns the scope of one account instance, whose
// user_list blocks have the given names and whose drive_file blocks the
// given drive paths. The account's variables are final from here on, so
// the EvalContext is built once and cached.
func (s *scope) withUserLists(names, fileKeys []string) *scope {
	c := *s
	files := driveFileMap(fileKeys)
	c.driveFiles = &files
	c.driveFileKeys = fileKeys
	obj := cty.EmptyObjectVal
	if len(names) > 0 {
		attrs := make(map[string]cty.Value, len(names))
		for _, n := range names {
			attrs[n] = cty.StringVal(n)
		}
		obj = cty.ObjectVal(attrs)
	}
	c.userLists = &obj
	c.userListNames = names
	c.ctx, c.parentCtx = nil, nil
	c.ctx = c.evalContext()
	return &c
}

// withEach returns a child scope for one for_each instance. It allocates
// nothing but the scope: a follow block with for_each over 100,000
// accounts makes 100,000 of them.
func (s *scope) withEach(key string, value cty.Value) *scope {
	c := *s
	keyVal := value // toset(...) instances: the value is the key
	if value.Type() != cty.String || value.IsMarked() || !value.IsKnown() || value.IsNull() || value.AsString() != key {
		keyVal = cty.StringVal(key)
	}
	c.each = &eachValue{key: keyVal, value: value}
	// The child's each shadows the parent's (a follow's for_each inside
	// an account's for_each).
	c.parentCtx, c.ctx = s.ctx, nil
	return &c
}

// forInstances returns the scope in which the instances of one for_each
// block are made (with withEach): it remembers, across the instances,
// each expression's reference check and the value of every expression
// that does not mention each.
func (s *scope) forInstances() *scope {
	c := *s
	c.shared = &instanceCache{exprs: map[hcl.Expression]*exprInfo{}}
	return &c
}

func (s *scope) evalContext() *hcl.EvalContext {
	if s.ctx != nil {
		return s.ctx
	}
	if s.parentCtx != nil {
		s.ctx = s.parentCtx.NewChild()
		s.ctx.Variables = map[string]cty.Value{"each": s.each.object()}
		return s.ctx
	}
	vars := map[string]cty.Value{
		"var":   cty.ObjectVal(s.vars),
		"local": cty.ObjectVal(s.locals),
	}
	if s.each != nil {
		vars["each"] = s.each.object()
	}
	if s.userLists != nil {
		vars["user_list"] = *s.userLists
	}
	if s.driveFiles != nil {
		vars["drive_file"] = *s.driveFiles
	}
	if s.noteRefs {
		vars["pinned_note"] = noteRefObject(pinnedNoteRefPrefix, s.pinnedLabels)
		vars["scheduled_note"] = noteRefObject(scheduledNoteRefPrefix, s.scheduledLabels)
	}
	return &hcl.EvalContext{Variables: vars, Functions: s.funcs}
}

// eval checks expr's references and evaluates it. On any error the value
// is cty.DynamicVal (unknown), which callers skip quietly: the problem has
// already been reported once. The context is what the diagnostics of a
// caller about this value should carry; nil means s.evalContext().
func (s *scope) eval(expr hcl.Expression) (cty.Value, *hcl.EvalContext, hcl.Diagnostics) {
	if s.shared != nil && s.each != nil {
		return s.shared.eval(s, expr)
	}
	if diags := s.checkRefs(expr.Variables()); diags.HasErrors() {
		return cty.DynamicVal, s.evalContext(), diags
	}
	return s.evalChecked(expr)
}

// evalChecked evaluates expr whose references are checked. The value has
// no marks: what was sensitive in it is recorded in s.sensitive.
func (s *scope) evalChecked(expr hcl.Expression) (cty.Value, *hcl.EvalContext, hcl.Diagnostics) {
	val, _, ctx, diags := s.evalCheckedMarks(expr)
	return val, ctx, diags
}

// evalKeepMarks is eval for a local value: a value computed from a
// sensitive one is marked sensitive as a whole, so that the mark reaches
// what uses the local.
func (s *scope) evalKeepMarks(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	if diags := s.checkRefs(expr.Variables()); diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	val, marked, _, diags := s.evalCheckedMarks(expr)
	if marked {
		val = val.Mark(SensitiveMark)
	}
	return val, diags
}

// evalCheckedMarks is evalChecked that also says whether the value
// carried the sensitive mark.
func (s *scope) evalCheckedMarks(expr hcl.Expression) (cty.Value, bool, *hcl.EvalContext, hcl.Diagnostics) {
	ctx := s.evalContext()
	val, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.DynamicVal, false, ctx, diags
	}
	val, marked := s.sensitive.unmarkSensitive(val)
	val, ctx, diags = s.checkPlain(expr, ctx, val, diags)
	return val, marked, ctx, diags
}

// checkPlain checks an evaluated value without marks.
func (s *scope) checkPlain(expr hcl.Expression, ctx *hcl.EvalContext, val cty.Value, diags hcl.Diagnostics) (cty.Value, *hcl.EvalContext, hcl.Diagnostics) {
	// Checked after every evaluation, so that no local, variable or
	// attribute carries a value over the limits into the next expression.
	var size valueSize
	if err := size.add(val); err != nil {
		return cty.DynamicVal, ctx, append(diags, tooLargeDiag(expr, ctx, err))
	}
	// PostgreSQL cannot store U+0000 in text: Misskey would fail on it
	// at apply, or drop it. Checked on evaluated values only, so that
	// replace(file("x"), "\u0000", "") can still clean a file. The size
	// walk has noted whether there is one; only then is the value walked
	// again, to say where.
	if !size.nul {
		return val, ctx, diags
	}
	if path, ok := findNUL(val, ""); ok {
		return cty.DynamicVal, ctx, append(diags, valueError(expr, ctx, "Invalid character",
			"The value%s contains a NUL character (U+0000), which Misskey cannot store. Hint: remove it, e.g. with replace(..., \"\\u0000\", \"\").", path))
	}
	return val, ctx, diags
}

// instanceCache is shared by the instances of one for_each block. Each
// expression's references are checked once (the names in scope are the
// same for every instance, so an undeclared variable is reported once,
// not once per instance); an expression that does not mention each is
// evaluated once (every function mkctl offers is pure); a bare each.key
// or each.value is read without evaluating anything (the for_each value
// was checked for size and NUL characters when it was evaluated).
type instanceCache struct {
	exprs map[hcl.Expression]*exprInfo
	ctx   *hcl.EvalContext // see eval
}

type exprInfo struct {
	refs     hcl.Diagnostics
	eachAttr string // "key" or "value" for a bare each.key / each.value
	constant bool   // does not mention each: val and diags are final
	val      cty.Value
	diags    hcl.Diagnostics
}

func (c *instanceCache) eval(s *scope, expr hcl.Expression) (cty.Value, *hcl.EvalContext, hcl.Diagnostics) {
	info, seen := c.exprs[expr]
	if !seen {
		info = &exprInfo{}
		vars := expr.Variables()
		info.refs = s.checkRefs(vars)
		info.constant = !slices.ContainsFunc(vars, func(tr hcl.Traversal) bool { return tr.RootName() == "each" })
		if st, ok := expr.(*hclsyntax.ScopeTraversalExpr); ok && len(st.Traversal) == 2 && st.Traversal.RootName() == "each" {
			if name, ok := refName(st.Traversal); ok && (name == "key" || name == "value") {
				info.eachAttr = name
			}
		}
		if info.constant && !info.refs.HasErrors() {
			info.val, _, info.diags = s.evalChecked(expr)
		}
		c.exprs[expr] = info
	}
	switch {
	case info.refs.HasErrors():
		if seen {
			return cty.DynamicVal, nil, nil // reported with the first instance
		}
		return cty.DynamicVal, nil, info.refs
	case info.constant:
		if seen {
			if info.diags.HasErrors() {
				return cty.DynamicVal, nil, nil
			}
			return info.val, nil, nil
		}
		return info.val, nil, info.diags
	case info.eachAttr == "key":
		return s.each.key, nil, nil
	case info.eachAttr == "value":
		return s.each.value, nil, nil
	}
	if s.parentCtx == nil {
		return s.evalChecked(expr)
	}
	// One context serves every instance, each set anew: a child
	// context per instance would be most of the cost of a for_each over
	// many accounts. Nothing keeps it beyond this call, except
	// diagnostics: on any trouble the expression is evaluated again with
	// a context of its own, for the diagnostics to show this instance's
	// values.
	if c.ctx == nil {
		c.ctx = s.parentCtx.NewChild()
		c.ctx.Variables = map[string]cty.Value{}
	}
	c.ctx.Variables["each"] = s.each.object()
	val, diags := expr.Value(c.ctx)
	if len(diags) > 0 || val.ContainsMarked() {
		return s.evalChecked(expr)
	}
	var size valueSize
	if size.add(val) != nil || size.nul {
		return s.evalChecked(expr)
	}
	return val, nil, nil
}

// checkRefs reports references to things that do not exist with a
// did-you-mean, before evaluation, so that the message says "undeclared
// input variable" instead of hcl's generic "Unsupported attribute".
func (s *scope) checkRefs(vars []hcl.Traversal) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, tr := range vars {
		rng := tr.SourceRange()
		root := tr.RootName()
		name, hasName := refName(tr)
		switch root {
		case "var":
			if !hasName {
				diags = append(diags, errorf(rng, "Invalid reference",
					"var is not a value by itself. Hint: refer to one variable, e.g. var.%s.", firstOr(sortedKeys(s.vars), "name")))
			} else if _, ok := s.vars[name]; !ok {
				diags = append(diags, errorf(rng, "Reference to undeclared input variable",
					"An input variable named %q is not declared.%s Hint: declare it with variable %q { ... }.",
					name, didYouMean(name, sortedKeys(s.vars)), name))
			}
		case "local":
			if !hasName {
				diags = append(diags, errorf(rng, "Invalid reference",
					"local is not a value by itself. Hint: refer to one local value, e.g. local.%s.", firstOr(sortedSet(s.localNames), "name")))
			} else if !s.localNames[name] {
				diags = append(diags, errorf(rng, "Reference to undeclared local value",
					"A local value named %q is not declared.%s Hint: declare it in a locals { ... } block.",
					name, didYouMean(name, sortedSet(s.localNames))))
			}
		case "each":
			switch {
			case s.each == nil:
				diags = append(diags, errorf(rng, "Reference to \"each\" in context without for_each",
					"each.key and each.value exist only inside a block that sets for_each, an account or a follow block (and not in for_each itself). Hint: add for_each to the block or use a variable instead."))
			case !hasName || (name != "key" && name != "value"):
				diags = append(diags, errorf(rng, "Invalid \"each\" attribute",
					"each has only two attributes, each.key and each.value."))
			}
		case "user_list":
			diags = append(diags, s.checkUserListRef(rng, name, hasName)...)
		case "drive_file":
			diags = append(diags, s.checkDriveFileRef(rng, name, hasName)...)
		case "pinned_note", "scheduled_note":
			diags = append(diags, s.checkNoteRef(rng, root, name, hasName)...)
		default:
			diags = append(diags, errorf(rng, "Unknown variable",
				"There is no variable named %q: references start with var., local., each., user_list. or drive_file[...].%s", root, s.rootHint(root, name, hasName)))
		}
	}
	return diags
}

// rootHint suggests what an unqualified name probably meant.
func (s *scope) rootHint(root, name string, hasName bool) string {
	if _, ok := s.vars[root]; ok {
		return fmt.Sprintf(" Did you mean var.%s?", root)
	}
	if s.localNames[root] {
		return fmt.Sprintf(" Did you mean local.%s?", root)
	}
	if sug := suggestName(root, []string{"var", "local", "each", "user_list", "drive_file"}); sug != "" {
		if !hasName {
			name = "<name>"
		}
		if sug == "drive_file" {
			return fmt.Sprintf(" Did you mean drive_file[%s]?", quote(name))
		}
		return fmt.Sprintf(" Did you mean %s.%s?", sug, name)
	}
	return " Hint: to write a literal string, quote it."
}

// refName is the attribute after the root: var.NAME, local.NAME, each.NAME
// (also var["NAME"]).
func refName(tr hcl.Traversal) (string, bool) {
	if len(tr) < 2 {
		return "", false
	}
	switch step := tr[1].(type) {
	case hcl.TraverseAttr:
		return step.Name, true
	case hcl.TraverseIndex:
		if step.Key.Type() == cty.String && step.Key.IsKnown() && !step.Key.IsNull() {
			return step.Key.AsString(), true
		}
	}
	return "", false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedSet(m map[string]bool) []string { return sortedKeys(m) }

func firstOr(list []string, fallback string) string {
	if len(list) > 0 {
		return list[0]
	}
	return fallback
}

// findNUL reports whether v holds a string with a NUL character, and
// where (" at [2].name"); v is already within the size limits.
func findNUL(v cty.Value, path string) (string, bool) {
	if !v.IsKnown() || v.IsNull() {
		return "", false
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		if strings.IndexByte(v.AsString(), 0) >= 0 {
			if path != "" {
				path = " at " + path
			}
			return path, true
		}
	case ty.IsMapType(), ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if p, ok := findNUL(k, path+"[key]"); ok {
				return p, true
			}
			if p, ok := findNUL(e, path+"."+k.AsString()); ok {
				return p, true
			}
		}
	case ty.IsListType(), ty.IsSetType(), ty.IsTupleType():
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			if p, ok := findNUL(e, fmt.Sprintf("%s[%d]", path, i)); ok {
				return p, true
			}
		}
	}
	return "", false
}
