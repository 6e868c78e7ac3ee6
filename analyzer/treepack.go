package analyzer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// A tree pack holds the syntax trees of one scan root in a single file.
// Writing the 5,761 trees of efcore as separate entries cost the kernel
// 3.6 s on a first run (a file each); one file costs a fifth of that, and a
// warm run reads it in one system call instead of four per file. The pack
// is written when there is none or when a tenth of the files is not in it
// (or a tenth of it no longer matches a file); between those runs, trees of
// edited files are written as separate entries (ParseCache.put), so an edit
// never rewrites the pack.
//
//	magic "LMIT" · entry count · 8 bytes reserved
//	per entry: key (32 bytes) · length in 4-byte words · text length in
//	bytes · CRC-32 of the text · the entry (see encodeTree) · the file's
//	decoded text, padded to four bytes
//
// Every field is a multiple of four bytes, so each entry's nodes are used
// in place in the pack's buffer, laid out as uint32s. The text lets a
// re-scan take a file whose size and times are as a run saw them (see
// filestats.go) from the pack instead of reading and hashing it: efcore's
// 77 MB cost 150 ms of CPU to read and hash on every re-scan. A scratch
// pack holds no text (its length is zero).
type treePack struct {
	path string
	mu   sync.Mutex
	// entries by key; files with the same content have an entry each, and
	// each entry is handed out once (a node knows its file by its array).
	entries map[[32]byte][]packEntry
	count   int // entries read
	// buf holds every entry; the trees made in place in it are released
	// together when it is collected (a cleanup per tree, all on one
	// allocation, cost time quadratic in their number).
	buf []uint32
	ids []uint32
	// mapped is the pack's file mapped into memory (Linux, when
	// LoadOptions.MapTrees), which then holds the trees instead of buf.
	mapped []byte
	info   fileInfo // the mapped file's
	// trusted says the table of files vouches for the mapped file: every
	// entry in it was checked and it has not changed since (see seal), so
	// its trees are taken without checking their checksums and nodes again.
	trusted bool
	damaged atomic.Bool // an entry did not check out in this run
}

const treePackMagic = "LMIT"

// packLead is the size of an entry's lead: key, lengths, text checksum.
const packLead = 44

// packEntry is one entry of a pack, in place in its words.
type packEntry struct {
	tree    []uint32
	text    []byte
	textCRC uint32
}

// appendLead appends an entry's lead for a tree entry of treeBytes and text.
func appendLead(buf []byte, key [32]byte, treeBytes int, text []byte) []byte {
	buf = append(buf, key[:]...)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(treeBytes/4))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(text)))
	return binary.LittleEndian.AppendUint32(buf, crc32.ChecksumIEEE(text))
}

// textPadding is the zero bytes after a text of n bytes.
func textPadding(n int) []byte { return make([]byte, (4-n%4)%4) }

func (c *ParseCache) treePackPath(root string) string { return c.rootFile("trees", root, ".pack") }

// rootFile is the path of a file of kind kept for scan root under packs/,
// named for the grammar's fingerprint (as the cache's trees directory is)
// and the root.
func (c *ParseCache) rootFile(kind, root, ext string) string {
	sum := sha256.Sum256([]byte(root))
	return filepath.Join(c.base, "packs", kind+"-"+filepath.Base(c.dir)[len("trees-"):]+"-"+hex.EncodeToString(sum[:8])+ext)
}

// openTreePack reads the tree pack of root, or with mapTrees maps it when
// it can (see mapEntries); a missing or malformed pack is an empty one
// (entries are checked one by one when used).
func (c *ParseCache) openTreePack(root string, mapTrees bool) *treePack {
	p := &treePack{path: c.treePackPath(root), entries: map[[32]byte][]packEntry{}}
	if mapTrees && p.mapEntries(true) {
		noteTiming("tree pack: %d trees, mapped", p.count)
		return p
	}
	var words []uint32
	data, info, err := readWholeParallel(p.path, runtime.GOMAXPROCS(0), func(size int) []byte {
		words = make([]uint32, (size+3)/4)
		return wordBytes(words)
	})
	if err != nil || len(data)%4 != 0 {
		return p
	}
	keepFresh(p.path, info.mtime)
	p.buf = words[:len(data)/4]
	p.listEntries(p.buf, false)
	return p
}

