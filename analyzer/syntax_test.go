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
