package imagesize

import "testing"

// The schema cross-check compares the emulator and schema readings, which
// both call these; so these cases pin the readings themselves.
func TestSVG(t *testing.T) {
	for _, c := range []struct {
		in       string
		w, h     int
		ok, root bool
	}{
		{`<?xml version="1.0"?><svg xmlns="x" width="120" height="40px">`, 120, 40, true, true},
		{`<svg viewBox="0 0 300 150" width="600">`, 600, 300, true, true},
		{`<svg viewBox="0,0,300,150" height="75">`, 150, 75, true, true},
		{`<svg viewBox="0 0 300 150">`, 300, 150, true, true},
		{`<svg xmlns="x">`, 0, 0, false, true},
		{`<svg width="10" height="10"`, 0, 0, false, false}, // the tag never closes
		{`<html width="1" height="1">`, 0, 0, false, false},
	} {
		w, h, ok := SVG([]byte(c.in))
		if w != c.w || h != c.h || ok != c.ok {
			t.Errorf("SVG(%q) = %d, %d, %v; want %d, %d, %v", c.in, w, h, ok, c.w, c.h, c.ok)
		}
		if got := HasSVGRoot([]byte(c.in)); got != c.root {
			t.Errorf("HasSVGRoot(%q) = %v, want %v", c.in, got, c.root)
		}
	}
}

func TestWebP(t *testing.T) {
	webp := func(chunk string, tail ...byte) []byte {
		b := append([]byte("RIFF\x00\x00\x00\x00WEBP"+chunk), make([]byte, 30-16)...)
		copy(b[16:], tail)
		return b
	}
	for _, c := range []struct {
		name string
		in   []byte
		w, h int
		ok   bool
	}{
		// VP8X: 24-bit width-1 and height-1 at 24 and 27.
		{"VP8X", webp("VP8X", 0, 0, 0, 0, 0, 0, 0, 0, 0x3F, 0x1F, 0, 0xFF, 0, 0), 0x1F40, 0x100, true},
		// VP8L: 14-bit width-1, then 14-bit height-1, from byte 21.
		{"VP8L", webp("VP8L", 0, 0, 0, 0, 0, 9, 0x80, 0x0C, 0), 10, 51, true},
		// VP8: 14-bit width and height at 26 and 28.
		{"VP8", webp("VP8 ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x03, 0x58, 0xC2), 800, 600, true},
		{"other chunk", webp("ALPH"), 0, 0, false},
		{"short", webp("VP8X")[:29], 0, 0, false},
	} {
		w, h, ok := WebP(c.in)
		if w != c.w || h != c.h || ok != c.ok {
			t.Errorf("%s: WebP = %d, %d, %v; want %d, %d, %v", c.name, w, h, ok, c.w, c.h, c.ok)
		}
	}
}
