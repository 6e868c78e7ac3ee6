package analyzer

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"time"
)

// A re-scan used to read and hash every file to learn which had changed:
// on efcore, 150 ms of CPU for 77 MB that were nearly all as before. A run
// now leaves a table of the files whose tree and text its tree pack holds,
// with what stat said of each, and the next run takes a file whose size,
// times, device and inode are the same from the pack, text included,
// without reading it. This is git's index check, and it has git's blind
// spot: a file rewritten within the timestamps' granularity of when it was
// read keeps its times. So, like git's "racily clean" entries, a file
// whose mtime or ctime is less than racyWindow before the start of the run
// that saw it is not trusted, and is read again (see settled).
type fileStats struct {
	since  time.Time // when the run that wrote the table started
	byPath map[string]fileStat
	body   []byte // the entries as read: a run whose entries are the same writes nothing
	// seal is the tree pack's own entry (its path is empty) when a run
	// vouched for every entry in it (treePack.seal).
	seal *fileStat
}

// fileStat is one file in the table.
type fileStat struct {
	size, mtime, ctime int64 // bytes; nanoseconds since 1970
	dev, ino           uint64
	hash               [32]byte // File.hash: the key of its entry in the pack
	flags              uint8
}

// fileStat flags: how the file was encoded (File.HadBOM, File.UTF16).
const (
	statBOM uint8 = 1 << iota
	statUTF16
	statPackSeal // the tree pack's seal, not a file
)

// racyWindow covers the coarsest timestamps in use (FAT's two seconds;
// ext4, XFS, btrfs and tmpfs keep nanoseconds, ticking every few
// milliseconds): a file whose times are at least this much before a run
// started, and that changes after the run read it, gets later times. Both
// times count: a tool that writes a file and sets its mtime back (cp -p,
// tar, rsync -t) still moves its ctime. (A variable for tests, which would
// otherwise wait this long.)
var racyWindow = 2 * time.Second

// settled reports whether a file described by info was last changed well
// before a run started at since: then a later change gives it other times.
func settled(info fileInfo, since time.Time) bool {
	before := since.Add(-racyWindow)
	return info.mtime.Before(before) && info.ctime.Before(before)
}

const fileStatsMagic = "LMIS"

// fileStatsPath is the table of root beside its tree pack.
func (c *ParseCache) fileStatsPath(root string) string {
	return c.rootFile("stats", root, ".table")
}

// readFileStats reads the table at path; a missing or damaged one is empty.
//
//	magic "LMIS" · CRC-32 of the rest · start of the run (ns) · entry count
//	per entry: path length (2 bytes) · path · size · mtime · ctime · dev ·
//	inode (8 bytes each) · hash (32 bytes) · flags (1 byte)
//
// The tree pack's seal, if any, is an entry with an empty path and the
// flag statPackSeal alone.
func readFileStats(path string) *fileStats {
	data, info, err := readWhole(path, 64<<20, nil)
	if err != nil {
		return &fileStats{byPath: map[string]fileStat{}}
	}
	t, ok := decodeFileStats(data)
	if ok {
		keepFresh(path, info.mtime)
	}
	return t
}

// decodeFileStats reads a table; false, with an empty one, when it is damaged.
func decodeFileStats(data []byte) (*fileStats, bool) {
	t := &fileStats{byPath: map[string]fileStat{}}
	if len(data) < 20 || string(data[:4]) != fileStatsMagic ||
		crc32.ChecksumIEEE(data[8:]) != binary.LittleEndian.Uint32(data[4:]) {
		return t, false
	}
	since := time.Unix(0, int64(binary.LittleEndian.Uint64(data[8:])))
	count := binary.LittleEndian.Uint32(data[16:])
	body := data[20:]
	byPath := make(map[string]fileStat, count)
	rest := body
	for ; count > 0; count-- {
		if len(rest) < 2 {
			return t, false
		}
		n := int(binary.LittleEndian.Uint16(rest))
		const fixed = 5*8 + 32 + 1
		if len(rest) < 2+n+fixed {
			return t, false
		}
		name, e := string(rest[2:2+n]), fileStat{}
		rest = rest[2+n:]
		e.size = int64(binary.LittleEndian.Uint64(rest))
		e.mtime = int64(binary.LittleEndian.Uint64(rest[8:]))
		e.ctime = int64(binary.LittleEndian.Uint64(rest[16:]))
		e.dev = binary.LittleEndian.Uint64(rest[24:])
		e.ino = binary.LittleEndian.Uint64(rest[32:])
		copy(e.hash[:], rest[40:72])
		e.flags = rest[72]
		rest = rest[fixed:]
		if name == "" && e.flags == statPackSeal && t.seal == nil {
			t.seal = &e
			continue
		}
		if name == "" || e.flags&statPackSeal != 0 {
			return &fileStats{byPath: map[string]fileStat{}}, false
		}
		byPath[name] = e
	}
	sealed := 0
	if t.seal != nil {
		sealed = 1
	}
	if len(rest) != 0 || len(byPath)+sealed != int(binary.LittleEndian.Uint32(data[16:])) {
		return &fileStats{byPath: map[string]fileStat{}}, false // bytes left over, or a path twice
	}
	t.since, t.byPath, t.body = since, byPath, body
	return t, true
}

