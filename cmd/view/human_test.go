package view

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

func samplePlan() *planner.Plan {
	return planner.New(&planner.AccountPlan{
		Address: "account.weather", Host: "https://misskey.example", Username: "weatherbot",
		Changes: []*planner.Change{{
			Address: "account.weather.profile", Type: "profile", Action: planner.ActionUpdate,
			Attrs: []planner.AttrChange{
				{Name: "name", Before: "Old", After: "New"},
				{Name: "description", Before: "line one\nold line", After: "line one\nnew line"},
				{Name: "location", Before: nil, After: "Tokyo"},
				{Name: "birthday", Before: "2000-01-01", After: nil},
				{Name: "fields", Before: []any{}, After: []any{map[string]any{"name": "Src", "value": "x"}}},
			},
		}},
	})
}

func TestHumanPlan(t *testing.T) {
	var buf bytes.Buffer
	HumanPlan(&buf, samplePlan(), Colors{})
	want := `mkctl will perform the following actions:

  # account.weather.profile will be updated in-place
  ~ profile {
      ~ name        = "Old" -> "New"
      ~ description = <<-EOT
            line one
          - old line
          + new line
          EOT
      + location    = "Tokyo"
      - birthday    = "2000-01-01" -> null
      ~ fields      = [
          + { name = "Src", value = "x" },
          ]
    }

Plan: 0 to add, 1 to change, 0 to destroy.
`
	if got := buf.String(); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestHumanPlanNoChanges(t *testing.T) {
	var buf bytes.Buffer
	HumanPlan(&buf, planner.New(&planner.AccountPlan{Address: "account.x"}), Colors{})
	if got := buf.String(); got != "No changes. The account matches the configuration.\n" {
		t.Fatalf("got %q", got)
	}
}

func TestColorsOnlyWhenEnabled(t *testing.T) {
	var plain, colored bytes.Buffer
	HumanPlan(&plain, samplePlan(), Colors{})
	HumanPlan(&colored, samplePlan(), Colors{Enabled: true})
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain output has escape codes")
	}
	if !strings.Contains(colored.String(), "\x1b[33m~\x1b[0m") {
		t.Error("coloured output lacks a yellow ~")
	}
}

func TestJSONPlan(t *testing.T) {
	var buf bytes.Buffer
	if err := JSONPlan(&buf, samplePlan(), "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var got struct {
		FormatVersion string          `json:"format_version"`
		MkctlVersion  string          `json:"mkctl_version"`
		Changes       bool            `json:"changes"`
		Summary       planner.Summary `json:"summary"`
		Accounts      []struct {
			Address         string `json:"address"`
			ResourceChanges []struct {
				Address    string `json:"address"`
				Action     string `json:"action"`
				Attributes []struct {
					Name   string `json:"name"`
					Before any    `json:"before"`
					After  any    `json:"after"`
				} `json:"attributes"`
			} `json:"resource_changes"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.FormatVersion != planner.FormatVersion || got.MkctlVersion != "1.2.3" || !got.Changes || got.Summary.Change != 1 {
		t.Fatalf("header = %+v", got)
	}
	rc := got.Accounts[0].ResourceChanges[0]
	if rc.Address != "account.weather.profile" || rc.Action != "update" || len(rc.Attributes) != 5 {
		t.Fatalf("change = %+v", rc)
	}
	if rc.Attributes[3].Name != "birthday" || rc.Attributes[3].After != nil {
		t.Fatalf("cleared attribute = %+v", rc.Attributes[3])
	}
}

func TestLineDiff(t *testing.T) {
	ops := lineDiff([]string{"a", "b", "c"}, []string{"a", "x", "c", "d"})
	var b strings.Builder
	for _, op := range ops {
		b.WriteByte(op.Kind)
		b.WriteString(op.Text)
		b.WriteByte(' ')
	}
	if got := b.String(); got != " a -b +x  c +d " {
		t.Fatalf("got %q", got)
	}
}
