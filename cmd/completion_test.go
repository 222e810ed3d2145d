package cmd

import (
	"os"
	"slices"
	"testing"
)

// BenchmarkCompleteAddresses: what one <TAB> after --target costs in
// process (the configuration of examples/news-bot is loaded each time, as
// each `mkctl __complete` does).
func BenchmarkCompleteAddresses(b *testing.B) {
	io, _, _ := testIO()
	g := &globalOptions{IO: io, Chdir: "../examples/news-bot", Env: os.Environ, Getenv: os.Getenv}
	for b.Loop() {
		got, _ := completeAddresses(g, "account.news.f", true)
		if !slices.Contains(got, `account.news.follow["@reuters"]`) {
			b.Fatalf("%v", got)
		}
	}
}