// mapEntries maps the pack's file and lists its entries. The trees made in
// it are read where they lie, so they cost this process only the pages it
// reads, which it can drop again (dropPages); the file's pages are the
// kernel's to keep or evict. With reserve, the ids the entries' roots hold
// are reserved for them, which only a process's first pack can do; without,
// the caller makes no trees of the entries through tree.
func (p *treePack) mapEntries(reserve bool) bool {
	startPager()
	mapped, info, err := mapFile(p.path)
	if err != nil {
		return false
	}
	if len(mapped)%4 != 0 {
		unmapFile(mapped)
		return false
	}
	addMapping(mapped) // before listing: the pager drops what listing reads
	words := unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(mapped))), len(mapped)/4)
	if !p.listEntries(words, true) {
		return false // the mapping stays: nothing was made of it, and a rare case
	}
	if reserve {
		var ids []uint32
		for _, list := range p.entries {
			for _, e := range list {
				words := e.tree
				if len(words) < cacheHeader/4+nodeSize/4 {
					clear(p.entries) // read into memory instead, entry by entry
					p.count = 0
					return false
				}
				root := (*Node)(unsafe.Pointer(&words[cacheHeader/4]))
				ids = append(ids, root.parentIndex())
			}
		}
		if !reserveTreeIDs(ids) {
			clear(p.entries)
			p.count = 0
			return false
		}
	}
	p.mapped, p.info = mapped, info
	keepFresh(p.path, info.mtime)
	return true
}

// listEntries finds the entries in a pack's words; false, with none
// listed, when the pack is malformed. Listing reads a page or so of each
// entry, which in a mapped pack counts for the pager (notePagesRead).
func (p *treePack) listEntries(words []uint32, mapped bool) bool {
	data := wordBytes(words)
	if len(data) < 16 || string(data[:4]) != treePackMagic {
		return false
	}
	count, rest := binary.LittleEndian.Uint32(data[4:]), words[4:]
	const leadWords = packLead / 4
	for range count {
		if len(rest) < leadWords {
			clear(p.entries)
			p.count = 0
			return false
		}
		var key [32]byte
		copy(key[:], wordBytes(rest[:8]))
		n, textLen := uint64(rest[8]), uint64(rest[9])
		textWords := (textLen + 3) / 4
		if n+textWords > uint64(len(rest)-leadWords) {
			clear(p.entries)
			p.count = 0
			return false
		}
		tree := rest[leadWords : leadWords+n : leadWords+n]
		text := wordBytes(rest[leadWords+n : leadWords+n+textWords])[:textLen:textLen]
		p.entries[key] = append(p.entries[key], packEntry{tree: tree, text: text, textCRC: rest[10]})
		p.count++
		if mapped {
			notePagesRead(64 << 10) // the kernel maps 64 KB around a page read
		}
		rest = rest[leadWords+n+textWords:]
	}
	return true
}

// mappedPacks are the packs mapped in this process, whose pages the
// pager drops.
var mappedPacks struct {
	sync.Mutex
	list      [][]byte
	startOnce sync.Once
}

// The pager lets pages of the mapped packs stay resident up to a budget:
// walks over every file (the index, DI registrations, rules) read a pack
// from end to end, and its pages would otherwise stay, as many as the
// trees held in memory. The budget is what the heap leaves under
// residentCeiling, and at least treePageBudget. A first run's heap leaves
// nothing, so it gets the least; a re-scan's heap is smaller, and a fixed
// 32 MB made it drop the pages of efcore's 247 MB pack 60 times, and fault
// them back in again (about 170 ms of the kernel's CPU, an eighth of a
// re-scan's).
const (
	treePageBudget  = 32 << 20
	residentCeiling = 384 << 20
)

