package schema

import (
	"fmt"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
)

// errorf builds an error diagnostic whose Subject is rng. Every diagnostic
// this package makes goes through here or valueError so that none lacks a
// source range.
func errorf(rng hcl.Range, summary, detailFormat string, args ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(detailFormat, args...),
		Subject:  rng.Ptr(),
	}
}

// valueError is errorf for a problem with an evaluated expression: it also
// records the expression and the EvalContext so a diagnostic printer can
// show the values involved (for example `each.key is "rain"`).
func valueError(expr hcl.Expression, ctx *hcl.EvalContext, summary, detailFormat string, args ...any) *hcl.Diagnostic {
	d := errorf(expr.Range(), summary, detailFormat, args...)
	d.Expression = expr
	d.EvalContext = ctx
	return d
}

// posString renders a range start as file:line,column for "declared at"
// messages, with the file name relative to the working directory as the
// user wrote it.
func posString(r hcl.Range) string {
	return fmt.Sprintf("%s:%d,%d", filepath.ToSlash(r.Filename), r.Start.Line, r.Start.Column)
}
