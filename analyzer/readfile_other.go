//go:build !unix

package analyzer

import (
	"errors"
	"os"
	"time"
)

type fileInfo struct {
	size  int64
	mtime time.Time
}

var errTooLarge = errors.New("over the size limit")

// readWhole reads a file (see readfile_unix.go).
func readWhole(path string, limit int64, alloc func(size int) []byte) ([]byte, fileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileInfo{}, err
	}
	info := fileInfo{size: st.Size(), mtime: st.ModTime()}
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
