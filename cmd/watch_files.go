package cmd

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/fsnotify/fsnotify"

	"github.com/mkctl/mkctl/internal/safego"
)

// watchConfigFiles sends a reload reason when a *.mk.hcl file of dir or
// one of the --var-file files (relative to the working directory) changes. The directory is watched, not the
// files: editors save by writing a new file and renaming it over the old
// one, which a watch on the old file would miss.
func watchConfigFiles(ctx context.Context, dir string, varFiles []string, reload chan<- string, warn func(error)) (stop func(), err error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching the configuration files: %w", err)
	}
	dirs := map[string]bool{}
	abs, _ := filepath.Abs(dir)
	dirs[abs] = true
	vars := map[string]bool{}
	for _, f := range varFiles {
		// Relative to the working directory, not to dir: that is where
		// the configuration loader reads it (schema.LoadOptions.VarFiles).
		p, _ := filepath.Abs(f)
		vars[p] = true
		dirs[filepath.Dir(p)] = true
	}
	for d := range dirs {
		if err := w.Add(d); err != nil {
			w.Close()
			return nil, fmt.Errorf("watching %s for configuration changes: %w", d, err)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// A panic here (a bug) would end watch from this goroutine: it
		// stops the file watching instead (SIGHUP still reloads), with a warning.
		err := safego.Call("watching the configuration files", func() error {
			for {
				select {
				case <-ctx.Done():
					return nil
				case ev, ok := <-w.Events:
					if !ok {
						return nil
					}
					name, _ := filepath.Abs(ev.Name)
					// A Kubernetes ConfigMap volume swaps its files at once
					// by renaming its ..data symlink: no *.mk.hcl event.
					swap := strings.HasPrefix(filepath.Base(name), "..data")
					if ev.Op == fsnotify.Chmod || !(strings.HasSuffix(name, ".mk.hcl") || vars[name] || swap) {
						continue
					}
					select {
					case reload <- filepath.Base(name) + " changed":
					default: // a reload is pending: it reads this change too
					}
				case err, ok := <-w.Errors:
					if !ok {
						return nil
					}
					warn(fmt.Errorf("watching the configuration files: %w", err))
				}
			}
		})
		if err != nil {
			warn(err)
		}
	}()
	return func() {
		w.Close()
		<-done
	}, nil
}
