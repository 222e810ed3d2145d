package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
)

// ConfigFileSuffix ends the name of every configuration file.
const ConfigFileSuffix = ".mk.hcl"

// LoadOptions are the values given for input variables from outside the
// configuration. Precedence, lowest to highest: a variable's default <
// Env < VarFiles (in order) < Vars.
type LoadOptions struct {
	// Vars are --var name=value pairs, raw strings. For a variable whose
	// type is string, or that has no type, the string is the value; for
	// number and bool it is converted; for any other type it is parsed as
	// an HCL expression (--var 'tags=["a", "b"]'). An undeclared name is
	// an error.
	Vars map[string]string
	// VarFiles are --var-file paths (relative to the working directory)
	// holding lines `name = value` in HCL syntax. An undeclared name is an
	// error.
	VarFiles []string
	// Env is os.Environ()-style; MKCTL_VAR_name=value sets var.name like
	// --var does. Undeclared names are ignored, as the environment is
	// shared with other configurations.
	Env []string
	// ReadLog, when set, collects every file the configuration is read
	// from and every variable's value, hashed (see ReadLog).
	ReadLog *ReadLog
	// Sensitive, when set, receives the values of sensitive variables and
	// of everything computed from them, even when loading fails (for the
	// caller to hide them in diagnostics). Config.Sensitive is this set.
	Sensitive *Sensitive
}

// Loader loads configurations and remembers every file it parsed (config
// files, var-files and pseudo-files for --var and MKCTL_VAR_ values), so
// that diagnostics can be printed with source snippets. The package-level
// Load does the same in one call:
//
//	cfg, files, diags := schema.Load(dir, opts)
//	hcl.NewDiagnosticTextWriter(os.Stderr, files, 78, true).WriteDiagnostics(diags)
type Loader struct {
	parser *hclparse.Parser
}

// NewLoader returns a Loader with an empty file registry.
func NewLoader() *Loader {
	return &Loader{parser: hclparse.NewParser()}
}

// Parser is the parser holding every file read so far.
func (l *Loader) Parser() *hclparse.Parser { return l.parser }

// Files maps file names (as they appear in diagnostics' ranges) to the
// parsed files, for hcl.NewDiagnosticTextWriter.
func (l *Loader) Files() map[string]*hcl.File { return l.parser.Files() }

// Load reads the configuration in dir (see Loader.Load) and also returns
// every file the diagnostics can point into, for
// hcl.NewDiagnosticTextWriter(w, files, width, color). The files hold
// their bytes and top-level block headers, not their syntax trees.
func Load(dir string, opts LoadOptions) (*Config, map[string]*hcl.File, hcl.Diagnostics) {
	l := NewLoader()
	cfg, diags := l.Load(dir, opts)
	return cfg, sourceFiles(l.Files()), diags
}

