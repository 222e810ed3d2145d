package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/schema"
)

// loadConfig reads the configuration of --chdir with the variables given on
// the command line, and prints any diagnostics with their source snippets.
func (g *globalOptions) loadConfig() (*schema.Config, error) {
	return g.loadConfigChecked(nil)
}

// loadConfigChecked is loadConfig with more checks of the loaded
// configuration (validate's offline-only ones), whose diagnostics are
// printed with the others.
func (g *globalOptions) loadConfigChecked(check func(*schema.Config) hcl.Diagnostics) (*schema.Config, error) {
	cfg, files, diags, err := g.loadConfigDiags()
	if err != nil {
		return nil, err
	}
	if check != nil && cfg != nil {
		diags = append(diags, check(cfg)...)
	}
	if len(diags) > 0 {
		g.writeDiagnostics(files, diags)
	}
	if diags.HasErrors() {
		n := 0
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				n++
			}
		}
		return nil, silentError{fmt.Errorf("%d configuration error(s)", n)}
	}
	return cfg, nil
}

// loadConfigDiags loads the configuration without printing anything: the
// diagnostics are returned (validate --json prints them its own way). err
// is a command-line mistake that is no diagnostic.
func (g *globalOptions) loadConfigDiags() (*schema.Config, map[string]*hcl.File, hcl.Diagnostics, error) {
	vars := map[string]string{}
	for _, kv := range g.Vars {
		name, value, ok := strings.Cut(kv, "=")
		// The argument is not echoed: without "=" or before it, it may
		// well be the value, and a value may be a secret (CI logs).
		if !ok {
			return nil, nil, nil, errors.New(`--var expects NAME=VALUE, and one --var has no "=" (not shown: it may be a secret value). Hint: write --var NAME=VALUE, or set MKCTL_VAR_NAME in the environment`)
		}
		if name == "" {
			return nil, nil, nil, errors.New(`--var expects NAME=VALUE, and one --var has nothing before "=". Hint: write --var NAME=VALUE, or set MKCTL_VAR_NAME in the environment`)
		}
		vars[name] = value
	}
	sensitive := &schema.Sensitive{}
	cfg, files, diags := schema.Load(g.Chdir, schema.LoadOptions{Vars: vars, VarFiles: g.VarFiles, Env: g.Env(), ReadLog: g.readLog, Sensitive: sensitive})
	g.files = files
	// Before any diagnostic is printed: a snippet of a --var-file or a
	// value in a message shows (sensitive).
	addSensitive(g.IO, sensitive)
	return cfg, files, diags, nil
}

// writeDiagnostics prints diagnostics to stderr.
func (g *globalOptions) writeDiagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) {
	writeDiagnostics(g.IO.ErrOut, files, diags, g.IO.ErrColors())
}
