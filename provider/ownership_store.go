package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
)

// How the ownership record is stored (format version 2).
//
// Misskey refuses a request body over 1 MiB (API-NOTES §0) and
// i/registry/set replaces a whole value, so one value holding every object
// stopped fitting at about 20,000 follows, and the 413 left no record at
// all. The record is therefore split:
//
//   - The manifest, at the record's key (ownership:<address>), holds the
//     pinned notes and intents (written at every pinned-note step, so they
//     must change in one write), every kind that is still small, the recent
//     rate-limited calls, and for each large kind the names of its chunks.
//   - A kind with more than inlineMaxEntries entries lives in chunks under
//     ownership:<address>:<kind>:<name>, each at most about chunkTarget
//     bytes of compact entries ("@alice@host": "id"). An object keeps its
//     chunk while it lives; new objects go to the last chunk, so an apply
//     that makes 25 follows rewrites one chunk, not all of them.
//
// Crash safety: a chunk is never rewritten in place. A changed chunk gets a
// new name (the manifest's next generation), the manifest is switched to
// the new names in one write, and only then are the superseded chunks
// removed. A reader that read a manifest therefore finds exactly the
// chunks it names, or — when a writer removed one in between — a missing
// key, and reads again. A writer killed after the switch leaves the
// superseded names in the manifest's "old" list; the next write removes
// them. A record in the old one-value format (version 1) is read as it is
// and replaced by the manifest on the next write: the old value is gone
// only when the new one is complete.
// chunkTarget and inlineMaxEntries are variables only so that a test can
// make every write chunked.
var (
	// chunkTarget bounds a chunk's entries, far below the 1 MiB body so
	// that a chunk never gets near it, and small enough that rewriting the
	// last chunk after every batch of changes stays cheap.
	chunkTarget = 64 << 10
	// inlineMaxEntries: a kind with at most this many entries stays in the
	// manifest (one write per save, one read per plan, as before the
	// split); the bound keeps the manifest small (about 12 KiB per kind).
	inlineMaxEntries = 256
)

const (
	// manifestMax is the largest manifest mkctl writes: pinned notes
	// (bounded by pinLimit) and four small kinds stay far below it.
	manifestMax = 768 << 10
	// readRetries bounds how often a read starts again because a writer
	// removed a chunk between the manifest and the chunk being read.
	readRetries = 3
)

// manifest is the value at the record's key.
type manifest struct {
	Version int    `json:"v"`
	Account string `json:"account"`
	Gen     int64  `json:"gen"`
	// Objects are the entries stored in the manifest itself (pinned notes,
	// small kinds, anything that does not fit the compact form).
	Objects map[string]planner.Owned  `json:"objects,omitempty"`
	Intents map[string]planner.Intent `json:"intents,omitempty"`
	// Chunks lists each chunked kind's chunks in order.
	Chunks map[string][]chunkRef `json:"chunks,omitempty"`
	// Calls are the rate-limited calls of recent applies (see
	// planner.Ownership.Calls).
	Calls map[string][]int64 `json:"calls,omitempty"`
	// Limited is planner.Ownership.Limited.
	Limited map[string]int64 `json:"limited,omitempty"`
	// Old are superseded chunks that may still exist: the next write
	// removes them.
	Old []string `json:"old,omitempty"`
}

// chunkRef names one chunk and says how many entries it holds, so that a
// chunk that does not match its manifest is noticed.
type chunkRef struct {
	Name string `json:"k"`
	N    int    `json:"n"`
}

// chunkValue is the value of one chunk key.
type chunkValue struct {
	Account string            `json:"account"`
	Kind    string            `json:"kind"`
	Entries map[string]string `json:"e"`
}

// kindForm turns the record keys of one kind into the short names a chunk
// stores and back: follow["@a@b.example"] is "@a@b.example" in a follow
// chunk.
type kindForm struct {
	kind, prefix string
	quoted       bool // the name is a Go-quoted string followed by "]"
}

var kindForms = []kindForm{
	{"follow", `follow[`, true},
	{"drive_folder", `drive_folder[`, true},
	{"drive_file", `drive_file[`, true},
	{"antenna", "antenna.", false},
	{"user_list", "user_list.", false},
}

