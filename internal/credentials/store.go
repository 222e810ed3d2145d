package credentials

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// Store is the credentials file at Path. It keeps nothing in memory: every
// call reads the file afresh, so two commands never act on stale copies.
// Two logins running at the very same moment may still lose one of the two
// writes (the last rename wins); neither can corrupt the file.
type Store struct {
	// Path is the credentials file, usually DefaultPath's answer.
	Path string
	// Warn, when set, receives warnings about the file (other users can
	// read it). Nil drops them.
	Warn func(msg string)
}

// DefaultPath is the credentials file in the user's configuration
// directory: $XDG_CONFIG_HOME/mkctl/credentials.json when XDG_CONFIG_HOME
// is set (on every system, so a test or a container can point it
// anywhere), otherwise os.UserConfigDir()/mkctl/credentials.json
// (~/.config on Linux, ~/Library/Application Support on macOS,
// %AppData% on Windows). getenv is os.Getenv in production.
//
// A relative XDG_CONFIG_HOME is an error: the XDG spec says to ignore it,
// but quietly keeping tokens somewhere else than the user asked for would
// be worse than saying so.
func DefaultPath(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_CONFIG_HOME"); dir != "" {
		if !filepath.IsAbs(dir) {
			return "", fmt.Errorf("XDG_CONFIG_HOME=%s is a relative path; it must be absolute (or unset, for the default)", shellQuote(dir))
		}
		return filepath.Join(dir, "mkctl", FileName), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find your configuration directory to keep credentials in (%w): set XDG_CONFIG_HOME", err)
	}
	return filepath.Join(dir, "mkctl", FileName), nil
}

// Load returns every stored credential, in the order they were first
// stored. A missing file holds none.
func (s *Store) Load() ([]Credential, error) {
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the credentials file: %w", err)
	}
	s.checkMode()
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		// The decoder's message quotes no content, so no token can leak.
		return nil, fmt.Errorf("the credentials file %s is not valid JSON (%v): fix it, or delete it and run `mkctl login` again", s.Path, err)
	}
	if f.Version > formatVersion {
		return nil, fmt.Errorf("the credentials file %s was written by a newer mkctl (format %d; this one reads %d): upgrade mkctl", s.Path, f.Version, formatVersion)
	}
	return f.Credentials, nil
}

// Find returns the credential of username on host, or nil.
func (s *Store) Find(host, username string) (*Credential, error) {
	all, err := s.Load()
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Matches(host, username) {
			return &all[i], nil
		}
	}
	return nil, nil
}

// Put stores c, replacing the credential of the same account if there is
// one (a second login for an account replaces its token) and returning the
// replaced one.
func (s *Store) Put(c Credential) (replaced *Credential, err error) {
	if c.Host == "" || c.Username == "" || c.Token == "" {
		return nil, errors.New("credentials: a credential needs a host, a username and a token")
	}
	all, err := s.Load()
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(all, func(o Credential) bool { return o.Matches(c.Host, c.Username) })
	if i >= 0 {
		old := all[i]
		replaced = &old
		all[i] = c
	} else {
		all = append(all, c)
	}
	return replaced, s.save(all)
}

// Remove deletes every credential match accepts and returns them. When no
// credential is left the file itself is deleted — unless Path is a
// symlink: then the file it points to (kept elsewhere, say with dotfiles)
// keeps existing, with an empty list.
func (s *Store) Remove(match func(Credential) bool) ([]Credential, error) {
	all, err := s.Load()
	if err != nil {
		return nil, err
	}
	var kept, removed []Credential
	for _, c := range all {
		if match(c) {
			removed = append(removed, c)
		} else {
			kept = append(kept, c)
		}
	}
	if len(removed) == 0 {
		return nil, nil
	}
	if len(kept) == 0 && !s.isSymlink() {
		if err := os.Remove(s.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("deleting the credentials file: %w", err)
		}
		return removed, nil
	}
	return removed, s.save(kept)
}

// save writes the file atomically: a temporary file (created with mode
// 0600, before any secret is written to it) in the same directory, synced,
// then renamed over the old one.
func (s *Store) save(all []Credential) error {
	own := filepath.Dir(s.Path) // mkctl's own directory
	if err := os.MkdirAll(own, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", own, err)
	}
	// MkdirAll leaves an existing directory as it is: make mkctl's own
	// directory private in any case — but only that one. The directory of
	// a symlinked file, or a symlinked directory, lives elsewhere (dotfiles,
	// a shared mount) and keeps the mode its owner gave it.
	if fi, err := os.Lstat(own); err == nil && fi.IsDir() {
		if err := os.Chmod(own, 0o700); err != nil {
			return fmt.Errorf("making %s private: %w", own, err)
		}
	}
	path := s.target()
	dir := filepath.Dir(path)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if all == nil {
		all = []Credential{}
	}
	if err := enc.Encode(file{Version: formatVersion, Credentials: all}); err != nil {
		return fmt.Errorf("encoding credentials: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".credentials-*.tmp")
	if err != nil {
		return fmt.Errorf("writing credentials: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp already uses 0600; say so explicitly, as the file is
	// about to hold secrets.
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("writing credentials: %w", err)
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing credentials: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing credentials: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing credentials: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing credentials: %w", err)
	}
	committed = true
	syncDir(dir)
	return nil
}

// target is the file to replace: a symlinked credentials file (dotfiles
// kept elsewhere) is replaced where it really lives, keeping the link.
func (s *Store) target() string {
	if real, err := filepath.EvalSymlinks(s.Path); err == nil {
		return real
	}
	return s.Path
}

// isSymlink reports whether Path itself is a symbolic link.
func (s *Store) isSymlink() bool {
	fi, err := os.Lstat(s.Path)
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

// checkMode warns when users other than the owner can read or write the
// file, or replace it: write access to its directory (the file's own, and
// mkctl's when the file is a symlink) is enough for that, unless the
// directory is sticky (/tmp), where only a file's owner may rename or
// delete it. Windows has no such permission bits.
func (s *Store) checkMode() {
	if s.Warn == nil || runtime.GOOS == "windows" {
		return
	}
	info, err := os.Stat(s.Path)
	if err != nil {
		return
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		s.Warn(fmt.Sprintf("the credentials file %s can be read or changed by other users (mode %04o): run `chmod 600 %s`",
			s.Path, perm, shellQuote(s.Path)))
	}
	dirs := []string{filepath.Dir(s.Path)}
	if d := filepath.Dir(s.target()); d != dirs[0] {
		dirs = append(dirs, d)
	}
	for _, dir := range dirs {
		di, err := os.Stat(dir)
		if err != nil {
			continue
		}
		if perm := di.Mode().Perm(); perm&0o022 != 0 && di.Mode()&fs.ModeSticky == 0 {
			s.Warn(fmt.Sprintf("the directory %s can be changed by other users (mode %04o), who could replace the credentials file in it: run `chmod go-w %s`",
				dir, perm, shellQuote(dir)))
		}
	}
}

// syncDir makes the rename durable where the system allows it; a failure
// only weakens durability, so it is ignored.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func shellQuote(s string) string {
	if !strings.ContainsAny(s, " \t'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
