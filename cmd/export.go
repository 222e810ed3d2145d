package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/internal/credentials"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema"
	"github.com/mkctl/mkctl/schema/export"
)

type exportOptions struct {
	*globalOptions
	Host     string
	Username string
	Out      string
	Kinds    string
	Force    bool
	Sandbox  bool
	Label    string
}

func newExportCmd(g *globalOptions) *cobra.Command {
	opts := &exportOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "export --host HOST [--username NAME] [--out DIR]",
		Short: "Write the configuration of an existing account",
		Long: `Reads an account from its instance and writes *.mk.hcl files that declare it
as it is: the profile (with the avatar and banner), pinned notes, follows, drive
folders and files, antennas, user lists, webhooks (a webhook's secret is never
written: it becomes a sensitive variable to set), clips (a pinned note exported
too as pinned_note.LABEL, other notes by id), blocks, mutes (with their end;
an expired mute Misskey still lists is left out), renote mutes and scheduled
notes (drafts Misskey will post later; plain drafts are not exported); above 20 of a
kind they go into a list file (follows.mk.hcl, blocks.mk.hcl, ...). The drive files' original bytes are
downloaded next to them (files/<folder path>/<name>; images/ for an avatar or
banner whose drive file is not exported), checked against Misskey's md5.
"mkctl plan --chdir DIR" of the result says "No changes", and the first
apply adopts what was exported (records it as owned) without changing it.

The token comes from MKCTL_TOKEN or from "mkctl login --host HOST"; --username
must be the token's account (without it, the token's account is exported).
Existing files (downloads included) are never overwritten without --force, and
a failed download writes nothing. Things a block cannot describe (a pinned note
with a poll, a file Misskey would store under another name, ...) are skipped
and named.`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return runExport(cmd.Context(), opts) }),
	}
	f := cmd.Flags()
	f.StringVar(&opts.Host, "host", "", "the instance: `HOST` (https) or a full URL")
	f.StringVar(&opts.Username, "username", "", "the account to export, `NAME` (default: the token's account)")
	f.StringVar(&opts.Out, "out", ".", "write the files into `DIR` (created if missing)")
	f.StringVar(&opts.Kinds, "kinds", "", "export only these `KINDS`, comma-separated: "+strings.Join(export.Kinds, ","))
	f.BoolVar(&opts.Force, "force", false, "replace files that exist already")
	f.BoolVar(&opts.Sandbox, "sandbox", false, "export from the local emulator (.mkctl/sandbox.json in --chdir) instead of the real instance")
	f.StringVar(&opts.Label, "label", "", "the account block's `LABEL` (default: from the username)")
	addMaxWaitFlag(f, g)
	return cmd
}

// parseKinds reads --kinds; nil means every kind.
func parseKinds(s string) (map[string]bool, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	kinds := map[string]bool{}
	var bad []string
	for k := range strings.SplitSeq(s, ",") {
		k = strings.TrimSpace(k)
		switch {
		case k == "":
		case slices.Contains(export.Kinds, k):
			kinds[k] = true
		default:
			bad = append(bad, fmt.Sprintf("%q", k))
		}
	}
	if len(bad) > 0 {
		what := "kind"
		if len(bad) > 1 {
			what = "kinds"
		}
		return nil, fmt.Errorf("--kinds: unknown %s %s; the kinds are %s", what, strings.Join(bad, ", "), strings.Join(export.Kinds, ", "))
	}
	if len(kinds) == 0 {
		return nil, fmt.Errorf("--kinds %q names no kind; the kinds are %s", s, strings.Join(export.Kinds, ", "))
	}
	return kinds, nil
}

