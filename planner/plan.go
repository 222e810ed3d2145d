// Package planner compares the desired state (schema) with the live state read
// from Misskey (Live) and produces a Plan. It does no I/O: a Plan is pure data
// that can be rendered, saved as JSON, and executed by the provider.
package planner

// FormatVersion is the version of the JSON plan format. Bump the major part
// on incompatible changes.
const FormatVersion = "1.0"

// Action is what applying a Change does to one object.
type Action string

const (
	ActionNoop    Action = "no-op"
	ActionCreate  Action = "create"
	ActionUpdate  Action = "update"
	ActionDelete  Action = "delete"
	ActionReplace Action = "replace" // delete and create: the object cannot be changed in place
)

// Symbol is the one-character marker used in the human plan.
func (a Action) Symbol() string {
	switch a {
	case ActionCreate:
		return "+"
	case ActionUpdate:
		return "~"
	case ActionDelete:
		return "-"
	case ActionReplace:
		return "-/+"
	}
	return " "
}

// Plan is every change needed to make the accounts match the configuration.
type Plan struct {
	FormatVersion string         `json:"format_version"`
	Accounts      []*AccountPlan `json:"accounts"`
}

// AccountPlan is the part of a plan that concerns one account.
type AccountPlan struct {
	Address  string    `json:"address"`  // account.weather
	Host     string    `json:"host"`     // https://misskey.example
	Username string    `json:"username"` // weatherbot
	UserID   string    `json:"user_id,omitempty"`
	Changes  []*Change `json:"resource_changes"`
}

// Change is what happens to one managed object of an account.
type Change struct {
	Address string       `json:"address"` // account.weather.profile
	Type    string       `json:"type"`    // "profile"
	Action  Action       `json:"action"`
	Reason  string       `json:"reason,omitempty"` // why a replace or a refusal
	Attrs   []AttrChange `json:"attributes,omitempty"`
}

// AttrChange is one attribute whose value differs. Names are the HCL
// attribute names; values are JSON values (nil, string, bool, float64,
// []any, map[string]any).
type AttrChange struct {
	Name   string `json:"name"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// Live is the state of one account as read from Misskey.
type Live struct {
	UserID   string
	Username string
	// Profile is the `i` response keyed by Misskey's (camelCase) field
	// names, with alsoKnownAs translated from user ids to acct strings
	// ("@user@host", sorted) so that it compares with the configuration.
	Profile map[string]any
	// Policies is `i` → policies: this user's effective role policies.
	Policies map[string]any
}
