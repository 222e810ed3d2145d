package provider

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// uploadSink is a server that reads a multipart upload to its end,
// hashing the file part, and answers like drive/files/create.
func uploadSink(t testing.TB) (*httptest.Server, *string) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		fields := map[string]string{}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			if part.FileName() == "" {
				b, _ := io.ReadAll(part)
				fields[part.FormName()] = string(b)
				continue
			}
			h := md5.New()
			if _, err := io.Copy(h, part); err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			got = hex.EncodeToString(h.Sum(nil))
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"f1","name":"`+fields["name"]+`","md5":"`+got+`"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

// sparseFile makes a file of size bytes without writing them (a hole
// reads as zeros).
func sparseFile(t testing.TB, size int64) (string, string) {
	path := filepath.Join(t.TempDir(), "big.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	h := md5.New()
	f, _ = os.Open(path)
	_, _ = io.Copy(h, f)
	f.Close()
	return path, hex.EncodeToString(h.Sum(nil))
}

// TestUploadStreams: a 64 MiB upload arrives whole, and the client
// allocates a small fraction of it: the file is copied through a pipe,
// never held in memory.
func TestUploadStreams(t *testing.T) {
	const size = 64 << 20
	srv, got := uploadSink(t)
	path, sum := sparseFile(t, size)
	c, err := NewClient(srv.URL, "tok")
	if err != nil {
		t.Fatal(err)
	}
	up := upload{Fields: [][2]string{{"name", "big.bin"}}, Path: path, Filename: "big.bin", Size: size}
	var f apiFile
	// Warm up (connection, buffers), then measure one upload.
	if err := c.Upload(context.Background(), "drive/files/create", up, &f); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := c.Upload(context.Background(), "drive/files/create", up, &f); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if *got != sum || f.MD5 != sum || f.Name != "big.bin" {
		t.Fatalf("the server got md5 %s (answer %+v), want %s", *got, f, sum)
	}
	// The server's side (multipart reader, md5) runs in this process too;
	// both together must stay far below the file's size.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("one 64 MiB upload allocated %d KiB (server included), want < 4 MiB", alloc>>10)
	} else {
		t.Logf("64 MiB upload: %d KiB allocated in all (client and test server)", alloc>>10)
	}
}

// BenchmarkUploadMemory reports the bytes allocated per upload at two
// sizes: they do not grow with the file.
func BenchmarkUploadMemory(b *testing.B) {
	for _, size := range []int64{1 << 20, 32 << 20} {
		b.Run(humanSizeName(size), func(b *testing.B) {
			srv, _ := uploadSink(b)
			path, _ := sparseFile(b, size)
			c, _ := NewClient(srv.URL, "tok")
			up := upload{Fields: [][2]string{{"name", "big.bin"}}, Path: path, Filename: "big.bin", Size: size}
			b.ReportAllocs()
			b.SetBytes(size)
			for b.Loop() {
				var f apiFile
				if err := c.Upload(context.Background(), "drive/files/create", up, &f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func humanSizeName(n int64) string { return strconv.FormatInt(n>>20, 10) + "MiB" }
