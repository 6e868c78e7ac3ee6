package analyzer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"time"
	"unsafe"
)

// ParseCache keeps syntax trees on disk, keyed by the hash of each file's
// content, so a re-scan parses only files that changed: a scan root's trees
// in one pack (treepack.go), trees of files edited since as entries of their
// own under dir. Both depend only on the grammar and the node layout (dir's
// name carries a fingerprint of both), are written atomically (safe under
// concurrent runs), and an entry that does not check out is ignored and
// rewritten. Under base also live the packs of unit facts and findings
// (unitcache.go, findingcache.go) and the prune mark (prune.go).
type ParseCache struct {
	dir  string
	base string
}

const cacheMagic = "LMIN"

// DefaultCacheDir is $LMILINT_CACHE_DIR, else lmilint/ in the user cache
// directory (~/.cache on Linux).
func DefaultCacheDir() string {
	if d := os.Getenv("LMILINT_CACHE_DIR"); d != "" {
		return d
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "lmilint-cache")
	}
	return filepath.Join(base, "lmilint")
}

// OpenParseCache opens (creating) the cache for the bundled grammar under base.
func OpenParseCache(base string) (*ParseCache, error) {
	loadGrammar()
	h := sha256.New()
	fmt.Fprintf(h, "v15 %s %d\n", runtime.GOARCH, nodeSize) // v6: roots keep their registry ids; v7: packs hold texts; v8: entries list long child runs; v9 to v15: the parser reads past grammar gaps (grammargaps.go)
	for _, k := range grammar.symbols {
		fmt.Fprintln(h, uint16(k), k) // node kinds are numbered as the binary interns them
	}
	for _, k := range IndexedKinds {
		fmt.Fprintln(h, k)
	}
	for _, name := range slices.Sorted(maps.Keys(droppedTokens)) {
		fmt.Fprintln(h, "dropped", name)
	}
	for _, f := range grammar.fields {
		fmt.Fprintln(h, f)
	}
	dir := filepath.Join(base, "trees-"+hex.EncodeToString(h.Sum(nil))[:16])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	go toolFingerprint() // hashing the binary overlaps the parse
	prune(base, time.Now())
	return &ParseCache{dir: dir, base: base}, nil
}

func (c *ParseCache) path(key [32]byte) string {
	k := hex.EncodeToString(key[:])
	return filepath.Join(c.dir, k[:2], k[2:])
}

// An entry is the file's finished node array, so a cache hit costs a read
// into the array and a check, not a rebuild of the tree:
//
//	magic "LMIN" · node count · CRC-32 of the rest · first error node (^0
//	for none, firstBranchesMark for none in the first branches)
//	nodes (Node's memory layout; the root's registry id is zeroed)
//	per IndexedKinds slot: count, then node indexes in source order
const cacheHeader = 16

func nodeBytes(nodes []Node) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(&nodes[0])), len(nodes)*nodeSize)
}

// get returns the cached tree of src, or nil when there is none or the entry
// is damaged.
func (c *ParseCache) get(key [32]byte, src []byte) *Tree {
	// One read of the whole entry into memory laid out as uint32s, so the
	// nodes are used in place after the header (the few bytes of header
	// and kind index stay allocated with them).
	var words []uint32
	path := c.path(key)
	data, info, err := readWhole(path, 0, func(size int) []byte {
		words = make([]uint32, (size+3)/4)
		return wordBytes(words)
	})
	if err != nil || len(data)%4 != 0 {
		return nil
	}
	tree := treeFromEntry(words[:len(data)/4], src, nil)
	if tree != nil {
		keepFresh(path, info.mtime)
	}
	return tree
}

// wordBytes is the memory of words as bytes: entries are read into uint32s
// so that their nodes are aligned to be used in place.
func wordBytes(words []uint32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), len(words)*4)
}

// treeFromEntry checks an entry (see put) and makes a tree of it in place;
// nil when it does not check out. pack is the tree pack holding the entry,
// if any.
func treeFromEntry(words []uint32, src []byte, pack *treePack) *Tree {
	check := !pack.isTrusted()
	e, ok := decodeEntry(words, check)
	if !ok {
		pack.noteDamaged()
		return nil
	}
	var many map[uint32]uint32
	if check {
		if many, ok = validNodes(e.nodes, len(src), e.longs, e.many); !ok {
			pack.noteDamaged()
			return nil
		}
		checkedEntries.Add(1)
	} else {
		many = manyKidsOf(e.many)
	}
	data := &treeData{src: src, count: uint32(len(e.nodes)), manyKids: many, longEnds: sized(e.longs)}
	if pack.isMapped() {
		// The root keeps the id it was written with, reserved when the
		// pack was mapped: a mapping is read, never written.
		registerTreeAt(e.nodes[0].parentIndex(), data)
		if check {
			notePagesRead(len(words) * 4) // checking read all of it
		}
	} else {
		// The registry must not hold the entry's buffer (a tree pack's is
		// released when it is collected, see treePack.release).
		registerNodes(e.nodes, data, pack)
	}
	tree := &Tree{Root: &e.nodes[0], index: e.index}
	switch e.firstError {
	case ^uint32(0):
	case firstBranchesMark:
		tree.FirstBranches = true
	default:
		tree.FirstError = &e.nodes[e.firstError]
	}
	return tree
}

