package analyzer

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Reading and writing whole files with the os package alone: what
// readfile_other.go uses off Linux. They live in a file every platform
// compiles, so the tests run them here too (readfile_portable_test.go).

// readWholePortable is readWhole (see readfile_linux.go) through os.File:
// one buffer of the file's size, from alloc when given, filled in place. A
// tree pack is hundreds of megabytes; reading it whole and then copying it
// into the caller's buffer held it twice.
func readWholePortable(path string, limit int64, alloc func(size int) []byte) ([]byte, fileInfo, error) {
	// Refused before opening: opening a FIFO for reading blocks until a
	// writer comes.
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileInfo{}, err
	}
	if !st.Mode().IsRegular() {
		return nil, infoOf(st), &fs.PathError{Op: "read", Path: path, Err: errNotRegular}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fileInfo{}, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, fileInfo{}, err
	}
	info := infoOf(st)
	if !st.Mode().IsRegular() { // replaced since: what was opened counts
		return nil, info, &fs.PathError{Op: "read", Path: path, Err: errNotRegular}
	}
	if limit > 0 && info.size > limit {
		return nil, info, errTooLarge
	}
	size := int(info.size)
	buf := sizedBuffer(size, alloc)
	n, err := io.ReadFull(f, buf[:size])
	switch {
	case err == nil:
		return buf[:size], info, nil
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return buf[:n], info, nil // shrank while read: what is there
	}
	return nil, info, err
}

// statFilePortable is statFile (see readfile_linux.go) through os.Stat.
// Where the platform gives no file identity (statinfo_other.go) the run's
// table of files trusts none of them (fileStats.trusts).
func statFilePortable(path string) (fileInfo, bool) {
	st, err := os.Stat(path)
	if err != nil {
		return fileInfo{}, false
	}
	info := infoOf(st)
	return info, st.Mode().IsRegular()
}

// writeStreamPortable is writeStreamAtomically (see readfile_linux.go)
// through os.File: each piece goes to the file as fill hands it over.
// Gathered in memory first, a tree pack (hundreds of megabytes, grown by
// appending) was held whole at a first run's end, where memory peaks.
func writeStreamPortable(path string, fill func(write func([]byte) bool)) (fileInfo, bool) {
	tmp := tempName(path)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrNotExist) {
		if os.MkdirAll(filepath.Dir(path), 0o755) != nil {
			return fileInfo{}, false
		}
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		return fileInfo{}, false
	}
	ok := true
	fill(func(data []byte) bool {
		if ok {
			_, err := f.Write(data)
			ok = err == nil
		}
		return ok
	})
	var info fileInfo
	if st, err := f.Stat(); err == nil {
		info = infoOf(st)
	} else {
		ok = false
	}
	if f.Close() != nil || !ok || os.Rename(tmp, path) != nil {
		os.Remove(tmp)
		return fileInfo{}, false
	}
	return info, true
}
