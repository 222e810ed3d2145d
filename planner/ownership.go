package planner

// OwnershipScope and OwnershipKey locate the ownership record in the
// account registry (i/registry/*). The registry is private to each token.
var OwnershipScope = []string{"mkctl"}

// OwnershipKey is the registry key of the record of one configured account
// (its config address): two configurations that manage the same account
// with the same token each keep their own record, so neither deletes what
// the other created.
func OwnershipKey(address string) string { return "ownership:" + address }

// OwnershipVersion is the record's format version: 1 was one registry
// value holding everything, 2 a manifest and chunks (the provider's
// ownership_store.go), which an mkctl that knows only 1 refuses to read
// rather than take for an empty record.
const OwnershipVersion = 2

// Ownership records every object mkctl created or adopted on an account, so
// that an object removed from the configuration is deleted only when mkctl
// can prove it owns it. Kept small: the provider rewrites it after every
// pinned-note step and in batches for the other kinds.
type Ownership struct {
	Version int `json:"v"`
	// Account is the config address the record belongs to.
	Account string `json:"account"`
	// Objects is keyed by the object's address relative to the account,
	// e.g. pinned_note.welcome, follow["@a@b.example"], drive_folder["assets/icons"].
	Objects map[string]Owned `json:"objects"`
	// Intents are creations started but not confirmed (a notes/create
	// whose reply may have been lost): the next run looks for the object
	// before creating it again.
	Intents map[string]Intent `json:"intents,omitempty"`

	// Calls are the times (Unix milliseconds) of the rate-limited calls
	// recent applies made, by endpoint, rejected ones included: Misskey's
	// limiter counts both. The wait estimate starts from them.
	Calls map[string][]int64 `json:"-"`
	// Limited is, by endpoint, until when (Unix milliseconds) a 429 said
	// the endpoint's window is full: it also covers calls other clients
	// made, which Calls cannot know.
	Limited map[string]int64 `json:"-"`
	// ReadAt is when the record was read (Unix milliseconds, the reader's
	// clock): the "now" of the wait estimate.
	ReadAt int64 `json:"-"`
	// Store is the provider's bookkeeping of how the record is laid out in
	// the registry (which chunk holds which object), carried from the read
	// to the writes of the apply. The planner never looks at it.
	Store any `json:"-"`
}

// Owned is one object in the ownership record.
type Owned struct {
	Key string `json:"-"` // the map key, filled in when listed
	ID  string `json:"id"`
	// Applied holds values last applied that the server cannot give back
	// in a comparable form (for a pinned note, its content).
	Applied map[string]any `json:"applied,omitempty"`
}

// Intent is a creation in flight.
type Intent struct {
	// At is when the creation started, in Unix milliseconds: the object,
	// if it was created, is newer than that.
	At int64 `json:"at"`
	// Match is what identifies the object (for a note, its text and cw).
	Match map[string]any `json:"match"`
}

// NewOwnership starts an empty record for an account.
func NewOwnership(account string) *Ownership {
	return &Ownership{Version: OwnershipVersion, Account: account, Objects: map[string]Owned{}}
}

// Owns reports whether the record holds the object with that key and id.
func (o *Ownership) Owns(key, id string) bool {
	if o == nil {
		return false
	}
	obj, ok := o.Objects[key]
	return ok && (id == "" || obj.ID == id)
}

// OwnsID reports whether any recorded object has that Misskey id.
func (o *Ownership) OwnsID(id string) bool {
	if o == nil {
		return false
	}
	for _, obj := range o.Objects {
		if obj.ID == id {
			return true
		}
	}
	return false
}
