package analyzer

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// TestCachedTreeIsTheParsedTree: a tree read back from the cache is the tree
// the parser built, node for node, with the same kind index and first error,
// for clean code and for code with syntax errors.
func TestCachedTreeIsTheParsedTree(t *testing.T) {
	cache, err := OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p := NewParser()
	defer p.Close()
	for _, src := range []string{
		"class A { void M() { lock (this) { x++; } } /* c */ string s = \"a\"; }",
		"class B { void M( { if (x == ) } }}}",
		"",
		// Lists longer than a node's own child count can hold (manyKids).
		"class C { int[] a = { " + strings.Repeat("1, ", 300) + "}; int[] b = { " + strings.Repeat("2, ", 70000) + "}; }",
		// Nodes longer than a node's own length can hold (longSpan).
		"class D { string s = \"" + strings.Repeat("x", 2045) + "\"; void M() { " + strings.Repeat("y = 1; ", 400) + "} }",
	} {
		fresh, err := p.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		key := sha256.Sum256([]byte(src))
		cache.put(key, fresh)
		got := cache.get(key, []byte(src))
		if got == nil {
			t.Fatalf("%q: entry not read back", src)
		}
		want := unsafe.Slice(fresh.Root, fresh.Root.data().count)
		have := unsafe.Slice(got.Root, got.Root.data().count)
		if len(want) != len(have) {
			t.Fatalf("%q: %d nodes, want %d", src, len(have), len(want))
		}
		for i := range want {
			w, h := want[i], have[i]
			if i == 0 {
				w.setParent(0) // registry ids differ by design
				h.setParent(0)
			}
			if w != h || want[i].ChildCount() != have[i].ChildCount() || want[i].End() != have[i].End() {
				t.Fatalf("%.40q: node %d is %+v with %d children, want %+v with %d", src, i, h, have[i].ChildCount(), w, want[i].ChildCount())
			}
		}
		if (fresh.FirstError == nil) != (got.FirstError == nil) || (fresh.FirstError != nil && fresh.FirstError.self() != got.FirstError.self()) {
			t.Fatalf("%q: first error differs", src)
		}
		for slot := range fresh.index {
			if len(fresh.index[slot]) != len(got.index[slot]) {
				t.Fatalf("%q: %s index has %d nodes, want %d", src, IndexedKinds[slot], len(got.index[slot]), len(fresh.index[slot]))
			}
			for i, n := range fresh.index[slot] {
				if got.index[slot][i] != n {
					t.Fatalf("%q: %s index differs at %d", src, IndexedKinds[slot], i)
				}
			}
		}
		if got.Root.Text() != src {
			t.Fatalf("%q: root text %q", src, got.Root.Text())
		}
	}
}

// TestCacheRejectsInconsistentTrees: an entry whose checksum is right but
// whose nodes do not form a tree over the source (a bug, or a file written by
// someone else) is refused rather than trusted.
func TestCacheRejectsInconsistentTrees(t *testing.T) {
	cache, err := OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p := NewParser()
	defer p.Close()
	src := []byte("class A { void M() { x = y + 1; } }")
	tree, err := p.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	key := sha256.Sum256(src)
	count := int(tree.Root.data().count)
	damages := map[string]func(n []Node){
		"span past the source":   func(n []Node) { n[count-1].setLength(uint32(len(src))) },
		"wrong own index":        func(n []Node) { n[2].setSelf(7) },
		"parent after the child": func(n []Node) { n[1].setParent(uint32(count - 1)) },
		"children out of range":  func(n []Node) { n[0].setFirst(uint32(count - 1)) },
		"few children as many":   func(n []Node) { n[0].setKidsByte(manyKids) },
		"unknown kind":           func(n []Node) { n[1].setKind(Kind(len(kindTable.names) + 1)) },
		"long without an end":    func(n []Node) { n[1].setLength(longSpan) },
		"parent out of range":    func(n []Node) { n[3].setParent(maxTreeNodes) },
		"children claimed twice": func(n []Node) {
			// Give an earlier node with children the run of a later one.
			var with []int
			for i := range n {
				if n[i].kids() > 0 {
					with = append(with, i)
				}
			}
			a, b := with[1], with[len(with)-1]
			n[a].setFirst(n[b].first())
			n[a].setKidsByte(n[b].kids())
		},
	}
	for what, damage := range damages {
		cache.put(key, tree)
		path := cache.path(key)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		nodes := make([]Node, count)
		copy(nodeBytes(nodes), data[cacheHeader:])
		damage(nodes)
		copy(data[cacheHeader:], nodeBytes(nodes))
		binary.LittleEndian.PutUint32(data[8:], crc32.ChecksumIEEE(data[cacheHeader:]))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if cache.get(key, src) != nil {
			t.Errorf("%s: a damaged entry with a valid checksum was accepted", what)
		}
	}
	// A longer source than the one cached (a hash collision in effect) is
	// refused when a span falls outside it too.
	cache.put(key, tree)
	if cache.get(key, src[:10]) != nil {
		t.Error("an entry with spans beyond the source was accepted")
	}
}

