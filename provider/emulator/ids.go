package emulator

import (
	"crypto/rand"
	"strconv"
	"strings"
	"time"
)

// Misskey's default id scheme "aidx": 8 base-36 digits of milliseconds
// since 2000-01-01, 4 of a per-process node id and 4 of a counter, e.g.
// "au12na4bvr920004". Ids therefore sort by creation time.
const (
	aidEpochMs   = 946684800000 // 2000-01-01T00:00:00Z
	base36Digits = "0123456789abcdefghijklmnopqrstuvwxyz"
)

// idGen makes aidx ids. It is part of the saved state so that a loaded
// sandbox keeps making unique ids.
type idGen struct {
	Node    string `json:"node"`
	Counter int64  `json:"counter"`
}

func newIDGen() idGen { return idGen{Node: randomString(base36Digits, 4)} }

func (g *idGen) next(t time.Time) string {
	ms := t.UnixMilli() - aidEpochMs
	if ms < 0 {
		ms = 0
	}
	g.Counter = (g.Counter + 1) % (36 * 36 * 36 * 36)
	return pad36(ms, 8) + g.Node + pad36(g.Counter, 4)
}

func pad36(n int64, width int) string {
	s := strconv.FormatInt(n, 36)
	if len(s) > width {
		return s[len(s)-width:]
	}
	return strings.Repeat("0", width-len(s)) + s
}

// randomString draws n characters of alphabet from crypto/rand: tokens are
// made with it too, the way Misskey's secureRndstr does.
func randomString(alphabet string, n int) string {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		panic("emulator: crypto/rand: " + err.Error())
	}
	out := make([]byte, n)
	for i, b := range buf {
		out[i] = alphabet[int(b)%len(alphabet)]
	}
	return string(out)
}
