package cmd

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// noArgs is cobra.NoArgs with a message that helps: cobra's own says
// `unknown command "accounts/news" for "mkctl plan"`, which hides that
// the user meant a directory, as Terraform's older `plan DIR` took one.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if fi, err := os.Stat(args[0]); err == nil && fi.IsDir() {
		return fmt.Errorf("%s takes no arguments, and %q is a directory. Hint: to use the configuration in it, run `mkctl --chdir %s %s`.",
			cmd.CommandPath(), args[0], args[0], cmd.Name())
	}
	return fmt.Errorf("%s takes no arguments (got %q). See `%s --help`.", cmd.CommandPath(), args[0], cmd.CommandPath())
}
