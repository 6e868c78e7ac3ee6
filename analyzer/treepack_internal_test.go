package analyzer

import (
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestMoveRefusesAReplacedPack: trees move to the pack just written only if
// the file mapped is the one written; a pack another run renamed over it
// (here: the same bytes, another file) leaves every tree in memory, since
// where the trees lie in it is not known without reading it.
func TestMoveRefusesAReplacedPack(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("packs are mapped on Linux only")
	}
	for _, replaced := range []bool{true, false} {
		dir := filepath.Join("..", "testdata", "projects", "orders-api")
		cache, err := OpenParseCache(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		src, err := Load([]string{dir}, LoadOptions{Root: dir, Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		trees := make([]*Tree, len(src.Files))
		for i, f := range src.Files {
			trees[i] = &Tree{Root: f.Root, index: f.index}
		}
		src.treePack = &treePack{path: cache.treePackPath(src.Root), entries: map[[32]byte][]packEntry{}}
		placed := src.treePack.write(src.Files, trees)
		if placed == nil {
			t.Fatal("pack not written")
		}
		if replaced {
			data, err := os.ReadFile(src.treePack.path)
			if err != nil {
				t.Fatal(err)
			}
			other := src.treePack.path + ".other"
			if err := os.WriteFile(other, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(other, src.treePack.path); err != nil {
				t.Fatal(err)
			}
		}
		src.moveTreesToPack(trees, placed)
		moved := 0
		for i, f := range src.Files {
			if f.mappedBytes > 0 {
				moved++
				if f.Root == trees[i].Root || f.Root.Text() != string(f.Src) {
					t.Fatalf("%s: moved tree is not the file's", f.RelPath)
				}
			}
		}
		if want := map[bool]int{true: 0, false: len(src.Files)}[replaced]; moved != want || len(src.Files) < 3 {
			t.Fatalf("replaced=%v: %d of %d trees moved, want %d", replaced, moved, len(src.Files), want)
		}
	}
}

// TestPackSealNeedsASettledPack: a pack is sealed only when it had not
// changed for racyWindow before the run started (a write within the
// timestamps' granularity of the seal would go unseen otherwise), and only
// when the entries no file used check out too.
func TestPackSealNeedsASettledPack(t *testing.T) {
	now := time.Now()
	old := now.Add(-time.Hour)
	pack := func(changed time.Time, entries map[[32]byte][]packEntry) *treePack {
		return &treePack{mapped: []byte{0}, count: 1, entries: entries,
			info: fileInfo{size: 1, mtime: changed, ctime: changed, dev: 1, ino: 2}}
	}
	if pack(now, nil).seal(now) != nil {
		t.Error("a pack changed as the run started was sealed")
	}
	if pack(old, nil).seal(now) == nil {
		t.Error("a settled pack whose entries all checked out was not sealed")
	}
	damaged := map[[32]byte][]packEntry{{1}: {{tree: []uint32{1, 2, 3}, text: []byte("x"), textCRC: crc32.ChecksumIEEE([]byte("x"))}}}
	if pack(old, damaged).seal(now) != nil {
		t.Error("a pack with an entry no file used, and that does not check out, was sealed")
	}
	trusted := pack(now, nil)
	trusted.trusted = true
	if trusted.seal(now) == nil {
		t.Error("a trusted pack's seal was not carried over")
	}
}
