package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider/emulator"
	"github.com/mkctl/mkctl/schema"
)

// Files under faults (issue 11), on the emulator: whichever request of an
// apply that changes the avatar's bytes, adds a banner, replaces a file a
// pinned note attaches, updates a comment and deletes an undeclared file
// fails — before it ran or with its answer lost — at most two plain re-runs
// leave exactly the declared files (one copy of each, the old ones gone),
// the images set, the note attaching the new file, and a plan with nothing
// to do.

type filesWorld struct {
	env  *emuEnv
	srcs map[string]*schema.FileSource
}

func newFilesWorld(t *testing.T) *filesWorld {
	t.Helper()
	dir := t.TempDir()
	w := &filesWorld{env: newEmuEnv(t), srcs: map[string]*schema.FileSource{}}
	for i, name := range []string{"avatar1.png", "avatar2.png", "banner.png", "logo1.png", "logo2.png", "old.png"} {
		w.srcs[name] = imageSource(t, dir, name, 10+i)
	}
	w.srcs["doc.txt"] = writeSource(t, dir, "doc.txt", []byte("a document\n"), "text/plain")
	planAndApply(t, w.env, w.seed())
	w.env.emu.ResetRequests()
	return w
}

func (w *filesWorld) account(avatar, logo string, banner bool, comment *string, old bool) *schema.Account {
	return account(folders("media"), func(a *schema.Account) {
		a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{}, Images: map[string]schema.ProfileImage{"avatar": {Source: w.srcs[avatar]}}}
		if banner {
			a.Profile.Images["banner"] = schema.ProfileImage{Source: w.srcs["banner.png"]}
		}
		a.DriveFiles = []*schema.DriveFile{
			{Name: "logo.png", Folder: "media", Source: *w.srcs[logo]},
			{Name: "doc.txt", Source: *w.srcs["doc.txt"], Comment: comment},
		}
		if old {
			a.DriveFiles = append(a.DriveFiles, &schema.DriveFile{Name: "old.png", Folder: "media", Source: *w.srcs["old.png"]})
		}
		a.PinnedNotes = []*schema.PinnedNote{{Label: "top", Text: "with the logo", Visibility: "public", Files: []string{"media/logo.png"}}}
	})
}

func (w *filesWorld) seed() *schema.Account {
	return w.account("avatar1.png", "logo1.png", false, nil, true)
}

func (w *filesWorld) desired() *schema.Account {
	c := "a comment"
	return w.account("avatar2.png", "logo2.png", true, &c, false)
}

func (w *filesWorld) planFor(t *testing.T, acct *schema.Account) *planner.AccountPlan {
	t.Helper()
	live, err := ReadAccount(context.Background(), w.env.c, acct)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	ap, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatalf("plan: %s", diags.Error())
	}
	return ap
}

func (w *filesWorld) withFault(k int, mode emulator.FaultMode, fn func()) *faultAtN {
	orig := w.env.c.hc
	hc := *orig
	f := &faultAtN{next: hc.Transport, emu: w.env.emu, mode: mode, n: k}
	hc.Transport = f
	w.env.c.hc = &hc
	defer func() { w.env.c.hc = orig }()
	fn()
	return f
}