// pageBudget is the budget in bytes, as the pager last worked it out.
var pageBudget atomic.Int64

func init() { pageBudget.Store(treePageBudget) }

// startPager starts the pager once, before the first pack is mapped: it
// counts from the pages resident then.
func startPager() {
	mappedPacks.startOnce.Do(func() {
		if _, base, ok := residentPages(); ok {
			go pageTrees(base)
		}
	})
}

// addMapping lists a mapped pack for the pager.
func addMapping(m []byte) {
	mappedPacks.Lock()
	mappedPacks.list = append(mappedPacks.list, m)
	mappedPacks.Unlock()
}

// pageTrees drops the mapped packs' pages whenever the file pages this
// process holds grow by more than the budget. Reads after a drop bring
// pages back from the page cache (a minor fault per 64 KB, the kernel
// mapping pages around the one read); the poll is one read of
// /proc/self/statm every 10 ms.
func pageTrees(base int) {
	page := int64(os.Getpagesize())
	for {
		time.Sleep(10 * time.Millisecond)
		resident, n, ok := residentPages()
		if !ok {
			continue
		}
		base = min(base, n) // the binary's pages come and go too
		budget := max(treePageBudget, residentCeiling-int64(resident-n)*page)
		pageBudget.Store(budget)
		if int64(n-base)*page > budget {
			dropMappedPages()
		}
	}
}

// pageDrops counts the drops of pages so far.
var pageDrops atomic.Uint32

// dropMappedPages lets go of the pages of every mapped pack.
func dropMappedPages() {
	mappedPacks.Lock()
	defer mappedPacks.Unlock()
	pageDrops.Add(1)
	for _, m := range mappedPacks.list {
		dropPages(m)
	}
}

// pagesRead counts the bytes of mapped trees read since the pages were
// last dropped, as far as the sweeps that read every file's tree (checks,
// NodesOf) tell; see notePagesRead.
var pagesRead atomic.Int64

// notePagesRead notes that up to size bytes of a mapped tree were read.
// Sweeps over every file read faster than the pager polls (the kernel maps
// 64 KB around each page read, so a sweep over efcore's 166 MB pack takes a
// few milliseconds), so every half budget they read drops the pages read
// so far.
func notePagesRead(size int) {
	if pagesRead.Add(int64(size)) > pageBudget.Load()/2 {
		pagesRead.Store(0)
		dropMappedPages()
	}
}

// isMapped reports whether the pack's trees lie in a mapping.
func (p *treePack) isMapped() bool { return p != nil && p.mapped != nil }

func (p *treePack) isTrusted() bool { return p != nil && p.trusted }

func (p *treePack) noteDamaged() {
	if p != nil {
		p.damaged.Store(true)
	}
}

// Checking every tree entry of a re-scan's pack (checksums, nodes: the
// 247 MB of efcore's) took about 110 ms of CPU a re-scan, and it read every
// page of the pack. The checks guard against damage: a disk, a copy or a
// restored CI cache gone wrong. A pack whose every entry a run checked, and
// that had not changed for racyWindow before that run started (git's racy
// rule, as for the files, see settled), gets a seal in the table of files:
// its size, times, device and inode. A later run that finds the mapped file
// so takes its trees unchecked; anything that writes the file changes its
// times or inode, and lmilint replaces a pack only by renaming a new one
// over it, which a later run checks again.

// seal is the pack's entry for the table of files when the next runs may
// trust it: it was trusted, or every entry checked out in this run and it
// had settled before the run started. Entries no file used are checked
// here, since the seal vouches for them too.
func (p *treePack) seal(since time.Time) *fileStat {
	if !p.isMapped() || p.count == 0 || p.damaged.Load() || p.info.dev|p.info.ino == 0 {
		return nil
	}
	e := statOf(p.info, [32]byte{}, statPackSeal)
	if p.trusted {
		return &e
	}
	if !settled(p.info, since) {
		return nil
	}
	for _, list := range p.entries {
		for _, pe := range list {
			if len(pe.text) == 0 || crc32.ChecksumIEEE(pe.text) != pe.textCRC {
				return nil
			}
			e, ok := decodeEntry(pe.tree, true)
			if !ok {
				return nil
			}
			if _, ok := validNodes(e.nodes, len(pe.text), e.longs, e.many); !ok {
				return nil
			}
		}
	}
	return &e
}

