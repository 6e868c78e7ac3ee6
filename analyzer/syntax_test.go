package analyzer

import (
	"testing"
	"time"
	"unsafe"
)

// TestNodeSize keeps Node at 32 bytes: a scan holds every node of every file
// (about ten million for 80 MB of C#), so each byte here is ten megabytes.
func TestNodeSize(t *testing.T) {
	if size := unsafe.Sizeof(Node{}); size > 32 {
		t.Errorf("Node is %d bytes, want at most 32", size)
	}
}

// TestParentAndIndex: parents come from the file's node array, and spans
// made by HeaderNode hang under the node they were cut from.
func TestParentAndIndex(t *testing.T) {
	p := NewParser()
	defer p.Close()
	tree, err := p.Parse([]byte("class A { void M() { if (x == null) { x = 1; } } }"))
	if err != nil {
		t.Fatal(err)
	}
	var ifs *Node
	tree.Root.Walk(func(n *Node) bool {
		for _, c := range n.Children() {
			if c.Parent() != n {
				t.Errorf("%s's parent is %v, want %s", c.Kind, c.Parent().Kind, n.Kind)
			}
		}
		if n.Kind == KindIfStatement {
			ifs = n
		}
		return true
	})
	if tree.Root.Parent() != nil {
		t.Error("the root has a parent")
	}
	span := HeaderNode(ifs, ifs.ChildByField("condition"))
	if span.Parent() != ifs || span.Text() != "if (x == null" {
		t.Errorf("span %q under %v", span.Text(), span.Parent().Kind)
	}
	if _, ok := span.index(); ok {
		t.Error("a span claims a place in the node array")
	}
}

// TestParseBudget: big files get a second per MiB on top of ParseTimeout, so
// a 50 MB file that a user allowed (--max-file-size) is not cut off.
func TestParseBudget(t *testing.T) {
	if got := parseBudget(1000); got != ParseTimeout {
		t.Errorf("small file: %v", got)
	}
	if got := parseBudget(50 << 20); got != ParseTimeout+50*time.Second {
		t.Errorf("50 MiB: %v", got)
	}
}

// TestNodeMap: values are found at their node and from its descendants,
// nowhere else, and spans made by HeaderNode see their ancestors' values.
func TestNodeMap(t *testing.T) {
	p := NewParser()
	defer p.Close()
	a, _ := p.Parse([]byte("class A { void M() { if (x == null) { x = 1; } } }"))
	b, _ := p.Parse([]byte("class B { void N() { y++; } }"))
	methodOf := func(tree *Tree) *Node {
		var m *Node
		tree.Root.Walk(func(n *Node) bool {
			if n.Kind == KindMethodDeclaration {
				m = n
			}
			return true
		})
		return m
	}
	nm := newNodeMap[string]()
	nm.set(methodOf(a), "M")
	var ifs, inner *Node
	a.Root.Walk(func(n *Node) bool {
		if n.Kind == KindIfStatement {
			ifs = n
		}
		if n.Kind == KindAssignment {
			inner = n
		}
		return true
	})
	if nm.get(methodOf(a)) != "M" || nm.get(ifs) != "" || nm.get(methodOf(b)) != "" {
		t.Error("get found a value where none was set, or missed one")
	}
	if nm.enclosing(inner) != "M" || nm.enclosing(a.Root) != "" || nm.enclosing(methodOf(b)) != "" {
		t.Error("enclosing")
	}
	if span := HeaderNode(ifs, ifs.ChildByField("condition")); nm.enclosing(span) != "M" {
		t.Error("a span does not see its ancestors' values")
	}
	at := nm.inFileOf(inner)
	if at(methodOf(a)) != "M" || at(methodOf(b)) != "" {
		t.Error("inFileOf")
	}
}
