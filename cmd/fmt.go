package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/schema"
)

// ExitFmtCheck is fmt -check's exit code when a file is not canonical, as
// terraform fmt -check: 3, apart from 1 (error) and 2 (plan's changes).
const ExitFmtCheck = 3

// stdinName names standard input in diagnostics and diffs.
const stdinName = "<stdin>"

type fmtOptions struct {
	*globalOptions
	Check     bool
	Diff      bool
	Recursive bool
	List      bool
}

func newFmtCmd(g *globalOptions) *cobra.Command {
	opts := &fmtOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "fmt [PATH...]",
		Short: "Rewrite configuration files in the canonical format",
		Long: `fmt rewrites *.mk.hcl files in HCL's canonical layout (indentation,
aligned "=" signs, spacing), as terraform fmt does. PATH is a directory
(its *.mk.hcl files; default: the --chdir directory) or a file, formatted
whatever its name; "-" formats standard input to standard output.

The paths of the files that changed (or, with -check, would change) are
printed. Exit codes: 0 success, 1 error (a file with a syntax error is
reported and left as it is), 3 with -check when a file is not canonical.`,
		Args: cobra.ArbitraryArgs,
		RunE: wrapRun(func(cmd *cobra.Command, args []string) error { return runFmt(opts, args) }),
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Check, "check", false, "change no file; exit 3 when a file is not canonical")
	f.BoolVar(&opts.Diff, "diff", false, "print a unified diff of each change")
	f.BoolVar(&opts.Recursive, "recursive", false, "also format the *.mk.hcl files of subdirectories (hidden ones skipped)")
	f.BoolVar(&opts.List, "list", true, "print the path of each file that is (or would be) changed")
	return cmd
}

// fmtRun is the state of one fmt run: whether an error was reported and
// whether a file was not canonical.
type fmtRun struct {
	*fmtOptions
	failed, changed bool
}

func runFmt(opts *fmtOptions, paths []string) error {
	r := &fmtRun{fmtOptions: opts}
	if len(paths) == 1 && paths[0] == "-" {
		r.formatStdin()
	} else {
		if len(paths) == 0 {
			paths = []string{"."} // the --chdir directory
		}
		for _, p := range paths {
			if p == "-" {
				return errors.New(`"-" (standard input) must be the only PATH`)
			}
		}
		for _, p := range paths {
			if !filepath.IsAbs(p) {
				p = filepath.Join(opts.Chdir, p)
			}
			r.formatPath(p)
		}
	}
	switch {
	case r.failed:
		return silentError{errors.New("fmt failed")}
	case r.changed && opts.Check:
		return exitCodeError{ExitFmtCheck}
	}
	return nil
}

// formatPath formats a file given on the command line, whatever its name,
// or the configuration files of a directory.
func (r *fmtRun) formatPath(path string) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			// A typo on the command line: say what PATH may be.
			err = fmt.Errorf("%w. Hint: PATH is a file or a directory of *.mk.hcl files, relative to --chdir", err)
		}
		r.readError(path, err)
		return
	}
	if !info.IsDir() {
		// A FIFO or device is refused by ReadFileAsIs without being opened
		// for reading.
		r.formatFile(path)
		return
	}
	root := path
	if li, err := os.Lstat(path); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		// WalkDir does not follow a link, even as its root; with a
		// trailing separator the system resolves it, and the paths
		// printed still start with the name given.
		root += string(filepath.Separator)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			r.readError(p, err)
			return nil // report, and go on with the rest of the tree
		}
		name := d.Name()
		if d.IsDir() {
			switch {
			case p == root:
				return nil
			case !r.Recursive || strings.HasPrefix(name, "."):
				// Hidden directories are tools' (.git, .mkctl, .terraform).
				return filepath.SkipDir
			}
			return nil
		}
		// The files schema.Load reads: *.mk.hcl, not hidden, not an
		// editor's lock file (".#x.mk.hcl", "#x.mk.hcl#").
		if !strings.HasSuffix(name, schema.ConfigFileSuffix) || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// Followed to a file, as schema.Load does; a link to a
			// directory or nowhere is skipped, as there.
			if info, err := os.Stat(p); err != nil || info.IsDir() {
				return nil
			}
		}
		r.formatFile(p)
		return nil
	})
	if err != nil {
		r.readError(path, err)
	}
}

