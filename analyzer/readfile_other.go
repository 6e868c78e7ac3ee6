//go:build !unix

package analyzer

import (
	"errors"
	"os"
)

var errTooLarge = errors.New("over the size limit")

// readWhole reads a file (see readfile_unix.go).
func readWhole(path string, limit int64, alloc func(size int) []byte) ([]byte, int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if limit > 0 && st.Size() > limit {
		return nil, st.Size(), errTooLarge
	}
	data, err := os.ReadFile(path)
	if err != nil || alloc == nil {
		return data, int64(len(data)), err
	}
	buf := alloc(len(data))
	copy(buf, data)
	return buf[:len(data)], int64(len(data)), nil
}
