package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/provider/emulator"
	"github.com/mkctl/mkctl/schema"
)

// sandboxBase is the URL mkctl uses for the in-process emulator. Requests
// never reach the network: the client's transport calls the emulator directly.
const sandboxBase = "http://127.0.0.1"

// sandbox is the in-process emulator behind --sandbox, with its state file.
type sandbox struct {
	emu  *emulator.Emulator
	path string // .mkctl/sandbox.json beside the configuration
	lock *sandboxLock
}

// afterSandboxRead, when set (by tests), runs once a run has read the state:
// the moment a second run's read would make its later save lose the first
// run's changes.
var afterSandboxRead func(path string)

// openSandbox locks and loads (or starts) the sandbox of a configuration
// directory and makes sure every declared account exists in it, so the
// username check passes and a plan against it is meaningful. The lock is
// held until close, so that a concurrent run reads the state only after
// this one has saved it; a wait for it is announced on wait.
func openSandbox(ctx context.Context, dir string, cfg *schema.Config, wait io.Writer) (_ *sandbox, err error) {
	path := filepath.Join(dir, ".mkctl", "sandbox.json")
	lock, err := lockSandbox(ctx, path, wait)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, lock.release())
		}
	}()
	var emu *emulator.Emulator
	data, err := os.ReadFile(path)
	if afterSandboxRead != nil {
		afterSandboxRead(path)
	}
	switch {
	case err == nil:
		emu, err = emulator.Load(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("reading the sandbox state %s: %w (delete the file to start afresh)", path, err)
		}
	case errors.Is(err, os.ErrNotExist):
		// The sandbox plays the first account's instance, so that
		// "@user@that.host" accounts in the configuration are local to it.
		opts := emulator.Options{}
		if len(cfg.Accounts) > 0 {
			opts.URL = cfg.Accounts[0].Host
		}
		emu = emulator.New(opts)
	default:
		return nil, fmt.Errorf("reading the sandbox state: %w", err)
	}
	for _, acct := range cfg.Accounts {
		emu.EnsureUser(acct.Username)
		// Every account the configuration mentions exists in the sandbox,
		// so follows and list members resolve.
		for _, f := range acct.Follows {
			emu.EnsureUser(f.Acct)
		}
		if acct.Profile != nil {
			if aka, ok := acct.Profile.Attrs["also_known_as"].Value.([]any); ok {
				for _, a := range aka {
					if s, ok := a.(string); ok {
						emu.EnsureUser(s)
					}
				}
			}
		}
		for _, l := range acct.UserLists {
			for _, m := range l.Members {
				emu.EnsureUser(m)
			}
		}
		for _, rels := range [][]*schema.UserRelation{acct.Blocks, acct.Mutes, acct.RenoteMutes} {
			for _, u := range rels {
				emu.EnsureUser(u.Acct)
			}
		}
	}
	return &sandbox{emu: emu, path: path, lock: lock}, nil
}

// close releases the lock on the state: after save, or without saving (plan,
// a failed run). A nil sandbox has nothing to release.
func (s *sandbox) close() error {
	if s == nil {
		return nil
	}
	return s.lock.release()
}

// endpoint is what a client needs to reach an account in the sandbox.
func (s *sandbox) endpoint(acct *schema.Account) (base, token string, client *http.Client) {
	u := s.emu.FindUserByUsername(acct.Username)
	return sandboxBase, s.emu.NativeToken(u.ID), &http.Client{Transport: s.emu.Transport()}
}

// save writes the sandbox state atomically; a nil sandbox saves nothing.
func (s *sandbox) save() error {
	if s == nil {
		return nil
	}
	var buf bytes.Buffer
	if err := s.emu.Save(&buf); err != nil {
		return fmt.Errorf("saving the sandbox state: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("saving the sandbox state: %w", err)
	}
	return writeFileAtomic(s.path, buf.Bytes(), 0o600)
}

// writeFileAtomic writes to a temporary file and renames it over path, so a
// crash never leaves a half-written file.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

type sandboxServeOptions struct {
	*globalOptions
	Listen   string
	Username string
}

func newSandboxCmd(g *globalOptions) *cobra.Command {
	root := &cobra.Command{
		Use:   "sandbox",
		Short: "Work with the built-in Misskey emulator",
	}
	opts := &sandboxServeOptions{globalOptions: g}
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve the Misskey emulator over HTTP on a loopback address",
		Long: `Starts the in-memory Misskey emulator and prints its URL and a token for a
demo account. Point any client at it, or mkctl itself with
host = "http://127.0.0.1:PORT" in an account block; mkctl login --host
http://127.0.0.1:PORT works too (the consent page's Accept approves as the
demo account). It serves the streaming API too, so mkctl watch against it
sees the edits made through its API. Stops on Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return runSandboxServe(cmd, opts) }),
	}
	serve.Flags().StringVar(&opts.Listen, "listen", "127.0.0.1:0", "loopback `ADDRESS:PORT` to listen on (port 0 picks a free one)")
	serve.Flags().StringVar(&opts.Username, "username", "demo", "`USERNAME` of the demo account")
	root.AddCommand(serve)
	return root
}

// recoverHandler answers a request whose handler panicked (a bug in the
// emulator) with Misskey's 500 INTERNAL_ERROR and one line on errOut,
// instead of net/http's stack trace on the process's stderr.
func recoverHandler(h http.Handler, errOut io.Writer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil || v == http.ErrAbortHandler {
				if v != nil {
					panic(v) // net/http's way to abort a response: not a bug
				}
				return
			}
			fmt.Fprintf(errOut, "sandbox: internal error serving %s: %v (a bug in mkctl: please report it at https://github.com/mkctl/mkctl/issues)\n", r.URL.Path, v)
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":{"message":"Internal error occurred. Please contact us if the error persists.","code":"INTERNAL_ERROR","id":"5d37dbcb-891e-41ca-a3d6-e690c97775ac","kind":"server"}}`)
		}()
		h.ServeHTTP(w, r)
	})
}

func runSandboxServe(cmd *cobra.Command, opts *sandboxServeOptions) error {
	host, _, err := net.SplitHostPort(opts.Listen)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", opts.Listen, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--listen %q: the sandbox serves only on a loopback address (127.0.0.1, ::1, localhost)", opts.Listen)
	}
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	emu := emulator.New(emulator.Options{})
	user := emu.CreateUser(opts.Username)
	token := emu.NativeToken(user.ID)
	srv := &http.Server{Handler: recoverHandler(emu, opts.IO.ErrOut), ReadHeaderTimeout: 10 * time.Second,
		// net/http's own messages go through the redacting stream too.
		ErrorLog: log.New(opts.IO.ErrOut, "sandbox: ", 0)}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(opts.IO.Out, "Misskey emulator listening on %s\n", url)
	fmt.Fprintf(opts.IO.Out, "Account: @%s\nToken:   %s\n", opts.Username, token)
	fmt.Fprintf(opts.IO.Out, "\nTry:  MKCTL_TOKEN=<the token above> mkctl plan   (with host = %q, username = %q)\n", url, opts.Username)
	// The emulator's consent page approves as the first local user: this one.
	fmt.Fprintf(opts.IO.Out, "Or:   mkctl login --host %s   (Accept on the consent page approves as @%s)\nStop with Ctrl-C.\n", url, opts.Username)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-cmd.Context().Done():
		return srv.Close()
	case err := <-errc:
		return err
	}
}