func runExport(ctx context.Context, opts *exportOptions) error {
	if opts.Host == "" {
		if opts.Sandbox {
			// Say both at once: the sandbox holds accounts of every host of
			// the configuration and has no token to pick one.
			return errors.New("--sandbox needs --host and --username: the account of the configuration to export, e.g. --host misskey.example --username news")
		}
		return errors.New("--host is required: the instance to export from, e.g. --host misskey.example")
	}
	base, err := credentials.CanonicalHost(opts.Host)
	if err != nil {
		return fmt.Errorf("--host: %w", err)
	}
	kinds, err := parseKinds(opts.Kinds)
	if err != nil {
		return err
	}
	username := strings.TrimPrefix(strings.TrimSpace(opts.Username), "@")
	if opts.Label != "" && !hclsyntax.ValidIdentifier(opts.Label) {
		return fmt.Errorf("--label %q is not a valid account label: use letters, digits, underscores and dashes, starting with a letter", opts.Label)
	}
	if info, err := os.Stat(opts.Out); err == nil && !info.IsDir() {
		return fmt.Errorf("--out %s is not a directory. Hint: --out names the directory to write the files into (created if missing); choose another path", opts.Out)
	}

	c, sb, err := opts.exportClient(ctx, base, username)
	if err != nil {
		return err
	}
	defer sb.close() // export saves nothing into the sandbox it reads
	acct, err := provider.ReadForExport(ctx, c, username, kinds)
	if err != nil {
		var mismatch *provider.ExportUserError
		if errors.As(err, &mismatch) {
			return err
		}
		who := "the token's account"
		if username != "" {
			who = "@" + username
		}
		return fmt.Errorf("reading %s on %s: %w", who, credentials.DisplayHost(base), err)
	}
	// The host as the configuration writes it, whatever the client talks
	// to (the sandbox is reached at a loopback URL of its own).
	acct.Host = credentials.DisplayHost(base)

	gopts := export.Options{Kinds: kinds, Label: opts.Label}
	res, err := export.Generate(*acct, gopts)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	// Nothing is fetched when something may not be written.
	if err := exportPaths(opts.Out, res.Files, res.Downloads, opts.Force); err != nil {
		return err
	}
	var st *staged
	if len(res.Downloads) > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "export: downloading %s (%s)\n", plural(len(res.Downloads), "file"), planner.HumanBytes(downloadedBytes(res.Downloads)))
		if st, err = downloadExport(ctx, c, opts.Out, res.Downloads); err != nil {
			return err
		}
		defer st.remove()
		// A file Load would refuse as it is (mkctl detects its type
		// otherwise than Misskey did) is left out, and said why.
		if skip := checkStaged(st, res.Downloads); len(skip) > 0 {
			gopts.SkipFiles = skip
			if res, err = export.Generate(*acct, gopts); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			if err := exportPaths(opts.Out, res.Files, res.Downloads, opts.Force); err != nil {
				return err
			}
		}
		if err := commitStaged(st, opts.Out, res.Downloads); err != nil {
			return err
		}
	}
	if err := writeExport(opts.Out, res.Files, opts.Force); err != nil {
		return err
	}
	copied, err := opts.copySandbox(sb)
	if err != nil {
		return err
	}
	printExport(opts, acct, res, copied)
	opts.warnOtherConfig(res.Files)
	return nil
}

// warnOtherConfig warns about *.mk.hcl files in --out that export did not
// write: plan loads every one of them with the exported files, so another
// account block (or a second one for this account) there changes what the
// plan of the export says.
func (opts *exportOptions) warnOtherConfig(files []export.File) {
	existing, _ := filepath.Glob(filepath.Join(opts.Out, "*.mk.hcl"))
	var others []string
	for _, p := range existing {
		if !slices.ContainsFunc(files, func(f export.File) bool { return f.Name == filepath.Base(p) }) {
			others = append(others, p)
		}
	}
	if len(others) > 0 {
		opts.warnf(fmt.Sprintf("%s also holds %s, which mkctl plan loads together with the exported files.", opts.Out, strings.Join(others, ", ")))
	}
}

// exportClient reaches the account: the sandbox's emulator, or the instance
// with the token the usual rules find (token.go).
func (opts *exportOptions) exportClient(ctx context.Context, base, username string) (*provider.Client, *sandbox, error) {
	var httpClient *http.Client
	var token string
	var sb *sandbox
	if opts.Sandbox {
		if username == "" {
			return nil, nil, errors.New("--sandbox needs --username: the sandbox has no token to say whose account to export")
		}
		cfg := &schema.Config{Accounts: []*schema.Account{{Label: "export", Host: base, Username: username}}}
		var err error
		if sb, err = openSandbox(ctx, opts.Chdir, cfg, opts.IO.ErrOut); err != nil {
			return nil, nil, err
		}
		_, token, httpClient = sb.endpoint(cfg.Accounts[0])
		base = sandboxBase
	} else {
		var err error
		if token, err = opts.exportToken(base, username); err != nil {
			return nil, nil, err
		}
	}
	addSecret(opts.IO, token)
	copts := opts.clientOptions(provider.WithNotify(func(msg string) { fmt.Fprintf(opts.IO.ErrOut, "export: %s\n", msg) }))
	if httpClient != nil {
		copts = append(copts, provider.WithHTTPClient(httpClient), provider.WithoutPacing())
	}
	c, err := provider.NewClient(base, token, copts...)
	if err != nil {
		return nil, nil, errors.Join(err, sb.close())
	}
	return c, sb, nil
}