// entry is a decoded tree entry, its parts in place in the entry's words.
type entry struct {
	nodes      []Node
	index      [][]uint32 // by slot, as Tree.index
	longs      []uint32   // as treeData.longEnds
	many       []uint32   // node, child count: the nodes with manyKids children
	firstError uint32     // ^0 for none, firstBranchesMark for none in the first branches
}

// firstBranchesMark stands in an entry's first error for a tree that has
// none, parsed with the first branch of each `#if` only (Tree.FirstBranches);
// no node index comes near it.
const firstBranchesMark = ^uint32(1)

// decodeEntry checks an entry's header, checksum and kind index (with
// check), and finds its parts; the nodes themselves are checked by
// validNodes. An entry of a trusted pack (treePack.isTrusted) was checked
// before and has not changed since: only what finding its parts needs is
// looked at.
func decodeEntry(words []uint32, check bool) (e entry, ok bool) {
	data := wordBytes(words)
	if len(data) < cacheHeader || string(data[:4]) != cacheMagic {
		return e, false
	}
	n := int(binary.LittleEndian.Uint32(data[4:]))
	const nodeWords = nodeSize / 4
	if n <= 0 || n > (len(words)-cacheHeader/4)/nodeWords {
		return e, false
	}
	if check && crc32.ChecksumIEEE(data[cacheHeader:]) != binary.LittleEndian.Uint32(data[8:]) {
		return e, false
	}
	e.nodes = unsafe.Slice((*Node)(unsafe.Pointer(&words[cacheHeader/4])), n)
	rest := words[cacheHeader/4+n*nodeWords:]
	e.index = make([][]uint32, len(IndexedKinds))
	for slot := range e.index {
		if len(rest) == 0 {
			return e, false
		}
		count := rest[0]
		if uint64(count) >= uint64(len(rest)) {
			return e, false
		}
		list := rest[1 : 1+count : 1+count] // used in place, as the nodes are
		if check {
			for _, at := range list {
				if at >= uint32(n) || e.nodes[at].Kind() != IndexedKinds[slot] {
					return e, false
				}
			}
		}
		e.index[slot], rest = list, rest[1+count:]
	}
	if len(rest) == 0 || uint64(rest[0]) > uint64(len(rest)-1)/2 {
		return e, false
	}
	end := 1 + 2*rest[0]
	e.longs, rest = rest[1:end:end], rest[end:]
	if len(rest) == 0 || uint64(rest[0]) != uint64(len(rest)-1)/2 || len(rest)%2 != 1 {
		return e, false
	}
	e.many = rest[1:len(rest):len(rest)]
	e.firstError = binary.LittleEndian.Uint32(data[12:])
	if e.firstError != ^uint32(0) && e.firstError != firstBranchesMark && e.firstError >= uint32(n) {
		return e, false
	}
	return e, true
}

// validNodes checks what the rest of the analyzer relies on without checking:
// every node knows its index, parents come first, children runs lie within
// the array and point back to their parent, and spans lie within the source.
// It returns the child counts of the nodes with manyKids children, which
// the nodes do not hold (see Node.kidCount).
func validNodes(nodes []Node, srcLen int, longs, stored []uint32) (many map[uint32]uint32, ok bool) {
	count, kinds := uint32(len(nodes)), Kind(len(kindTable.names))
	for i := 1; i < len(nodes); i++ {
		if p := nodes[i].parentIndex(); p < uint32(i) && nodes[p].kids() == manyKids {
			if many == nil {
				many = map[uint32]uint32{}
			}
			many[p]++
		}
	}
	kidsOf := func(n *Node) uint32 {
		if n.kids() == manyKids {
			return many[n.self()]
		}
		return uint32(n.kids())
	}
	// The ends of long nodes: by index, each of a long node, none short.
	for k := 0; k < len(longs); k += 2 {
		at, end := longs[k], longs[k+1]
		if at >= count || k > 0 && at <= longs[k-2] {
			return nil, false
		}
		if n := &nodes[at]; n.rest>>lenShift&lenMask != longSpan || end < n.Start()+longSpan {
			return nil, false
		}
	}
	var kids, long uint64
	for i := range nodes {
		n := &nodes[i]
		length := n.rest >> lenShift & lenMask
		if length == longSpan {
			long++
		}
		if n.self() != uint32(i) || long > uint64(len(longs)/2) {
			return nil, false
		}
		end := n.Start() + length
		if length == longSpan {
			end = longs[2*(long-1)+1] // the pairs are in node order, checked above
			if longs[2*(long-1)] != uint32(i) {
				return nil, false
			}
		}
		if int(end) > srcLen || n.Kind() >= kinds || int(n.field()&fieldID) >= len(grammar.fields) {
			return nil, false
		}
		if n.kids() == manyKids && many[n.self()] < manyKids {
			return nil, false // a short list would have been counted in the node
		}
		if i > 0 {
			if n.parentIndex() >= uint32(i) {
				return nil, false
			}
			if par := &nodes[n.parentIndex()]; uint32(i) < par.first() || uint32(i)-par.first() >= kidsOf(par) {
				return nil, false
			}
		}
		nk := kidsOf(n)
		if first := n.first(); nk > 0 && (first <= uint32(i) || first > count || nk > count-first) {
			return nil, false
		}
		kids += uint64(nk)
	}
	// The counts the entry lists must be these, for a trusted pack's trees
	// to take them unchecked (manyKidsOf): the same nodes, in order.
	if len(stored) != 2*len(many) {
		return nil, false
	}
	for k := 0; k < len(stored); k += 2 {
		if k > 0 && stored[k] <= stored[k-2] || many[stored[k]] != stored[k+1] || stored[k+1] == 0 {
			return nil, false
		}
	}
	// Two runs sharing nodes would make walks revisit them, exponentially in
	// a crafted entry. Every node but the root lies in its parent's run
	// (checked above), so runs that add up to exactly that many nodes cover
	// each once: none overlap.
	return many, kids == uint64(count)-1 && long == uint64(len(longs)/2)
}

