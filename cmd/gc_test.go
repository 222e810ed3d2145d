package cmd

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, userSet := range []map[string]string{{"GOGC": "50"}, {"GOMEMLIMIT": "1GiB"}} {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		TuneGC(env(userSet))
		if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); p != 100 || l != math.MaxInt64 {
			t.Errorf("with %v set, TuneGC changed the collector: GOGC %d, limit %d", userSet, p, l)
		}
	}
	TuneGC(env(nil))
	if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); p != gcPercent || l != memoryLimit {
		t.Errorf("TuneGC set GOGC %d and limit %d, want %d and %d", p, l, gcPercent, memoryLimit)
	}
}
