package analyzer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"path/filepath"
	"runtime"
	"sync"
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
//	per entry: key (32 bytes) · length in 4-byte words · the entry (see encodeTree)
//
// Every field is a multiple of four bytes, so each entry's nodes are used
// in place in the pack's buffer, laid out as uint32s.
type treePack struct {
	path string
	mu   sync.Mutex
	// entries by key; files with the same content have an entry each, and
	// each entry is handed out once (a node knows its file by its array).
	entries map[[32]byte][][]uint32
	count   int // entries read
	// buf holds every entry; the trees made in place in it are released
	// together when it is collected (a cleanup per tree, all on one
	// allocation, cost time quadratic in their number).
	buf []uint32
	ids []uint32
}

const treePackMagic = "LMIT"

func (c *ParseCache) treePackPath(root string) string {
	sum := sha256.Sum256([]byte(root))
	return filepath.Join(c.base, "packs", "trees-"+filepath.Base(c.dir)[len("trees-"):]+"-"+hex.EncodeToString(sum[:8])+".pack")
}

// openTreePack reads the tree pack of root; a missing or malformed pack is
// an empty one (entries are checked one by one when used).
func (c *ParseCache) openTreePack(root string) *treePack {
	p := &treePack{path: c.treePackPath(root), entries: map[[32]byte][][]uint32{}}
	var words []uint32
	data, info, err := readWholeParallel(p.path, runtime.GOMAXPROCS(0), func(size int) []byte {
		words = make([]uint32, (size+3)/4)
		return wordBytes(words)
	})
	if err != nil || len(data) < 16 || len(data)%4 != 0 || string(data[:4]) != treePackMagic {
		return p
	}
	keepFresh(p.path, info.mtime)
	words = words[:len(data)/4]
	p.buf = words
	count, rest := binary.LittleEndian.Uint32(data[4:]), words[4:]
	for range count {
		if len(rest) < 9 {
			clear(p.entries)
			p.count = 0
			return p
		}
		var key [32]byte
		copy(key[:], wordBytes(rest[:8]))
		n := uint64(rest[8])
		if n > uint64(len(rest)-9) {
			clear(p.entries)
			p.count = 0
			return p
		}
		p.entries[key] = append(p.entries[key], rest[9:9+n:9+n])
		p.count++
		rest = rest[9+n:]
	}
	return p
}

// tree returns the pack's tree of src, or nil.
func (p *treePack) tree(key [32]byte, src []byte) *Tree {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	list := p.entries[key]
	if len(list) == 0 {
		p.mu.Unlock()
		return nil
	}
	words := list[0]
	p.entries[key] = list[1:]
	p.mu.Unlock()
	return treeFromEntry(words, src, p)
}

// release arranges for the trees made from the pack to leave the registry
// when its buffer is collected; call it once no more trees are made.
func (p *treePack) release() {
	if p == nil || len(p.ids) == 0 {
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

// write replaces the pack with these trees, keyed by their files' hashes.
func (p *treePack) write(files []*File, trees []*Tree) {
	var head [16]byte
	copy(head[:], treePackMagic)
	count := 0
	for i := range files {
		if trees[i] != nil {
			count++
		}
	}
	binary.LittleEndian.PutUint32(head[4:], uint32(count))
	writeStreamAtomically(p.path, func(write func([]byte) bool) {
		if !write(head[:]) {
			return
		}
		var entry []byte // one buffer for all entries: no garbage the size of the pack
		for i, f := range files {
			if trees[i] == nil {
				continue
			}
			entry = appendTree(entry, trees[i])
			var lead [36]byte
			copy(lead[:], f.hash[:])
			binary.LittleEndian.PutUint32(lead[32:], uint32(len(entry)/4))
			if !write(lead[:]) || !write(entry) {
				return
			}
		}
	})
}
