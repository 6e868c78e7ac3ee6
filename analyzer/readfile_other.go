//go:build !linux

package analyzer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// readWhole reads a file (see readfile_linux.go).
func readWhole(path string, limit int64, alloc func(size int) []byte) ([]byte, fileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileInfo{}, err
	}
	info := fileInfo{size: st.Size(), mtime: st.ModTime()}
	if !st.Mode().IsRegular() { // a FIFO would block the scan
		return nil, info, &fs.PathError{Op: "read", Path: path, Err: errors.New("not a regular file")}
	}
	if limit > 0 && st.Size() > limit {
		return nil, info, errTooLarge
	}
	data, err := os.ReadFile(path)
	if err != nil || alloc == nil {
		return data, info, err
	}
	buf := alloc(len(data))
	copy(buf, data)
	return buf[:len(data)], info, nil
}

// statFile says nothing elsewhere: without an inode to name the file, no
// run trusts that a file is unchanged without reading it (filestats.go).
func statFile(string) (fileInfo, bool) { return fileInfo{}, false }

// writeAtomically writes a cache entry (see readfile_linux.go).
func writeAtomically(path string, data []byte) bool {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return false
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
		return false
	}
	return true
}

// writeStreamAtomically writes data piece by piece (see readfile_linux.go).
func writeStreamAtomically(path string, fill func(write func([]byte) bool)) (fileInfo, bool) {
	var all []byte
	fill(func(data []byte) bool { all = append(all, data...); return true })
	return fileInfo{}, writeAtomically(path, all)
}

// readWholeParallel reads a big file (see readfile_linux.go).
func readWholeParallel(path string, parts int, alloc func(size int) []byte) ([]byte, fileInfo, error) {
	return readWhole(path, 0, alloc)
}