// exportToken finds the token by token.go's rules for a one-account
// configuration: MKCTL_TOKEN_<LABEL> (with --label), MKCTL_TOKEN, then the
// credential `mkctl login` stored for the host and username. Without
// --username, the one credential stored for the host is used; with several
// the user must choose.
func (opts *exportOptions) exportToken(base, username string) (string, error) {
	label := opts.Label
	if label == "" {
		label = export.LabelFromUsername(username) // the label the files will have
	}
	if username != "" {
		acct := &schema.Account{Label: label, Host: base, Username: username}
		rt, err := opts.tokenResolver(1, true).tokenFor(acct)
		if err != nil {
			return "", err
		}
		return rt.Token, nil
	}
	if opts.Label != "" {
		if v := (&schema.Account{Label: label}).TokenEnvVar(); opts.Getenv(v) != "" {
			return opts.Getenv(v), nil
		}
	}
	if t := opts.Getenv("MKCTL_TOKEN"); t != "" {
		return t, nil
	}
	store, err := opts.credentialStore(true)
	if err != nil {
		return "", err
	}
	creds, err := store.Load()
	if err != nil {
		return "", fmt.Errorf("no MKCTL_TOKEN in the environment, and the stored credentials cannot be read: %w", err)
	}
	var found []credentials.Credential
	for _, c := range creds {
		if c.Matches(base, c.Username) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 1:
		return found[0].Token, nil
	case 0:
		return "", &exportTokenError{host: base}
	}
	var names []string
	for _, c := range found {
		names = append(names, "@"+c.Username)
	}
	slices.Sort(names)
	return "", fmt.Errorf("tokens of %s are stored for %s: choose the account with --username", strings.Join(names, ", "), credentials.DisplayHost(base))
}

// exportTokenError is a missing token for export, which has no account
// address yet: it names the same ways out as missingTokenError.
type exportTokenError struct{ host string }

func (e *exportTokenError) Error() string {
	return fmt.Sprintf("no token for %s: set MKCTL_TOKEN, or run `%s`", credentials.DisplayHost(e.host), loginCommand(e.host))
}

func (e *exportTokenError) Hint() string {
	return fmt.Sprintf("`%s` opens the instance in your browser; approve mkctl there while signed in as the account to export. In CI, set MKCTL_TOKEN to a token made in Settings → API (see README: Getting a token)",
		loginCommand(e.host))
}

