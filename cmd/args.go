package cmd

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// singleDashLongFlags rewrites Terraform-style flags written with one dash
// (`-check`, `-detailed-exitcode`, `-chdir=dir`) into the two-dash form pflag
// expects: pflag reads `-check` as the shorthand cluster -c -h -e -c -k and
// fails. An argument `-name` or `-name=value` is rewritten only when name is
// a long flag of the command being invoked or one it inherits, so shorthand
// clusters (`-h`) are left alone. Nothing after `--` is touched, nor the
// value of a flag that takes one (`--var -check` sets a variable to
// "-check"), nor `-` (standard input) or a negative number.
//
// The command is found the way cobra finds it: leading arguments that name a
// subcommand descend into it, until the first other positional argument.
func singleDashLongFlags(root *cobra.Command, args []string) []string {
	out := make([]string, 0, len(args))
	cmd := root
	root.InitDefaultVersionFlag()
	cmd.InitDefaultHelpFlag()
	descending := true
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			return append(out, args[i:]...)
		case strings.HasPrefix(arg, "--"):
			out = append(out, arg)
			name, _, hasValue := strings.Cut(arg[2:], "=")
			if f := lookupFlag(cmd, name); f != nil && takesValue(f) && !hasValue && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		case len(arg) > 1 && arg[0] == '-':
			name, _, hasValue := strings.Cut(arg[1:], "=")
			if len(name) > 1 && !startsLikeNumber(name) {
				if f := lookupFlag(cmd, name); f != nil {
					out = append(out, "-"+arg)
					if takesValue(f) && !hasValue && i+1 < len(args) {
						i++
						out = append(out, args[i])
					}
					continue
				}
			}
			out = append(out, arg)
			// A shorthand that takes a value, alone (`-x VALUE`), consumes
			// the next argument; in a cluster or with its value attached
			// (`-xVALUE`) it does not.
			if len(arg) == 2 && i+1 < len(args) {
				if f := lookupShorthand(cmd, arg[1:]); f != nil && takesValue(f) {
					i++
					out = append(out, args[i])
				}
			}
		default:
			out = append(out, arg)
			if descending {
				if sub := findSubcommand(cmd, arg); sub != nil {
					cmd = sub
					cmd.InitDefaultHelpFlag()
					continue
				}
				descending = false
			}
		}
	}
	return out
}

// lookupFlag finds a long flag of cmd, its persistent flags or those of a
// parent (the flag sets are merged only when cobra parses).
func lookupFlag(cmd *cobra.Command, name string) *pflag.Flag {
	if f := cmd.Flags().Lookup(name); f != nil {
		return f
	}
	for c := cmd; c != nil; c = c.Parent() {
		if f := c.PersistentFlags().Lookup(name); f != nil {
			return f
		}
	}
	return nil
}

// lookupShorthand is lookupFlag for a one-letter shorthand.
func lookupShorthand(cmd *cobra.Command, name string) *pflag.Flag {
	if f := cmd.Flags().ShorthandLookup(name); f != nil {
		return f
	}
	for c := cmd; c != nil; c = c.Parent() {
		if f := c.PersistentFlags().ShorthandLookup(name); f != nil {
			return f
		}
	}
	return nil
}

// takesValue reports whether the flag reads the next argument as its value
// when written without `=` (bool flags do not).
func takesValue(f *pflag.Flag) bool { return f.NoOptDefVal == "" }

// startsLikeNumber is true for `-1`, `-.5`: a negative number, never a flag
// name.
func startsLikeNumber(s string) bool {
	return s != "" && (s[0] >= '0' && s[0] <= '9' || s[0] == '.')
}

func findSubcommand(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return c
		}
	}
	return nil
}
