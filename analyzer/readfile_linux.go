//go:build linux

package analyzer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// A scan reads two files per source file (the source and its cached tree).
// os.Open registers each with the runtime's poller and sets its flags (six
// system calls beyond open, read and close; 58,000 of them for efcore), so
// regular files whose size is known are read with plain system calls.

// readWhole reads a regular file in one read of its size. limit > 0 refuses
// larger files (errTooLarge) before reading them; alloc makes the buffer
// for a size (nil: a byte slice).
func readWhole(path string, limit int64, alloc func(size int) []byte) ([]byte, fileInfo, error) {
	fd, info, err := openRegular(path)
	if err != nil {
		return nil, info, err
	}
	defer syscall.Close(fd)
	if limit > 0 && info.size > limit {
		return nil, info, errTooLarge
	}
	size := int(info.size)
	buf := sizedBuffer(size, alloc)
	for done := 0; done < size; {
		n, err := syscall.Read(fd, buf[done:size])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, info, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf[:done], info, nil // shrank while read: what is there
		}
		done += n
	}
	return buf[:size], info, nil
}

func statInfo(st *syscall.Stat_t) fileInfo {
	return fileInfo{size: st.Size, mtime: time.Unix(st.Mtim.Unix()), ctime: time.Unix(st.Ctim.Unix()), dev: uint64(st.Dev), ino: uint64(st.Ino)}
}

// statFile is what stat says of the file at path (following links, as
// reading it would).
func statFile(path string) (fileInfo, bool) {
	var st syscall.Stat_t
	for {
		err := syscall.Stat(path, &st)
		if err == nil {
			break
		}
		if err != syscall.EINTR {
			return fileInfo{}, false
		}
	}
	return statInfo(&st), st.Mode&syscall.S_IFMT == syscall.S_IFREG
}

// openRegular opens a regular file for reading; the caller closes fd
// unless err is set.
func openRegular(path string) (fd int, info fileInfo, err error) {
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0) // a FIFO must not block the scan
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return -1, info, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return -1, info, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	info = statInfo(&st)
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return -1, info, &fs.PathError{Op: "read", Path: path, Err: errNotRegular}
	}
	return fd, info, nil
}

// writeAtomically writes a cache entry under a temporary name in its
// directory (made when missing) and renames it into place, so a concurrent
// run reads the whole entry or none. Plain system calls, as for reading;
// failures only cost a later run the entry.
func writeAtomically(path string, data []byte) bool {
	_, ok := writeStreamAtomically(path, func(write func([]byte) bool) { write(data) })
	return ok
}

// writeStreamAtomically is writeAtomically for data written piece by piece
// (a tree pack is hundreds of megabytes: it is not built in memory first).
// fill calls write until it returns false; an entry is only put in place
// when every write succeeded. The temporary name is hidden, and pruned
// after an hour if a run leaves it behind. It reports whether the file was
// put in place, and what it is.
func writeStreamAtomically(path string, fill func(write func([]byte) bool)) (fileInfo, bool) {
	tmp := tempName(path)
	fd, err := syscall.Open(tmp, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
	if err == syscall.ENOENT {
		if os.MkdirAll(filepath.Dir(path), 0o755) != nil {
			return fileInfo{}, false
		}
		fd, err = syscall.Open(tmp, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
	}
	if err != nil {
		return fileInfo{}, false
	}
	ok := true
	fill(func(data []byte) bool {
		for done := 0; ok && done < len(data); {
			n, err := syscall.Write(fd, data[done:])
			if err == syscall.EINTR {
				continue
			}
			if err != nil || n <= 0 {
				ok = false
			}
			done += n
		}
		return ok
	})
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil {
		ok = false
	}
	if syscall.Close(fd) != nil || !ok || syscall.Rename(tmp, path) != nil {
		syscall.Unlink(tmp)
		return fileInfo{}, false
	}
	return statInfo(&st), true
}

// readWholeParallel is readWhole for a big file: parts goroutines each read
// a share with pread, so the kernel's copy runs on as many cores (a tree
// pack is hundreds of megabytes).
func readWholeParallel(path string, parts int, alloc func(size int) []byte) ([]byte, fileInfo, error) {
	fd, info, err := openRegular(path)
	if err != nil {
		return nil, info, err
	}
	defer syscall.Close(fd)
	size := int(info.size)
	buf := alloc(size)[:size]
	share := (size/parts + 4095) &^ 4095
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		from, to := min(i*share, size), min((i+1)*share, size)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for from < to {
				n, err := syscall.Pread(fd, buf[from:to], int64(from))
				if err == syscall.EINTR {
					continue
				}
				if err != nil || n == 0 {
					errs[i] = &fs.PathError{Op: "read", Path: path, Err: errors.Join(err, errors.New("file shrank while read"))}
					return
				}
				from += n
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, info, err
	}
	return buf, info, nil
}
