// Command mkctl manages Misskey accounts from HCL configuration files.
package main

import (
	"os"

	"github.com/mkctl/mkctl/cmd"
)

func main() {
	cmd.TuneGC(os.Getenv)
	os.Exit(cmd.Main(cmd.System(), os.Args[1:]))
}
