package analyzer

import (
	"sync"
	"sync/atomic"
)

// nodeMap maps syntax nodes to values (units, type declarations). Beside the
// map it keeps one bit per node of each file, set for the nodes that hold a
// value, so the checks made for every node of every body and every parent
// walk cost a bit test instead of a map lookup. Values are set while the
// index is built, before the parallel phases read them.
type nodeMap[V comparable] struct {
	m     map[*Node]V
	marks map[*treeData][]uint64
	deep  *deepAnswers // enclosing's answers for nodes far below them
}

// deepAnswers remembers enclosing's answers for deeply nested nodes.
type deepAnswers struct {
	m    sync.Map // *Node → V
	used atomic.Bool
}

func newNodeMap[V comparable]() nodeMap[V] { return newNodeMapSized[V](0) }

// newNodeMapSized makes a map with room for n nodes.
func newNodeMapSized[V comparable](n int) nodeMap[V] {
	return nodeMap[V]{m: make(map[*Node]V, n), marks: map[*treeData][]uint64{}, deep: &deepAnswers{}}
}

func (nm nodeMap[V]) set(n *Node, v V) {
	if nm.deep.used.Swap(false) {
		nm.deep.m.Clear() // a new value can be the answer for nodes below it
	}
	nm.m[n] = v
	if i, ok := n.index(); ok {
		file := n.data()
		bits := nm.marks[file]
		if bits == nil {
			bits = make([]uint64, (file.count+63)/64)
			nm.marks[file] = bits
		}
		bits[i/64] |= 1 << (i % 64)
	}
}

// marked reports whether the bit of node i is set.
func marked(bits []uint64, i uint32) bool { return bits != nil && bits[i/64]&(1<<(i%64)) != 0 }

// get returns the value held at n, or the zero value.
func (nm nodeMap[V]) get(n *Node) V {
	var zero V
	if n == nil {
		return zero
	}
	if i, ok := n.index(); ok && !marked(nm.marks[n.data()], i) {
		return zero
	}
	return nm.m[n] // marked, or a node outside its file's array (a span)
}

// inFileOf is get with the bits of n's file fetched once, for walks over
// many nodes of that file. It is a value, not a closure: enclosing makes one
// for every parent walk (12 MB of garbage on efcore as closures).
func (nm nodeMap[V]) inFileOf(n *Node) fileMap[V] {
	return fileMap[V]{nm: nm, root: n.root(), bits: nm.marks[n.data()]}
}

// fileMap is a nodeMap read for the nodes of one file (see inFileOf).
type fileMap[V comparable] struct {
	nm   nodeMap[V]
	root *Node
	bits []uint64
}

// get returns the value held at cur, or the zero value.
func (fm fileMap[V]) get(cur *Node) V {
	if i, ok := cur.index(); ok && cur.root() == fm.root && !marked(fm.bits, i) {
		var zero V
		return zero
	}
	return fm.nm.get(cur)
}

// enclosing returns the value held at n or its nearest ancestor that holds
// one, or the zero value. Walks longer than shallowWalk remember their answer
// for the nodes they pass, so that in code nested thousands deep (a
// generated else-if chain) each node is walked past once, not once per node
// below it.
func (nm nodeMap[V]) enclosing(n *Node) V {
	var zero V
	if n == nil {
		return zero
	}
	at := nm.inFileOf(n)
	var passed []*Node
	found, steps := zero, 0
	for cur := n; cur != nil; cur = cur.Parent() {
		if v := at.get(cur); v != zero {
			found = v
			break
		}
		if steps++; steps > shallowWalk {
			if v, ok := nm.deep.m.Load(cur); ok {
				found = v.(V)
				break
			}
			passed = append(passed, cur)
		}
	}
	if len(passed) > 0 {
		nm.deep.used.Store(true)
	}
	for _, x := range passed {
		nm.deep.m.Store(x, found)
	}
	return found
}

// shallowWalk is how many ancestors a walk visits before it looks for and
// leaves remembered answers: real code is rarely nested deeper, and the
// walks that stay within it cost no map.
const shallowWalk = 32
