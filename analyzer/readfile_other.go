//go:build !linux

package analyzer

// readWhole reads a file (see readfile_linux.go and readfile_portable.go).
func readWhole(path string, limit int64, alloc func(size int) []byte) ([]byte, fileInfo, error) {
	return readWholePortable(path, limit, alloc)
}

// statFile is what stat says of the file at path (see readfile_linux.go):
// on macOS with the file's identity (statinfo_darwin.go), so a re-scan takes
// unchanged files from the tree pack unread, as on Linux; elsewhere without
// it, and every file is read (filestats.go).
func statFile(path string) (fileInfo, bool) { return statFilePortable(path) }

// writeAtomically writes a cache entry (see readfile_linux.go).
func writeAtomically(path string, data []byte) bool {
	_, ok := writeStreamPortable(path, func(write func([]byte) bool) { write(data) })
	return ok
}

// writeStreamAtomically writes data piece by piece (see readfile_linux.go
// and readfile_portable.go).
func writeStreamAtomically(path string, fill func(write func([]byte) bool)) (fileInfo, bool) {
	return writeStreamPortable(path, fill)
}

// readWholeParallel reads a big file (see readfile_linux.go).
func readWholeParallel(path string, parts int, alloc func(size int) []byte) ([]byte, fileInfo, error) {
	return readWhole(path, 0, alloc)
}
