package analyzer

import (
	"iter"
	"unsafe"
)

// Node is one syntax node of a parsed file. Nodes are plain Go values: walking
// them costs no cgo call, and they outlive the parser. A file's nodes live in
// one array and are kept to 16 bytes with no pointers (see trees.go), because
// a scan holds every file's tree at once (ten million nodes for efcore, where
// four bytes a node are 40 MB): a node knows its kind, its span of the
// source, its own index in that array, its parent's and its children's run.
// The fields are packed (see the accessors below): indexes of 22 bits (see
// maxTreeNodes), a start offset of 28 bits (see maxSourceSize), a length of
// 11 bits (a longer node's end is kept in its tree's data, see End) and a
// kind of 9 bits. Nodes must not be copied out of their array.
type Node struct {
	// own is the node's index in the array (idxBits), its field byte and
	// bits 16–18 of its first child's index.
	own uint32
	// up is the parent's index, or for the root the tree's id (see
	// trees.go), the child count or manyKids and bits 19–21 of the first
	// child's index.
	up uint32
	// pos is the start offset (startBits) and bits 0–3 of the kind.
	pos uint32
	// rest is bits 0–15 of the first child's index, the length (lenBits, or
	// longSpan) and bits 4–8 of the kind.
	rest uint32
}

const (
	idxBits = 22
	idxMask = 1<<idxBits - 1
	// maxTreeNodes is the most nodes one file's tree can have: over 4
	// million (efcore's largest file has 60,000; a dense 8 MB file could
	// reach it, and is then skipped with a warning).
	maxTreeNodes = idxMask
	byteShift    = idxBits // the field byte in own, the child count in up
	byteMask     = 0x7F
	highShift    = idxBits + 7 // three bits of the first child's index

	startBits = 28
	startMask = 1<<startBits - 1
	// maxSourceSize is the largest file whose nodes can be numbered by
	// offset: 256 MiB (the default --max-file-size is 8 MiB).
	maxSourceSize = startMask
	lenShift      = 16
	lenBits       = 11
	lenMask       = 1<<lenBits - 1
	// longSpan as a length says the node spans that many bytes or more:
	// its end is in its tree's data (0.4% of efcore's nodes).
	longSpan      = lenMask
	kindHighShift = lenShift + lenBits
	maxKinds      = 1 << 9
)

const (
	fieldMissing = 0x40 // inserted by error recovery; the node has no text
	fieldNamed   = 0x20 // not a punctuation or keyword token
	fieldID      = 0x1F // the grammar numbers its fields from 1 (26 in all)
	// manyKids as a child count says the node has this many children or
	// more: the count is in its array's treeData (only long lists have that
	// many).
	manyKids = byteMask
)

// Kind is the node's kind.
func (n *Node) Kind() Kind { return Kind(n.pos>>startBits | n.rest>>kindHighShift<<4) }

// Start is the offset of the node's first byte in the decoded source.
func (n *Node) Start() uint32 { return n.pos & startMask }

// End is the offset just past the node's last byte.
func (n *Node) End() uint32 {
	if l := n.rest >> lenShift & lenMask; l != longSpan {
		return n.Start() + l
	}
	return n.data().longEnd(n.self())
}

// self is n's index in its array; 0 for the root.
func (n *Node) self() uint32 { return n.own & idxMask }

// parentIndex is the parent's index; for the root, the tree's id.
func (n *Node) parentIndex() uint32 { return n.up & idxMask }

// first is the index of n's first child: the children are the array's
// [first : first+kidCount()].
func (n *Node) first() uint32 {
	return uint32(uint16(n.rest)) | (n.own>>highShift)<<16 | (n.up>>highShift)<<19
}

// field is the grammar field id (fieldID), fieldNamed and fieldMissing.
func (n *Node) field() uint8 { return uint8(n.own >> byteShift & byteMask) }

// kids is the number of children, or manyKids (see kidCount).
func (n *Node) kids() uint8 { return uint8(n.up >> byteShift & byteMask) }

