package analyzer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lmilint/lmilint/analyzer"
)

// TestUnchangedFilesAreNotRead: a re-scan takes the files whose stats are
// as the last run saw them from the tree pack without reading them, with
// the findings of a scan without a cache; a file rewritten to the same
// size with its mtime set back is read (its ctime moved), as is one whose
// text in the pack is damaged, and a file changed shortly before a run is
// never trusted by the next (git's racily clean entries). The pack is read
// into memory here; TestMappedPackInAFreshProcess takes files unread from
// a mapped pack.
func TestUnchangedFilesAreNotRead(t *testing.T) {
	defer analyzer.SetRacyWindow(0)()
	dir, cache := ordersAPIWithCache(t)
	scan := func(phase string, wantUnread int) {
		t.Helper()
		src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir, Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		if got := analyzer.UnreadFiles(src); got != wantUnread {
			t.Errorf("%s: %d of %d files unread, want %d", phase, got, len(src.Files), wantUnread)
		}
		fresh, _ := dumpScan(t, dir, nil)
		if got := dumpSources(t, src); got != fresh || !strings.Contains(fresh, "LMI") {
			t.Fatalf("%s:\n%s\nwant\n%s", phase, got, fresh)
		}
	}
	const files = 5
	scan("first run", 0)
	scan("re-scan", files)
	scan("re-scan again", files)

	// The same size, the mtime set back: only the ctime tells.
	function := filepath.Join(dir, "src", "Function.cs")
	before, err := os.Stat(function)
	if err != nil {
		t.Fatal(err)
	}
	replaceSameSize(t, function, "_invocations++;", "_invocations=1;")
	if err := os.Chtimes(function, before.ModTime(), before.ModTime()); err != nil {
		t.Fatal(err)
	}
	scan("rewritten, mtime set back", files-1)
	scan("after it", files) // one file of five was new: the pack was written again, with it

	// A damaged text is read from the file instead.
	packs, _ := filepath.Glob(filepath.Join(filepath.Dir(cache.Dir()), "packs", "trees-*.pack"))
	if len(packs) != 1 {
		t.Fatalf("tree packs %v", packs)
	}
	pack, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(pack, []byte("class OrderRepository"))
	if at < 0 {
		t.Fatal("no text of OrderRepository.cs in the tree pack")
	}
	pack[at] ^= 0x20 // "Class": still text, not the text written
	if err := os.WriteFile(packs[0], pack, 0o644); err != nil {
		t.Fatal(err)
	}
	scan("damaged text", files-1)

	// Files changed within the window of a run are read by the next.
	analyzer.SetRacyWindow(time.Hour)
	scan("all files recent", 0)
	scan("all files recent, again", 0)
}

// TestNewPackTakesItsFilesUnread: when a run writes the tree pack again
// (a tenth of the files new), the table lists every file of the new pack.
func TestNewPackTakesItsFilesUnread(t *testing.T) {
	defer analyzer.SetRacyWindow(0)()
	dir, cache := ordersAPIWithCache(t)
	load := func() *analyzer.Sources {
		src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir, Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		return src
	}
	load()
	for _, name := range []string{"A.cs", "B.cs"} {
		text := "public class " + strings.TrimSuffix(name, ".cs") + " { }\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if src := load(); analyzer.UnreadFiles(src) != 5 {
		t.Fatalf("%d files unread, want the 5 of the first run", analyzer.UnreadFiles(src))
	}
	if src := load(); analyzer.UnreadFiles(src) != 7 || len(src.Files) != 7 {
		t.Fatalf("%d of %d files unread after the pack was written again, want 7", analyzer.UnreadFiles(src), len(src.Files))
	}
}

// ordersAPIWithCache copies the orders-api sample to a directory of its own
// and opens an empty cache.
func ordersAPIWithCache(t *testing.T) (string, *analyzer.ParseCache) {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "testdata", "projects", "orders-api"), dir)
	cache, err := analyzer.OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir, cache
}

// replaceSameSize replaces old with new, of the same length, in the file.
func replaceSameSize(t *testing.T, path, old, new string) {
	t.Helper()
	if len(old) != len(new) {
		t.Fatalf("%q and %q differ in length", old, new)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}