// Load reads every *.mk.hcl file of dir (sorted by name) and returns the
// desired state. The Config is nil when diags has errors: a partial
// config must never be planned. Diagnostics are deduplicated (a mistake
// in a for_each block is reported once, not once per key).
func (l *Loader) Load(dir string, opts LoadOptions) (*Config, hcl.Diagnostics) {
	if dir == "" {
		dir = "."
	}
	paths, diags := ConfigFiles(dir)
	if diags.HasErrors() {
		return nil, diags
	}

	var vars []*variable
	var locals []*local
	var accounts []*accountBlock
	varsByName := map[string]*variable{}
	localsByName := map[string]*local{}
	accountsByLabel := map[string]*accountBlock{}

	for _, path := range paths {
		f, parseDiags := parseHCLFile(l.parser, path)
		diags = append(diags, parseDiags...)
		if f == nil {
			continue
		}
		diags = append(diags, checkMulOps(f.Body)...)
		content, moreDiags := decodeBody(f.Body, topLevelDesc, hcl.Range{Filename: path})
		diags = append(diags, moreDiags...)
		for _, block := range content.Blocks {
			switch block.Type {
			case "variable":
				v, d := decodeVariable(block)
				diags = append(diags, d...)
				if first, dup := varsByName[v.Name]; dup {
					diags = append(diags, errorf(block.LabelRanges[0], "Duplicate variable declaration",
						"A variable named %q was already declared at %s. Hint: variable names must be unique across the directory's .mk.hcl files; remove or rename one.", v.Name, posString(first.DeclRange)))
					continue
				}
				varsByName[v.Name] = v
				vars = append(vars, v)
			case "locals":
				ls, d := decodeLocals(block)
				diags = append(diags, d...)
				for _, lv := range ls {
					if first, dup := localsByName[lv.Name]; dup {
						diags = append(diags, errorf(lv.DeclRange, "Duplicate local value definition",
							"A local value named %q was already defined at %s. Hint: local names must be unique across all locals blocks; remove or rename one.", lv.Name, posString(first.DeclRange)))
						continue
					}
					localsByName[lv.Name] = lv
					locals = append(locals, lv)
				}
			case "account":
				ab, d := decodeAccountBlock(block)
				diags = append(diags, d...)
				if first, dup := accountsByLabel[ab.label]; dup {
					diags = append(diags, errorf(block.LabelRanges[0], "Duplicate account block",
						"An account named %q was already declared at %s. Hint: account names must be unique across the directory's .mk.hcl files; rename one.", ab.label, posString(first.block.DefRange)))
					continue
				}
				accountsByLabel[ab.label] = ab
				accounts = append(accounts, ab)
			}
		}
	}

	if opts.Sensitive == nil {
		opts.Sensitive = &Sensitive{}
	}
	values, varDiags := resolveVariables(l.parser, vars, opts)
	diags = append(diags, varDiags...)

	s := &scope{vars: values, locals: map[string]cty.Value{}, localNames: map[string]bool{}, funcs: functionsLogged(dir, opts.ReadLog), files: newFileSources(dir), sensitive: opts.Sensitive}
	for _, lv := range locals {
		s.localNames[lv.Name] = true
	}
	diags = append(diags, evaluateLocals(locals, s)...)

	cfg := &Config{Sensitive: opts.Sensitive}
	for _, ab := range accounts {
		as, d := ab.expand(s)
		diags = append(diags, d...)
		cfg.Accounts = append(cfg.Accounts, as...)
	}
	diags = append(diags, checkAccounts(cfg.Accounts)...)

	diags = dedupe(diags)
	if diags.HasErrors() {
		return nil, diags
	}
	logInputs(opts.ReadLog, l.parser, dir, paths, opts.VarFiles, values, s.files)
	return cfg, diags
}

var topLevelDesc = bodyDesc{
	What: "the top level of a configuration file",
	Schema: &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "account", LabelNames: []string{"name"}},
	}},
	Aliases: map[string]string{"var": "variable", "local": "locals", "user": "account"},
	Nested: func() map[string]string {
		m := map[string]string{}
		for _, b := range accountDesc.Schema.Blocks {
			m[b.Type] = `account "NAME" { ` + b.Type + ` ... }`
		}
		return m
	}(),
}

// ConfigFiles lists the configuration files of dir, sorted by name.
// Hidden files and editor lock files (".#x.mk.hcl") are skipped.
func ConfigFiles(dir string) ([]string, hcl.Diagnostics) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		summary := "Cannot read configuration directory"
		if os.IsNotExist(err) {
			summary = "Configuration directory not found"
		}
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  summary,
			Detail:   fmt.Sprintf("The configuration directory %s cannot be read: %v. Hint: pass the directory that holds the *%s files.", dir, err, ConfigFileSuffix),
		}}
	}
	var paths, nearMisses []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") {
			continue
		}
		path := filepath.Join(dir, name)
		if !strings.HasSuffix(name, ConfigFileSuffix) {
			if strings.HasSuffix(name, ".hcl") {
				nearMisses = append(nearMisses, name)
			}
			continue
		}
		if info, err := os.Stat(path); err != nil || info.IsDir() {
			continue
		}
		paths = append(paths, path)
	}
	if len(paths) == 0 {
		hint := fmt.Sprintf("configuration files must be named *%s.", ConfigFileSuffix)
		if len(nearMisses) > 0 {
			hint = fmt.Sprintf("found %s; configuration files must be named *%s, so rename them.", strings.Join(nearMisses, ", "), ConfigFileSuffix)
		}
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail:   fmt.Sprintf("The directory %s contains no *%s files. Hint: %s", dir, ConfigFileSuffix, hint),
		}}
	}
	return paths, nil
}

// dedupe drops repeated diagnostics, keeping the first: the same mistake
// evaluated for several for_each keys reads the same each time.
func dedupe(diags hcl.Diagnostics) hcl.Diagnostics {
	seen := map[string]bool{}
	var out hcl.Diagnostics
	for _, d := range diags {
		key := fmt.Sprintf("%d|%s|%s", d.Severity, d.Summary, d.Detail)
		if d.Subject != nil {
			key += "|" + d.Subject.String()
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, d)
	}
	return out
}
