package cmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/mkctl/mkctl/internal/credentials"
	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider"
)

// mkctlPermissions are the permission kinds mkctl uses, which `mkctl login`
// asks for (API-NOTES §8 "Minimal set for this tool"): read:account (i,
// registry reads, antennas and lists), write:account (i/update, pins,
// registry writes, antennas, lists), read/write:following, write:notes,
// read/write:drive, read/write:blocks and read/write:mutes (blocks, mutes,
// renote mutes). Login asks for all of them, whether or not the
// configuration uses each kind yet: MiAuth grants a token's permissions
// once, and a configuration that adds a block later would otherwise need
// a new login.
var mkctlPermissions = []string{
	"read:account", "write:account", "read:following", "write:following",
	"write:notes", "read:drive", "write:drive",
	"read:blocks", "write:blocks", "read:mutes", "write:mutes",
}

// planPermissions lists, for each permission kind applying ap needs, the
// addresses that need it, in plan order. It mirrors the endpoints the
// provider's appliers call (provider/apply_*.go).
func planPermissions(ap *planner.AccountPlan) map[string][]string {
	need := map[string][]string{}
	add := func(kind, addr string) {
		if !slices.Contains(need[kind], addr) {
			need[kind] = append(need[kind], addr)
		}
	}
	var todo []*planner.Change
	for _, ch := range ap.Changes {
		if ch != nil && ch.Action != planner.ActionNoop {
			todo = append(todo, ch)
		}
	}
	if len(todo) == 0 && len(ap.Adopt) == 0 && len(ap.Forget) == 0 {
		return need
	}
	// Apply first asks `i` whose token it is.
	add("read:account", ap.Address)
	if len(ap.Adopt) > 0 || len(ap.Forget) > 0 {
		add("write:account", ap.Address+" (ownership record)") // i/registry/set
	}
	for _, ch := range todo {
		if ch.Type != planner.TypeProfile {
			// Every resource change rewrites the ownership record.
			add("write:account", ch.Address)
		}
		switch ch.Type {
		case planner.TypeProfile, planner.TypeAntenna, planner.TypeUserList, planner.TypeWebhook, planner.TypeClip:
			add("write:account", ch.Address) // i/update, antennas/*, users/lists/*, i/webhooks/*, clips/*
		case planner.TypePinnedNote:
			add("write:account", ch.Address) // i/pin, i/unpin
			keep, _ := ch.After["keepNote"].(bool)
			if ch.Action == planner.ActionCreate || ch.Action == planner.ActionReplace || (ch.Action == planner.ActionDelete && !keep) {
				add("write:notes", ch.Address) // notes/create, notes/delete
			}
		case planner.TypeScheduledNote:
			add("write:account", ch.Address) // notes/drafts/* (kind write:account: there is no drafts kind)
		case planner.TypeFollow:
			add("write:following", ch.Address)
		case planner.TypeBlock:
			add("write:blocks", ch.Address) // blocking/create, blocking/delete
		case planner.TypeMute, planner.TypeRenoteMute:
			add("write:mutes", ch.Address) // mute/*, renote-mute/*
		case planner.TypeDriveFolder:
			add("write:drive", ch.Address)
		case planner.TypeDriveFile:
			add("read:drive", ch.Address)  // drive/files/find-by-hash, attached-notes
			add("write:drive", ch.Address) // drive/files/create, update, delete
		}
		if ch.Type == planner.TypeProfile && (ch.After["avatar"] != nil || ch.After["banner"] != nil) {
			add("read:drive", ch.Address)  // drive/files/find-by-hash
			add("write:drive", ch.Address) // the image's upload
		}
	}
	return need
}

// checkPermissions refuses, before anything is changed, a plan whose
// changes need permissions the account's token lacks. A stored credential
// says what its token was granted. A token from the environment (or a
// credential stored without its permissions) does not, so each permission
// the plan needs is tested with one request that Misskey refuses either
// way, changing nothing (provider.ProbePermissions); read:account needs no
// test: the plan's own `i` call used it. The sandbox's emulator takes no
// real token: nothing to check.
func (g *globalOptions) checkPermissions(ctx context.Context, targets []target, plan *planner.Plan, sandbox bool) error {
	if sandbox {
		return nil
	}
	// A fresh resolver without warnings: targets already printed them.
	tokens := g.tokenResolver(len(targets), false)
	errs := make([]error, len(targets))
	var eg errgroup.Group
	eg.SetLimit(readLimit)
	for i, t := range targets {
		if i >= len(plan.Accounts) {
			break
		}
		need := planPermissions(plan.Accounts[i])
		if len(need) == 0 {
			continue
		}
		rt, err := tokens.tokenFor(t.acct)
		if err != nil {
			continue // targets resolved it; nothing to check against
		}
		eg.Go(func() error {
			errs[i] = safego.Call("checking the token's permissions for "+t.acct.Address(), func() error {
				return checkAccountPermissions(ctx, t, rt, need)
			})
			return nil
		})
	}
	_ = eg.Wait()
	return errors.Join(errs...)
}

// checkAccountPermissions checks one account's token against need.
func checkAccountPermissions(ctx context.Context, t target, rt resolvedToken, need map[string][]string) error {
	var kinds []string
	for kind := range need {
		kinds = append(kinds, kind)
	}
	slices.Sort(kinds)
	granted, known := rt.permissions()
	var missing []string
	if known {
		for _, kind := range kinds {
			if !slices.Contains(granted, kind) {
				missing = append(missing, kind)
			}
		}
	} else {
		kinds = slices.DeleteFunc(kinds, func(k string) bool { return k == "read:account" })
		var err error
		if missing, err = provider.ProbePermissions(ctx, t.client, kinds); err != nil {
			return fmt.Errorf("%s: checking the token's permissions before any change; nothing was changed: %w", t.acct.Address(), err)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	var lines []string
	for _, kind := range missing {
		lines = append(lines, fmt.Sprintf("%s (needed by %s)", kind, strings.Join(need[kind], ", ")))
	}
	return &permissionError{
		address:  t.acct.Address(),
		username: t.acct.Username,
		host:     t.acct.Host,
		envVar:   rt.EnvVar,
		probed:   !known,
		missing:  missing,
		detail:   lines,
	}
}

// permissionError is a plan that the account's token may not carry out.
type permissionError struct {
	address, username, host string
	envVar                  string // the variable the token came from; "" for a stored one
	probed                  bool   // Misskey said so, rather than the stored grant
	missing                 []string
	detail                  []string
}

func (e *permissionError) Error() string {
	whose := fmt.Sprintf("the token stored for @%s on %s", e.username, e.host)
	if e.envVar != "" {
		whose = "the token in " + e.envVar
	}
	how := ""
	if e.probed {
		how = " (Misskey refused a test request, which changes nothing, with PERMISSION_DENIED)"
	}
	return fmt.Sprintf("%s: %s lacks %s%s, which this plan needs; nothing was changed:\n  %s",
		e.address, whose, strings.Join(e.missing, ", "), how, strings.Join(e.detail, "\n  "))
}

func (e *permissionError) Hint() string {
	login := fmt.Sprintf("mkctl login --host %s", credentials.DisplayHost(e.host))
	if e.envVar != "" {
		return fmt.Sprintf("put a token of @%s with every permission mkctl uses (%s) in %s: make one in Settings → API (%s/settings/connect), or unset %s and run `%s`",
			e.username, strings.Join(mkctlPermissions, ", "), e.envVar, e.host, e.envVar, login)
	}
	return fmt.Sprintf("run `%s` without --permission to store a token with every permission mkctl uses (MiAuth grants what is asked for, all or nothing)", login)
}
