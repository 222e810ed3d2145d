// Package misskeyapi embeds the OpenAPI document a real Misskey server serves
// (api.json, see VERSION.txt) and checks request bodies against it the way the
// server's Ajv does, so that tests and the emulator catch what the server
// would reject — and, stricter than the server, parameters it would silently
// ignore.
package misskeyapi

import (
	_ "embed"
	"strings"
)

//go:embed api.json
var apiJSON []byte

//go:embed VERSION.txt
var versionTxt string

// Version is the Misskey release api.json was taken from (e.g. "2026.5.4").
func Version() string {
	line, _, _ := strings.Cut(versionTxt, "\n")
	return strings.TrimSpace(line)
}

// Commit is the upstream commit of that release, the second line of
// VERSION.txt ("" if the file has none).
func Commit() string {
	_, rest, _ := strings.Cut(versionTxt, "\n")
	line, _, _ := strings.Cut(rest, "\n")
	return strings.TrimSpace(line)
}
