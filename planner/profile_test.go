package planner

import (
	"reflect"
	"testing"

	"github.com/mkctl/mkctl/schema"
)

func account(attrs map[string]any) *schema.Account {
	p := &schema.Profile{Attrs: map[string]schema.ProfileValue{}}
	for k, v := range attrs {
		p.Attrs[k] = schema.ProfileValue{Value: v}
	}
	return &schema.Account{Label: "weather", Host: "https://Misskey.example", Username: "weatherbot", Profile: p}
}

func live(profile map[string]any) *Live {
	return &Live{UserID: "u1", Username: "weatherbot", Profile: profile}
}

func TestPlanAccountProfile(t *testing.T) {
	tests := []struct {
		name    string
		desired map[string]any
		live    map[string]any
		want    []AttrChange
	}{
		{
			name:    "equal values need no change",
			desired: map[string]any{"name": "Weather", "is_bot": true, "lang": nil},
			live:    map[string]any{"name": "Weather", "isBot": true, "lang": nil},
		},
		{
			name:    "unmanaged attributes are ignored",
			desired: map[string]any{"name": "Weather"},
			live:    map[string]any{"name": "Weather", "description": "anything", "isCat": true},
		},
		{
			name:    "changed scalar and cleared string",
			desired: map[string]any{"name": "New", "location": nil},
			live:    map[string]any{"name": "Old", "location": "Tokyo"},
			want: []AttrChange{
				{Name: "name", Before: "Old", After: "New"},
				{Name: "location", Before: "Tokyo", After: nil},
			},
		},
		{
			name:    "empty fields equal live []",
			desired: map[string]any{"fields": []any{}},
			live:    map[string]any{"fields": []any{}},
		},
		{
			name:    "fields compare by name and value only",
			desired: map[string]any{"fields": []any{map[string]any{"name": "a", "value": "b"}}},
			live:    map[string]any{"fields": []any{map[string]any{"name": "a", "value": "b", "verified": true}}},
		},
		{
			name:    "fields order matters",
			desired: map[string]any{"fields": []any{map[string]any{"name": "a", "value": "1"}, map[string]any{"name": "b", "value": "2"}}},
			live:    map[string]any{"fields": []any{map[string]any{"name": "b", "value": "2"}, map[string]any{"name": "a", "value": "1"}}},
			want: []AttrChange{{Name: "fields",
				Before: []any{map[string]any{"name": "b", "value": "2"}, map[string]any{"name": "a", "value": "1"}},
				After:  []any{map[string]any{"name": "a", "value": "1"}, map[string]any{"name": "b", "value": "2"}}}},
		},
		{
			name:    "also_known_as null live equals empty list",
			desired: map[string]any{"also_known_as": []any{}},
			live:    map[string]any{"alsoKnownAs": nil},
		},
		{
			name:    "also_known_as local acct without host matches",
			desired: map[string]any{"also_known_as": []any{"@old"}},
			live:    map[string]any{"alsoKnownAs": []any{"@old@misskey.example"}},
		},
		{
			name:    "also_known_as differs",
			desired: map[string]any{"also_known_as": []any{"@new@other.example"}},
			live:    map[string]any{"alsoKnownAs": []any{"@old@misskey.example"}},
			want:    []AttrChange{{Name: "also_known_as", Before: []any{"@old@misskey.example"}, After: []any{"@new@other.example"}}},
		},
		{
			name:    "absent live field uses its default",
			desired: map[string]any{"require_signin_to_view_contents": false},
			live:    map[string]any{},
		},
		{
			name:    "absent live field with default differs",
			desired: map[string]any{"require_signin_to_view_contents": true},
			live:    map[string]any{},
			want:    []AttrChange{{Name: "require_signin_to_view_contents", Before: false, After: true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ap, _ := PlanAccount(account(tt.desired), live(tt.live))
			if len(tt.want) == 0 {
				if len(ap.Changes) != 0 {
					t.Fatalf("want no changes, got %+v", ap.Changes[0])
				}
				return
			}
			if len(ap.Changes) != 1 {
				t.Fatalf("want 1 change, got %d", len(ap.Changes))
			}
			c := ap.Changes[0]
			if c.Address != "account.weather.profile" || c.Action != ActionUpdate || c.Type != "profile" {
				t.Errorf("change = %s %s %s", c.Address, c.Action, c.Type)
			}
			if !reflect.DeepEqual(c.Attrs, tt.want) {
				t.Errorf("attrs:\n got %#v\nwant %#v", c.Attrs, tt.want)
			}
		})
	}
}

func TestNoProfileBlockManagesNothing(t *testing.T) {
	acct := &schema.Account{Label: "x", Host: "https://h", Username: "u"}
	ap, _ := PlanAccount(acct, live(map[string]any{"name": "anything"}))
	if len(ap.Changes) != 0 {
		t.Fatalf("got %d changes", len(ap.Changes))
	}
}

func TestSummary(t *testing.T) {
	p := New(&AccountPlan{Changes: []*Change{
		{Action: ActionCreate}, {Action: ActionUpdate}, {Action: ActionReplace}, {Action: ActionDelete},
	}})
	got := p.Summary()
	if got != (Summary{Add: 2, Change: 1, Destroy: 2}) {
		t.Fatalf("summary = %+v", got)
	}
	if !p.HasChanges() || New().HasChanges() {
		t.Fatal("HasChanges wrong")
	}
}
