// Package planner compares the desired state (schema) with the live state read
// from Misskey (Live) and produces a Plan. It does no I/O: a Plan is pure data
// that can be rendered, saved as JSON, and executed by the provider.
package planner

import "github.com/mkctl/mkctl/schema"

// FormatVersion is the version of the JSON plan format. Bump the major part
// on incompatible changes, the minor part when fields are added: 1.1 added
// `partial` (targeting), `sensitive` on attributes, drive files, profile
// images, `followup` changes and the kinds of issue 13.
const FormatVersion = "1.1"

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
	// Partial is set when --target or --exclude limited the plan (see
	// target.go): other changes may be pending.
	Partial *Partial `json:"partial,omitempty"`
	// Sensitive is the configuration's sensitive values (see
	// MarkSensitive); nil for a plan read from a file.
	Sensitive *schema.Sensitive `json:"-"`
}

// AccountPlan is the part of a plan that concerns one account.
type AccountPlan struct {
	Address  string `json:"address"`  // account.weather
	Host     string `json:"host"`     // https://misskey.example
	Username string `json:"username"` // weatherbot
	UserID   string `json:"user_id,omitempty"`
	// Changes are in execution order: the provider applies them one after
	// the other (lists before antennas, parents before children, creates
	// before pins, deletes last).
	Changes []*Change `json:"resource_changes"`
	// Adopt lists existing objects that match a declaration by natural key
	// but are not yet in the ownership record: apply records them (one
	// registry write) without changing them on the server.
	Adopt []Owned `json:"adopt,omitempty"`
	// Forget lists ownership-record keys whose objects no longer exist
	// (deleted by hand, or deleted by an apply that died before it could
	// record it): apply drops them, so mkctl never later claims an object
	// that merely looks the same, such as a follow the user made again by
	// hand.
	Forget []string `json:"forget,omitempty"`
	// Notes are facts the user should see with the plan: unmanaged
	// objects left alone, pending follow requests, folders that keep their
	// files, how long rate limits will make the apply take.
	Notes []string `json:"notes,omitempty"`
	// Ownership is the record read from the registry (nil when there is
	// none); apply updates it as changes complete.
	Ownership *Ownership `json:"-"`
}

// Change is what happens to one managed object of an account.
type Change struct {
	Address string       `json:"address"` // account.weather.profile, account.weather.follow["@a@b.example"]
	Type    string       `json:"type"`    // "profile", "pinned_note", "follow", "drive_folder", "antenna", "user_list"
	Action  Action       `json:"action"`
	Reason  string       `json:"reason,omitempty"` // why a replace or a re-pin
	Attrs   []AttrChange `json:"attributes,omitempty"`

	// Key is the object's key in the ownership record: the address
	// relative to the account, e.g. follow["@a@b.example"].
	Key string `json:"key,omitempty"`
	// ID is the Misskey id of the existing object (update, delete,
	// replace); for a follow, the followee's user id.
	ID string `json:"id,omitempty"`
	// After is the desired object in Misskey's parameter names, ready to
	// send (create, update, replace). For an update it holds only what
	// changes, plus what the endpoint needs to find the object.
	After map[string]any `json:"after,omitempty"`
	// Refs name other objects of the plan whose ids are known only at apply
	// time: "parent" → a folder Key, "userList" → a user list Key.
	Refs map[string]string `json:"refs,omitempty"`
	// Pending marks a follow that is a follow request not yet accepted:
	// deleting it cancels the request.
	Pending bool `json:"pending,omitempty"`
	// Applied is what to record in the ownership record once the change is
	// done (content of a pinned note, and so on).
	Applied map[string]any `json:"-"`
	// Followup marks the second half of a replace shown earlier in the
	// plan (the deletion of a replaced file, at the end of the apply once
	// nothing uses it): applied, but not counted again in the summary.
	Followup bool `json:"followup,omitempty"`
	// Sensitive lists the keys of After (and of Applied) that hold a
	// sensitive value (see MarkSensitive): kept for apply, shown and saved
	// as (sensitive).
	Sensitive []string `json:"sensitive,omitempty"`
}

// AttrChange is one attribute whose value differs. Names are the HCL
// attribute names; values are JSON values (nil, string, bool, float64,
// []any, map[string]any).
type AttrChange struct {
	Name   string `json:"name"`
	Before any    `json:"before"`
	After  any    `json:"after"`
	// Sensitive: the value is sensitive; Before and After hold
	// (sensitive) in place of a value (nil stays nil).
	Sensitive bool `json:"sensitive,omitempty"`
}
