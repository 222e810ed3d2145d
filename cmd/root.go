// Package cmd holds mkctl's cobra commands. Commands are thin: each is an
// options struct, a newXCmd constructor and a runX function; the work is done
// by schema, planner and provider.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/schema"
)

// Version is mkctl's version without the leading v: stamped by the release
// build, otherwise the module version `go install …@VERSION` recorded, or
// "dev" (see version.go).
var Version = readBuildInfo().Version

// globalOptions are the flags every command that reads a configuration takes.
type globalOptions struct {
	IO       *IOStreams
	Chdir    string
	Vars     []string
	VarFiles []string
	Env      func() []string
	Getenv   func(string) string
	// MaxWait is --max-wait (nil for commands without it: the default).
	MaxWait *maxWaitValue
	// log is the MKCTL_LOG logger, made once (see logger).
	log     *slog.Logger
	logOnce sync.Once

	// beforeRead, when set, runs after the accounts' clients are made and
	// before they are read (apply takes its locks there).
	beforeRead func(ctx context.Context, targets []target) error
	// target is --target, --exclude and --allow-mass-delete (target.go).
	target targetOptions
	// readLog, when set, collects what the configuration is read from
	// (plan -out and apply FILE hash it: see planfile.go).
	readLog *schema.ReadLog

	// files are the loaded configuration files, for diagnostics that
	// come after loading (the planner's).
	files map[string]*hcl.File
}

// NewRootCmd builds the command tree.
func NewRootCmd(io *IOStreams) *cobra.Command {
	// Before anything is written: no token reaches the output, whatever
	// a server answers (see redact.go).
	redactOutputs(io)
	g := &globalOptions{IO: io, Env: os.Environ, Getenv: os.Getenv}
	addEnvSecrets(io, g.Env())
	root := &cobra.Command{
		Use:   "mkctl",
		Short: "Manage Misskey accounts from configuration files",
		Long: `mkctl manages Misskey accounts the way Terraform manages infrastructure:
*.mk.hcl files describe what an account should look like, "mkctl plan" shows
the difference with the live account and "mkctl apply" makes it so.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.SetVersionTemplate(versionTemplate())
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	pf := root.PersistentFlags()
	pf.StringVar(&g.Chdir, "chdir", ".", "read the configuration from `DIR`")
	pf.StringArrayVar(&g.Vars, "var", nil, "set a variable: `NAME=VALUE` (repeatable)")
	pf.StringArrayVar(&g.VarFiles, "var-file", nil, "read variables from an HCL `FILE` (repeatable)")
	pf.BoolVar(&io.NoColor, "no-color", io.NoColor, "never colour the output (NO_COLOR is honoured too)")

	root.AddCommand(
		newValidateCmd(g),
		newPlanCmd(g),
		newApplyCmd(g),
		newSandboxCmd(g),
		newLoginCmd(g),
		newLogoutCmd(g),
		newWhoamiCmd(g),
		newForceUnlockCmd(g),
		newExportCmd(g),
		newFmtCmd(g),
		newShowCmd(g),
		newWatchCmd(g),
	)
	registerCompletions(root, g)
	return root
}

// Main runs mkctl and returns the process exit code. Ctrl-C (or SIGTERM)
// cancels the context: apply stops after the change in flight.
func Main(io *IOStreams, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return MainContext(ctx, io, args)
}

// MainContext is Main with the caller's context.
func MainContext(ctx context.Context, io *IOStreams, args []string) int {
	return execute(ctx, io, NewRootCmd(io), args)
}

// execute runs root's command for args and returns the exit code. A panic
// in the command (a bug) is exit code 1 with a short "internal error,
// please report" message, not a Go stack trace: the stack is printed only
// with MKCTL_LOG=debug or trace. Panics in the goroutines a command
// starts come back as errors (internal/safego) and are treated alike.
func execute(ctx context.Context, io *IOStreams, root *cobra.Command, args []string) int {
	args = singleDashLongFlags(root, args)
	root.SetArgs(args)
	var cmd *cobra.Command
	step := root.CommandPath()
	if c, _, err := root.Find(args); err == nil && c != nil {
		step = c.CommandPath()
	}
	err := safego.Call(step, func() (err error) {
		cmd, err = root.ExecuteContextC(ctx)
		return err
	})
	var pe *safego.PanicError
	if errors.As(err, &pe) {
		if v := strings.ToLower(strings.TrimSpace(os.Getenv("MKCTL_LOG"))); v == "debug" || v == "trace" {
			// Through the redacting stream, as every log line.
			defer fmt.Fprintf(io.ErrOut, "Stack of the internal error (for the bug report):\n%s\n", pe.Stack)
		}
		if !isRunError(err) {
			err = runError{err} // not a usage error: no --help hint
		}
	}
	if err != nil && !isRunError(err) {
		// cobra's own errors (unknown flag or command) deserve the usage
		// hint, of the command that refused them (mkctl plan --help).
		path := root.CommandPath()
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(io.ErrOut, "Error: %s\nRun '%s --help' for usage.\n", err, path)
		return ExitError
	}
	return exitCode(err, io)
}

// runError marks errors that come from running a command, as opposed to
// cobra's argument parsing.
type runError struct{ err error }

func (e runError) Error() string { return e.err.Error() }
func (e runError) Unwrap() error { return e.err }

func isRunError(err error) bool {
	_, ok := err.(runError)
	return ok
}

// wrapRun marks a command's RunE result as a run error.
func wrapRun(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := f(cmd, args); err != nil {
			return runError{err}
		}
		return nil
	}
}
