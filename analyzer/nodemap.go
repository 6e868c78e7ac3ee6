package analyzer

// nodeMap maps syntax nodes to values (units, type declarations). Beside the
// map it keeps one bit per node of each file, set for the nodes that hold a
// value, so the checks made for every node of every body and every parent
// walk cost a bit test instead of a map lookup. Values are set while the
// index is built, before the parallel phases read them.
type nodeMap[V comparable] struct {
	m     map[*Node]V
	marks map[*treeData][]uint64
}

func newNodeMap[V comparable]() nodeMap[V] {
	return nodeMap[V]{m: map[*Node]V{}, marks: map[*treeData][]uint64{}}
}

func (nm nodeMap[V]) set(n *Node, v V) {
	nm.m[n] = v
	if i, ok := n.index(); ok {
		bits := nm.marks[n.file]
		if bits == nil {
			bits = make([]uint64, (len(n.file.nodes)+63)/64)
			nm.marks[n.file] = bits
		}
		bits[i/64] |= 1 << (i % 64)
	}
}

// inFileOf returns a lookup for the nodes of n's file, with the file's bits
// fetched once (for walks over many of its nodes).
func (nm nodeMap[V]) inFileOf(n *Node) func(*Node) V {
	file := n.file
	bits := nm.marks[file] // nil: no node of this file holds a value
	return func(cur *Node) V {
		var zero V
		if cur.file != file {
			return nm.get(cur)
		}
		i, ok := cur.index()
		if !ok {
			return nm.m[cur] // a node outside the file's array (a span)
		}
		if bits == nil || bits[i/64]&(1<<(i%64)) == 0 {
			return zero
		}
		return nm.m[cur]
	}
}

// get returns the value held at n, or the zero value.
func (nm nodeMap[V]) get(n *Node) V {
	if n == nil {
		var zero V
		return zero
	}
	return nm.inFileOf(n)(n)
}

// enclosing returns the value held at n or its nearest ancestor that holds
// one, or the zero value.
func (nm nodeMap[V]) enclosing(n *Node) V {
	var zero V
	if n == nil {
		return zero
	}
	at := nm.inFileOf(n)
	for cur := n; cur != nil; cur = cur.Parent() {
		if v := at(cur); v != zero {
			return v
		}
	}
	return zero
}
