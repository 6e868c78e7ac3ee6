package analyzer

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// TestNodeSize keeps Node at 16 bytes and free of pointers: a scan holds
// every node of every file (about ten million for 80 MB of C#), so each byte
// here is ten megabytes, and a pointer in a node makes the collector read
// every node of every file at every collection.
func TestNodeSize(t *testing.T) {
	if size := unsafe.Sizeof(Node{}); size > 16 {
		t.Errorf("Node is %d bytes, want at most 16", size)
	}
	typ := reflect.TypeFor[Node]()
	for i := range typ.NumField() {
		switch f := typ.Field(i); f.Type.Kind() {
		case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Bool:
		default:
			t.Errorf("Node.%s is a %s; nodes must hold no pointers", f.Name, f.Type)
		}
	}
}

// TestTreesAreReleased: the registry entry of a tree (see trees.go) is freed
// once its nodes are collected, so parsing many files one after another, as
// the fuzzers do, does not grow it.
func TestTreesAreReleased(t *testing.T) {
	p := NewParser()
	defer p.Close()
	parse := func() {
		for range 200 {
			if _, err := p.Parse([]byte("class A { int x; }")); err != nil {
				t.Fatal(err)
			}
		}
	}
	parse()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		trees.mu.Lock()
		free := len(trees.free)
		trees.mu.Unlock()
		if free >= 150 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of 200 tree ids were released after collection", free)
		}
		time.Sleep(10 * time.Millisecond)
	}
	trees.mu.Lock()
	before := trees.next
	trees.mu.Unlock()
	parse()
	trees.mu.Lock()
	grew := trees.next - before
	trees.mu.Unlock()
	if grew > 50 {
		t.Errorf("the registry grew by %d ids while %d freed ones were there to reuse", grew, 150)
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
				t.Errorf("%s's parent is %v, want %s", c.Kind(), c.Parent().Kind(), n.Kind())
			}
		}
		if n.Kind() == KindIfStatement {
			ifs = n
		}
		return true
	})
	if tree.Root.Parent() != nil {
		t.Error("the root has a parent")
	}
	span := HeaderNode(ifs, ifs.ChildByField("condition"))
	if span.Parent() != ifs || span.Text() != "if (x == null" {
		t.Errorf("span %q under %v", span.Text(), span.Parent().Kind())
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

// TestParseAfterTimeout: a parser whose parse timed out parses the next
// file afresh. tree-sitter resumes a timed-out parse on the next call, so a
// worker's next file used to get a tree of the previous file's text, with
// spans past its own end.
func TestParseAfterTimeout(t *testing.T) {
	defer func(old time.Duration) { ParseTimeout = old }(ParseTimeout)
	ParseTimeout = time.Microsecond // budgets below 1 MiB are ParseTimeout alone
	p := NewParser()
	defer p.Close()
	big := "class A { void M() { " + strings.Repeat("x = (a + b) * c; ", 50000) + " } }"
	if _, err := p.Parse([]byte(big)); err != ErrParseTimeout {
		t.Fatalf("the big file parsed (%v); the test needs it to time out", err)
	}
	ParseTimeout = time.Minute
	small := "class B { int y; }"
	tree, err := p.Parse([]byte(small))
	if err != nil {
		t.Fatal(err)
	}
	if end := tree.Root.End(); end != uint32(len(small)) || tree.FirstError != nil {
		t.Errorf("the next file's tree ends at %d of %d bytes, error %v", end, len(small), tree.FirstError != nil)
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
			if n.Kind() == KindMethodDeclaration {
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
		if n.Kind() == KindIfStatement {
			ifs = n
		}
		if n.Kind() == KindAssignment {
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
	if at.get(methodOf(a)) != "M" || at.get(methodOf(b)) != "" {
		t.Error("inFileOf")
	}
}

// A node holds its child count in a byte; longer lists keep theirs in the
// tree's data (manyKids). Both must give every child, each pointing back.
func TestLongListsKeepTheirChildren(t *testing.T) {
	p := NewParser()
	defer p.Close()
	for _, n := range []int{126, 127, 128, 254, 255, 256, 70000} {
		tree, err := p.Parse([]byte("class C { int[] b = { " + strings.Repeat("2, ", n) + "}; }"))
		if err != nil {
			t.Fatal(err)
		}
		most := 0
		tree.Root.Walk(func(node *Node) bool {
			seen := 0
			for _, k := range node.Children() {
				seen++
				if k.Parent() != node {
					t.Fatalf("%d: a child of %s has another parent", n, node.Kind())
				}
			}
			if seen != node.ChildCount() {
				t.Fatalf("%d: %s yields %d children, counts %d", n, node.Kind(), seen, node.ChildCount())
			}
			most = max(most, seen)
			return true
		})
		if most != n {
			t.Errorf("initializer of %d elements: the longest list has %d children", n, most)
		}
	}
}

// TestTreeNodeLimit: a file with more nodes than a tree can index, or more
// source than a node can hold offsets into, is refused with an error that
// says so (Load turns it into a "skipped" warning), not cut short or wrapped
// around.
func TestTreeNodeLimit(t *testing.T) {
	p := NewParser()
	defer p.Close()
	src := []byte("class C { int[] b = { " + strings.Repeat("2, ", 200) + "}; }")
	if _, err := p.Parse(src); err != nil {
		t.Fatalf("under the limit: %v", err)
	}
	defer func(limit int) { treeNodeLimit = limit }(treeNodeLimit)
	treeNodeLimit = 150
	tree, err := p.Parse(src)
	if err == nil || !strings.Contains(err.Error(), "syntax nodes; lmilint analyzes at most 150 in one file") {
		t.Fatalf("over the limit: tree %v, error %v", tree != nil, err)
	}
	// Through Load, the file is skipped with a warning that names it; the
	// rest of the project is analyzed.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Big.cs"), src, 0o644)
	os.WriteFile(filepath.Join(dir, "Small.cs"), []byte("class D { }"), 0o644)
	loaded, err := Load([]string{dir}, LoadOptions{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded.Files) != 1 || loaded.Files[0].RelPath != "Small.cs" || len(loaded.Diagnostics) != 1 ||
		loaded.Diagnostics[0].File != "Big.cs" || loaded.Diagnostics[0].Level != "warning" ||
		!strings.HasPrefix(loaded.Diagnostics[0].Message, "skipped: ") {
		t.Fatalf("files %d, diagnostics %+v", len(loaded.Files), loaded.Diagnostics)
	}
	treeNodeLimit = maxTreeNodes
	defer func(limit int) { sourceSizeLimit = limit }(sourceSizeLimit)
	sourceSizeLimit = 100
	tree, err = p.Parse(src)
	if err == nil || !strings.Contains(err.Error(), "lmilint analyzes at most 100 B in one file") {
		t.Fatalf("over the size limit: tree %v, error %v", tree != nil, err)
	}
}

// TestLongNodesKeepTheirEnds: a node holds lengths up to longSpan-1 itself;
// longer nodes keep their end in the tree's data, and every node's span and
// text come out whole either way.
func TestLongNodesKeepTheirEnds(t *testing.T) {
	p := NewParser()
	defer p.Close()
	for _, n := range []int{longSpan - 3, longSpan - 2, longSpan - 1, longSpan, 100000} {
		literal := `"` + strings.Repeat("x", n) + `"`
		src := "class C { string s = " + literal + "; string t = " + literal + "; }"
		tree, err := p.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if tree.Root.End() != uint32(len(src)) {
			t.Errorf("%d: the root ends at %d, want %d", n, tree.Root.End(), len(src))
		}
		found := 0
		tree.Root.Walk(func(node *Node) bool {
			if node.Kind() == KindStringLiteral {
				found++
				if node.Text() != literal || node.End()-node.Start() != uint32(len(literal)) {
					t.Errorf("%d: literal %d spans %d bytes", n, found, node.End()-node.Start())
				}
			}
			return true
		})
		if found != 2 {
			t.Errorf("%d: %d string literals", n, found)
		}
	}
}

// TestNodePacking: what place and the setters pack, the accessors read back,
// at the edges of every bit run.
func TestNodePacking(t *testing.T) {
	nodes := newNodeArray(2, make([]byte, 5000), nil)
	n := &nodes[1]
	for _, c := range []struct {
		self, parent, first uint32
		kind                Kind
		field               uint8
		kids                uint32
		start, end          uint32
	}{
		{1, 0, 2, 1, 0, 0, 0, 0},
		{1, idxMask, idxMask, maxKinds - 1, fieldID | fieldNamed | fieldMissing, manyKids - 1, 4000, 4000 + longSpan - 1},
		{1, 0x2AAAAA, 0x155555, 0x155, fieldNamed, 3, 1, 2},
		{1, 0x155555, 0x2AAAAA, 0xAA, fieldMissing | 5, 0, 0, 5000},
	} {
		*n = Node{}
		n.place(c.self, c.parent, c.first, c.kind, c.field)
		n.setKids(c.kids)
		n.setSpan(c.start, c.end)
		if n.self() != c.self || n.parentIndex() != c.parent || n.first() != c.first || n.Kind() != c.kind ||
			n.field() != c.field || uint32(n.kids()) != c.kids || n.Start() != c.start || n.End() != c.end {
			t.Errorf("%+v: read back self %d parent %d first %d kind %d field %#x kids %d span %d–%d", c,
				n.self(), n.parentIndex(), n.first(), n.Kind(), n.field(), n.kids(), n.Start(), n.End())
		}
		// The setters change only what they set.
		n.setFirst(7)
		n.setParent(9)
		if n.first() != 7 || n.parentIndex() != 9 || n.Kind() != c.kind || n.field() != c.field || uint32(n.kids()) != c.kids || n.Start() != c.start {
			t.Errorf("%+v: setFirst and setParent disturbed the rest", c)
		}
	}
}
