package cmd

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema"
)

// kindPermissions are the permission kinds a configuration that manages a
// resource kind uses: the first to read it (the plan), the others to
// change it (apply; see planPermissions, which names them per change).
// Webhooks, clips and scheduled notes (drafts) are account kinds in
// Misskey: i/webhooks/*, clips/* and notes/drafts/* take read:account and
// write:account.
var kindPermissions = map[string][]string{
	"pinned_note":    {"read:account", "write:account", "write:notes"},
	"follow":         {"read:following", "write:following"},
	"drive_folder":   {"read:drive", "write:drive"},
	"drive_file":     {"read:drive", "write:drive"},
	"antenna":        {"read:account", "write:account"},
	"user_list":      {"read:account", "write:account"},
	"webhook":        {"read:account", "write:account"},
	"clip":           {"read:account", "write:account"},
	"scheduled_note": {"read:account", "write:account"},
	"block":          {"read:blocks", "write:blocks"},
	"mute":           {"read:mutes", "write:mutes"},
	"renote_mute":    {"read:mutes", "write:mutes"},
}

// kindNouns name one object of each resource kind.
var kindNouns = map[string]string{
	"pinned_note": "pinned note", "follow": "follow", "drive_folder": "drive folder", "drive_file": "drive file",
	"antenna": "antenna", "user_list": "user list", "webhook": "webhook", "clip": "clip",
	"scheduled_note": "scheduled note", "block": "block", "mute": "mute", "renote_mute": "renote mute",
}

// configNeeds says, for each permission kind the account's configuration
// uses, what in it uses the kind ("3 blocks", "the profile"), in a
// stable order.
func configNeeds(acct *schema.Account) map[string][]string {
	need := map[string][]string{
		"read:account":  {"every plan (i, the ownership record)"},
		"write:account": {"the ownership record (every apply that changes something)"},
	}
	add := func(kind, what string) {
		if !slices.Contains(need[kind], what) {
			need[kind] = append(need[kind], what)
		}
	}
	if acct.Profile != nil {
		add("write:account", "the profile")
		if len(acct.Profile.Images) > 0 {
			add("read:drive", "the avatar and banner")
			add("write:drive", "the avatar and banner")
		}
	}
	for _, k := range provider.ManagedKinds(acct) {
		noun := kindNouns[k.Type]
		if noun == "" {
			noun = strings.ReplaceAll(k.Type, "_", " ")
		}
		what := plural(k.Declared, noun)
		switch {
		case k.Purged && k.Declared == 0:
			what = noun + "s (purge)"
		case k.Purged:
			what += " (and purge)"
		}
		perms, ok := kindPermissions[k.Type]
		if !ok {
			perms = []string{"read:account", "write:account"}
		}
		for _, p := range perms {
			add(p, what)
		}
	}
	return need
}

// writeNeeds shows, under a token's permissions, which of the
// configuration's needs each granted kind covers and which needs no
// granted kind covers. perms are the granted kinds; known says whether
// they are known (stored with the token, or tested just now: probed).
func writeNeeds(w io.Writer, need map[string][]string, perms []string, known, probed bool) {
	if !known {
		var lines []string
		for _, kind := range mkctlPermissions {
			if whats, ok := need[kind]; ok {
				lines = append(lines, kind+": "+strings.Join(whats, ", "))
			}
		}
		fieldLines(w, "needs", lines)
		return
	}
	var covers, missing []string
	for _, kind := range mkctlPermissions {
		whats, needed := need[kind]
		switch granted := slices.Contains(perms, kind); {
		case granted && needed:
			covers = append(covers, kind+": "+strings.Join(whats, ", "))
		case granted:
			covers = append(covers, kind+": nothing in this configuration")
		case needed:
			missing = append(missing, kind+" (for "+strings.Join(whats, ", ")+")")
		}
	}
	label := "covers"
	if probed {
		label = "tested"
	}
	fieldLines(w, label, covers)
	if len(missing) > 0 {
		fix := "Run `mkctl login` again (it asks for all of them)."
		if probed {
			fix = "Put a token that holds them in the variable (Settings → API), or unset it and use `mkctl login`."
		}
		fieldLines(w, "missing", append(missing,
			"without a read: kind the plan cannot read those objects; apply refuses changes that need a write: kind. "+fix))
	}
}

// fieldLines is field with one value a line, aligned under the first.
func fieldLines(w io.Writer, name string, lines []string) {
	for i, l := range lines {
		if i == 0 {
			field(w, name, l)
		} else {
			fmt.Fprintf(w, "  %-12s %s\n", "", l)
		}
	}
}

// probeNeeds tests, with requests that change nothing
// (provider.ProbePermissions), the kinds the configuration needs that a
// token from the environment may or may not hold; read:account was shown
// by the `i` check. It returns the kinds granted, read:account included.
func probeNeeds(ctx context.Context, g *globalOptions, host, token string, need map[string][]string) ([]string, error) {
	var kinds []string
	for _, kind := range mkctlPermissions {
		if _, ok := need[kind]; ok && kind != "read:account" {
			kinds = append(kinds, kind)
		}
	}
	c, err := provider.NewClient(host, token, g.clientOptions()...)
	if err != nil {
		return nil, err
	}
	missing, err := provider.ProbePermissions(ctx, c, kinds)
	if err != nil {
		return nil, err
	}
	granted := []string{"read:account"}
	for _, kind := range kinds {
		if !slices.Contains(missing, kind) {
			granted = append(granted, kind)
		}
	}
	return granted, nil
}
