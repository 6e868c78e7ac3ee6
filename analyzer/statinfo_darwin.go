package analyzer

import (
	"io/fs"
	"syscall"
	"time"
)

// infoOf is what the os package's stat says of a file, as a fileInfo, with
// the inode's change time and the file's device and inode numbers: what a
// run needs to trust that a file is as the last run saw it (filestats.go)
// and to know a sealed tree pack again, as on Linux.
func infoOf(st fs.FileInfo) fileInfo {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return fileInfo{size: st.Size(), mtime: st.ModTime()}
	}
	return fileInfo{size: sys.Size, mtime: time.Unix(sys.Mtimespec.Unix()), ctime: time.Unix(sys.Ctimespec.Unix()),
		dev: uint64(uint32(sys.Dev)), ino: sys.Ino}
}