// compactName finds the kind and short name of a record key. ok is false
// for keys that have no compact form (pinned notes, anything unusual):
// they stay in the manifest.
func compactName(key string) (kind, name string, ok bool) {
	for _, f := range kindForms {
		rest, found := strings.CutPrefix(key, f.prefix)
		if !found {
			continue
		}
		if !f.quoted {
			return f.kind, rest, rest != ""
		}
		q, found := strings.CutSuffix(rest, "]")
		if !found {
			return "", "", false
		}
		s, err := strconv.Unquote(q)
		if err != nil || strconv.Quote(s) != q {
			return "", "", false // would not come back as the same key
		}
		return f.kind, s, true
	}
	return "", "", false
}

func fullKey(kind, name string) string {
	for _, f := range kindForms {
		if f.kind == kind {
			if f.quoted {
				return f.prefix + strconv.Quote(name) + "]"
			}
			return f.prefix + name
		}
	}
	return ""
}

func chunkKey(address, kind, name string) string {
	return planner.OwnershipKey(address) + ":" + kind + ":" + name
}

// entrySize is what an entry adds to a chunk's JSON, near enough.
func entrySize(name, id string) int { return len(name) + len(id) + 6 }

// chunk is one stored chunk of a kind.
type chunk struct {
	kind  string
	name  string                // "" until first written
	keys  map[string]chunkEntry // by record key
	size  int
	dirty bool
	sum   uint64 // of the bytes last written or read
}

// chunkEntry is one object of a chunk: its name there and its id.
type chunkEntry struct{ name, id string }

