//go:build !linux && !darwin

package analyzer

import "io/fs"

// infoOf is what the os package's stat says of a file, as a fileInfo: its
// size and modification time. Without the file's identity no run trusts
// that a file is unchanged without reading it (filestats.go): every file is
// read and hashed, and its tree still comes from the pack when the hash
// matches.
func infoOf(st fs.FileInfo) fileInfo {
	return fileInfo{size: st.Size(), mtime: st.ModTime()}
}