// assertDesired checks the emulator's own tables.
func (w *filesWorld) assertDesired(t *testing.T) {
	t.Helper()
	if ap := w.planFor(t, w.desired()); len(ap.Changes) != 0 || len(ap.Adopt) != 0 || len(ap.Forget) != 0 {
		t.Errorf("final plan: %v adopt %+v forget %v", changeSummary(ap), ap.Adopt, ap.Forget)
	}
	emu, me := w.env.emu, w.env.me.ID
	byMD5 := map[string][]*emulator.DriveFile{}
	var names []string
	for _, f := range emu.FilesOf(me) {
		byMD5[f.MD5] = append(byMD5[f.MD5], f)
	}
	for name, s := range w.srcs {
		want := 1
		if name == "avatar1.png" || name == "logo1.png" || name == "old.png" {
			want = 0
		}
		if got := len(byMD5[s.MD5]); got != want {
			t.Errorf("%s: %d file(s) of its bytes, want %d", name, got, want)
		}
		if want == 1 {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	u := emu.UserByID(me)
	logo := byMD5[w.srcs["logo2.png"].MD5]
	avatar := byMD5[w.srcs["avatar2.png"].MD5]
	banner := byMD5[w.srcs["banner.png"].MD5]
	if len(avatar) != 1 || u.AvatarID == nil || *u.AvatarID != avatar[0].ID {
		t.Errorf("avatarId %v, want the avatar2 file", u.AvatarID)
	}
	if len(banner) != 1 || u.BannerID == nil || *u.BannerID != banner[0].ID {
		t.Errorf("bannerId %v, want the banner file", u.BannerID)
	}
	if doc := byMD5[w.srcs["doc.txt"].MD5]; len(doc) != 1 || doc[0].Comment == nil || *doc[0].Comment != "a comment" {
		t.Errorf("doc.txt: %+v", doc)
	}
	notes := emu.NotesOf(me)
	if len(notes) != 1 || len(logo) != 1 || !slices.Equal(notes[0].FileIDs, []string{logo[0].ID}) {
		t.Errorf("notes %d, the note's files %v, want the new logo", len(notes), func() any {
			if len(notes) > 0 {
				return notes[0].FileIDs
			}
			return nil
		}())
	}
	rec := w.env.record(t)
	var retiring []string
	for k := range rec.Objects {
		if strings.Contains(k, "~") {
			retiring = append(retiring, k)
		}
	}
	if len(retiring) > 0 || len(rec.Intents) > 0 {
		t.Errorf("record keeps retiring entries %v, intents %v", retiring, rec.Intents)
	}
	emu.AssertNoViolations(t)
}

func TestFilesApplyConvergesAfterAnyFault(t *testing.T) {
	w := newFilesWorld(t)
	ap := w.planFor(t, w.desired())
	got := changeSummary(ap)
	want := []string{"update ", `replace drive_file["media/logo.png"]`, `update drive_file["doc.txt"]`, "replace pinned_note.top",
		`delete drive_file["media/logo.png"]~` + ap.Changes[1].ID, `delete drive_file["media/old.png"]`, "delete profile.avatar~" + *w.env.emu.UserByID(w.env.me.ID).AvatarID}
	if !slices.Equal(got, want) {
		t.Fatalf("plan %v\nwant %v", got, want)
	}
	w.env.emu.ResetRequests()
	if _, err := Apply(context.Background(), w.env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	clean := endpoints(w.env.emu.Requests())
	w.assertDesired(t)
	t.Logf("a clean apply sends %d requests: %s", len(clean), strings.Join(clean, " "))
	if n := slices.Index(clean, "drive/files/delete"); n < slices.Index(clean, "i/update") || n < slices.Index(clean, "notes/create") {
		t.Errorf("a file was deleted before the profile or the note moved off it: %v", clean)
	}
	for _, mode := range []emulator.FaultMode{emulator.FaultBeforeExecute, emulator.FaultDropResponse} {
		for k := 1; k <= len(clean); k++ {
			t.Run(fmt.Sprintf("%s/%02d-%s", mode, k, clean[k-1]), func(t *testing.T) {
				w := newFilesWorld(t)
				ap := w.planFor(t, w.desired())
				w.env.emu.ResetRequests()
				var applyErr error
				f := w.withFault(k, mode, func() { _, applyErr = Apply(context.Background(), w.env.c, ap, nil) })
				if f.armed != clean[k-1] {
					t.Fatalf("the fault hit %q, want request %d %s", f.armed, k, clean[k-1])
				}
				reruns := 0
				for ; ; reruns++ {
					ap := w.planFor(t, w.desired())
					if len(ap.Changes) == 0 && len(ap.Adopt) == 0 {
						break
					}
					if reruns == 2 {
						t.Fatalf("not converged after 2 re-runs (faulted apply: %v): %v", applyErr, changeSummary(ap))
					}
					if _, err := Apply(context.Background(), w.env.c, ap, nil); err != nil {
						t.Fatalf("re-run %d (plan %v; faulted: %v): %v", reruns+1, changeSummary(ap), applyErr, err)
					}
				}
				w.assertDesired(t)
			})
		}
	}
}
