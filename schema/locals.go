package schema

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// local is one name = expression line of a locals block.
type local struct {
	Name      string
	Expr      hcl.Expression
	DeclRange hcl.Range
}

// decodeLocals reads one `locals { ... }` block.
func decodeLocals(block *hcl.Block) ([]*local, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	sb, ok := block.Body.(*hclsyntax.Body)
	if !ok {
		return nil, nil
	}
	for _, b := range sb.Blocks {
		diags = append(diags, errorf(b.TypeRange, "Unexpected block in locals",
			"A locals block holds only lines of the form name = expression; a %q block is not allowed here. Hint: write %s = { ... } to define an object.", b.Type, b.Type))
	}
	var out []*local
	for _, a := range sortedAttributes(sb) {
		out = append(out, &local{Name: a.Name, Expr: a.Expr, DeclRange: a.SrcRange})
	}
	return out, diags
}

// evaluateLocals evaluates locals in dependency order into s.locals.
// Locals that form a cycle are reported once per cycle and set to unknown.
func evaluateLocals(locals []*local, s *scope) hcl.Diagnostics {
	var diags hcl.Diagnostics
	byName := map[string]*local{}
	for _, l := range locals {
		byName[l.Name] = l
	}
	// deps[a] lists the locals a refers to, with the reference's range.
	deps := map[string][]localRef{}
	for _, l := range locals {
		deps[l.Name] = localRefs(l.Expr, byName)
	}

	for _, scc := range stronglyConnected(locals, deps) {
		if len(scc) > 1 || refersTo(deps[scc[0]], scc[0]) {
			diags = append(diags, cycleDiag(scc, deps))
			for _, name := range scc {
				s.locals[name] = cty.DynamicVal
			}
			continue
		}
		l := byName[scc[0]]
		val, evalDiags := s.evalKeepMarks(l.Expr)
		diags = append(diags, evalDiags...)
		s.locals[l.Name] = val
	}
	return diags
}

type localRef struct {
	name string
	rng  hcl.Range
}

func localRefs(expr hcl.Expression, declared map[string]*local) []localRef {
	var refs []localRef
	for _, tr := range expr.Variables() {
		if tr.RootName() != "local" {
			continue
		}
		if name, ok := refName(tr); ok && declared[name] != nil {
			refs = append(refs, localRef{name: name, rng: tr.SourceRange()})
		}
	}
	return refs
}

func refersTo(refs []localRef, name string) bool {
	for _, r := range refs {
		if r.name == name {
			return true
		}
	}
	return false
}

// stronglyConnected is Tarjan's algorithm. It returns the strongly
// connected components with every component after the ones it depends on,
// which is the order to evaluate them in. Names are visited sorted so the
// order (and so the diagnostics) are deterministic.
func stronglyConnected(locals []*local, deps map[string][]localRef) [][]string {
	names := make([]string, 0, len(locals))
	for _, l := range locals {
		names = append(names, l.Name)
	}
	sort.Strings(names)

	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	next := 0

	var visit func(n string)
	visit = func(n string) {
		index[n], low[n] = next, next
		next++
		stack = append(stack, n)
		onStack[n] = true
		for _, r := range deps[n] {
			if _, seen := index[r.name]; !seen {
				visit(r.name)
				low[n] = min(low[n], low[r.name])
			} else if onStack[r.name] {
				low[n] = min(low[n], index[r.name])
			}
		}
		if low[n] == index[n] {
			var scc []string
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[top] = false
				scc = append(scc, top)
				if top == n {
					break
				}
			}
			sort.Strings(scc)
			out = append(out, scc)
		}
	}
	for _, n := range names {
		if _, seen := index[n]; !seen {
			visit(n)
		}
	}
	return out
}

// cycleDiag describes one cycle, local.a → local.b → local.a, pointing at
// the reference in the first local that starts it.
func cycleDiag(scc []string, deps map[string][]localRef) *hcl.Diagnostic {
	in := map[string]bool{}
	for _, n := range scc {
		in[n] = true
	}
	// Walk inside the component, always taking the first reference that
	// stays in it, until a local repeats; the loop is the path from its
	// first visit.
	path := []string{scc[0]}
	var refs []localRef // refs[i] goes from path[i] to path[i+1]
	pos := map[string]int{scc[0]: 0}
	for {
		cur := path[len(path)-1]
		var next localRef
		for _, r := range deps[cur] {
			if in[r.name] {
				next = r
				break
			}
		}
		refs = append(refs, next)
		path = append(path, next.name)
		if i, seen := pos[next.name]; seen {
			path, refs = path[i:], refs[i:]
			break
		}
		pos[next.name] = len(path) - 1
	}
	first := refs[0].rng
	chain := make([]string, len(path))
	for i, n := range path {
		chain[i] = "local." + n
	}
	return errorf(first, "Circular reference between local values",
		"The local values refer to each other in a loop, so none of them can be computed: %s. Hint: break the loop by moving the shared part into its own local or a variable.",
		strings.Join(chain, " → "))
}
