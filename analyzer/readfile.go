package analyzer

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"
)

var tempCounter atomic.Uint64

// tempName is a hidden name beside path to write a file under before it is
// renamed into place; cache pruning removes such files left behind.
func tempName(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-"+strconv.Itoa(os.Getpid())+"-"+strconv.FormatUint(tempCounter.Add(1), 10))
}

// Reading and writing whole files: readfile_linux.go with plain system
// calls, readfile_other.go with the os package.

// fileInfo is what readWhole learned of a file besides its content.
type fileInfo struct {
	size  int64
	mtime time.Time
	ctime time.Time // when the inode last changed (Linux): what no tool sets back
	// dev and ino name the file itself (Linux): a pack just written is
	// known again by them, whatever was renamed over its path meanwhile.
	dev, ino uint64
}

// errTooLarge is returned, with the size, for a file over the limit.
var errTooLarge = errors.New("over the size limit")

// errNotRegular is why a FIFO, a device or a directory is not read: a FIFO
// opened for reading would block the scan.
var errNotRegular = errors.New("not a regular file")

// sizedBuffer is the buffer readWhole fills: from alloc when given.
func sizedBuffer(size int, alloc func(size int) []byte) []byte {
	if alloc != nil {
		return alloc(size)
	}
	return make([]byte, size)
}
