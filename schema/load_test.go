package schema

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// mustLoad loads a fixture directory that must be valid.
func mustLoad(t *testing.T, dir string, opts LoadOptions) *Config {
	t.Helper()
	cfg, files, diags := Load(dir, opts)
	if files == nil {
		t.Error("Load returned no file map")
	}
	if len(diags) > 0 {
		for _, d := range diags {
			t.Log(diagString(d))
		}
		t.Fatalf("Load(%s) reported %d diagnostics", dir, len(diags))
	}
	return cfg
}

// attrs returns an account's profile values without their ranges.
func attrs(t *testing.T, a *Account) map[string]any {
	t.Helper()
	if a.Profile == nil {
		t.Fatalf("%s has no profile", a.Address())
	}
	out := map[string]any{}
	for k, v := range a.Profile.Attrs {
		out[k] = v.Value
	}
	return out
}

func assertAttrs(t *testing.T, a *Account, want map[string]any) {
	t.Helper()
	if got := attrs(t, a); !reflect.DeepEqual(got, want) {
		t.Errorf("%s profile:\n got  %#v\n want %#v", a.Address(), got, want)
	}
}

func TestLoadFull(t *testing.T) {
	cfg := mustLoad(t, "testdata/full", LoadOptions{})
	var addrs []string
	for _, a := range cfg.Accounts {
		addrs = append(addrs, a.Address())
	}
	wantAddrs := []string{"account.weather", `account.fleet["rain"]`, `account.fleet["snow"]`}
	if !reflect.DeepEqual(addrs, wantAddrs) {
		t.Fatalf("accounts %v, want %v", addrs, wantAddrs)
	}

	w := cfg.Accounts[0]
	if w.Host != "https://misskey.example" || w.Username != "weatherbot" {
		t.Errorf("weather: host %q username %q", w.Host, w.Username)
	}
	assertAttrs(t, w, map[string]any{
		"name":          "Weather Bot",
		"description":   "Forecasts.\n",
		"is_bot":        true,
		"lang":          "en-US",
		"fields":        []any{map[string]any{"name": "Source", "value": "https://git.example/weather"}},
		"also_known_as": []any{"@Someone@mastodon.example", "@local", "@old"},
		"location":      nil,
		"birthday":      nil,
	})
	if r := w.Profile.Attrs["is_bot"].Range; filepath.Base(r.Filename) != "main.mk.hcl" || r.Start.Line != 17 || r.Start.Column != 21 {
		t.Errorf("is_bot range %s, want main.mk.hcl:17,21", r)
	}
	if r := w.DeclRange; r.Start.Line != 11 || r.Start.Column != 1 {
		t.Errorf("weather DeclRange %s, want line 11", r)
	}
	if r := w.UsernameRange; r.Start.Line != 13 || r.Start.Column != 14 {
		t.Errorf("weather UsernameRange %s, want 13,14", r)
	}

	rain := cfg.Accounts[1]
	if rain.Key != "rain" || rain.Host != "http://127.0.0.1:3000" || rain.Username != "rainbot" {
		t.Errorf("fleet[rain]: key %q host %q username %q", rain.Key, rain.Host, rain.Username)
	}
	if got := rain.TokenEnvVar(); got != "MKCTL_TOKEN_FLEET_RAIN" {
		t.Errorf("TokenEnvVar %q", got)
	}
	assertAttrs(t, rain, map[string]any{"name": "Rain Bot", "description": "Forecasts for weather"})
	assertAttrs(t, cfg.Accounts[2], map[string]any{"name": "Snow Bot", "description": "Forecasts for weather"})
}