func (r *fmtRun) formatFile(path string) {
	src, err := schema.ReadFileAsIs(path)
	if err != nil {
		r.readError(path, err)
		return
	}
	out, ok := r.format(path, src)
	if !ok || bytes.Equal(src, out) {
		return
	}
	r.changed = true
	if !r.Check {
		if err := rewriteFile(path, out); err != nil {
			r.fail(path, "Cannot write file", fmt.Errorf("writing %s: %w", path, err))
			return
		}
	}
	if r.List {
		fmt.Fprintln(r.IO.Out, path)
	}
	if r.Diff {
		_, _ = r.IO.Out.Write(unifiedDiff("a/"+filepath.ToSlash(path), "b/"+filepath.ToSlash(path), src, out))
	}
}

// formatStdin formats standard input to standard output; with -check it
// prints nothing (the exit code tells), with -diff only the diff.
func (r *fmtRun) formatStdin() {
	src, err := schema.ReadAllLimited(r.IO.In, "standard input")
	if err != nil {
		r.readError(stdinName, err)
		return
	}
	out, ok := r.format(stdinName, src)
	if !ok {
		return
	}
	r.changed = !bytes.Equal(src, out)
	switch {
	case r.Diff:
		_, _ = r.IO.Out.Write(unifiedDiff(stdinName, stdinName, src, out))
	case !r.Check:
		_, _ = r.IO.Out.Write(out)
	}
}

// format is src in canonical form. A file with a syntax error is reported
// (file:line:column) and not formatted: hclwrite would lay out whatever
// tokens it found, and rewriting a half-written file could lose the
// author's intent.
//
// Line endings are kept as they are: hclwrite changes only the spaces
// between tokens, so a Windows checkout with CRLF is not reported as
// changed throughout. Strings and heredocs stay byte for byte (formatHCL).
func (r *fmtRun) format(name string, src []byte) ([]byte, bool) {
	file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		if file == nil {
			file = &hcl.File{Body: hcl.EmptyBody(), Bytes: src}
		}
		writeDiagnostics(r.IO.ErrOut, map[string]*hcl.File{name: file}, diags, r.IO.ErrColors())
		r.failed = true
		return nil, false
	}
	return formatHCL(src), true
}

// formatHCL is hclwrite.Format, except that nothing between the quotes of
// a string or within a heredoc changes, interpolations included:
// hclwrite would turn `"${ var.x }"` into `"${var.x}"` and re-indent the
// lines of a multi-line interpolation in a heredoc, and text between quotes
// is the author's. hclwrite changes only the spaces between tokens, so the
// formatted text has the same tokens as src: each space between two tokens
// is taken from the formatted text outside templates and from src inside.
//
// Known gap: a trailing comment on a line whose interpolation hclwrite
// would have narrowed is aligned as if it had been.
func formatHCL(src []byte) []byte {
	out := hclwrite.Format(src)
	before, diags := hclsyntax.LexConfig(src, "", hcl.InitialPos)
	if diags.HasErrors() {
		return out
	}
	after, diags := hclsyntax.LexConfig(out, "", hcl.InitialPos)
	if diags.HasErrors() || len(after) != len(before) {
		return out // not expected: hclwrite keeps every token
	}
	var buf bytes.Buffer
	buf.Grow(len(out))
	depth := 0 // how many strings or heredocs the token is inside
	endBefore, endAfter := 0, 0
	for i, b := range before {
		a := after[i]
		if a.Type != b.Type || !bytes.Equal(a.Bytes, b.Bytes) {
			return out
		}
		if depth > 0 {
			buf.Write(src[endBefore:b.Range.Start.Byte])
		} else {
			buf.Write(out[endAfter:a.Range.Start.Byte])
		}
		buf.Write(a.Bytes)
		switch b.Type {
		case hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
		case hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			depth--
		}
		endBefore, endAfter = b.Range.End.Byte, a.Range.End.Byte
	}
	buf.Write(out[endAfter:])
	return buf.Bytes()
}

// readError reports a file that cannot be read (missing, a FIFO, a device,
// over 4 MiB) the way configuration loading does.
func (r *fmtRun) readError(path string, err error) {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		// Refused by mkctl's own rules, not by the system: say which.
		err = fmt.Errorf("%w. Hint: mkctl formats regular files of at most %d MiB.", err, schema.MaxFileBytes>>20)
	}
	r.fail(path, "Cannot read file", err)
}

func (r *fmtRun) fail(path, summary string, err error) {
	writeDiagnostics(r.IO.ErrOut, nil, hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   err.Error(),
		Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
	}}, r.IO.ErrColors())
	r.failed = true
}

// rewriteFile replaces path's content with data through writeFileAtomic: an
// interrupted fmt leaves either the old file or the new one, never half of
// one, and the temporary file's name starts with "." so that a mkctl plan
// running meanwhile does not read it as configuration. The file's mode is
// kept, and so is a symbolic link: its target is what is replaced.
func rewriteFile(path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	return writeFileAtomic(target, data, info.Mode().Perm())
}
