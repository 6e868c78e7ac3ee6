//go:build unix

package analyzer

import (
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
