package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

type validateOptions struct {
	*globalOptions
}

func newValidateCmd(g *globalOptions) *cobra.Command {
	opts := &validateOptions{globalOptions: g}
	return &cobra.Command{
		Use:   "validate",
		Short: "Check the configuration without contacting any server",
		Args:  cobra.NoArgs,
		RunE:  wrapRun(func(cmd *cobra.Command, _ []string) error { return runValidate(opts) }),
	}
}

func runValidate(opts *validateOptions) error {
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	c := opts.IO.Colors()
	fmt.Fprintf(opts.IO.Out, "%s The configuration is valid (%d account(s)).\n", c.Green("Success!"), len(cfg.Accounts))
	return nil
}