func TestForEachMapAndSet(t *testing.T) {
	cfg := mustLoad(t, "testdata/for_each_map", LoadOptions{})
	type inst struct{ addr, host, user, name string }
	var got []inst
	for _, a := range cfg.Accounts {
		name := ""
		if a.Profile != nil {
			name, _ = a.Profile.Attrs["name"].Value.(string)
		}
		got = append(got, inst{a.Address(), a.Host, a.Username, name})
	}
	want := []inst{
		// map keys sorted; optional(string, "Bot") filled in for snow
		{`account.bot["rain"]`, "http://localhost:3000", "rainbot", "Rain"},
		{`account.bot["snow"]`, "https://misskey.example", "snowbot", "Bot"},
		// set elements sorted and deduplicated
		{`account.fleet["hail"]`, "https://misskey.example", "fleet_hail", ""},
		{`account.fleet["rain"]`, "https://misskey.example", "fleet_rain", ""},
		{`account.fleet["snow"]`, "https://misskey.example", "fleet_snow", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("instances:\n got  %v\n want %v", got, want)
	}
}

func TestVariablePrecedence(t *testing.T) {
	files := []string{"testdata/variables/one.vars.hcl", "testdata/variables/two.vars.hcl"}
	tests := []struct {
		name string
		opts LoadOptions
		want map[string]any
	}{
		{
			name: "defaults",
			want: map[string]any{
				"name": "default", "description": "default|default|default", "location": "2",
				"followed_message": "plain", "fields": []any{},
			},
		},
		{
			name: "env beats default",
			opts: LoadOptions{Env: []string{"HOME=/root", "MKCTL_VAR_a=env", "MKCTL_VAR_n=41", "MKCTL_VAR_undeclared=ignored"}},
			want: map[string]any{
				"name": "env", "description": "default|default|default", "location": "42",
				"followed_message": "plain", "fields": []any{},
			},
		},
		{
			name: "var-files beat env, later files beat earlier ones",
			opts: LoadOptions{Env: []string{"MKCTL_VAR_a=env", "MKCTL_VAR_b=env", "MKCTL_VAR_c=env"}, VarFiles: files},
			want: map[string]any{
				"name": "env", "description": "file1|file2|file2", "location": "2",
				"followed_message": "plain", "fields": []any{},
			},
		},
		{
			name: "--var beats everything; non-string types are parsed, untyped values are literal",
			opts: LoadOptions{
				Env:      []string{"MKCTL_VAR_d=env", "MKCTL_VAR_tags=[\"ignored\"]"},
				VarFiles: files,
				Vars:     map[string]string{"d": "cli", "tags": `["x", "y"]`, "n": "9", "untyped": `["not", "parsed"]`},
			},
			want: map[string]any{
				"name": "default", "description": "file1|file2|cli", "location": "10",
				"followed_message": `["not", "parsed"]`,
				"fields": []any{
					map[string]any{"name": "x", "value": "7"},
					map[string]any{"name": "y", "value": "7"},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, "testdata/variables", tt.opts)
			assertAttrs(t, cfg.Accounts[0], tt.want)
		})
	}
}

func TestLocals(t *testing.T) {
	cfg := mustLoad(t, "testdata/locals", LoadOptions{})
	assertAttrs(t, cfg.Accounts[0], map[string]any{"name": "HELLO weather"})
	cfg = mustLoad(t, "testdata/locals", LoadOptions{Vars: map[string]string{"owner": "rain"}})
	assertAttrs(t, cfg.Accounts[0], map[string]any{"name": "HELLO rain"})
}

func TestFileFunctions(t *testing.T) {
	cfg := mustLoad(t, "testdata/files", LoadOptions{})
	assertAttrs(t, cfg.Accounts[0], map[string]any{
		"description":      "Forecasts, twice a day.\n",
		"followed_message": "Thanks for following Rain! #rain #snow\n",
		"location":         "both checks work",
	})
}

func TestNullVersusAbsent(t *testing.T) {
	cfg := mustLoad(t, "testdata/null_absent", LoadOptions{})
	// Written attributes are managed even when they clear the value; ""
	// becomes null because that is how Misskey stores an empty value.
	assertAttrs(t, cfg.Accounts[0], map[string]any{
		"name":          nil,
		"description":   nil,
		"lang":          nil,
		"birthday":      nil,
		"location":      "   ", // Misskey does not trim the location
		"fields":        []any{},
		"also_known_as": []any{},
	})
	// An empty profile block manages nothing; no block leaves Profile nil.
	assertAttrs(t, cfg.Accounts[1], map[string]any{})
	if cfg.Accounts[2].Profile != nil {
		t.Errorf("account without a profile block has Profile %+v", cfg.Accounts[2].Profile)
	}
}

func TestNormalisation(t *testing.T) {
	cfg := mustLoad(t, "testdata/normalise", LoadOptions{})
	n := cfg.Accounts[0]
	if n.Host != "https://misskey.example" || n.Username != "N_bot" {
		t.Errorf("host %q username %q", n.Host, n.Username)
	}
	assertAttrs(t, n, map[string]any{
		"name":        "Weather", // JavaScript trim: NBSP and BOM go too
		"description": "line\n",
		// 25 emoji are 25 code points, as Ajv counts: well within the limit.
		"location":      strings.Repeat("😀", 25),
		"fields":        []any{map[string]any{"name": "Web", "value": "https://x.example"}},
		"also_known_as": []any{"@Old", "@alpha@other.example", "@local", "@zed@other.example:8443"},
		"is_bot":        false,
		"lang":          nil,
		"chat_scope":    "mutual",
	})
	if h := cfg.Accounts[1].Host; h != "http://[::1]:3000" {
		t.Errorf("IPv6 loopback host %q", h)
	}
}

// TestLoaderFiles checks what the CLI needs to print snippets: every file
// a range can point into is in Files, including --var pseudo-files.
func TestLoaderFiles(t *testing.T) {
	l := NewLoader()
	_, diags := l.Load("testdata/diag/var_options", LoadOptions{
		Vars:     map[string]string{"count": "many"},
		VarFiles: []string{"testdata/variables/one.vars.hcl"},
	})
	if !diags.HasErrors() {
		t.Fatal("want an error for count = many")
	}
	files := l.Files()
	for _, name := range []string{
		filepath.Join("testdata", "diag", "var_options", "main.mk.hcl"),
		"testdata/variables/one.vars.hcl",
		"<value for var.count from --var>",
	} {
		if files[name] == nil {
			t.Errorf("Files() lacks %q", name)
		}
	}
	if l.Parser().Files()[filepath.Join("testdata", "diag", "var_options", "main.mk.hcl")] == nil {
		t.Error("Parser() does not hold the config file")
	}
	var buf bytes.Buffer
	wr := hcl.NewDiagnosticTextWriter(&buf, files, 78, false)
	if err := wr.WriteDiagnostics(diags); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Error: Invalid value for variable", "on <value for var.count from --var> line 1:", "1: many"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered diagnostics lack %q:\n%s", want, out)
		}
	}
}

func TestFunctionNames(t *testing.T) {
	names := FunctionNames()
	for _, want := range strings.Fields(`upper lower title trimspace join split format formatlist replace concat
		length contains keys values lookup merge toset tolist tomap jsonencode jsondecode coalesce min max range
		element flatten distinct sort chomp substr regex regexall indent file templatefile`) {
		if _, ok := functions(".")[want]; !ok {
			t.Errorf("function %s is missing", want)
		}
	}
	for _, n := range names {
		if n == "timestamp" || n == "uuid" {
			t.Errorf("%s makes plans differ from run to run and must not be offered", n)
		}
	}
}
