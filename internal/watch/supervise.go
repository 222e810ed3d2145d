package watch

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// Loader loads the configuration: the accounts to watch, or an error
// (already described to the user) that keeps the previous ones.
type Loader func() ([]Account, error)

// Supervise watches the accounts load returns until ctx ends. A value on
// reload (SIGHUP, a changed *.mk.hcl file) loads again after
// Options.ReloadDelay: on success the running accounts are stopped — each
// finishing the change in flight — and the new ones started (each plans at
// once, against the new configuration); on failure the error is reported
// and the running configuration stays. The first load's error is returned.
func Supervise(ctx context.Context, loader Loader, reload <-chan string, opts Options) error {
	o := opts.withDefaults()
	// A panic while loading (a bug) is an invalid configuration: at a
	// reload the running one stays.
	load := func() (accts []Account, err error) {
		if perr := protect(func() error { accts, err = loader(); return nil }); perr != nil {
			return nil, perr
		}
		return accts, err
	}
	accts, err := load()
	if err != nil {
		return err
	}
	if len(accts) == 0 {
		return ErrNoAccounts
	}
	start := func(accts []Account) (context.CancelFunc, *sync.WaitGroup) {
		actx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		for _, a := range accts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				Run(actx, a, o)
			}()
		}
		return cancel, &wg
	}
	cancel, wg := start(accts)
	defer func() {
		cancel()
		wg.Wait()
	}()
	var delay Timer
	var reasons []string
	for {
		select {
		case <-ctx.Done():
			return nil
		case r := <-reload:
			if !slices.Contains(reasons, r) {
				reasons = append(reasons, r)
			}
			if delay == nil {
				delay = o.Clock.NewTimer(o.ReloadDelay)
			}
		case <-chanOf(delay):
			delay = nil
			why := strings.Join(reasons, ", ")
			reasons = nil
			next, err := load()
			if err == nil && len(next) == 0 {
				err = ErrNoAccounts
			}
			if err != nil {
				o.Report(Note{Kind: NoteConfigInvalid, Err: err, Reason: why})
				continue
			}
			cancel()
			wg.Wait()
			cancel, wg = start(next)
			o.Report(Note{Kind: NoteConfigReload, Reason: why})
		}
	}
}
