package analyzer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestReadWholePortable: the off-Linux reader gives what the Linux one
// gives, refuses what it refuses, and fills the caller's buffer in place.
func TestReadWholePortable(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.bin")
	data := bytes.Repeat([]byte("lmilint "), 1<<20) // 8 MiB
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, info, err := readWholePortable(path, 0, nil)
	if err != nil || !bytes.Equal(got, data) || info.size != int64(len(data)) {
		t.Fatalf("read %d bytes, size %d, %v", len(got), info.size, err)
	}
	if _, _, err := readWholePortable(path, 1000, nil); !errors.Is(err, errTooLarge) {
		t.Errorf("over the limit: %v, want errTooLarge", err)
	}
	if _, _, err := readWholePortable(filepath.Join(dir, "missing"), 0, nil); err == nil {
		t.Error("a missing file was read")
	}
	if _, _, err := readWholePortable(dir, 0, nil); err == nil {
		t.Error("a directory was read")
	}
	// One buffer: the caller's. Reading whole and copying held the file twice.
	buf := make([]byte, len(data))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, _, err = readWholePortable(path, 0, func(size int) []byte { return buf[:size] })
	runtime.ReadMemStats(&after)
	if err != nil || !bytes.Equal(got, data) || &got[0] != &buf[0] {
		t.Fatalf("into the caller's buffer: %v, in place %v", err, len(got) > 0 && &got[0] == &buf[0])
	}
	if extra := after.TotalAlloc - before.TotalAlloc; extra > uint64(len(data))/4 {
		t.Errorf("reading %d bytes into the caller's buffer allocated %d more", len(data), extra)
	}
}

// TestWriteStreamPortable: pieces are written as they come, not gathered
// in memory, the file appears whole under its name and nothing else is
// left in the directory; a missing directory is made.
func TestWriteStreamPortable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "made")
	path := filepath.Join(dir, "pack")
	piece := bytes.Repeat([]byte("x"), 64<<10)
	const pieces = 512 // 32 MiB
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	info, ok := writeStreamPortable(path, func(write func([]byte) bool) {
		for range pieces {
			if !write(piece) {
				return
			}
		}
	})
	runtime.ReadMemStats(&after)
	if !ok || info.size != pieces*int64(len(piece)) {
		t.Fatalf("written: %v, size %d", ok, info.size)
	}
	if extra := after.TotalAlloc - before.TotalAlloc; extra > 4<<20 {
		t.Errorf("streaming 32 MiB allocated %d bytes: the pieces were gathered", extra)
	}
	if st, err := os.Stat(path); err != nil || st.Size() != info.size {
		t.Fatalf("the file: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries in the directory, want the file alone", len(entries))
	}
	// A second write replaces the file whole.
	if _, ok := writeStreamPortable(path, func(write func([]byte) bool) { write([]byte("short")) }); !ok {
		t.Fatal("a short write failed")
	}
	if data, _ := os.ReadFile(path); string(data) != "short" {
		t.Errorf("replaced file holds %q", data)
	}
}
