package analyzer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"path/filepath"
	"sync"
)

// entryPack keeps the small per-file entries of one kind (unit facts,
// findings) for one scan root in a single file. One file per file was slow
// to write (creating 5,761 files took 2 s here) and to open again, and
// kept the entries of every earlier version of every file; a pack holds
// exactly the entries of the last run and is replaced whole, atomically,
// so concurrent runs each see a complete pack. Entries stay keyed by
// content: a pack from another state of the tree is only less useful.
type entryPack struct {
	path    string
	old     map[[32]byte][]byte // the last run's entries
	mu      sync.Mutex
	next    map[[32]byte][]byte // this run's entries
	changed bool
}

const packMagic = "LMIP"

// openPack reads the pack of kind for the scan root under dir; a missing or
// damaged pack is an empty one.
func openPack(dir, kind, root string) *entryPack {
	sum := sha256.Sum256([]byte(kind + "\x00" + root))
	p := &entryPack{
		path: filepath.Join(dir, kind+"-"+hex.EncodeToString(sum[:8])+".pack"),
		old:  map[[32]byte][]byte{},
		next: map[[32]byte][]byte{},
	}
	data, info, err := readWhole(p.path, 0, nil)
	if err == nil {
		keepFresh(p.path, info.mtime) // a pack read but not replaced is still in use
	}
	if err != nil || len(data) < 12 || string(data[:4]) != packMagic ||
		crc32.ChecksumIEEE(data[12:]) != binary.LittleEndian.Uint32(data[8:]) {
		return p
	}
	count, rest := binary.LittleEndian.Uint32(data[4:]), data[12:]
	// Presized (most entries are kept: no growing), to no more entries than
	// the data can hold: the count is outside the checksum.
	room := min(int(count), len(rest)/33)
	p.old = make(map[[32]byte][]byte, room)
	p.next = make(map[[32]byte][]byte, room)
	for range count {
		if len(rest) < 32 {
			return p
		}
		var key [32]byte
		copy(key[:], rest)
		size, n := binary.Uvarint(rest[32:])
		if n <= 0 || size > uint64(len(rest)-32-n) {
			clear(p.old) // damaged after all: trust none of it
			return p
		}
		start := 32 + n
		p.old[key] = rest[start : start+int(size) : start+int(size)]
		rest = rest[start+int(size):]
	}
	if len(rest) != 0 {
		clear(p.old)
	}
	return p
}

// get returns the entry for key and keeps it for the next run.
func (p *entryPack) get(key [32]byte) ([]byte, bool) {
	data, ok := p.old[key]
	if ok {
		p.mu.Lock()
		p.next[key] = data
		p.mu.Unlock()
	}
	return data, ok
}

// peek returns the entry for key without keeping it for the next run: the
// caller checks it first and keeps it with keep.
func (p *entryPack) peek(key [32]byte) ([]byte, bool) {
	data, ok := p.old[key]
	return data, ok
}

// keep keeps an entry peek returned for the next run.
func (p *entryPack) keep(key [32]byte, data []byte) {
	p.mu.Lock()
	p.next[key] = data
	p.mu.Unlock()
}

// put stores an entry for this and the next run.
func (p *entryPack) put(key [32]byte, data []byte) {
	p.mu.Lock()
	p.next[key] = data
	p.changed = true
	p.mu.Unlock()
}

// saveAndRelease saves the pack and lets go of its entries: nothing reads
// a pack once it is written, and on a first run its fresh entries (13 MB of
// unit facts on efcore) were otherwise held to the end of the scan, where
// its memory peaks. Entries still in use elsewhere (a filter viewing the
// pack read) stay, as their own.
func (p *entryPack) saveAndRelease() {
	p.save()
	p.mu.Lock()
	p.old, p.next = map[[32]byte][]byte{}, map[[32]byte][]byte{}
	p.mu.Unlock()
}

// save replaces the pack with this run's entries, when they differ from the
// last run's; failures only cost the next run its reuse. The pack is
// streamed, its checksum worked out in a first pass: built in memory, a
// copy of every entry (13 MB on efcore) was held at a first run's peak.
func (p *entryPack) save() {
	if !p.changed && len(p.next) == len(p.old) {
		return
	}
	keys := make([][32]byte, 0, len(p.next))
	for key := range p.next {
		keys = append(keys, key)
	}
	var lead [32 + binary.MaxVarintLen64]byte
	entryLead := func(key [32]byte) []byte {
		copy(lead[:], key[:])
		return binary.AppendUvarint(lead[:32], uint64(len(p.next[key])))
	}
	crc := uint32(0)
	for _, key := range keys {
		crc = crc32.Update(crc, crc32.IEEETable, entryLead(key))
		crc = crc32.Update(crc, crc32.IEEETable, p.next[key])
	}
	var head [12]byte
	copy(head[:], packMagic)
	binary.LittleEndian.PutUint32(head[4:], uint32(len(keys)))
	binary.LittleEndian.PutUint32(head[8:], crc)
	writeStreamAtomically(p.path, func(write func([]byte) bool) {
		// Entries are small: they are gathered into writes of about
		// 64 KB, not written one system call each.
		buf := make([]byte, 0, 64<<10)
		buf = append(buf, head[:]...)
		for _, key := range keys {
			buf = append(append(buf, entryLead(key)...), p.next[key]...)
			if len(buf) >= 64<<10 {
				if !write(buf) {
					return
				}
				buf = buf[:0]
			}
		}
		write(buf)
	})
}