func sum(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

// recordStore is how a record is laid out in the registry, kept with the
// record (planner.Ownership.Store) from the read to the last write.
type recordStore struct {
	address string
	gen     int64
	chunks  map[string][]*chunk // by kind, in order
	where   map[string]*chunk   // record key → its chunk
	// inline are the keys the manifest holds itself.
	inline map[string]struct{}
	// touched are keys changed since the last write.
	touched map[string]struct{}
	// all: every key must be placed again (a fresh or version 1 record).
	all bool
	// manifest is the manifest last written or read, so an unchanged one
	// is not sent again.
	manifest []byte
	old      []string
}

func newRecordStore(address string) *recordStore {
	return &recordStore{address: address, chunks: map[string][]*chunk{}, where: map[string]*chunk{}, inline: map[string]struct{}{}, touched: map[string]struct{}{}, all: true}
}

// storeOf returns the record's store, making one for a record that has
// none (new, or built by a test).
func storeOf(rec *planner.Ownership) *recordStore {
	if s, ok := rec.Store.(*recordStore); ok && s != nil {
		return s
	}
	s := newRecordStore(rec.Account)
	rec.Store = s
	return s
}

func (s *recordStore) touch(key string) { s.touched[key] = struct{}{} }

// clone copies the store deeply enough that the copy's writes leave the
// original alone.
func (s *recordStore) clone() *recordStore {
	cp := &recordStore{address: s.address, gen: s.gen, chunks: map[string][]*chunk{}, where: make(map[string]*chunk, len(s.where)),
		inline: maps.Clone(s.inline), touched: maps.Clone(s.touched), all: s.all, manifest: s.manifest, old: slices.Clone(s.old)}
	for kind, cs := range s.chunks {
		for _, c := range cs {
			cc := &chunk{kind: c.kind, name: c.name, keys: maps.Clone(c.keys), size: c.size, dirty: c.dirty, sum: c.sum}
			cp.chunks[kind] = append(cp.chunks[kind], cc)
			for k := range cc.keys {
				cp.where[k] = cc
			}
		}
	}
	return cp
}

// registryWrite is a call that writes the registry (Client.call with
// retries, as i/registry/set and remove are safe to repeat).
type registryWrite func(ctx context.Context, endpoint string, params any) error

// save writes rec: the changed chunks under new names, then the manifest,
// then the removal of superseded chunks. Nothing is sent when nothing
// changed, and a chunk whose entries did not change is not sent again.
func (s *recordStore) save(ctx context.Context, write registryWrite, rec *planner.Ownership) error {
	address := s.address
	next := s.gen + 1
	s.place(rec)
	m := manifest{Version: planner.OwnershipVersion, Account: address, Gen: s.gen, Objects: make(map[string]planner.Owned, len(s.inline)),
		Intents: rec.Intents, Chunks: map[string][]chunkRef{}, Calls: rec.Calls, Limited: rec.Limited}
	var superseded []string
	type pending struct {
		c    *chunk
		name string
		body []byte
	}
	var writes []pending
	for _, kind := range slices.Sorted(maps.Keys(s.chunks)) {
		for i, c := range s.chunks[kind] {
			name := c.name
			if c.dirty || name == "" {
				name = fmt.Sprintf("%d-%d", next, i)
				body, err := encodeChunk(address, kind, c)
				if err != nil {
					return err
				}
				if c.name != "" && c.sum == sum(body) {
					c.dirty = false // the same bytes: not sent again
					m.Chunks[kind] = append(m.Chunks[kind], chunkRef{Name: c.name, N: len(c.keys)})
					continue
				}
				if c.name != "" {
					superseded = append(superseded, chunkKey(address, kind, c.name))
				}
				writes = append(writes, pending{c, name, body})
			}
			m.Chunks[kind] = append(m.Chunks[kind], chunkRef{Name: name, N: len(c.keys)})
		}
	}
	for k := range s.inline {
		o := rec.Objects[k]
		m.Objects[k] = planner.Owned{ID: o.ID, Applied: o.Applied}
	}
	m.Old = s.old
	if len(writes) == 0 && len(superseded) == 0 {
		// Unchanged apart from the generation: nothing to send.
		if body, err := json.Marshal(m); err == nil && bytes.Equal(body, s.manifest) {
			s.touched = map[string]struct{}{}
			return nil
		}
	}
	m.Gen = next
	m.Old = append(slices.Clone(s.old), superseded...)
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding the ownership record: %w", err)
	}
	if len(body) > manifestMax {
		return fmt.Errorf("the ownership record's manifest is %d bytes, more than the %d mkctl allows itself under Misskey's 1 MiB request limit", len(body), manifestMax)
	}
	// From here on this generation's names are used up, written or not:
	// a retry never writes a name a reader might already hold.
	s.gen = next
	for i, w := range writes {
		p := ownershipParams(chunkKey(address, w.c.kind, w.name))
		p["value"] = json.RawMessage(w.body)
		if err := write(ctx, "i/registry/set", p); err != nil {
			// The manifest still names the old chunks: nothing is lost.
			// The new ones written so far are named by nobody; the next
			// switch removes them.
			for _, done := range writes[:i+1] {
				s.old = append(s.old, chunkKey(address, done.c.kind, done.name))
			}
			return err
		}
	}
	p := registryParams(address)
	p["value"] = json.RawMessage(body)
	if err := write(ctx, "i/registry/set", p); err != nil {
		for _, done := range writes {
			s.old = append(s.old, chunkKey(address, done.c.kind, done.name))
		}
		return err
	}
	for _, w := range writes {
		w.c.name, w.c.dirty, w.c.sum = w.name, false, sum(w.body)
	}
	// The written manifest, as it will compare next time (generation
	// included).
	s.manifest, s.all = body, false
	s.touched = map[string]struct{}{}
	// The superseded chunks are no longer named; removing them is
	// tidying. One not removed now stays in the old list, which the next
	// manifest carries, and a later write removes it.
	s.old = nil
	for _, key := range m.Old {
		if err := write(ctx, "i/registry/remove", ownershipParams(key)); err != nil {
			s.old = append(s.old, key)
		}
	}
	if len(m.Old) > 0 && len(s.old) == 0 {
		// The manifest on the server still lists the removed names; the
		// comparison above must not take it for unchanged forever.
		s.manifest = nil
	}
	return nil
}

// place puts every touched key where it belongs: its chunk (marked dirty),
// the end of its kind's chunks, or the manifest.
func (s *recordStore) place(rec *planner.Ownership) {
	keys := s.touched
	if s.all {
		keys = make(map[string]struct{}, len(rec.Objects))
		for k := range rec.Objects {
			keys[k] = struct{}{}
		}
		for k := range s.where {
			keys[k] = struct{}{}
		}
		for k := range s.inline {
			keys[k] = struct{}{}
		}
	}
	// Sorted, so that the same changes make the same chunks.
	grow := map[string]bool{}
	for _, key := range slices.Sorted(maps.Keys(keys)) {
		o, exists := rec.Objects[key]
		kind, name, compact := compactName(key)
		compact = compact && exists && len(o.Applied) == 0
		if c := s.where[key]; c != nil {
			c.dirty = true
			if compact {
				c.keys[key] = chunkEntry{name, o.ID} // same chunk, maybe another id
				continue
			}
			delete(c.keys, key)
			c.size -= entrySize(name, o.ID)
			delete(s.where, key)
		}
		switch {
		case !exists:
			delete(s.inline, key)
		case compact && len(s.chunks[kind]) > 0:
			delete(s.inline, key)
			s.append(kind, key, o.ID)
		default:
			s.inline[key] = struct{}{}
			if compact {
				grow[kind] = true
			}
		}
	}
	// A kind that outgrew the manifest moves to chunks, all of it.
	for kind := range grow {
		var move []string
		for k := range s.inline {
			if kd, _, ok := compactName(k); ok && kd == kind && len(rec.Objects[k].Applied) == 0 {
				move = append(move, k)
			}
		}
		if len(move) <= inlineMaxEntries {
			continue
		}
		sort.Strings(move)
		for _, k := range move {
			delete(s.inline, k)
			s.append(kind, k, rec.Objects[k].ID)
		}
	}
	s.tidy(rec)
}

