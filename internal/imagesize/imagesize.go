// Package imagesize reads an image's pixel size from its bytes as
// Misskey's image-size package does, for the formats where that is a
// pure function of a byte prefix. The emulator (which models the server)
// and schema (which predicts it before an upload) both call it, so the two
// cannot drift apart on these formats; each keeps its own reading of the
// file (whole bytes versus bounded ReaderAt prefixes).
package imagesize

import (
	"encoding/binary"
	"regexp"
	"strconv"
)

// WebP reads the canvas size from a WebP's first chunk; b is at least the
// file's first 30 bytes.
func WebP(b []byte) (int, int, bool) {
	if len(b) < 30 {
		return 0, 0, false
	}
	switch string(b[12:16]) {
	case "VP8 ":
		return int(binary.LittleEndian.Uint16(b[26:28]) & 0x3FFF), int(binary.LittleEndian.Uint16(b[28:30]) & 0x3FFF), true
	case "VP8L":
		v := binary.LittleEndian.Uint32(b[21:25])
		return int(v&0x3FFF) + 1, int(v>>14&0x3FFF) + 1, true
	case "VP8X":
		w := int(b[24]) | int(b[25])<<8 | int(b[26])<<16
		h := int(b[27]) | int(b[28])<<8 | int(b[29])<<16
		return w + 1, h + 1, true
	}
	return 0, 0, false
}

var (
	svgRoot    = regexp.MustCompile(`(?s)<svg[^>]*>`)
	svgWidth   = regexp.MustCompile(`\swidth=["']([0-9.]+)(px)?["']`)
	svgHeight  = regexp.MustCompile(`\sheight=["']([0-9.]+)(px)?["']`)
	svgViewBox = regexp.MustCompile(`\sviewBox=["']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*["']`)
)

// HasSVGRoot reports whether b holds a whole <svg ...> tag, which is all
// SVG needs: a caller reading a prefix can stop there.
func HasSVGRoot(b []byte) bool { return svgRoot.Match(b) }

// SVG reads the first <svg ...> tag's width and height (a number of px),
// or its viewBox, scaled to the one of width and height given.
func SVG(b []byte) (int, int, bool) {
	root := svgRoot.Find(b)
	if root == nil {
		return 0, 0, false
	}
	num := func(s []byte) float64 { f, _ := strconv.ParseFloat(string(s), 64); return f }
	mw, mh := svgWidth.FindSubmatch(root), svgHeight.FindSubmatch(root)
	vb := svgViewBox.FindSubmatch(root)
	switch {
	case mw != nil && mh != nil:
		return int(num(mw[1])), int(num(mh[1])), true
	case vb != nil:
		vw, vh := num(vb[1]), num(vb[2])
		if mw != nil && vw > 0 {
			return int(num(mw[1])), int(num(mw[1]) * vh / vw), true
		}
		if mh != nil && vh > 0 {
			return int(num(mh[1]) * vw / vh), int(num(mh[1])), true
		}
		return int(vw), int(vh), true
	}
	return 0, 0, false
}
