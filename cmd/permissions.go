package cmd

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mkctl/mkctl/internal/credentials"
	"github.com/mkctl/mkctl/planner"
)

// mkctlPermissions are the permission kinds mkctl uses, which `mkctl login`
// asks for (API-NOTES §8 "Minimal set for this tool"): read:account (i,
// registry reads, antennas and lists), write:account (i/update, pins,
// registry writes, antennas, lists), read/write:following, write:notes,
// read/write:drive.
var mkctlPermissions = []string{
	"read:account", "write:account", "read:following", "write:following",
	"write:notes", "read:drive", "write:drive",
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
	if len(todo) == 0 && len(ap.Adopt) == 0 {
		return need
	}
	// Apply first asks `i` whose token it is.
	add("read:account", ap.Address)
	if len(ap.Adopt) > 0 {
		add("write:account", ap.Address+" (ownership record)") // i/registry/set
	}
	for _, ch := range todo {
		if ch.Type != planner.TypeProfile {
			// Every resource change rewrites the ownership record.
			add("write:account", ch.Address)
		}
		switch ch.Type {
		case planner.TypeProfile, planner.TypeAntenna, planner.TypeUserList:
			add("write:account", ch.Address) // i/update, antennas/*, users/lists/*
		case planner.TypePinnedNote:
			add("write:account", ch.Address) // i/pin, i/unpin
			keep, _ := ch.After["keepNote"].(bool)
			if ch.Action == planner.ActionCreate || ch.Action == planner.ActionReplace || (ch.Action == planner.ActionDelete && !keep) {
				add("write:notes", ch.Address) // notes/create, notes/delete
			}
		case planner.TypeFollow:
			add("write:following", ch.Address)
		case planner.TypeDriveFolder:
			add("write:drive", ch.Address)
		}
	}
	return need
}

// checkPermissions refuses, before anything is changed, a plan whose
// changes need permissions that a stored credential was not granted. Tokens
// from the environment are not checked: their permissions are unknown, and
// Misskey's PERMISSION_DENIED names the missing one (see token.go). The
// sandbox's emulator takes no real token: nothing to check.
func (g *globalOptions) checkPermissions(targets []target, plan *planner.Plan, sandbox bool) error {
	if sandbox {
		return nil
	}
	// A fresh resolver without warnings: targets already printed them.
	tokens := g.tokenResolver(len(targets), false)
	var errs []error
	for i, t := range targets {
		if i >= len(plan.Accounts) {
			break
		}
		rt, err := tokens.tokenFor(t.acct)
		if err != nil {
			continue // targets resolved it; nothing to check against
		}
		granted, known := rt.permissions()
		if !known {
			continue
		}
		need := planPermissions(plan.Accounts[i])
		var missing []string
		for kind := range need {
			if !slices.Contains(granted, kind) {
				missing = append(missing, kind)
			}
		}
		if len(missing) == 0 {
			continue
		}
		slices.Sort(missing)
		var lines []string
		for _, kind := range missing {
			lines = append(lines, fmt.Sprintf("%s (needed by %s)", kind, strings.Join(need[kind], ", ")))
		}
		errs = append(errs, &permissionError{
			address:  t.acct.Address(),
			username: t.acct.Username,
			host:     t.acct.Host,
			missing:  missing,
			detail:   lines,
		})
	}
	return errors.Join(errs...)
}

// permissionError is a plan that the stored token may not carry out.
type permissionError struct {
	address, username, host string
	missing                 []string
	detail                  []string
}

func (e *permissionError) Error() string {
	return fmt.Sprintf("%s: the token stored for @%s on %s lacks %s, which this plan needs; nothing was changed:\n  %s",
		e.address, e.username, e.host, strings.Join(e.missing, ", "), strings.Join(e.detail, "\n  "))
}

func (e *permissionError) Hint() string {
	return fmt.Sprintf("run `mkctl login --host %s` without --permission to store a token with every permission mkctl uses (MiAuth grants what is asked for, all or nothing)",
		credentials.DisplayHost(e.host))
}
