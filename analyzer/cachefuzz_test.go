package analyzer

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzCacheEntries feeds arbitrary entries, with valid checksums, to the unit
// and finding caches: a damaged or hostile cache must never crash a scan or
// hand it nodes outside the file. Seeded with real entries of a small program.
func FuzzCacheEntries(f *testing.F) {
	dir := f.TempDir()
	src := `using Amazon.Lambda.Core;
public class Function {
    private static int _count;
    private readonly Helper _h = new Helper();
    public void Handler(string input, ILambdaContext context) {
        if (_count == 0) { _count++; }
        lock (this) { _h.Run(input); }
        var made = _h.Make(); made.Run(input); made.Stop();
    }
}
public class Helper { public void Run(string s) { System.IO.File.WriteAllText("/tmp/x", s); } public object Make() { return this; } }
`
	if err := os.WriteFile(filepath.Join(dir, "Function.cs"), []byte(src), 0o644); err != nil {
		f.Fatal(err)
	}
	cache, err := OpenParseCache(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	load := func() *Program {
		s, err := Load([]string{dir}, LoadOptions{Root: dir, Cache: cache})
		if err != nil {
			f.Fatal(err)
		}
		return NewProgram(s, ProgramOptions{})
	}
	rule := &Rule{ID: "LMI900", Run: func(p *Pass) {
		for _, a := range p.Prog.Accesses() {
			r := p.ReportField(a.Field, HeaderNode(a.Expr, a.Expr), "access")
			r.Covers = []*Node{a.Ref}
			r.Fix = &Fix{Description: "d", Edits: []Edit{{File: r.File, Start: int(a.Ref.Start()), End: int(a.Ref.End()), NewText: "x"}}}
		}
	}}
	p := load()
	Run(p, []*Rule{rule}, Options{AllCode: true})
	// Seeds: the entries just written.
	for _, kind := range []string{"units", "findings"} {
		pack := openPack(p.packDir(), kind, p.root)
		for _, e := range pack.old {
			if len(e) >= 8 && (string(e[:4]) == unitMagic || string(e[:4]) == findingMagic) {
				f.Add(kind == "units", e[8:])
			}
		}
	}
	f.Fuzz(func(t *testing.T, units bool, body []byte) {
		p := load()
		file := p.Files[0]
		entry := make([]byte, 8, 8+len(body))
		if units {
			copy(entry, unitMagic)
		} else {
			copy(entry, findingMagic)
		}
		binary.LittleEndian.PutUint32(entry[4:], crc32.ChecksumIEEE(body))
		entry = append(entry, body...)
		if units {
			p.numberUnits()
			c := &unitCache{pack: &entryPack{old: map[[32]byte][]byte{}, next: map[[32]byte][]byte{}}, digest: p.declDigest, prog: p, stale: staleness{known: true}}
			// Every unit and field numbered, so entries can refer to them.
			c.refs, c.usable = &refTable{}, true
			for _, m := range p.Methods {
				c.refs.unitNumber(p, m)
			}
			for _, t := range p.typeList {
				for _, f := range t.FieldOrder {
					c.refs.fieldNumber(p, f)
				}
			}
			c.pack.old[c.key(file)] = entry
			var mine []*Method
			for _, m := range p.Methods {
				if m.File == file {
					mine = append(mine, m)
				}
			}
			if c.load(file, mine) {
				for _, m := range mine {
					for _, a := range m.accesses {
						if a.Ref.fileRoot() != file.Root || a.Expr.fileRoot() != file.Root {
							t.Fatal("an access outside the file")
						}
					}
				}
			}
			return
		}
		c := p.openFindingCache([]*Rule{rule})
		c.pack = &entryPack{old: map[[32]byte][]byte{c.key(file): entry}, next: map[[32]byte][]byte{}}
		c.stale = staleness{known: true} // no name changed: every entry is decoded
		if fs, ok := c.load(file); ok {
			for _, x := range fs {
				if x.Node.fileRoot() != file.Root || x.Node.End() > uint32(len(file.Src)) {
					t.Fatal("a finding outside the file")
				}
			}
		}
	})
}

// FuzzTreeEntries feeds arbitrary tree entries, with valid checksums, to
// the tree cache: an entry must be refused unless its nodes form a tree over
// the source, and then every node must be reachable safely from the root.
func FuzzTreeEntries(f *testing.F) {
	// The literal makes the class and the file long nodes (see longSpan).
	src := []byte("class A { void M() { if (x == null) { x = new B(); } lock (this) { y++; } } string s = \"" + strings.Repeat("t", longSpan) + "\"; }")
	p := NewParser()
	tree, err := p.Parse(src)
	p.Close()
	if err != nil {
		f.Fatal(err)
	}
	entry := encodeTree(tree)
	f.Add(entry[cacheHeader:], uint32(tree.Root.data().count), ^uint32(0))
	f.Fuzz(func(t *testing.T, body []byte, count, firstError uint32) {
		data := make([]byte, cacheHeader, cacheHeader+len(body)+3)
		copy(data, cacheMagic)
		binary.LittleEndian.PutUint32(data[4:], count)
		data = append(data, body...)
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
		binary.LittleEndian.PutUint32(data[8:], crc32.ChecksumIEEE(data[cacheHeader:]))
		binary.LittleEndian.PutUint32(data[12:], firstError)
		words := make([]uint32, len(data)/4)
		copy(wordBytes(words), data)
		got := treeFromEntry(words, src, nil)
		if got == nil {
			return
		}
		// Walk everything the way the analyzer does.
		n := 0
		got.Root.Walk(func(x *Node) bool {
			n++
			_ = x.Text()
			_ = x.End()
			_ = x.Parent()
			_ = x.Field()
			return true
		})
		for _, list := range got.index {
			for _, at := range list {
				_ = got.Root.at(at).Text()
			}
		}
		if n > int(got.Root.data().count) {
			t.Fatalf("walked %d nodes of %d", n, got.Root.data().count)
		}
	})
}

// FuzzPackTables feeds arbitrary bytes to the readers of the tables a pack
// keeps beside its entries (the name digests and the numbered units and
// fields), of a file's declaration digests and of a root's file stats: they
// must refuse them or read them, never panic.
func FuzzPackTables(f *testing.F) {
	long := time.Now().Add(-time.Hour)
	stat := fileInfo{size: 10, mtime: long, ctime: long, dev: 1, ino: 2}
	body, count := fileStatsBody(time.Now(), []*File{{Path: "/a/A.cs", stat: stat}, {Path: "/a/B.cs", HadBOM: true, stat: stat}})
	f.Add(encodeFileStats(time.Now(), count, body))
	sealed := appendStat(body, "", statOf(stat, [32]byte{}, statPackSeal))
	f.Add(encodeFileStats(time.Now(), count+1, sealed))
	f.Add(encodeNameTable([32]byte{}, []nameDigest{{1, 2}, {3, 4}}))
	refs := &refTable{units: []unitRef{{file: 1, decl: 2, name: 3}}, fields: []fieldKey{{0, "count"}}}
	f.Add(refs.encode())
	decls := fileDeclarations{members: []memberDigest{{name: 1, sum: 2, from: 0, to: 2}}, mentions: []uint64{5, 6}, headers: []typeHeader{{node: 3, sum: 4}}}
	f.Add(decls.encode())
	f.Fuzz(func(t *testing.T, data []byte) {
		if d, ok := decodeFileDeclarations(data); ok {
			for _, m := range d.members {
				if m.from > m.to || m.to > uint32(len(d.mentions)) {
					t.Fatalf("a member's mentions %d..%d lie outside the %d read", m.from, m.to, len(d.mentions))
				}
			}
			if again, ok := decodeFileDeclarations(d.encode()); !ok || len(again.members) != len(d.members) || len(again.headers) != len(d.headers) {
				t.Fatal("declarations read do not survive writing and reading again")
			}
		}
		if names, ok := decodeNameTable(data, [32]byte{}); ok {
			for i := 1; i < len(names); i++ {
				if names[i].name <= names[i-1].name {
					t.Fatal("an unsorted name table was read")
				}
			}
		}
		var r refTable
		r.decode(data)
		if stats, ok := decodeFileStats(data); ok {
			count := len(stats.byPath)
			if stats.seal != nil {
				count++
			}
			if !bytes.Equal(encodeFileStats(stats.since, count, stats.body), data) {
				t.Fatal("a table of file stats read is not the table written again")
			}
			if _, bad := stats.byPath[""]; bad {
				t.Fatal("a file with an empty path was read")
			}
		}
	})
}
