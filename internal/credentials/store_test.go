package credentials

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func newStore(t *testing.T) (*Store, *[]string) {
	t.Helper()
	var warnings []string
	s := &Store{
		Path: filepath.Join(t.TempDir(), "config", "mkctl", FileName),
		Warn: func(m string) { warnings = append(warnings, m) },
	}
	return s, &warnings
}

func cred(host, user, token string, perms ...string) Credential {
	return Credential{Host: host, Username: user, Token: token, Permissions: perms, CreatedAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
}

func TestMissingFileHoldsNothing(t *testing.T) {
	s, warnings := newStore(t)
	all, err := s.Load()
	if err != nil || len(all) != 0 {
		t.Fatalf("Load = %v, %v", all, err)
	}
	c, err := s.Find("https://a.example", "alice")
	if err != nil || c != nil {
		t.Fatalf("Find = %v, %v", c, err)
	}
	if len(*warnings) != 0 {
		t.Errorf("warnings %v", *warnings)
	}
}

func TestPutFindReplace(t *testing.T) {
	s, _ := newStore(t)
	if old, err := s.Put(cred("https://a.example", "alice", "tok-1", "read:account")); err != nil || old != nil {
		t.Fatalf("first Put = %v, %v", old, err)
	}
	if _, err := s.Put(cred("https://a.example", "bob", "tok-2")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(cred("https://b.example", "alice", "tok-3")); err != nil {
		t.Fatal(err)
	}
	// A second login for the same account (any spelling of it) replaces
	// its token and keeps its place.
	old, err := s.Put(cred("https://A.example:443", "Alice", "tok-4", "read:account", "write:account"))
	if err != nil {
		t.Fatal(err)
	}
	if old == nil || old.Token != "tok-1" {
		t.Fatalf("replaced = %+v", old)
	}
	all, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	var tokens []string
	for _, c := range all {
		tokens = append(tokens, c.Token)
	}
	if got := strings.Join(tokens, ","); got != "tok-4,tok-2,tok-3" {
		t.Errorf("tokens %s", got)
	}
	c, err := s.Find("a.example", "ALICE")
	if err != nil || c == nil || c.Token != "tok-4" {
		t.Fatalf("Find = %+v, %v", c, err)
	}
	if !c.HasPermission("write:account") || c.HasPermission("write:drive") {
		t.Errorf("permissions %v", c.Permissions)
	}
	if c, _ := s.Find("https://c.example", "alice"); c != nil {
		t.Errorf("other host found: %+v", c)
	}
}

func TestFileAndDirectoryModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits")
	}
	s, warnings := newStore(t)
	// An existing, too open mkctl directory is made private too.
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(cred("https://a.example", "alice", "secret")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Errorf("file mode %04o", m)
	}
	di, err := os.Stat(filepath.Dir(s.Path))
	if err != nil {
		t.Fatal(err)
	}
	if m := di.Mode().Perm(); m != 0o700 {
		t.Errorf("directory mode %04o", m)
	}
	// No temporary file is left behind.
	entries, _ := os.ReadDir(filepath.Dir(s.Path))
	if len(entries) != 1 || entries[0].Name() != FileName {
		t.Errorf("directory holds %v", entries)
	}
	if _, err := s.Load(); err != nil || len(*warnings) != 0 {
		t.Fatalf("private file: %v, warnings %v", err, *warnings)
	}

	// A file others can read gets a warning naming the fix...
	if err := os.Chmod(s.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); err != nil {
		t.Fatal(err)
	}
	if len(*warnings) != 1 || !strings.Contains((*warnings)[0], "chmod 600") || !strings.Contains((*warnings)[0], "0644") {
		t.Fatalf("warnings %v", *warnings)
	}
	if strings.Contains((*warnings)[0], "secret") {
		t.Error("the warning shows the token")
	}
	// ...and the next write makes it private again.
	if _, err := s.Put(cred("https://a.example", "bob", "other")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(s.Path); fi.Mode().Perm() != 0o600 {
		t.Errorf("after rewrite: %04o", fi.Mode().Perm())
	}
}

func TestRemove(t *testing.T) {
	s, _ := newStore(t)
	for _, c := range []Credential{cred("https://a.example", "alice", "1"), cred("https://a.example", "bob", "2")} {
		if _, err := s.Put(c); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := s.Remove(func(c Credential) bool { return c.Matches("https://a.example", "bob") })
	if err != nil || len(removed) != 1 || removed[0].Token != "2" {
		t.Fatalf("Remove = %v, %v", removed, err)
	}
	if c, _ := s.Find("https://a.example", "bob"); c != nil {
		t.Error("bob still stored")
	}
	if c, _ := s.Find("https://a.example", "alice"); c == nil {
		t.Error("alice removed too")
	}
	// Nothing matching: nothing happens.
	if removed, err := s.Remove(func(Credential) bool { return false }); err != nil || removed != nil {
		t.Errorf("no match: %v, %v", removed, err)
	}
	// The last credential takes the file with it.
	if _, err := s.Remove(func(Credential) bool { return true }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path); !os.IsNotExist(err) {
		t.Errorf("file still there: %v", err)
	}
}

func TestSymlinkedFileStaysALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges")
	}
	s, _ := newStore(t)
	realDir := t.TempDir()
	real := filepath.Join(realDir, "creds.json")
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte(`{"version":1,"credentials":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, s.Path); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(cred("https://a.example", "alice", "x")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(s.Path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi, err)
	}
	data, _ := os.ReadFile(real)
	if !strings.Contains(string(data), `"alice"`) {
		t.Errorf("real file: %s", data)
	}
}

// The directory a symlinked file really lives in is not mkctl's: its mode
// stays as it is, and removing the last credential empties the real file
// instead of deleting it.
func TestSymlinkedFileKeepsItsDirectoryAndTarget(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges")
	}
	s, _ := newStore(t)
	dotfiles := filepath.Join(t.TempDir(), "dotfiles")
	if err := os.MkdirAll(dotfiles, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dotfiles, 0o755); err != nil { // whatever the umask
		t.Fatal(err)
	}
	real := filepath.Join(dotfiles, "mkctl-credentials.json")
	if err := os.WriteFile(real, []byte(`{"version":1,"credentials":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, s.Path); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(cred("https://a.example", "alice", "x")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(dotfiles); fi.Mode().Perm() != 0o755 {
		t.Errorf("the link target's directory became %04o", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(filepath.Dir(s.Path)); fi.Mode().Perm() != 0o700 {
		t.Errorf("mkctl's own directory is %04o", fi.Mode().Perm())
	}

	if _, err := s.Remove(func(Credential) bool { return true }); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(s.Path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is gone: %v %v", fi, err)
	}
	data, err := os.ReadFile(real)
	if err != nil || strings.Contains(string(data), "alice") || !strings.Contains(string(data), `"credentials": []`) {
		t.Errorf("the link's target after removing the last credential: %q, %v", data, err)
	}
	if all, err := s.Load(); err != nil || len(all) != 0 {
		t.Errorf("Load = %v, %v", all, err)
	}
}

// mkctl's directory itself may be a symlink (~/.config/mkctl → dotfiles):
// the directory it points to keeps its mode.
func TestSymlinkedDirectoryKeepsItsMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges")
	}
	s, _ := newStore(t)
	elsewhere := filepath.Join(t.TempDir(), "shared")
	if err := os.MkdirAll(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(elsewhere, 0o755)
	if err := os.MkdirAll(filepath.Dir(filepath.Dir(s.Path)), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Dir(s.Path)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(cred("https://a.example", "alice", "x")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(elsewhere); fi.Mode().Perm() != 0o755 {
		t.Errorf("the linked directory became %04o", fi.Mode().Perm())
	}
	if fi, err := os.Stat(filepath.Join(elsewhere, FileName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the file: %v, %v", fi, err)
	}
}

// A directory others may write to lets them replace the file: a warning,
// except for a sticky directory, where they may not.
func TestWritableDirectoryWarning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits")
	}
	s, warnings := newStore(t)
	if _, err := s.Put(cred("https://a.example", "alice", "secret")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(s.Path)
	for _, tt := range []struct {
		mode os.FileMode
		warn bool
	}{{0o700, false}, {0o750, false}, {0o770, true}, {0o702, true}, {0o777 | os.ModeSticky, false}} {
		*warnings = nil
		if err := os.Chmod(dir, tt.mode); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Load(); err != nil {
			t.Fatal(err)
		}
		want := "the directory " + dir + " can be changed by other users"
		if got := len(*warnings) == 1 && strings.Contains((*warnings)[0], want) && strings.Contains((*warnings)[0], "chmod go-w "); got != tt.warn {
			t.Errorf("mode %v: warnings %v", tt.mode, *warnings)
		}
	}
	os.Chmod(dir, 0o700)
}

func TestBadFiles(t *testing.T) {
	s, _ := newStore(t)
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(s.Path, []byte(`{"version":1,"credentials":[{"token":"abc`), 0o600)
	_, err := s.Load()
	if err == nil || strings.Contains(err.Error(), "abc") || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("truncated file: %v", err)
	}
	os.WriteFile(s.Path, []byte(`{"version":2,"credentials":[]}`), 0o600)
	if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "newer mkctl") {
		t.Errorf("newer file: %v", err)
	}
	// A refused file is never overwritten.
	if _, err := s.Put(cred("https://a.example", "alice", "x")); err == nil {
		t.Error("Put over a newer file succeeded")
	}
	if _, err := s.Put(Credential{Host: "https://a.example", Username: "alice"}); err == nil {
		t.Error("Put without a token succeeded")
	}
}

func TestDefaultPath(t *testing.T) {
	env := map[string]string{"XDG_CONFIG_HOME": filepath.Join(string(filepath.Separator), "x", "cfg")}
	p, err := DefaultPath(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(env["XDG_CONFIG_HOME"], "mkctl", FileName); p != want {
		t.Errorf("%s, want %s", p, want)
	}
	// A relative XDG_CONFIG_HOME is invalid per the XDG spec: neither used
	// nor quietly replaced by another directory.
	env["XDG_CONFIG_HOME"] = "relative dir"
	if p, err := DefaultPath(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "XDG_CONFIG_HOME='relative dir' is a relative path; it must be absolute") {
		t.Errorf("relative XDG_CONFIG_HOME: %q, %v", p, err)
	}
}

func TestCanonicalHost(t *testing.T) {
	for in, want := range map[string]string{
		"misskey.example":             "https://misskey.example",
		"https://Misskey.Example/":    "https://misskey.example",
		"https://misskey.example:443": "https://misskey.example",
		"misskey.example:8443":        "https://misskey.example:8443",
		"http://127.0.0.1:3000":       "http://127.0.0.1:3000",
		"http://localhost:80":         "http://localhost",
		"http://[::1]:3000":           "http://[::1]:3000",
	} {
		got, err := CanonicalHost(in)
		if err != nil || got != want {
			t.Errorf("CanonicalHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "http://misskey.example", "ftp://misskey.example", "https://misskey.example/api", "https://u:p@misskey.example"} {
		if got, err := CanonicalHost(bad); err == nil {
			t.Errorf("CanonicalHost(%q) = %q, want an error", bad, got)
		}
	}
	if d := DisplayHost("https://misskey.example"); d != "misskey.example" {
		t.Errorf("DisplayHost https: %s", d)
	}
	if d := DisplayHost("http://127.0.0.1:3000"); d != "http://127.0.0.1:3000" {
		t.Errorf("DisplayHost http: %s", d)
	}
}
