package config

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// maxConfigFile bounds the configuration files read.
const maxConfigFile = 16 << 20

// errNotRegular is the reason a configuration file that is a FIFO, a device
// or a directory is not read: opening a FIFO blocks, and a device may never
// end.
var errNotRegular = errors.New("not a regular file")

// regularFile reports whether path (links followed) is a regular file, the
// only kind a scan reads its configuration from.
func regularFile(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return &fs.PathError{Op: "read", Path: path, Err: errNotRegular}
	}
	return nil
}

// readRegular reads a configuration file: a regular one, of at most
// maxConfigFile bytes.
func readRegular(path string) ([]byte, error) {
	if err := regularFile(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigFile+1))
	if err == nil && len(data) > maxConfigFile {
		return nil, &fs.PathError{Op: "read", Path: path, Err: errors.New("over 16 MiB")}
	}
	return data, err
}
