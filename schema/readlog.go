package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// Kinds of a ReadEntry.
const (
	ReadConfig   = "config"   // a *.mk.hcl file
	ReadVarFile  = "var_file" // a --var-file
	ReadFile     = "file"     // read by file() or templatefile()
	ReadUpload   = "upload"   // a drive_file source, avatar or banner (hashed with md5, as uploaded)
	ReadVariable = "variable" // the final value of var.NAME, whatever set it
)

// ReadEntry is one input of a configuration: a file it was read from, or
// the value of one variable. Digest is "sha256:HEX" ("md5:HEX" for an
// upload, whose bytes Load hashes once with md5); a variable's value is
// only ever stored hashed.
type ReadEntry struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"` // the file's path as given (config files: relative to the directory), or var.NAME
	Digest string `json:"digest"`
}

// ReadLog collects the inputs of one Load when set in LoadOptions.ReadLog:
// every file the configuration was read from and every variable's value,
// each hashed. A saved plan keeps them so that apply can tell whether
// the configuration changed since (cmd/planfile.go).
type ReadLog struct {
	mu      sync.Mutex
	entries map[string]ReadEntry // kind + "\x00" + name
}

// Entries lists what was read, sorted by kind then name.
func (r *ReadLog) Entries() []ReadEntry {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]ReadEntry, 0, len(r.entries))
	for _, e := range r.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func (r *ReadLog) add(kind, name, digest string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.entries == nil {
		r.entries = map[string]ReadEntry{}
	}
	r.entries[kind+"\x00"+name] = ReadEntry{Kind: kind, Name: name, Digest: digest}
}

func sha256Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// addBytes records a file read whole. Paths under dir are logged relative
// to it with forward slashes, so a plan made in one checkout compares
// with another checkout of the same tree.
func (r *ReadLog) addBytes(kind, dir, path string, b []byte) {
	if r == nil {
		return
	}
	r.add(kind, relName(dir, path), sha256Digest(b))
}

func relName(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

// addSources records the files the configuration uploads (their md5,
// computed while loading).
func (r *ReadLog) addSources(fs *fileSources) {
	if r == nil || fs == nil {
		return
	}
	for _, res := range fs.seen {
		if res.err != nil || res.src.MD5 == "" {
			continue
		}
		r.add(ReadUpload, res.src.Path, "md5:"+res.src.MD5)
	}
}

// addVariables records each variable's final value, hashed: the value may
// be a secret.
func (r *ReadLog) addVariables(values map[string]cty.Value) {
	if r == nil {
		return
	}
	for name, v := range values {
		var b []byte
		if v.IsWhollyKnown() {
			b, _ = ctyjson.Marshal(v, v.Type())
		}
		ty, _ := ctyjson.MarshalType(v.Type())
		r.add(ReadVariable, "var."+name, sha256Digest(append(append(ty, 0), b...)))
	}
}

// logInputs records a loaded configuration's files and variables.
func logInputs(log *ReadLog, p interface {
	Files() map[string]*hcl.File
}, dir string, configPaths, varFiles []string, values map[string]cty.Value, fs *fileSources) {
	if log == nil {
		return
	}
	files := p.Files()
	for _, path := range configPaths {
		if f, ok := files[path]; ok {
			log.addBytes(ReadConfig, dir, path, f.Bytes)
		}
	}
	for _, path := range varFiles {
		if f, ok := files[path]; ok {
			log.add(ReadVarFile, filepath.ToSlash(path), sha256Digest(f.Bytes))
		}
	}
	log.addVariables(values)
	log.addSources(fs)
}