// TestPackTreesAreReleased: trees made in place in a tree pack's buffer
// leave the registry together when the buffer is collected.
func TestPackTreesAreReleased(t *testing.T) {
	dir := t.TempDir()
	for i := range 50 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("F%d.cs", i)), []byte(fmt.Sprintf("class F%d { int x; }", i)), 0o644)
	}
	cache, err := OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load([]string{dir}, LoadOptions{Root: dir, Cache: cache}); err != nil { // writes the pack
		t.Fatal(err)
	}
	src, err := Load([]string{dir}, LoadOptions{Root: dir, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint32
	for _, f := range src.Files {
		if f.treeOrigin != fromTreePack {
			t.Fatalf("%s: tree not from the pack", f.RelPath)
		}
		ids = append(ids, f.Root.parentIndex()) // the root holds its registry id
	}
	if len(ids) != 50 {
		t.Fatalf("%d files", len(ids))
	}
	registered := func() int {
		trees.mu.Lock() // releases happen in cleanup goroutines
		defer trees.mu.Unlock()
		n := 0
		for _, id := range ids {
			if trees.chunks[id>>treeChunkBits].Load()[id&(treeChunkSize-1)] != nil {
				n++
			}
		}
		return n
	}
	if registered() != 50 {
		t.Fatal("the pack's trees are not registered")
	}
	src = nil
	deadline := time.Now().Add(10 * time.Second)
	for registered() > 0 {
		runtime.GC()
		if time.Now().After(deadline) {
			t.Fatalf("%d of the pack's 50 trees still registered after collection", registered())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestEntriesListTheirLongChildRuns: an entry lists the child counts of its
// nodes with manyKids children, which a trusted pack's trees take without
// counting them (see treePack.seal), so a checked entry whose list is not
// what its nodes say is refused.
func TestEntriesListTheirLongChildRuns(t *testing.T) {
	p := NewParser()
	defer p.Close()
	var b strings.Builder
	b.WriteString("class A {\n")
	for i := range 300 {
		fmt.Fprintf(&b, "    int f%d;\n", i)
	}
	b.WriteString("}\n")
	src := []byte(b.String())
	tree, err := p.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	want := tree.Root.data().manyKids
	if len(want) == 0 {
		t.Fatal("a class of 300 fields has no node with manyKids children")
	}
	entry := encodeTree(tree)
	words := func(data []byte) []uint32 {
		w := make([]uint32, len(data)/4)
		copy(wordBytes(w), data)
		return w
	}
	for _, trusted := range []bool{false, true} {
		got := treeFromEntry(words(entry), src, &treePack{trusted: trusted})
		if got == nil {
			t.Fatalf("trusted %v: the entry was refused", trusted)
		}
		if !maps.Equal(got.Root.data().manyKids, want) {
			t.Fatalf("trusted %v: child counts %v, want %v", trusted, got.Root.data().manyKids, want)
		}
	}
	damages := map[string]func(w []uint32) []uint32{
		"a count off by one": func(w []uint32) []uint32 { w[len(w)-1]++; return w },
		"a node moved":       func(w []uint32) []uint32 { w[len(w)-2]--; return w },
		"a node left out": func(w []uint32) []uint32 {
			w[len(w)-3-2*(len(want)-1)]-- // the list's length
			return w[:len(w)-2]
		},
	}
	for what, damage := range damages {
		w := damage(words(entry))
		data := wordBytes(w)
		binary.LittleEndian.PutUint32(data[8:], crc32.ChecksumIEEE(data[cacheHeader:]))
		if treeFromEntry(w, src, nil) != nil {
			t.Errorf("%s: an entry whose list of long child runs is wrong was accepted", what)
		}
	}
}