// dropPages lets go of the pages of the mapping this process has read.
func (p *treePack) dropPages() {
	if p.isMapped() {
		dropPages(p.mapped)
	}
}

// take hands out an entry of key, if the pack has one left.
func (p *treePack) take(key [32]byte) (packEntry, bool) {
	if p == nil {
		return packEntry{}, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.entries[key]
	if len(list) == 0 {
		return packEntry{}, false
	}
	p.entries[key] = list[1:]
	return list[0], true
}

// tree returns the pack's tree of src, or nil.
func (p *treePack) tree(key [32]byte, src []byte) *Tree {
	e, ok := p.take(key)
	if !ok {
		return nil
	}
	return treeFromEntry(e.tree, src, p)
}

// treeAndText returns the pack's tree of the file whose text has hash key,
// with that text as the pack holds it; nil when the pack has no such entry
// with its text intact. The text is not hashed again (that is the point):
// its checksum catches damage, and its key was its hash when written.
func (p *treePack) treeAndText(key [32]byte) (*Tree, []byte) {
	e, ok := p.take(key)
	if !ok || len(e.text) == 0 {
		return nil, nil
	}
	if !p.trusted && crc32.ChecksumIEEE(e.text) != e.textCRC {
		p.noteDamaged()
		return nil, nil
	}
	tree := treeFromEntry(e.tree, e.text, p)
	if tree == nil {
		return nil, nil
	}
	return tree, e.text
}

// release arranges for the trees made from the pack to leave the registry
// when its buffer is collected; call it once no more trees are made.
func (p *treePack) release() {
	if p == nil || len(p.ids) == 0 || p.isMapped() {
		return
	}
	runtime.AddCleanup(&p.buf[0], releaseTrees, p.ids)
	p.ids = nil
}

// stale reports whether the pack should be written again for a run that
// took inPack of its files from it and used files in all.
func (p *treePack) stale(inPack, files int) bool {
	return p.count == 0 || files-inPack > files/10 || p.count-inPack > p.count/10
}

// packWrite is where a written pack put each tree: the pack file (by its
// identity) and, by file, the byte offset of the tree's nodes in it (-1 for
// none).
type packWrite struct {
	file  fileInfo
	nodes []int64
}

// write replaces the pack with these trees, keyed by their files' hashes,
// and returns where it put them, or nil when the pack could not be written.
func (p *treePack) write(files []*File, trees []*Tree) *packWrite {
	var head [16]byte
	copy(head[:], treePackMagic)
	count := 0
	for i := range files {
		if trees[i] != nil {
			count++
		}
	}
	binary.LittleEndian.PutUint32(head[4:], uint32(count))
	placed := &packWrite{nodes: make([]int64, len(files))}
	at := int64(len(head))
	file, ok := writeStreamAtomically(p.path, func(write func([]byte) bool) {
		if !write(head[:]) {
			return
		}
		var entry, lead []byte // one buffer for all entries: no garbage the size of the pack
		for i, f := range files {
			placed.nodes[i] = -1
			if trees[i] == nil {
				continue
			}
			entry = appendTree(entry, trees[i])
			placed.nodes[i] = at + packLead + cacheHeader
			pad := textPadding(len(f.Src))
			at += packLead + int64(len(entry)+len(f.Src)+len(pad))
			lead = appendLead(lead[:0], f.hash, len(entry), f.Src)
			if !write(lead) || !write(entry) || !write(f.Src) || !write(pad) {
				return
			}
		}
	})
	if !ok {
		return nil
	}
	placed.file = file
	return placed
}
