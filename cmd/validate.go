package cmd

import (
	"encoding/json"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

type validateOptions struct {
	*globalOptions
	JSON bool
}

func newValidateCmd(g *globalOptions) *cobra.Command {
	opts := &validateOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the configuration without contacting any server",
		Args:  noArgs,
		RunE:  wrapRun(func(cmd *cobra.Command, _ []string) error { return runValidate(opts) }),
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as versioned JSON on stdout (see README)")
	return cmd
}

func runValidate(opts *validateOptions) error {
	if opts.JSON {
		return runValidateJSON(opts)
	}
	cfg, err := opts.loadConfigChecked(validateChecks)
	if err != nil {
		return err
	}
	c := opts.IO.Colors()
	fmt.Fprintf(opts.IO.Out, "%s The configuration is valid (%d account(s)).\n", c.Green("Success!"), len(cfg.Accounts))
	return nil
}

// validateJSONVersion is the format_version of validate --json. Its major
// number changes only on incompatible changes; new fields may appear in a
// minor version.
const validateJSONVersion = "1.0"

// validateJSON is validate --json's output, modelled on Terraform's
// `validate -json`.
type validateJSON struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []diagnosticJSON `json:"diagnostics"`
}

type diagnosticJSON struct {
	Severity string       `json:"severity"` // "error" or "warning"
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail"`
	Range    *rangeJSON   `json:"range,omitempty"`
	Snippet  *snippetJSON `json:"snippet,omitempty"`
}

type rangeJSON struct {
	Filename string  `json:"filename"`
	Start    posJSON `json:"start"`
	End      posJSON `json:"end"`
}

type posJSON struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// snippetJSON is the source line of the diagnostic: code is the subject's
// first line, the highlight offsets are bytes within it, context the
// enclosing block (`account "fleet"`), values the references' values.
type snippetJSON struct {
	Context              *string     `json:"context"`
	Code                 string      `json:"code"`
	StartLine            int         `json:"start_line"`
	HighlightStartOffset int         `json:"highlight_start_offset"`
	HighlightEndOffset   int         `json:"highlight_end_offset"`
	Values               []diagValue `json:"values"`
}

// runValidateJSON prints the result on stdout whether or not the
// configuration is valid, and exits 1 when it is not; nothing goes to
// stderr, so a tool can read stdout alone.
func runValidateJSON(opts *validateOptions) error {
	cfg, files, diags, err := opts.loadConfigDiags()
	if err != nil {
		diags = hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid command line", Detail: err.Error()}}
	} else {
		diags = append(diags, validateChecks(cfg)...)
	}
	out := validateJSON{FormatVersion: validateJSONVersion, Diagnostics: []diagnosticJSON{}}
	lines := newSourceLines(files)
	for _, d := range diags {
		dj := diagnosticJSON{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			dj.Severity = "warning"
			out.WarningCount++
		} else {
			out.ErrorCount++
		}
		if r := d.Subject; r != nil {
			dj.Range = &rangeJSON{Filename: r.Filename,
				Start: posJSON{r.Start.Line, r.Start.Column, r.Start.Byte},
				End:   posJSON{r.End.Line, r.End.Column, r.End.Byte}}
			if line, ok := lines.line(*r); ok {
				start, end := highlight(line, *r)
				sn := &snippetJSON{Code: line, StartLine: r.Start.Line,
					HighlightStartOffset: start, HighlightEndOffset: min(end, len(line)),
					Values: diagValues(d)}
				if sn.Values == nil {
					sn.Values = []diagValue{}
				}
				if ctx := diagContext(files[r.Filename], *r); ctx != "" {
					sn.Context = &ctx
				}
				dj.Snippet = sn
			}
		}
		out.Diagnostics = append(out.Diagnostics, dj)
	}
	out.Valid = out.ErrorCount == 0
	enc := json.NewEncoder(opts.IO.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing the result: %w", err)
	}
	if !out.Valid {
		return exitCodeError{ExitError}
	}
	return nil
}