// checkedEntries counts the tree entries checked in full (tests read it).
var checkedEntries atomic.Int64

// manyKidsOf is treeData.manyKids from an entry's list of them.
func manyKidsOf(list []uint32) map[uint32]uint32 {
	if len(list) == 0 {
		return nil
	}
	many := make(map[uint32]uint32, len(list)/2)
	for k := 0; k+1 < len(list); k += 2 {
		many[list[k]] = list[k+1]
	}
	return many
}

// encodeTree lays a tree out as an entry: header, nodes, kind index, the
// ends of long nodes, the child counts of nodes with manyKids children.
func encodeTree(tree *Tree) []byte { return appendTree(nil, tree) }

// appendTree is encodeTree into buf's room (it returns the entry alone).
func appendTree(buf []byte, tree *Tree) []byte {
	nodes := unsafe.Slice(tree.Root, tree.Root.data().count)
	indexed := 0
	for _, list := range tree.index {
		indexed += 1 + len(list)
	}
	data := slices.Grow(buf[:0], cacheHeader+len(nodes)*nodeSize+4*indexed+8+4*len(tree.Root.data().longEnds)+8*len(tree.Root.data().manyKids))[:cacheHeader]
	// The root keeps its registry id: a tree of a mapped pack is registered
	// at the id it was written with (see reserveTreeIDs); a tree read into
	// memory gets an id of its own.
	data = append(data, nodeBytes(nodes)...)
	for _, list := range tree.index {
		data = binary.LittleEndian.AppendUint32(data, uint32(len(list)))
		for _, at := range list {
			data = binary.LittleEndian.AppendUint32(data, at)
		}
	}
	longs := tree.Root.data().longEnds
	data = binary.LittleEndian.AppendUint32(data, uint32(len(longs)/2))
	for _, w := range longs {
		data = binary.LittleEndian.AppendUint32(data, w)
	}
	many := tree.Root.data().manyKids
	data = binary.LittleEndian.AppendUint32(data, uint32(len(many)))
	for _, at := range slices.Sorted(maps.Keys(many)) {
		data = binary.LittleEndian.AppendUint32(data, at)
		data = binary.LittleEndian.AppendUint32(data, many[at])
	}
	firstError := ^uint32(0)
	switch {
	case tree.FirstError != nil:
		firstError = tree.FirstError.self()
	case tree.FirstBranches:
		firstError = firstBranchesMark
	}
	copy(data, cacheMagic)
	binary.LittleEndian.PutUint32(data[4:], uint32(len(nodes)))
	binary.LittleEndian.PutUint32(data[8:], crc32.ChecksumIEEE(data[cacheHeader:]))
	binary.LittleEndian.PutUint32(data[12:], firstError)
	return data
}

// put stores a tree; failures only cost the next run a parse.
func (c *ParseCache) put(key [32]byte, tree *Tree) { writeAtomically(c.path(key), encodeTree(tree)) }

// Dir is where the cache keeps its entries.
func (c *ParseCache) Dir() string { return c.dir }

// treeOrigin says where a file's tree came from.
type treeOrigin uint8

const (
	parsedNow    treeOrigin = iota // parsed in this run
	fromEntry                      // a file's own cache entry
	fromTreePack                   // the scan root's tree pack
)

// parseCached parses src, or takes its tree from the scan root's tree pack
// or the cache; key is src's SHA-256 (see File.hash).
func parseCached(p *Parser, c *ParseCache, pack *treePack, src []byte, key [32]byte) (*Tree, treeOrigin, error) {
	if c == nil {
		tree, err := p.Parse(src)
		return tree, parsedNow, err
	}
	if tree := pack.tree(key, src); tree != nil {
		return tree, fromTreePack, nil
	}
	if tree := c.get(key, src); tree != nil {
		return tree, fromEntry, nil
	}
	tree, err := p.Parse(src)
	return tree, parsedNow, err
}
