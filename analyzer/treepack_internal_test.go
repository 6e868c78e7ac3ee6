package analyzer

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
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
