package analyzer_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lmilint/lmilint/analyzer"
)

// TestCachePruning: entries nobody used for a month are deleted, at most
// once a day; entries a scan uses are kept fresh even when the scan changes
// nothing.
func TestCachePruning(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join("..", "testdata", "projects", "orders-api")
	cache, err := analyzer.OpenParseCache(base) // starts the clock
	if err != nil {
		t.Fatal(err)
	}
	scanWithCache(t, dir, cache)
	var used []string
	filepath.Walk(base, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && filepath.Base(p) != ".pruned" {
			used = append(used, p)
		}
		return nil
	})
	if len(used) < 3 {
		t.Fatalf("%d cache files, want the packs of trees, unit facts and findings", len(used))
	}
	// An entry of a file version no longer scanned, and a leftover temporary file.
	stale := filepath.Join(filepath.Dir(used[0]), "00stale")
	tmp := filepath.Join(filepath.Dir(used[0]), ".tmp-123")
	os.WriteFile(stale, []byte("x"), 0o644)
	os.WriteFile(tmp, []byte("x"), 0o644)
	old := time.Now().Add(-40 * 24 * time.Hour)
	for _, p := range append(used, stale, tmp) {
		os.Chtimes(p, old, old)
	}
	// A scan that changes nothing keeps what it read fresh.
	scanWithCache(t, dir, cache)
	// Pruned once the day has passed.
	os.Chtimes(filepath.Join(base, ".pruned"), old, old)
	if _, err := analyzer.OpenParseCache(base); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{stale, tmp} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was not pruned", p)
		}
	}
	for _, p := range used {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was pruned although the last scan used it", p)
		}
	}
	// Not again the same day.
	os.WriteFile(stale, []byte("x"), 0o644)
	os.Chtimes(stale, old, old)
	analyzer.OpenParseCache(base)
	if _, err := os.Stat(stale); err != nil {
		t.Error("pruned twice in a day")
	}
}
