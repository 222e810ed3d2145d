package planner

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Duplicates: several objects with the natural key of one block (two
// antennas or lists with a declared name, two folders at a declared path).
// Misskey allows them, and two applies at once (before the apply lock, or
// with two tokens of one account) made them. Rather than stop every later
// plan, the plan keeps one — the one the ownership record holds, else the
// oldest — and deletes the others, when each of them is mkctl's to delete:
// the record holds its id, or the collection is purged. Otherwise it stops
// and lists them, with their ids and creation dates, so the user can choose.
//
// dedupe runs before the kinds are planned: they then see one object per
// declared key (p.live is a copy with the extras left out), and the
// deletions of the extras are added to the plan (extraDels).

// dupObject is one of the objects that share a key.
type dupObject struct {
	ID        string
	CreatedAt time.Time
	Label     string // what to call it in the error ("folder \"a\"")
}

// keeper picks the object to keep: the one the record holds under key,
// else the oldest (ids break ties, Misskey ids grow with time).
func (p *planState) keeper(key string, objs []dupObject) int {
	for i, o := range objs {
		if p.owned(key, o.ID) {
			return i
		}
	}
	best := 0
	for i, o := range objs[1:] {
		b := objs[best]
		if o.CreatedAt.Before(b.CreatedAt) || o.CreatedAt.Equal(b.CreatedAt) && o.ID < b.ID {
			best = i + 1
		}
	}
	return best
}

// mayDelete reports whether mkctl may delete the extra object id.
func (p *planState) mayDelete(id, collection string) bool {
	return p.live.Ownership.OwnsID(id) || p.purged(collection)
}

// duplicateError stops the plan for a key whose extras are not mkctl's.
func (p *planState) duplicateError(subject hcl.Range, what, key, collection string, objs []dupObject, keep int, blocked []string) {
	var b strings.Builder
	for i, o := range objs {
		created := "creation date unknown"
		if !o.CreatedAt.IsZero() {
			created = "created " + o.CreatedAt.UTC().Format(time.RFC3339)
		}
		mark := ""
		if i == keep {
			mark = " (mkctl would keep this one)"
		}
		fmt.Fprintf(&b, "\n  - %s id %s, %s%s", o.Label, o.ID, created, mark)
	}
	p.errorf(subject, "Duplicate "+what,
		"The account has %d %ss for %s:%s\nmkctl may not delete %s: the ownership record does not hold them and %q is not purged. Hint: delete the extra ones in Misskey, or add %q to purge once to let mkctl delete them, then plan again.",
		len(objs), what, key, b.String(), strings.Join(blocked, ", "), collection, collection)
}

// dedupe removes the extras from p.live (a copy) and returns the changes
// that delete them: antennas and lists first (they go with the other
// antenna and list deletions), folders (children first) last.
func (p *planState) dedupe() (antennaDels, listDels, folderDels []*Change) {
	live := *p.live
	p.live = &live
	antennaDels = p.dedupeAntennas()
	listDels = p.dedupeLists()
	folderDels = p.dedupeFolders()
	return antennaDels, listDels, folderDels
}

// namedDecl is a declared block whose natural key is a name.
type namedDecl struct {
	Name      string
	DeclRange hcl.Range
}

// namedKind says how the name rule reads one kind of live object.
type namedKind[T any] struct {
	what       string // "antenna", for messages
	collection string // the purge name: "antennas"
	typ        string // the Change type
	key        func(name string) string
	object     func(T) (name string, o dupObject)
	// keepExtra, when set, may keep an extra copy that mkctl could delete
	// (the plan notes why); it returns true to keep it.
	keepExtra func(name, id string) bool
}

// dedupeNamed applies the duplicate rule to a kind keyed by name: for each
// declared name held by several live objects it keeps one and deletes the
// others, or stops when one of them is not mkctl's. It returns the live
// objects without the extras and the deletions.
func dedupeNamed[T any](p *planState, live []T, declared []namedDecl, k namedKind[T]) ([]T, []*Change) {
	byName := map[string][]int{}
	for i, x := range live {
		name, _ := k.object(x)
		byName[name] = append(byName[name], i)
	}
	drop := map[string]bool{}
	var dels []*Change
	for _, want := range declared {
		idx := byName[want.Name]
		if len(idx) < 2 {
			continue
		}
		key := k.key(want.Name)
		objs := make([]dupObject, len(idx))
		for j, i := range idx {
			_, objs[j] = k.object(live[i])
		}
		keep := p.keeper(key, objs)
		var blocked []string
		for j, o := range objs {
			if j != keep && !p.mayDelete(o.ID, k.collection) {
				blocked = append(blocked, o.ID)
			}
		}
		if len(blocked) > 0 {
			p.duplicateError(want.DeclRange, k.what, fmt.Sprintf("the name %q", want.Name), k.collection, objs, keep, blocked)
		}
		for j, o := range objs {
			if j == keep {
				continue
			}
			drop[o.ID] = true
			if len(blocked) > 0 || k.keepExtra != nil && k.keepExtra(want.Name, o.ID) {
				continue
			}
			dels = append(dels, extraDelete(p, k.typ, key, o.ID, "name", want.Name))
		}
	}
	return filterOut(live, drop, func(x T) string { _, o := k.object(x); return o.ID }), dels
}

func (p *planState) dedupeAntennas() []*Change {
	declared := make([]namedDecl, len(p.acct.Antennas))
	for i, a := range p.acct.Antennas {
		declared[i] = namedDecl{Name: a.Name, DeclRange: a.DeclRange}
	}
	var dels []*Change
	p.live.Antennas, dels = dedupeNamed(p, p.live.Antennas, declared, namedKind[LiveAntenna]{
		what: "antenna", collection: "antennas", typ: TypeAntenna, key: antennaKey,
		object: func(a LiveAntenna) (string, dupObject) {
			return a.Name, dupObject{ID: a.ID, CreatedAt: a.CreatedAt, Label: fmt.Sprintf("antenna %q", a.Name)}
		},
	})
	return dels
}

func (p *planState) dedupeLists() []*Change {
	declared := make([]namedDecl, len(p.acct.UserLists))
	for i, l := range p.acct.UserLists {
		declared[i] = namedDecl{Name: l.Name, DeclRange: l.DeclRange}
	}
	var dels []*Change
	p.live.UserLists, dels = dedupeNamed(p, p.live.UserLists, declared, namedKind[LiveUserList]{
		what: "user list", collection: "user_lists", typ: TypeUserList, key: userListKey,
		object: func(l LiveUserList) (string, dupObject) {
			return l.Name, dupObject{ID: l.ID, CreatedAt: l.CreatedAt, Label: fmt.Sprintf("user list %q", l.Name)}
		},
		// Deleting a list deletes the antennas that use it (ON DELETE
		// CASCADE). A declared antenna is moved to the kept list before
		// this deletion runs (it comes after the antenna updates); an
		// antenna nobody declares that stays pins the extra list in place.
		keepExtra: func(name, id string) bool {
			ant, ok := p.stayingAntennaUsing(id)
			if ok {
				p.note("user_list %q: the duplicate %s stays: antenna %q, which this configuration does not manage, uses it.", name, id, ant)
			}
			return ok
		},
	})
	return dels
}

// stayingAntennaUsing finds an undeclared antenna that stays and uses list id.
func (p *planState) stayingAntennaUsing(listID string) (string, bool) {
	for _, a := range p.live.Antennas {
		if id, _ := a.Fields["userListId"].(string); id != listID {
			continue
		}
		declared := false
		for _, want := range p.acct.Antennas {
			declared = declared || want.Name == a.Name
		}
		if !declared && !p.antennaWillBeDeleted(a) {
			return a.Name, true
		}
	}
	return "", false
}

func (p *planState) dedupeFolders() []*Change {
	declared := map[string]bool{}
	for _, f := range p.acct.DriveFolders {
		declared[f.Path] = true
	}
	children := map[string][]LiveFolder{}
	for _, f := range p.live.DriveFolders {
		children[f.ParentID] = append(children[f.ParentID], f)
	}
	// Walk from the root: duplicates below an extra folder go with it.
	drop := map[string]bool{}
	var dels []*Change
	var subtree func(id string) []LiveFolder
	subtree = func(id string) []LiveFolder {
		var out []LiveFolder
		for _, c := range children[id] {
			out = append(out, c)
			out = append(out, subtree(c.ID)...)
		}
		return out
	}
	var walk func(parentID string)
	walk = func(parentID string) {
		byName := map[string][]LiveFolder{}
		var names []string
		for _, c := range children[parentID] {
			if byName[c.Name] == nil {
				names = append(names, c.Name)
			}
			byName[c.Name] = append(byName[c.Name], c)
		}
		sort.Strings(names)
		for _, name := range names {
			group := byName[name]
			if len(group) < 2 || !declared[group[0].Path] {
				for _, c := range group {
					walk(c.ID)
				}
				continue
			}
			path := group[0].Path
			key := folderKey(path)
			objs := make([]dupObject, len(group))
			for j, f := range group {
				objs[j] = dupObject{ID: f.ID, CreatedAt: f.CreatedAt, Label: fmt.Sprintf("folder %q", f.Path)}
			}
			keep := p.keeper(key, objs)
			var blocked []string
			var extras []LiveFolder
			for j, f := range group {
				if j == keep {
					continue
				}
				for _, x := range append([]LiveFolder{f}, subtree(f.ID)...) {
					extras = append(extras, x)
					switch {
					case !p.mayDelete(x.ID, "drive_folders"):
						blocked = append(blocked, x.ID)
					case x.FilesCount != 0:
						// mkctl never deletes files (FilesCount -1: unknown).
						blocked = append(blocked, x.ID+" (holds files)")
					}
				}
			}
			if len(blocked) > 0 {
				p.duplicateError(p.folderDecl(path), "drive folder", fmt.Sprintf("the path %q", path), "drive_folders", objs, keep, blocked)
			}
			for _, x := range extras {
				drop[x.ID] = true
			}
			if len(blocked) == 0 {
				// Children before parents.
				sort.SliceStable(extras, func(i, j int) bool {
					return strings.Count(extras[i].Path, "/") > strings.Count(extras[j].Path, "/")
				})
				for _, x := range extras {
					dels = append(dels, extraDelete(p, TypeDriveFolder, folderKey(x.Path), x.ID, "path", x.Path))
				}
			}
			walk(group[keep].ID)
		}
	}
	walk("")
	p.live.DriveFolders = filterOut(p.live.DriveFolders, drop, func(f LiveFolder) string { return f.ID })
	return dels
}

func (p *planState) folderDecl(path string) hcl.Range {
	for _, f := range p.acct.DriveFolders {
		if f.Path == path {
			return f.DeclRange
		}
	}
	return hcl.Range{}
}

// extraDelete deletes a duplicate. Its key is the declared key with "~ID"
// appended: applying it must not touch the record's entry of the object
// that stays (the provider forgets a deleted object's key), and
// prevent_destroy of the block guards the kept object, not its copies.
func extraDelete(p *planState, typ, key, id, attr string, value any) *Change {
	k := key + "~" + id
	return &Change{Address: p.address(k), Type: typ, Action: ActionDelete, Key: k, ID: id,
		Reason: "a duplicate of " + key + "; the other one stays",
		Attrs:  []AttrChange{{Name: attr, Before: value}}}
}

func filterOut[T any](xs []T, drop map[string]bool, id func(T) string) []T {
	if len(drop) == 0 {
		return xs
	}
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if !drop[id(x)] {
			out = append(out, x)
		}
	}
	return out
}
