package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/mkctl/mkctl/cmd/view"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// recordInputs makes the configuration's loading record what it reads,
// when the plan is to be saved.
func (opts *planOptions) recordInputs() {
	if opts.Out != "" {
		opts.readLog = &schema.ReadLog{}
	}
}

// savePlan writes the plan to -out (nothing without it) and returns the
// file's hash.
func (opts *planOptions) savePlan(p *planner.Plan) (string, error) {
	if opts.Out == "" {
		return "", nil
	}
	pf, err := newPlanFile(p, opts.readLog, opts.Sandbox, &opts.target)
	if err != nil {
		return "", err
	}
	return writePlanFile(opts.Out, pf)
}

// savedPlanNote tells where the plan went; on stderr, so that stdout stays
// the plan alone with --json and --markdown.
func (opts *planOptions) savedPlanNote() {
	if opts.Out == "" {
		return
	}
	fmt.Fprintf(opts.IO.ErrOut, "\nSaved the plan to %s. To apply exactly these changes, run: mkctl apply %s\n", opts.Out, opts.Out)
}

// runApplyFile applies a saved plan: the changes it holds and nothing
// else, or none at all when it is stale. The checks, in order, all before
// any write:
//
//  1. the file is a saved plan of this mkctl's format and version;
//  2. the configuration (files, files it reads, variable values) hashes
//     as when the plan was made;
//  3. with each account locked, the account is read again and planned
//     again: every object the saved plan touches must give the same
//     fingerprint (planner.AccountFingerprint). Drift elsewhere does not
//     matter; it is not applied either.
//
// There is no confirmation: the saved plan is the approval (as terraform
// apply PLANFILE), so --auto-approve changes nothing.
func runApplyFile(ctx context.Context, opts *applyOptions, path string, cancel context.CancelFunc) error {
	io := opts.IO
	pf, fileHash, err := readPlanFile(path)
	if err != nil {
		return err
	}
	if err := pf.checkVersion(path); err != nil {
		return err
	}
	if pf.Sandbox != opts.Sandbox {
		if pf.Sandbox {
			return fmt.Errorf("the saved plan %s was made against the sandbox: apply it with --sandbox", path)
		}
		return fmt.Errorf("the saved plan %s was made against the real instances, not the sandbox: apply it without --sandbox", path)
	}
	// The plan is compared with a plan made again as it was made: the
	// same accounts and resources, the same deletion guard.
	if len(opts.target.Targets) > 0 || len(opts.target.Excludes) > 0 || opts.target.AllowMassDelete {
		return fmt.Errorf("apply %s applies the saved plan as it was made: --target, --exclude and --allow-mass-delete are given to mkctl plan -out, not to apply FILE", path)
	}
	opts.target.Targets, opts.target.Excludes, opts.target.AllowMassDelete = pf.Targets, pf.Excludes, pf.AllowMassDelete
	opts.readLog = &schema.ReadLog{}
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	inputs, err := pf.inputsNow(opts.readLog)
	if err != nil {
		return err
	}
	if configDigest(inputs) != pf.Configuration.Digest {
		items := configChanges(pf.Configuration.Inputs, inputs)
		if len(items) == 0 {
			items = []string{"the configuration's hash differs"}
		}
		return &stalePlanError{path: path, what: "the configuration changed", items: items}
	}
	saved := map[string]*planFileAccount{}
	for _, a := range pf.Accounts {
		saved[a.Address] = a
	}
	for _, acct := range cfg.Accounts {
		delete(saved, acct.Address())
	}
	for addr := range saved {
		// Cannot happen with an unchanged configuration, unless the
		// plan file was edited.
		return fmt.Errorf("the saved plan %s names %s, which the configuration does not declare. Hint: make a new plan: mkctl plan -out %s", path, addr, path)
	}

	// Lock as apply does, then read: the fingerprints must be of the
	// state the changes are applied to.
	defer opts.lockOnRead(cancel)()
	fresh, targets, sb, err := opts.planLoaded(ctx, cfg, opts.Sandbox)
	if err != nil {
		return err
	}
	defer func() {
		if err := sb.close(); err != nil {
			fmt.Fprintf(io.ErrOut, "Warning: %v\n", err)
		}
	}()
	plan, err := pf.checkLive(path, fresh)
	if err != nil {
		return err
	}

	c := io.Colors()
	fmt.Fprintf(io.Out, "Applying the saved plan %s (made %s, %s).\n\n", path, pf.CreatedAt.Format("2006-01-02 15:04:05 MST"), fileHash)
	view.HumanPlan(io.Out, plan, c)
	if !plan.NeedsApply() {
		return sb.save()
	}
	if err := opts.checkPermissions(ctx, targets, plan, opts.Sandbox); err != nil {
		return err
	}
	fmt.Fprintln(io.Out)
	total, applyErr := applyPlan(ctx, opts, targets, plan)
	if err := sb.save(); err != nil {
		applyErr = errors.Join(applyErr, err)
	}
	if applyErr != nil {
		fmt.Fprintf(io.Out, "\nApply stopped: %d added, %d changed, %d destroyed before the error. Make a new plan to finish: mkctl plan -out %s\n",
			total.Added, total.Changed, total.Destroyed, path)
		return applyErr
	}
	fmt.Fprintf(io.Out, "\n%s Resources: %d added, %d changed, %d destroyed.\n",
		c.Green("Apply complete!"), total.Added, total.Changed, total.Destroyed)
	return nil
}