// seals reports whether the table vouches for the tree pack p mapped: the
// same file, unchanged since a run checked every entry in it.
func (t *fileStats) seals(p *treePack) bool {
	return t != nil && t.seal != nil && p.isMapped() && p.info.dev|p.info.ino != 0 &&
		statOf(p.info, [32]byte{}, statPackSeal) == *t.seal
}

// trusts reports whether the file now described by info is the one the
// table describes as e: the same size, times, device and inode, and last
// modified well before the run that saw it started.
func (t *fileStats) trusts(e fileStat, info fileInfo) bool {
	return info.dev|info.ino != 0 && statOf(info, e.hash, e.flags) == e && settled(info, t.since)
}

func statOf(info fileInfo, hash [32]byte, flags uint8) fileStat {
	return fileStat{size: info.size, mtime: info.mtime.UnixNano(), ctime: info.ctime.UnixNano(),
		dev: info.dev, ino: info.ino, hash: hash, flags: flags}
}

// writeFileStats writes the table of files, a run started at since, unless
// it lists what the table read holds (old): then the old one stands, its
// time as good as this run's for every file in it. A file changed within
// racyWindow of since is left out, to be read again next time.
//
// trusted is how many of files the table gave unread: when that is all of
// them and all of the table, the table stands without being laid out.
//
// seal, when not nil, is the tree pack's entry (treePack.seal), last.
func writeFileStats(path string, old *fileStats, since time.Time, files []*File, trusted int, seal *fileStat) {
	sameSeal := old != nil && (old.seal == nil) == (seal == nil) && (seal == nil || *old.seal == *seal)
	if sameSeal && trusted == len(files) && trusted == len(old.byPath) {
		return // each file's entry is as the table holds it, in the same order
	}
	body, count := fileStatsBody(since, files)
	if seal != nil {
		body = appendStat(body, "", *seal)
		count++
	}
	if old != nil && bytes.Equal(old.body, body) {
		return
	}
	writeAtomically(path, encodeFileStats(since, count, body))
}

// fileStatsBody lays out the entries of the files that go in a table
// written by a run started at since, and counts them.
func fileStatsBody(since time.Time, files []*File) (body []byte, count int) {
	const fixed = 2 + 5*8 + 32 + 1
	size := 0
	for _, f := range files {
		size += fixed + len(f.Path)
	}
	body = make([]byte, 0, size) // grown, it took 12 ms of an efcore re-scan's CPU
	for _, f := range files {
		info := f.stat
		if info.dev|info.ino == 0 || len(f.Path) > 0xFFFF || !settled(info, since) {
			continue
		}
		var flags uint8
		if f.HadBOM {
			flags |= statBOM
		}
		if f.UTF16 {
			flags |= statUTF16
		}
		body = appendStat(body, f.Path, statOf(info, f.hash, flags))
		count++
	}
	return body, count
}

// appendStat appends a table entry for path.
func appendStat(body []byte, path string, e fileStat) []byte {
	body = binary.LittleEndian.AppendUint16(body, uint16(len(path)))
	body = append(body, path...)
	for _, v := range []uint64{uint64(e.size), uint64(e.mtime), uint64(e.ctime), e.dev, e.ino} {
		body = binary.LittleEndian.AppendUint64(body, v)
	}
	body = append(body, e.hash[:]...)
	return append(body, e.flags)
}

// encodeFileStats adds a table's header to its entries.
func encodeFileStats(since time.Time, count int, body []byte) []byte {
	data := make([]byte, 20, 20+len(body))
	copy(data, fileStatsMagic)
	binary.LittleEndian.PutUint64(data[8:], uint64(since.UnixNano()))
	binary.LittleEndian.PutUint32(data[16:], uint32(count))
	data = append(data, body...)
	binary.LittleEndian.PutUint32(data[4:], crc32.ChecksumIEEE(data[8:]))
	return data
}