// place fills a zeroed node in one write a word, as buildTree makes it:
// its indexes (as setLinks), kind and field byte; the child count and span
// follow (setKids, setSpan).
func (n *Node) place(self, parent, first uint32, kind Kind, field uint8) {
	n.own = self | uint32(field&byteMask)<<byteShift | (first>>16&7)<<highShift
	n.up = parent | (first>>19&7)<<highShift
	n.pos = uint32(kind&0xF) << startBits
	n.rest = first&0xFFFF | uint32(kind>>4&0x1F)<<kindHighShift
}

// setParent records the parent's index (for a root, its tree's id).
func (n *Node) setParent(parent uint32) { n.up = n.up&^idxMask | parent }

func (n *Node) setField(field uint8) {
	n.own = n.own&^(byteMask<<byteShift) | uint32(field&byteMask)<<byteShift
}

func (n *Node) setKidsByte(kids uint8) {
	n.up = n.up&^(byteMask<<byteShift) | uint32(kids&byteMask)<<byteShift
}

// setKind records the kind, below maxKinds.
func (n *Node) setKind(k Kind) {
	n.pos = n.pos&startMask | uint32(k&0xF)<<startBits
	n.rest = n.rest&^(0x1F<<kindHighShift) | uint32(k>>4&0x1F)<<kindHighShift
}

// setLength records the length (longSpan for a long node, whose end its
// tree's data must then hold).
func (n *Node) setLength(length uint32) {
	n.rest = n.rest&^(lenMask<<lenShift) | min(length, longSpan)<<lenShift
}

// setSpan records where the node starts and ends, start at most
// maxSourceSize; the array's data must be registered (n.data() must be n's)
// and take a long node's end.
func (n *Node) setSpan(start, end uint32) {
	n.pos = n.pos&^startMask | start
	n.setLength(end - start)
	if end-start >= longSpan {
		d := n.data()
		d.longEnds = append(d.longEnds, n.self(), end)
	}
}

// Named reports whether the node is named: false for punctuation and keyword tokens.
func (n *Node) Named() bool { return n.field()&fieldNamed != 0 }

// kidCount returns the number of n's children.
func (n *Node) kidCount() uint32 {
	if k := n.kids(); k != manyKids {
		return uint32(k)
	}
	return n.data().manyKids[n.self()]
}

// setKids records that n has count children; the array's data must be
// registered (n.data() must be n's) when count reaches manyKids.
func (n *Node) setKids(count uint32) {
	if count < manyKids {
		n.setKidsByte(uint8(count))
		return
	}
	n.setKidsByte(manyKids)
	d := n.data()
	if d.manyKids == nil {
		d.manyKids = map[uint32]uint32{}
	}
	d.manyKids[n.self()] = count
}

// Parent returns the node's parent, or nil for the root.
func (n *Node) Parent() *Node {
	if n == nil {
		return nil
	}
	if n.self() == 0 {
		return n.data().outer // a span hangs under the node it was cut from
	}
	return n.at(n.parentIndex())
}

// Missing reports whether error recovery inserted the node (it has no text).
func (n *Node) Missing() bool { return n.field()&fieldMissing != 0 }

// index returns n's position in its file's node array; ok is false for a node
// made outside it (HeaderNode's spans, nodes made on their own).
func (n *Node) index() (i uint32, ok bool) {
	if n.self() == 0 && (n.parentIndex() == noTree || n.data().outer != nil) {
		return 0, false
	}
	return n.self(), true
}

// Children yields the node's children in source order with their positions
// (`for _, c := range n.Children()`).
func (n *Node) Children() iter.Seq2[int, *Node] {
	return func(yield func(int, *Node) bool) {
		kids := n.kidNodes()
		for i := range kids {
			if !yield(i, &kids[i]) {
				return
			}
		}
	}
}

// ChildCount returns the number of children.
func (n *Node) ChildCount() int {
	if n == nil {
		return 0
	}
	return int(n.kidCount())
}

// kidNodes is the run of the file's node array that holds n's children.
func (n *Node) kidNodes() []Node {
	if n == nil || n.kids() == 0 {
		return nil
	}
	return unsafe.Slice(n.at(n.first()), n.kidCount())
}

// Field returns the name of the field under which the parent holds this node
// ("name", "body", …), or "".
func (n *Node) Field() string {
	if n == nil || n.field()&fieldID == 0 {
		return ""
	}
	return grammar.fields[n.field()&fieldID]
}