// checkLive compares the saved plan with the plan made now from the same
// configuration and the account as it is now, and returns what to apply:
// the saved changes, in the fresh plan's account order, with the
// ownership records just read. An account the saved plan does not hold
// gets no changes.
func (pf *planFile) checkLive(path string, fresh *planner.Plan) (*planner.Plan, error) {
	savedPlan := pf.plan()
	byAddr := map[string]int{}
	for i, a := range pf.Accounts {
		byAddr[a.Address] = i
	}
	var moved []string
	out := make([]*planner.AccountPlan, len(fresh.Accounts))
	for i, now := range fresh.Accounts {
		j, ok := byAddr[now.Address]
		if !ok {
			out[i] = &planner.AccountPlan{Address: now.Address, Host: now.Host, Username: now.Username, UserID: now.UserID}
			continue
		}
		a := pf.Accounts[j]
		if a.UserID != "" && now.UserID != a.UserID {
			moved = append(moved, fmt.Sprintf("%s: the account's user id is %s now, %s in the plan (another account of that name?)", now.Address, now.UserID, a.UserID))
			continue
		}
		for _, obj := range a.Live.Compare(planner.AccountFingerprint(now)) {
			moved = append(moved, obj+": "+movedReason(obj, now))
		}
		ap := savedPlan.Accounts[j]
		ap.Ownership = now.Ownership
		ap.UserID = now.UserID
		patchSources(ap, now)
		moved = append(moved, restoreSensitive(ap, now)...)
		out[i] = ap
	}
	if len(moved) > 0 {
		return nil, &stalePlanError{path: path, what: "the live account changed in what the plan depends on", items: moved}
	}
	return planner.New(out...), nil
}

// movedReason says how a planned object differs now.
func movedReason(obj string, now *planner.AccountPlan) string {
	if _, ok := planner.AccountFingerprint(now).Objects[obj]; ok {
		return "changed on the server (the plan would now change it differently)"
	}
	return "changed on the server (the plan would now make no such change)"
}

// patchSources gives the saved changes the absolute paths of the files to
// upload on this machine (the fresh plan's): a plan made in one checkout
// applies in another. The bytes are the same: their md5 is in the
// configuration's hash and in the change.
func patchSources(ap, now *planner.AccountPlan) {
	fresh := map[string]*planner.Change{}
	for _, ch := range now.Changes {
		if ch != nil && !ch.Followup {
			fresh[ch.Address] = ch
		}
	}
	for _, ch := range ap.Changes {
		f, ok := fresh[ch.Address]
		if !ok || ch.Followup {
			continue
		}
		copySource(ch.After, f.After)
	}
}

func copySource(dst, src map[string]any) {
	if dst == nil || src == nil {
		return
	}
	if s, ok := src["source"].(string); ok {
		if _, had := dst["source"]; had {
			dst["source"] = s
		}
	}
	for k, v := range dst {
		if d, ok := v.(map[string]any); ok {
			if s, ok := src[k].(map[string]any); ok {
				copySource(d, s)
			}
		}
	}
}
