package analyzer

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A file's nodes hold no Go pointers, so the collector never scans them: a
// scan keeps every file's tree live (about ten million nodes for 80 MB of C#),
// and with a pointer in each node every collection re-read all of them (a
// third of a warm re-scan's CPU on efcore). A node finds its array from its
// own index, and the array's root holds the id of the file's treeData in this
// registry instead of a pointer to it. The entry is freed when the array is
// collected.

// treeData is what all nodes of one array share.
type treeData struct {
	src   []byte
	count uint32 // nodes in the array
	// outer is, for a span made by HeaderNode (an array of one node), the
	// node it was cut from; nil for a parsed file's array.
	outer *Node
	// manyKids holds the child counts of the nodes with manyKids children or
	// more, by index (see Node.kidCount).
	manyKids map[uint32]uint32
	// longEnds holds the ends of the nodes of longSpan bytes or more, as
	// pairs (index, end) by index (see Node.End).
	longEnds []uint32
	// cleanup releases the entry when the array is collected; stopped when
	// the tree moves to a mapped pack (Sources.streamTree, moveTreesToPack).
	cleanup runtime.Cleanup
	// consulted collects, while the file's units are walked or its rules
	// run with a cache, the calls bound late whose resolution was
	// consulted all the same (see latecalls.go); nil otherwise.
	consulted atomic.Pointer[callSink]
}

// longEnd returns the end of node i, one of longEnds.
func (d *treeData) longEnd(i uint32) uint32 {
	pairs := d.longEnds
	lo, hi := 0, len(pairs)/2
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if pairs[2*mid] < i {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(pairs)/2 && pairs[2*lo] == i {
		return pairs[2*lo+1]
	}
	panic("analyzer: a long node has no recorded end")
}

// sortLongEnds orders longEnds by index, once a tree's nodes are all placed.
func (d *treeData) sortLongEnds() {
	if len(d.longEnds) <= 2 {
		return
	}
	keyed := make([]uint64, len(d.longEnds)/2)
	for k := range keyed {
		keyed[k] = uint64(d.longEnds[2*k])<<32 | uint64(d.longEnds[2*k+1])
	}
	slices.Sort(keyed)
	for k, v := range keyed {
		d.longEnds[2*k], d.longEnds[2*k+1] = uint32(v>>32), uint32(v)
	}
}

const (
	treeChunkBits = 16
	treeChunkSize = 1 << treeChunkBits
)

var trees struct {
	mu     sync.Mutex
	free   []uint32
	next   uint32
	chunks [1 << (idxBits - treeChunkBits)]atomic.Pointer[[treeChunkSize]*treeData]
}

// noTree is the id of a Node made on its own (&Node{}), which is the root of
// an array of one with no source; it is registered first and never freed.
const noTree = 0

func init() {
	if registerTree(&treeData{count: 1}) != noTree {
		panic("analyzer: the tree registry did not start at noTree")
	}
}

// registerTree stores data and returns its id.
func registerTree(data *treeData) uint32 {
	trees.mu.Lock()
	defer trees.mu.Unlock()
	var id uint32
	if n := len(trees.free); n > 0 {
		id, trees.free = trees.free[n-1], trees.free[:n-1]
	} else {
		id = trees.next
		trees.next++
	}
	if id > idxMask { // a root holds its id where other nodes hold their parent's index
		panic("analyzer: more than 4 million syntax trees at once")
	}
	storeTree(id, data)
	return id
}

// storeTree puts data at id; the caller holds trees.mu.
func storeTree(id uint32, data *treeData) {
	chunk := trees.chunks[id>>treeChunkBits].Load()
	if chunk == nil {
		chunk = new([treeChunkSize]*treeData)
		trees.chunks[id>>treeChunkBits].Store(chunk)
	}
	chunk[id&(treeChunkSize-1)] = data
}

// reserveTreeIDs sets ids aside for registerTreeAt, if none of them has
// been handed out in this process: the trees of a mapped pack keep the ids
// their roots were written with (a mapping is not written to). It reports
// false when some id is taken, repeated or out of range.
func reserveTreeIDs(ids []uint32) bool {
	trees.mu.Lock()
	defer trees.mu.Unlock()
	if trees.next != noTree+1 || len(trees.free) > 0 || len(ids) == 0 {
		return false // only a process's first pack: other ids are taken or freed
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	if sorted[0] == noTree || sorted[len(sorted)-1] > idxMask {
		return false
	}
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return false
		}
	}
	for id, k := uint32(noTree+1), 0; id <= sorted[len(sorted)-1]; id++ {
		if k < len(sorted) && sorted[k] == id {
			k++
			continue
		}
		trees.free = append(trees.free, id)
	}
	trees.next = sorted[len(sorted)-1] + 1
	return true
}

// registerTreeAt stores data at an id reserved by reserveTreeIDs. The entry
// is never released: the mapping it describes stays.
func registerTreeAt(id uint32, data *treeData) {
	trees.mu.Lock()
	defer trees.mu.Unlock()
	storeTree(id, data)
}

func releaseTree(id uint32) {
	trees.mu.Lock()
	defer trees.mu.Unlock()
	trees.chunks[id>>treeChunkBits].Load()[id&(treeChunkSize-1)] = nil
	trees.free = append(trees.free, id)
}

// newNodeArray allocates the node array of a tree over src and registers
// its data; the registry entry is released when the array is collected.
func newNodeArray(count int, src []byte, outer *Node) []Node {
	nodes := make([]Node, count)
	data := &treeData{src: src, count: uint32(count), outer: outer}
	id := registerTree(data)
	nodes[0].setParent(id)
	data.cleanup = runtime.AddCleanup(&nodes[0], releaseTree, id)
	return nodes
}

// registerNodes registers an array made elsewhere (read from the cache) as
// newNodeArray does: its root gets the id, released when it is collected.
// With a treePack, the id is released with the pack's buffer instead (see
// treePack.release).
func registerNodes(nodes []Node, data *treeData, pack *treePack) {
	id := registerTree(data)
	nodes[0].setParent(id)
	if pack != nil {
		pack.mu.Lock()
		pack.ids = append(pack.ids, id)
		pack.mu.Unlock()
		return
	}
	data.cleanup = runtime.AddCleanup(&nodes[0], releaseTree, id)
}

// releaseTrees frees the registry entries of the trees in one buffer.
func releaseTrees(ids []uint32) {
	for _, id := range ids {
		releaseTree(id)
	}
}

const nodeSize = int(unsafe.Sizeof(Node{}))

// root returns the first node of n's array. Nodes are only made in arrays
// (newNodeArray) or on their own (index 0), and never copied, so stepping
// back by n's index stays within n's allocation.
func (n *Node) root() *Node { return n.at(0) }

// at returns node i of n's array.
func (n *Node) at(i uint32) *Node {
	return (*Node)(unsafe.Add(unsafe.Pointer(n), (int(i)-int(n.self()))*nodeSize))
}

// data returns what n's array shares.
func (n *Node) data() *treeData {
	id := n.root().parentIndex()
	return trees.chunks[id>>treeChunkBits].Load()[id&(treeChunkSize-1)]
}

// home returns the data of the file n belongs to: its own array's, or for a
// span the data of the node it was cut from.
func (n *Node) home() *treeData {
	d := n.data()
	for d.outer != nil {
		d = d.outer.data()
	}
	return d
}

// fileRoot returns the root of the file n belongs to.
func (n *Node) fileRoot() *Node {
	for {
		r := n.root()
		outer := n.data().outer
		if outer == nil {
			return r
		}
		n = outer
	}
}
