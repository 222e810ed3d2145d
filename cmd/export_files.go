package cmd

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema"
	"github.com/mkctl/mkctl/schema/export"
)

// exportDownloadSlots is how many files export downloads at once.
const exportDownloadSlots = 4

// exportDownloadAttempts is how many times a download that failed on the
// way (network, 5xx, 429) is tried.
const exportDownloadAttempts = 3

// exportPaths lists the files an export writes (the HCL files and the
// downloads), relative to dir, and refuses before anything is written: a
// name that would leave dir, a directory on the way that is a symbolic
// link or not a directory, and — without force — a file that exists.
func exportPaths(dir string, files []export.File, downloads []export.Download, force bool) error {
	var exist []string
	check := func(rel string) error {
		clean := path.Clean(rel)
		if rel == "" || clean != rel || path.IsAbs(rel) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(rel, `\`) {
			return fmt.Errorf("export: refusing to write %q outside %s", rel, dir)
		}
		parts := strings.Split(rel, "/")
		p := dir
		for i, part := range parts {
			p = filepath.Join(p, part)
			info, err := os.Lstat(p)
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			if i < len(parts)-1 {
				if !info.IsDir() {
					return fmt.Errorf("export: refusing to write %s: %s is not a directory (a symbolic link is not followed); nothing was written", filepath.Join(dir, filepath.FromSlash(rel)), p)
				}
				continue
			}
			if info.IsDir() {
				return fmt.Errorf("export: refusing to write %s: it is a directory; nothing was written", p)
			}
			exist = append(exist, p)
		}
		return nil
	}
	for _, f := range files {
		if filepath.Base(f.Name) != f.Name {
			return fmt.Errorf("export: refusing to write %q outside %s", f.Name, dir)
		}
		if err := check(f.Name); err != nil {
			return err
		}
	}
	for _, d := range downloads {
		if err := check(d.Path); err != nil {
			return err
		}
	}
	if len(exist) > 0 && !force {
		return fmt.Errorf("refusing to overwrite %s: nothing was written; use --force to replace, or --out for another directory", strings.Join(exist, ", "))
	}
	return nil
}

// staged is the downloaded files of an export, in a directory of their
// own inside the output directory until they are all there and checked.
type staged struct {
	dir   string
	files map[string]string // file id → path under dir
}

func (s *staged) remove() {
	if s != nil && s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// downloadExport fetches every download (each file once, however many
// paths name it) into a new directory in out, streaming each through md5:
// a file whose size or md5 is not what Misskey reported is an error, and
// then nothing is left behind.
func downloadExport(ctx context.Context, c *provider.Client, out string, downloads []export.Download) (*staged, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	dir, err := os.MkdirTemp(out, ".mkctl-export-*")
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	s := &staged{dir: dir, files: map[string]string{}}
	var todo []export.Download
	for _, d := range downloads {
		if _, ok := s.files[d.FileID]; ok {
			continue
		}
		s.files[d.FileID] = fmt.Sprintf("%04d", len(todo))
		todo = append(todo, d)
	}
	g, gctx := safego.WithContext(ctx, "downloading drive files")
	g.SetLimit(exportDownloadSlots)
	for i, d := range todo {
		g.Go(func() error {
			return downloadOne(gctx, c, filepath.Join(dir, fmt.Sprintf("%04d", i)), d)
		})
	}
	if err := g.Wait(); err != nil {
		s.remove()
		return nil, err
	}
	return s, nil
}

// downloadOne writes d's bytes to p, trying again after a failure on the
// way, and checks their size and md5.
func downloadOne(ctx context.Context, c *provider.Client, p string, d export.Download) error {
	var lastErr error
	for attempt := 1; attempt <= exportDownloadAttempts; attempt++ {
		if attempt > 1 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt) * time.Second):
			}
		}
		f, err := os.OpenFile(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		h := md5.New()
		n, err := c.Download(ctx, d.URL, io.MultiWriter(f, h), d.Size)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			lastErr = err
			if retryableDownload(err) && ctx.Err() == nil {
				continue
			}
			break
		}
		if n != d.Size {
			return fmt.Errorf("export: downloading %s (%s): got %d bytes, Misskey reported %d; nothing was written", d.What, d.URL, n, d.Size)
		}
		if sum := hex.EncodeToString(h.Sum(nil)); sum != d.MD5 {
			return fmt.Errorf("export: downloading %s (%s): the bytes have md5 %s, Misskey reported %s; nothing was written", d.What, d.URL, sum, d.MD5)
		}
		return nil
	}
	return fmt.Errorf("export: downloading %s (%s): %w; nothing was written", d.What, d.URL, lastErr)
}

func retryableDownload(err error) bool {
	var st *provider.DownloadStatusError
	if errors.As(err, &st) {
		return st.Temporary()
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF)
}

// checkStaged checks each downloaded file as Load will read it (its name's
// rules, its detected type, an image for avatar and banner) and returns
// the files Generate must leave out, with why (export.Options.SkipFiles).
func checkStaged(s *staged, downloads []export.Download) map[string]string {
	skip := map[string]string{}
	for _, d := range downloads {
		rel := s.files[d.FileID]
		if d.Name != "" {
			if _, _, _, why := schema.CheckSourceFile(s.dir, rel, d.Name); why != "" {
				skip[d.FileID] = why
			}
		}
		if d.Image {
			if _, _, _, why := schema.CheckSourceFile(s.dir, rel, ""); why != "" {
				skip[export.ImageSkipKey(d.FileID)] = why
			}
		}
	}
	return skip
}

// commitStaged moves the downloaded files to their paths in out (a rename
// each: a file is there whole or not at all), a file named by two paths
// copied for the second.
func commitStaged(s *staged, out string, downloads []export.Download) error {
	moved := map[string]string{} // file id → where it went
	for _, d := range downloads {
		dst := filepath.Join(out, filepath.FromSlash(d.Path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if first, ok := moved[d.FileID]; ok {
			data, err := os.ReadFile(first)
			if err == nil {
				err = writeFileAtomic(dst, data, 0o644)
			}
			if err != nil {
				return fmt.Errorf("export: writing %s: %w", d.Path, err)
			}
			continue
		}
		if err := os.Rename(filepath.Join(s.dir, s.files[d.FileID]), dst); err != nil {
			return fmt.Errorf("export: writing %s: %w", d.Path, err)
		}
		moved[d.FileID] = dst
	}
	return nil
}

// downloadedBytes is the total size of the downloads.
func downloadedBytes(downloads []export.Download) int64 {
	var n int64
	for _, d := range downloads {
		n += d.Size
	}
	return n
}
