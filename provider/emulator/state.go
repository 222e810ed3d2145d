package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// stateVersion is the version of the saved JSON. Bump it on incompatible
// changes; Load refuses other versions rather than guess.
const stateVersion = 1

// state is everything the emulated server stores: what Save writes and Load
// reads. Endpoints added later put their tables here.
type state struct {
	Version      int             `json:"version"`
	IDs          idGen           `json:"ids"`
	Users        []*User         `json:"users"`
	AccessTokens []*AccessToken  `json:"accessTokens"`
	Registry     []*RegistryItem `json:"registry"`

	// Notes, pins, follows, drive, antennas and lists: one slice per
	// table, rows in insertion order (ids grow with time, so this is also
	// id order, except that antennas move to the end when updated — see
	// ep_antennas_update.go).
	Notes          []*Note          `json:"notes"`
	Pins           []*NotePin       `json:"pins"`
	Followings     []*Following     `json:"followings"`
	FollowRequests []*FollowRequest `json:"followRequests"`
	DriveFolders   []*DriveFolder   `json:"driveFolders"`
	DriveFiles     []*DriveFile     `json:"driveFiles"`
	Antennas       []*Antenna       `json:"antennas"`
	UserLists      []*UserList      `json:"userLists"`
	Webhooks       []*Webhook       `json:"webhooks,omitempty"`
	// Blocks, mutes and renote mutes (blocking.go).
	Blockings     []*Blocking     `json:"blockings,omitempty"`
	Mutings       []*Muting       `json:"mutings,omitempty"`
	RenoteMutings []*RenoteMuting `json:"renoteMutings,omitempty"`
	// Clips and the notes in them (ep_clips.go).
	Clips     []*Clip     `json:"clips,omitempty"`
	ClipNotes []*ClipNote `json:"clipNotes,omitempty"`
	// Drafts are note drafts, scheduled or not (ep_notes_drafts.go).
	Drafts []*NoteDraft `json:"drafts,omitempty"`

	// RateLimits are the sliding-window logs, keyed "<actor>:<endpoint>",
	// in Unix microseconds; saved so that a sandbox keeps its windows
	// between runs, like Redis would.
	RateLimits map[string][]int64 `json:"rateLimits"`

	// follows indexes Followings by follower and followee, so that the
	// relation fields of a page of 100 users stay cheap with thousands of
	// follows. It is derived, never saved, and rebuilt when nil.
	follows   map[relKey]*Following
	usersByID map[string]*User
}

func newState() *state {
	return &state{Version: stateVersion, IDs: newIDGen(), RateLimits: map[string][]int64{}}
}

// user finds a user by id through an index: relation and list code looks
// users up once per row, and benchmarks seed thousands. Users are never
// removed, so an index as long as the table is current.
func (s *state) user(id string) *User {
	if len(s.usersByID) != len(s.Users) {
		s.usersByID = make(map[string]*User, len(s.Users))
		for _, u := range s.Users {
			s.usersByID[u.ID] = u
		}
	}
	return s.usersByID[id]
}

// localUser finds a local user by username, without case (usernameLower).
func (s *state) localUser(username string) *User {
	for _, u := range s.Users {
		if u.IsLocal() && strings.EqualFold(u.Username, username) {
			return u
		}
	}
	return nil
}

func (s *state) remoteUser(username, host string) *User {
	for _, u := range s.Users {
		if !u.IsLocal() && strings.EqualFold(*u.Host, host) && strings.EqualFold(u.Username, username) {
			return u
		}
	}
	return nil
}

// Save writes the whole state as JSON. The request log and the recorded
// violations are not state of the server and are not saved. The output
// contains the tokens of the emulated accounts: keep it private.
func (e *Emulator) Save(w io.Writer) error {
	e.mu.Lock()
	data, err := json.MarshalIndent(e.st, "", " ")
	e.mu.Unlock()
	if err != nil {
		return fmt.Errorf("emulator: encoding the state: %w", err)
	}
	if _, err := w.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("emulator: writing the state: %w", err)
	}
	return nil
}

// Load makes an emulator with default Options from a state Save wrote.
func Load(r io.Reader) (*Emulator, error) {
	e := New(Options{})
	if err := e.LoadFrom(r); err != nil {
		return nil, err
	}
	return e, nil
}

// LoadFrom replaces the emulator's state with one Save wrote, keeping its
// Options (clock, rate limits, URL).
func (e *Emulator) LoadFrom(r io.Reader) error {
	var st state
	dec := json.NewDecoder(r)
	if err := dec.Decode(&st); err != nil {
		return fmt.Errorf("emulator: reading the state: %w", err)
	}
	// Decode stops after the first value: anything but white space after
	// it (a second document, a merge leftover, a stray bracket) means the
	// file is not what Save wrote, and dropping it silently would lose
	// whatever the user meant by it.
	if tok, err := dec.Token(); err != io.EOF {
		what := fmt.Sprintf("%v", tok)
		if err != nil {
			what = err.Error()
		}
		return fmt.Errorf("emulator: reading the state: unexpected data after the state's JSON at byte %d (%s)", dec.InputOffset(), what)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("emulator: state version %d, this build reads version %d", st.Version, stateVersion)
	}
	if st.IDs.Node == "" {
		st.IDs = newIDGen()
	}
	if st.RateLimits == nil {
		st.RateLimits = map[string][]int64{}
	}
	if err := st.check(); err != nil {
		return fmt.Errorf("emulator: reading the state: %w", err)
	}
	e.mu.Lock()
	e.st = &st
	e.mu.Unlock()
	return nil
}

// cloneJSON deep-copies a value made of JSON types (maps, slices, scalars).
func cloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if x == nil {
			return map[string]any(nil)
		}
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneJSON(e)
		}
		return m
	case []any:
		if x == nil {
			return []any(nil)
		}
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = cloneJSON(e)
		}
		return a
	}
	return v
}

// owned is a user's rows of a table in table order, owner naming the
// column that makes a row the user's (the blocker, the muter, the clip's
// user…): what each list endpoint pages through.
func owned[T any](rows []*T, owner func(*T) string, userID string) []*T {
	var out []*T
	for _, r := range rows {
		if owner(r) == userID {
			out = append(out, r)
		}
	}
	return out
}

// countOwned counts a user's rows of a table: what each create compares
// with its role policy limit (antennaLimit, clipLimit, …) before adding one.
func countOwned[T any](rows []*T, owner func(*T) string, userID string) int {
	n := 0
	for _, r := range rows {
		if owner(r) == userID {
			n++
		}
	}
	return n
}