// writeExport writes the files into dir, creating it. Every file is checked
// before any is written, so a refusal leaves the directory as it was; each
// is written atomically (writeFileAtomic).
func writeExport(dir string, files []export.File, force bool) error {
	var exist []string
	for _, f := range files {
		if filepath.Base(f.Name) != f.Name || f.Name == "" || f.Name == "." || f.Name == ".." {
			return fmt.Errorf("export: refusing to write %q outside %s", f.Name, dir)
		}
		p := filepath.Join(dir, f.Name)
		if _, err := os.Lstat(p); err == nil {
			exist = append(exist, p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("export: %w", err)
		}
	}
	if len(exist) > 0 && !force {
		return fmt.Errorf("refusing to overwrite %s: nothing was written; use --force to replace, or --out for another directory", strings.Join(exist, ", "))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	for _, f := range files {
		if err := writeFileAtomic(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
			return fmt.Errorf("export: writing %s: %w", f.Name, err)
		}
	}
	return nil
}

// copySandbox gives the output directory the sandbox state the export was
// read from, when it has none, so that `mkctl plan --sandbox --chdir OUT`
// plans against the same emulator. Returns the path written, "" if none.
func (opts *exportOptions) copySandbox(sb *sandbox) (string, error) {
	if sb == nil {
		return "", nil
	}
	path := filepath.Join(opts.Out, ".mkctl", "sandbox.json")
	if a, err := filepath.Abs(path); err == nil {
		if b, err := filepath.Abs(sb.path); err == nil && a == b {
			return "", nil
		}
	}
	if _, err := os.Lstat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return "", nil // the directory's own sandbox stays as it is
	}
	out := &sandbox{emu: sb.emu, path: path}
	if err := out.save(); err != nil {
		return "", err
	}
	return path, nil
}

// printExport says what was written: the files on stdout with what each
// kind holds, the notes (skipped objects, ...) on stderr.
func printExport(opts *exportOptions, acct *export.Account, res *export.Result, copied string) {
	out, errOut := opts.IO.Out, opts.IO.ErrOut
	for _, n := range res.Notes {
		fmt.Fprintf(errOut, "%s %s\n", opts.IO.ErrColors().Yellow("Note:"), n)
	}
	names := make([]string, 0, len(res.Files))
	for _, f := range res.Files {
		names = append(names, f.Name)
	}
	fmt.Fprintf(out, "%s @%s on %s into %s: %s\n", opts.IO.Colors().Green("Exported"), acct.Username, acct.Host,
		opts.Out, strings.Join(names, ", "))
	for _, line := range exportCounts(res.Counts) {
		fmt.Fprintf(out, "  %s\n", line)
	}
	if len(res.Downloads) > 0 {
		dirs := map[string]bool{}
		var where []string
		for _, d := range res.Downloads {
			top := strings.SplitN(d.Path, "/", 2)[0]
			if !dirs[top] {
				dirs[top] = true
				where = append(where, filepath.Join(opts.Out, top)+string(filepath.Separator))
			}
		}
		fmt.Fprintf(out, "Downloaded %s (%s) into %s.\n", plural(len(res.Downloads), "file"), planner.HumanBytes(downloadedBytes(res.Downloads)), strings.Join(where, ", "))
	}
	if copied != "" {
		fmt.Fprintf(out, "The sandbox state was copied to %s.\n", copied)
	}
	sandbox := ""
	if opts.Sandbox {
		sandbox = " --sandbox"
	}
	fmt.Fprintf(out, "Next: mkctl plan%s --chdir %s   (should say \"No changes.\"; the first apply adopts what was exported)\n", sandbox, opts.Out)
}

// exportCountNouns name one object of each kind in the summary.
var exportCountNouns = map[string]string{
	"pinned_notes":    "pinned note",
	"follows":         "follow",
	"drive_folders":   "drive folder",
	"drive_files":     "drive file",
	"antennas":        "antenna",
	"user_lists":      "user list",
	"webhooks":        "webhook",
	"clips":           "clip",
	"blocks":          "block",
	"mutes":           "mute",
	"renote_mutes":    "renote mute",
	"scheduled_notes": "scheduled note",
}

// exportCounts is one line per kind written, from what the writer of the
// files counted (export.Result.Counts): "3 drive folders (2 skipped)",
// "2 follows (1 pending)", "profile".
func exportCounts(counts []export.KindCount) []string {
	lines := make([]string, 0, len(counts))
	for _, c := range counts {
		var s string
		var extra []string
		switch noun, ok := exportCountNouns[c.Kind]; {
		case c.Kind == "profile" && c.Declared == 0:
			s = "no profile (nothing differs from a new account's)"
		case c.Kind == "profile":
			s = "profile"
			if c.Skipped > 0 {
				extra = append(extra, plural(c.Skipped, "field")+" skipped")
			}
		case ok:
			s = plural(c.Declared, noun)
		default:
			s = plural(c.Declared, c.Kind)
		}
		if c.Pending > 0 {
			extra = append(extra, fmt.Sprintf("%d pending", c.Pending))
		}
		if c.Skipped > 0 && c.Kind != "profile" {
			extra = append(extra, fmt.Sprintf("%d skipped", c.Skipped))
		}
		if len(extra) > 0 {
			s += " (" + strings.Join(extra, ", ") + ")"
		}
		lines = append(lines, s)
	}
	return lines
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
