package provider

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/mkctl/mkctl/schema"
)

// pngBytes is a small PNG whose bytes depend on seed.
func pngBytes(t testing.TB, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for x := range 16 {
		for y := range 16 {
			img.Set(x, y, color.RGBA{uint8(seed * 37), uint8(x*16 + seed), uint8(y * 16), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// writeSource writes data to dir/name and describes it as the schema
// would (md5, size, the type Misskey detects).
func writeSource(t testing.TB, dir, name string, data []byte, typ string) *schema.FileSource {
	t.Helper()
	abs := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(abs, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(data)
	return &schema.FileSource{Path: name, Abs: abs, MD5: hex.EncodeToString(sum[:]), Size: int64(len(data)), Type: typ}
}

// imageSource is a PNG source of seed.
func imageSource(t testing.TB, dir, name string, seed int) *schema.FileSource {
	return writeSource(t, dir, name, pngBytes(t, seed), "image/png")
}
