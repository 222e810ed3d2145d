package cmd

import (
	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/cmd/view"
)

type showOptions struct {
	*globalOptions
	JSON     bool
	Markdown bool
}

func newShowCmd(g *globalOptions) *cobra.Command {
	opts := &showOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "show FILE",
		Short: "Show a saved plan",
		Long: `Prints a plan saved by "mkctl plan -out FILE" as plan prints it, as the
versioned JSON of "plan --json", or as Markdown for a pull request comment.
Reads neither the configuration nor the accounts.`,
		Args: cobra.ExactArgs(1),
		RunE: wrapRun(func(cmd *cobra.Command, args []string) error { return runShow(opts, args[0]) }),
	}
	f := cmd.Flags()
	f.BoolVar(&opts.JSON, "json", false, "print the plan as versioned JSON (as plan --json)")
	f.BoolVar(&opts.Markdown, "markdown", false, "print the plan as GitHub Markdown for a pull request comment")
	cmd.MarkFlagsMutuallyExclusive("json", "markdown")
	return cmd
}

func runShow(opts *showOptions, path string) error {
	pf, hash, err := readPlanFile(path)
	if err != nil {
		return err
	}
	plan := pf.plan()
	switch {
	case opts.JSON:
		return view.JSONPlan(opts.IO.Out, plan, pf.MkctlVersion)
	case opts.Markdown:
		return view.MarkdownPlan(opts.IO.Out, plan, view.MarkdownOptions{Version: pf.MkctlVersion, PlanFileHash: hash})
	}
	view.HumanPlan(opts.IO.Out, plan, opts.IO.Colors())
	return nil
}
