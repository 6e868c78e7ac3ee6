//go:build unix

package analyzer

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadWholePortableRefusesFIFOs: a FIFO is refused, not opened (opening
// one for reading waits for a writer).
func TestReadWholePortableRefusesFIFOs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo.cs")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := readWholePortable(path, 0, nil)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a FIFO was read")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO blocked")
	}
}

// TestStatFilePortable: where the platform names files (here, and on
// macOS), the os package's stat gives what the system call gives: the
// inode's change time, the device and the inode, which a run needs to trust
// a file unread (filestats.go). The portable reader and writer report the
// same, and a file replaced by a rename is known as another.
func TestStatFilePortable(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "F.cs")
	if err := os.WriteFile(path, []byte("class F { }"), 0o644); err != nil {
		t.Fatal(err)
	}
	want, ok := statFile(path)
	if !ok {
		t.Fatal("statFile: not a regular file")
	}
	got, ok := statFilePortable(path)
	if !ok || got != want || got.ino == 0 || got.ctime.IsZero() {
		t.Fatalf("statFilePortable %+v, %v; want %+v", got, ok, want)
	}
	if _, read, err := readWholePortable(path, 0, nil); err != nil || read != want {
		t.Errorf("readWholePortable says %+v, %v; want %+v", read, err, want)
	}
	written, ok := writeStreamPortable(path, func(write func([]byte) bool) { write([]byte("class G { }")) })
	if !ok || written.ino == 0 || written.ino == want.ino && written.dev == want.dev {
		t.Errorf("a file renamed over the old one: %+v, was %+v", written, want)
	}
	// The rename changes the inode's change time (as the Linux writer's
	// does); the file is the one written.
	if again, ok := statFilePortable(path); !ok || again.dev != written.dev || again.ino != written.ino || again.size != written.size || !again.mtime.Equal(written.mtime) {
		t.Errorf("after the rename stat says %+v, the writer %+v", again, written)
	}
	if _, ok := statFilePortable(dir); ok {
		t.Error("a directory counts as a file")
	}
	if _, ok := statFilePortable(filepath.Join(dir, "missing")); ok {
		t.Error("a missing file counts as a file")
	}
}