// Text returns the source text the node spans. It shares the file's memory
// instead of copying (sources are never modified once parsed), so comparing
// node texts costs no allocation.
func (n *Node) Text() string {
	if n == nil || n.End() <= n.Start() {
		return ""
	}
	return unsafe.String(&n.data().src[n.Start()], n.End()-n.Start())
}

// ChildByField returns the first child held under the field name, or nil.
func (n *Node) ChildByField(field string) *Node {
	if n == nil {
		return nil
	}
	kids := n.kidNodes()
	for i := range kids {
		if kids[i].Field() == field {
			return &kids[i]
		}
	}
	return nil
}

// ChildrenByField returns every child held under the field name.
func (n *Node) ChildrenByField(field string) []*Node {
	var out []*Node
	for _, c := range n.Children() {
		if c.Field() == field {
			out = append(out, c)
		}
	}
	return out
}

// NamedChildren returns the children that are not punctuation or keywords.
func (n *Node) NamedChildren() []*Node {
	if n == nil {
		return nil
	}
	out := make([]*Node, 0, n.kidCount())
	for _, c := range n.Children() {
		if c.Named() {
			out = append(out, c)
		}
	}
	return out
}

// FirstNamed returns the first named child, or nil.
func (n *Node) FirstNamed() *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children() {
		if c.Named() {
			return c
		}
	}
	return nil
}

// FirstOfKind returns the first direct child of the given kind, or nil.
func (n *Node) FirstOfKind(k Kind) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children() {
		if c.Kind() == k {
			return c
		}
	}
	return nil
}

// HasToken reports whether the node has a direct anonymous child with this text
// (an operator such as "++", or a keyword such as "static").
func (n *Node) HasToken(text string) bool {
	for _, c := range n.Children() {
		if !c.Named() && c.Text() == text {
			return true
		}
	}
	return false
}

// HasModifier reports whether the node has a modifier child with this text
// (`static`, `async`, `readonly`, …).
func (n *Node) HasModifier(mod string) bool {
	for _, c := range n.Children() {
		if c.Kind() == KindModifier && c.Text() == mod {
			return true
		}
	}
	return false
}

// Walk visits n and its descendants in source order. When visit returns false
// the node's children are skipped. It uses an explicit stack, so deeply nested
// code cannot overflow anything.
func (n *Node) Walk(visit func(*Node) bool) {
	if n == nil {
		return
	}
	// Most walks (a unit's body, an expression) stay within this many
	// pending nodes, so they allocate nothing: 200,000 unit walks made 19 MB
	// of garbage on efcore.
	var room [64]*Node
	stack := append(room[:0], n)
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !visit(cur) {
			continue
		}
		kids := cur.kidNodes()
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, &kids[i])
		}
	}
}

// Ancestor returns the nearest ancestor of one of the kinds, or nil.
func (n *Node) Ancestor(kinds ...Kind) *Node {
	for p := n.Parent(); p != nil; p = p.Parent() {
		for _, k := range kinds {
			if p.Kind() == k {
				return p
			}
		}
	}
	return nil
}

// Contains reports whether m lies within n's span in the same file (offsets
// alone would match nodes of other files, e.g. when a rule filters a
// field's accesses program-wide by a node of one file).
func (n *Node) Contains(m *Node) bool {
	return m != nil && n.Start() <= m.Start() && m.End() <= n.End() && n.fileRoot() == m.fileRoot()
}

// IsError reports whether the node is an ERROR or MISSING node.
func (n *Node) IsError() bool { return n.Kind() == KindError || n.Missing() }

// Unparen strips enclosing parentheses. It returns nil only for nil: the
// inside of `(this)` is an anonymous token, and a parenthesized expression
// that error recovery left empty is returned as it is.
func Unparen(n *Node) *Node {
	for n != nil && n.Kind() == KindParenthesizedExpression {
		inner := n.FirstNamed()
		if inner == nil {
			for _, c := range n.Children() {
				inner = c
				break
			}
		}
		if inner == nil {
			return n
		}
		n = inner
	}
	return n
}