func (s *recordStore) append(kind, key, id string) {
	_, name, _ := compactName(key)
	size := entrySize(name, id)
	cs := s.chunks[kind]
	if len(cs) == 0 || cs[len(cs)-1].size+size > chunkTarget {
		cs = append(cs, &chunk{kind: kind, keys: map[string]chunkEntry{}})
		s.chunks[kind] = cs
	}
	c := cs[len(cs)-1]
	c.keys[key] = chunkEntry{name, id}
	c.size += size
	c.dirty = true
	s.where[key] = c
}

// tidy drops empty chunks and repacks a kind whose chunks became sparse
// (many deletions), so a plan never reads many nearly empty chunks.
func (s *recordStore) tidy(rec *planner.Ownership) {
	for kind, cs := range s.chunks {
		total := 0
		var live []*chunk
		for _, c := range cs {
			if len(c.keys) == 0 {
				if c.name != "" {
					s.old = append(s.old, chunkKey(s.address, kind, c.name))
				}
				continue
			}
			total += c.size
			live = append(live, c)
		}
		s.chunks[kind] = live
		if len(live) == 0 {
			delete(s.chunks, kind)
			continue
		}
		need := (total + chunkTarget - 1) / chunkTarget
		if len(live) <= 2*need+1 {
			continue
		}
		var keys []string
		for _, c := range live {
			if c.name != "" {
				s.old = append(s.old, chunkKey(s.address, kind, c.name))
			}
			for k := range c.keys {
				keys = append(keys, k)
				delete(s.where, k)
			}
		}
		sort.Strings(keys)
		delete(s.chunks, kind)
		for _, k := range keys {
			s.append(kind, k, rec.Objects[k].ID)
		}
	}
}

// encodeChunk writes a chunk's value: its entries sorted by name, so the
// same entries make the same bytes. Hand-written because the last chunk is
// encoded at every batch of an apply; json.Marshal of the map took most of
// a 30,000-follow apply's CPU.
func encodeChunk(address, kind string, c *chunk) ([]byte, error) {
	entries := make([]chunkEntry, 0, len(c.keys))
	size := 64 + len(address)
	for _, e := range c.keys {
		entries = append(entries, e)
		size += entrySize(e.name, e.id)
	}
	slices.SortFunc(entries, func(a, b chunkEntry) int { return strings.Compare(a.name, b.name) })
	b := make([]byte, 0, size)
	b = append(b, `{"account":`...)
	b = appendJSONString(b, address)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, kind)
	b = append(b, `,"e":{`...)
	for i, e := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, e.name)
		b = append(b, ':')
		b = appendJSONString(b, e.id)
	}
	b = append(b, "}}"...)
	return b, nil
}

// appendJSONString appends s as a JSON string: plain printable ASCII as it
// is, anything else through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// readOwnership reads mkctl's ownership record for the configured account at
// address, in either format; nil when there is none. The chunks are read
// concurrently (read limits how many at once).
//
// It uses i/registry/get-detail rather than i/registry/get: get answers a
// stored null with 204 and no body, get-detail always with {updatedAt,
// value}. A missing key (NO_SUCH_KEY) is the normal state of a token mkctl
// has not written with yet.
func readOwnership(ctx context.Context, read readFunc, address string) (*planner.Ownership, error) {
	for attempt := 0; ; attempt++ {
		rec, err := readRecordOnce(ctx, read, address)
		if err == errChunkGone && attempt < readRetries {
			continue // a writer switched the manifest under us: read it again
		}
		if err == errChunkGone {
			return nil, fmt.Errorf("reading mkctl's ownership record: its chunks kept changing while it was read (is another apply running with this token?)")
		}
		return rec, err
	}
}

