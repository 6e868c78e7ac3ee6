package analyzer

import (
	"io/fs"
	"syscall"
)

// infoOf is what the os package's stat says of a file, as a fileInfo: with
// the inode's change time and the file's identity where the platform gives
// them (see statinfo_darwin.go). On Linux the readers use system calls
// directly (readfile_linux.go); this serves the portable ones, which the
// tests run here.
func infoOf(st fs.FileInfo) fileInfo {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		return statInfo(sys)
	}
	return fileInfo{size: st.Size(), mtime: st.ModTime()}
}
