package cmd

import (
	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/cmd/view"
)

type planOptions struct {
	*globalOptions
	JSON             bool
	Markdown         bool
	DetailedExitCode bool
	Sandbox          bool
	Out              string // -out FILE: save the plan (planfile_cmd.go)
}

func newPlanCmd(g *globalOptions) *cobra.Command {
	opts := &planOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what apply would change",
		Long: `Reads each declared account from its instance and shows the difference
between the configuration and the live account. Changes nothing.`,
		Args: noArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return runPlan(cmd, opts) }),
	}
	f := cmd.Flags()
	f.BoolVar(&opts.JSON, "json", false, "print the plan as versioned JSON")
	f.BoolVar(&opts.Markdown, "markdown", false, "print the plan as GitHub Markdown for a pull request comment")
	cmd.MarkFlagsMutuallyExclusive("json", "markdown")
	f.BoolVar(&opts.DetailedExitCode, "detailed-exitcode", false, "exit 0 with no changes, 1 on error, 2 when there are changes")
	addMaxWaitFlag(f, g)
	addTargetFlags(f, &g.target)
	f.BoolVar(&opts.Sandbox, "sandbox", false, "plan against the local emulator (.mkctl/sandbox.json) instead of the real instances")
	f.StringVar(&opts.Out, "out", "", "save the plan to `FILE` for mkctl apply FILE and mkctl show FILE")
	return cmd
}

func runPlan(cmd *cobra.Command, opts *planOptions) error {
	opts.recordInputs() // for -out
	plan, _, sb, err := opts.planConfig(cmd.Context(), opts.Sandbox)
	if err != nil {
		return err
	}
	defer sb.close() // plan saves nothing: an unlock error changes nothing
	planHash, err := opts.savePlan(plan)
	if err != nil {
		return err
	}
	if opts.Out != "" {
		// A sandbox made up the accounts this plan read (new users get new
		// ids each time): keep them, or `apply FILE` would find other
		// accounts and refuse the plan as stale. The plan changed nothing
		// else in the state.
		if err := sb.save(); err != nil {
			return err
		}
	}
	if opts.JSON {
		if err := view.JSONPlan(opts.IO.Out, plan, Version); err != nil {
			return err
		}
	} else if opts.Markdown {
		if err := view.MarkdownPlan(opts.IO.Out, plan, view.MarkdownOptions{Version: Version, PlanFileHash: planHash}); err != nil {
			return err
		}
	} else {
		view.HumanPlan(opts.IO.Out, plan, opts.IO.Colors())
	}
	opts.savedPlanNote()
	if opts.DetailedExitCode && plan.HasChanges() {
		return exitCodeError{ExitChanges}
	}
	return nil
}