var errChunkGone = fmt.Errorf("a chunk of the ownership record is gone")

func readRecordOnce(ctx context.Context, read readFunc, address string) (*planner.Ownership, error) {
	var detail struct {
		Value json.RawMessage `json:"value"`
	}
	if err := read(ctx, "i/registry/get-detail", registryParams(address), &detail); err != nil {
		if IsCode(err, "NO_SUCH_KEY") {
			return nil, nil
		}
		return nil, fmt.Errorf("reading mkctl's ownership record: %w", err)
	}
	raw := detail.Value
	var head struct {
		Version int `json:"v"`
	}
	if len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &head) != nil || head.Version < 2 {
		rec, err := decodeOwnership(raw, address)
		if rec != nil {
			s := newRecordStore(address) // version 1: every key is placed on the first write
			rec.Store = s
		}
		return rec, err
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, recordFormatError(address, err)
	}
	if m.Version > planner.OwnershipVersion {
		return nil, recordVersionError(m.Version)
	}
	if m.Account != address {
		return nil, nil // see decodeOwnership
	}
	total := len(m.Objects)
	for _, refs := range m.Chunks {
		for _, ref := range refs {
			total += max(ref.N, 0)
		}
	}
	// Sized up front: growing a map of 100,000 entries costs more than
	// filling it. The counts come from the registry, where anything can
	// be written: a damaged one must not allocate without bound (the
	// chunks are checked against them below).
	rec := &planner.Ownership{Version: planner.OwnershipVersion, Account: address, Objects: make(map[string]planner.Owned, min(total, 1<<20)), Intents: m.Intents, Calls: m.Calls, Limited: m.Limited}
	s := newRecordStore(address)
	s.gen, s.manifest, s.old, s.all = m.Gen, raw, m.Old, false
	for k, o := range m.Objects {
		o.Key = k
		rec.Objects[k] = o
		s.inline[k] = struct{}{}
	}

	type job struct {
		kind string
		ref  chunkRef
		c    *chunk
		val  chunkValue
		err  error
	}
	var jobs []*job
	for _, kind := range slices.Sorted(maps.Keys(m.Chunks)) {
		if fullKey(kind, "x") == "" {
			return nil, fmt.Errorf("mkctl's ownership record has chunks of kind %q, which this mkctl does not know; upgrade mkctl", kind)
		}
		for _, ref := range m.Chunks[kind] {
			c := &chunk{kind: kind, name: ref.Name, keys: make(map[string]chunkEntry, min(max(ref.N, 0), 1<<16))} // a chunk holds about 64 KiB; ref.N is unchecked here
			s.chunks[kind] = append(s.chunks[kind], c)
			jobs = append(jobs, &job{kind: kind, ref: ref, c: c})
		}
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			var d struct {
				Value chunkValue `json:"value"`
			}
			j.err = safego.Call("i/registry/get-detail (ownership chunk)", func() error {
				return read(ctx, "i/registry/get-detail", ownershipParams(chunkKey(address, j.kind, j.ref.Name)), &d)
			})
			j.val = d.Value
		})
	}
	wg.Wait()
	for _, j := range jobs {
		if j.err != nil {
			if IsCode(j.err, "NO_SUCH_KEY") {
				return nil, errChunkGone
			}
			return nil, fmt.Errorf("reading mkctl's ownership record (chunk %s of %s): %w", j.ref.Name, j.kind, j.err)
		}
		if j.val.Account != address || j.val.Kind != j.kind || len(j.val.Entries) != j.ref.N {
			return nil, fmt.Errorf("mkctl's ownership record is damaged: chunk %s of %s holds %d entries of %q/%q where the manifest says %d of %q/%q; remove the ownership keys in Settings → Registry to start afresh (mkctl then adopts what the configuration declares)",
				j.ref.Name, j.kind, len(j.val.Entries), j.val.Account, j.val.Kind, j.ref.N, address, j.kind)
		}
		for name, id := range j.val.Entries {
			key := fullKey(j.kind, name)
			rec.Objects[key] = planner.Owned{Key: key, ID: id}
			j.c.keys[key] = chunkEntry{name, id}
			j.c.size += entrySize(name, id)
			s.where[key] = j.c
		}
	}
	rec.Store = s
	return rec, nil
}
