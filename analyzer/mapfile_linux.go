//go:build linux

package analyzer

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// mapFile maps a whole file read-only, private to this process. The mapping
// is never undone (but by unmapFile before anything is made of it): trees
// made in it live as long as any of their nodes.
func mapFile(path string) ([]byte, fileInfo, error) {
	fd, info, err := openRegular(path)
	if err != nil {
		return nil, info, err
	}
	defer syscall.Close(fd)
	if info.size == 0 || info.size > 1<<40 {
		return nil, info, os.ErrInvalid
	}
	m, err := syscall.Mmap(fd, 0, int(info.size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	return m, info, err
}

// mapAhead maps size bytes of f, which is being written: its pages become
// readable as the file grows over them (reading one past the end would
// fault). The mapping is never undone.
func mapAhead(f *os.File, size int) ([]byte, error) {
	return syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_NORESERVE)
}

// unmapFile undoes a mapping nothing was made of.
func unmapFile(m []byte) { _ = syscall.Munmap(m) }

// dropPages tells the kernel this process is done with the pages of b, a
// part of a mapFile mapping: they leave its resident set, and the next read
// brings them back from the file (from the page cache, as a rule). Pages
// only partly inside b are kept.
func dropPages(b []byte) {
	if len(b) == 0 {
		return
	}
	page := uintptr(os.Getpagesize())
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	first, end := (start+page-1)&^(page-1), (start+uintptr(len(b)))&^(page-1)
	if end <= first {
		return
	}
	_ = syscall.Madvise(b[first-start:end-start], syscall.MADV_DONTNEED)
}

// residentPages is the number of this process's resident pages, and of
// those the ones that are file-backed or shared (the second and third
// fields of /proc/self/statm); the rest are its own memory.
func residentPages() (resident, shared int, ok bool) {
	var buf [128]byte
	fd, err := syscall.Open("/proc/self/statm", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return 0, 0, false
	}
	defer syscall.Close(fd)
	n, err := syscall.Read(fd, buf[:])
	if err != nil || n <= 0 {
		return 0, 0, false
	}
	fields := strings.Fields(string(buf[:n]))
	if len(fields) < 3 {
		return 0, 0, false
	}
	resident, err1 := strconv.Atoi(fields[1])
	shared, err2 := strconv.Atoi(fields[2])
	return resident, shared, err1 == nil && err2 == nil
}

// inMemoryFS reports whether dir is on tmpfs or ramfs, whose pages are
// memory whether a process maps them or not.
func inMemoryFS(dir string) bool {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return true // unknown: do not count on it
	}
	const tmpfsMagic, ramfsMagic = 0x01021994, 0x858458f6
	return st.Type == tmpfsMagic || st.Type == ramfsMagic
}
