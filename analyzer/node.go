package analyzer

import "unsafe"

// Node is one syntax node of a parsed file. Nodes are plain Go values: walking
// them costs no cgo call, and they outlive the parser. A file's nodes live in
// one array and are kept small (40 bytes), because a scan holds every file's
// tree at once: the name of a node's field and its children are looked up in
// tables shared by the file rather than stored in each node.
type Node struct {
	Parent      *Node
	file        *treeData // the file's source and child table
	Start, End  int       // byte offsets in the decoded source
	first, kids uint32    // the children are file.kids[first : first+kids]
	Kind        Kind
	field       uint8 // grammar field id under which the parent holds this node
	Named       bool  // false for punctuation and keyword tokens
	Missing     bool  // inserted by error recovery; has no text
}

// treeData is what all nodes of one file share.
type treeData struct {
	src  []byte
	kids []*Node // every node's children, each node's run contiguous
}

// Children returns the node's children in source order. The slice is shared:
// callers must not modify it.
func (n *Node) Children() []*Node {
	if n == nil || n.kids == 0 {
		return nil
	}
	return n.file.kids[n.first : n.first+n.kids : n.first+n.kids]
}

// Field returns the name of the field under which the parent holds this node
// ("name", "body", …), or "".
func (n *Node) Field() string {
	if n == nil || n.field == 0 {
		return ""
	}
	return grammar.fields[n.field]
}

// Text returns the source text the node spans. It shares the file's memory
// instead of copying (sources are never modified once parsed), so comparing
// node texts costs no allocation.
func (n *Node) Text() string {
	if n == nil || n.End <= n.Start {
		return ""
	}
	return unsafe.String(&n.file.src[n.Start], n.End-n.Start)
}

// ChildByField returns the first child held under the field name, or nil.
func (n *Node) ChildByField(field string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children() {
		if c.field != 0 && grammar.fields[c.field] == field {
			return c
		}
	}
	return nil
}

// ChildrenByField returns every child held under the field name.
func (n *Node) ChildrenByField(field string) []*Node {
	var out []*Node
	for _, c := range n.Children() {
		if c.field != 0 && grammar.fields[c.field] == field {
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
	out := make([]*Node, 0, len(n.Children()))
	for _, c := range n.Children() {
		if c.Named {
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
		if c.Named {
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
		if c.Kind == k {
			return c
		}
	}
	return nil
}

// HasToken reports whether the node has a direct anonymous child with this text
// (an operator such as "++", or a keyword such as "static").
func (n *Node) HasToken(text string) bool {
	for _, c := range n.Children() {
		if !c.Named && c.Text() == text {
			return true
		}
	}
	return false
}

// HasModifier reports whether the node has a modifier child with this text
// (`static`, `async`, `readonly`, …).
func (n *Node) HasModifier(mod string) bool {
	for _, c := range n.Children() {
		if c.Kind == KindModifier && c.Text() == mod {
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
	stack := []*Node{n}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !visit(cur) {
			continue
		}
		for i := len(cur.Children()) - 1; i >= 0; i-- {
			stack = append(stack, cur.Children()[i])
		}
	}
}

// Ancestor returns the nearest ancestor of one of the kinds, or nil.
func (n *Node) Ancestor(kinds ...Kind) *Node {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, k := range kinds {
			if p.Kind == k {
				return p
			}
		}
	}
	return nil
}

// Contains reports whether m lies within n's span.
func (n *Node) Contains(m *Node) bool {
	return m != nil && n.Start <= m.Start && m.End <= n.End
}

// IsError reports whether the node is an ERROR or MISSING node.
func (n *Node) IsError() bool { return n.Kind == KindError || n.Missing }

// Unparen strips enclosing parentheses.
func Unparen(n *Node) *Node {
	for n != nil && n.Kind == KindParenthesizedExpression {
		n = n.FirstNamed()
	}
	return n
}
