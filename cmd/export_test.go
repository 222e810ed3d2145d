package cmd

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/internal/credentials"
)

// exportOpts is export's options with env as the environment.
func exportOpts(env map[string]string, label string) *exportOptions {
	g := &globalOptions{IO: &IOStreams{}, Getenv: func(k string) string { return env[k] }}
	return &exportOptions{globalOptions: g, Label: label}
}

// Export finds its token by token.go's rules; without --username it takes
// the one credential stored for the host, and with several it asks.
func TestExportToken(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"XDG_CONFIG_HOME": dir}
	store := &credentials.Store{Path: filepath.Join(dir, "mkctl", credentials.FileName)}
	if _, err := store.Put(credentials.Credential{Host: "https://a.example", Username: "News", Token: "stored-news"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Put(credentials.Credential{Host: "https://b.example", Username: "other", Token: "stored-other"}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, username, label string
		env                   map[string]string
		want, wantErr         string
	}{
		{name: "stored, by username", username: "news", want: "stored-news"},
		{name: "stored, the only one of the host", want: "stored-news"},
		{name: "MKCTL_TOKEN wins", env: map[string]string{"MKCTL_TOKEN": "shared"}, want: "shared"},
		{name: "the label's variable wins", username: "news", label: "bot", env: map[string]string{"MKCTL_TOKEN": "shared", "MKCTL_TOKEN_BOT": "own"}, want: "own"},
		{name: "the default label is the username's", username: "News", env: map[string]string{"MKCTL_TOKEN_NEWS": "own"}, want: "own"},
		{name: "no credential for that user", username: "weather", wantErr: "no token for account.weather (@weather on https://a.example): set MKCTL_TOKEN or MKCTL_TOKEN_WEATHER, or run `mkctl login --host a.example`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := map[string]string{"XDG_CONFIG_HOME": dir}
			for k, v := range tc.env {
				e[k] = v
			}
			got, err := exportOpts(e, tc.label).exportToken("https://a.example", tc.username)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("token %q, %v; want %q", got, err, tc.want)
			}
		})
	}

	// No credential for the host: the login command to run.
	_, err := exportOpts(env, "").exportToken("https://c.example", "")
	if err == nil || err.Error() != "no token for c.example: set MKCTL_TOKEN, or run `mkctl login --host c.example`" {
		t.Errorf("err = %v", err)
	}
	// Two for the host: choose with --username.
	if _, err := store.Put(credentials.Credential{Host: "https://a.example", Username: "weather", Token: "stored-weather"}); err != nil {
		t.Fatal(err)
	}
	_, err = exportOpts(env, "").exportToken("https://a.example", "")
	if err == nil || !strings.Contains(err.Error(), "tokens of @News, @weather are stored for a.example: choose the account with --username") {
		t.Errorf("err = %v", err)
	}
	if strings.Contains(err.Error(), "stored-") {
		t.Error("a token in an error")
	}
}
