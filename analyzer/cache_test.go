package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/rules"
)

func scanWithCache(t *testing.T, dir string, cache *analyzer.ParseCache) []string {
	t.Helper()
	src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
	var out []string
	for _, f := range analyzer.Run(prog, rules.All, analyzer.Options{}).Findings {
		out = append(out, f.File.RelPath+":"+f.Start().String()+":"+f.Rule.ID+":"+f.Message)
	}
	return out
}

// TestParseCache: cached trees give the same findings as fresh parses, an
// edited file is parsed again, damaged entries are ignored and rewritten, and
// concurrent runs share a cache safely.
func TestParseCache(t *testing.T) {
	dir := filepath.Join("..", "testdata", "projects", "orders-api")
	cache, err := analyzer.OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fresh := scanWithCache(t, dir, nil)
	cold := scanWithCache(t, dir, cache)
	warm := scanWithCache(t, dir, cache)
	if strings.Join(fresh, "\n") != strings.Join(cold, "\n") || strings.Join(cold, "\n") != strings.Join(warm, "\n") || len(fresh) == 0 {
		t.Fatalf("findings differ with the cache:\nfresh %v\ncold  %v\nwarm  %v", fresh, cold, warm)
	}
	// The packs of trees, unit facts and findings: damaged ones are ignored.
	packs, _ := filepath.Glob(filepath.Join(filepath.Dir(cache.Dir()), "packs", "*.pack"))
	if len(packs) != 3 {
		t.Fatalf("packs %v, want one of trees, one of unit facts and one of findings", packs)
	}
	for round := 0; round < 3; round++ {
		for _, pack := range packs {
			data, err := os.ReadFile(pack)
			if err != nil {
				t.Fatal(err)
			}
			switch round {
			case 0:
				data = data[:len(data)/2]
			case 1:
				data = []byte("LMIP not a pack")
			default:
				data[len(data)-3] ^= 0xFF
			}
			os.WriteFile(pack, data, 0o644)
		}
		if damaged := scanWithCache(t, dir, cache); strings.Join(damaged, "\n") != strings.Join(fresh, "\n") {
			t.Fatalf("damaged packs (round %d) changed the findings:\n%v", round, damaged)
		}
		if again := scanWithCache(t, dir, cache); strings.Join(again, "\n") != strings.Join(fresh, "\n") {
			t.Fatalf("rewritten packs (round %d) changed the findings", round)
		}
	}
	// Trees of files edited since the tree pack was written are entries of
	// their own: damaged ones are ignored and rewritten too. A project of
	// 20 files, two of them edited (under the tenth that rewrites the pack).
	work := t.TempDir()
	for i := range 20 {
		os.WriteFile(filepath.Join(work, fmt.Sprintf("F%d.cs", i)), []byte(fmt.Sprintf("public class F%d { static int n; public void H(ILambdaContext c) { n = %d; } }", i, i)), 0o644)
	}
	scanWithCache(t, work, cache)
	for i := range 2 {
		os.WriteFile(filepath.Join(work, fmt.Sprintf("F%d.cs", i)), []byte(fmt.Sprintf("public class F%d { static int n; public void H(ILambdaContext c) { n++; } }", i)), 0o644)
	}
	edited := scanWithCache(t, work, nil)
	scanWithCache(t, work, cache)
	var entries []string
	filepath.Walk(cache.Dir(), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			entries = append(entries, p)
		}
		return nil
	})
	if len(entries) != 2 {
		t.Fatalf("%d tree entries, want one per edited file (2)", len(entries))
	}
	for i, e := range entries {
		data, _ := os.ReadFile(e)
		if i == 0 {
			data = data[:len(data)/2]
		} else {
			data[len(data)/2] ^= 0xFF
		}
		os.WriteFile(e, data, 0o644)
	}
	for range 2 {
		if got := scanWithCache(t, work, cache); strings.Join(got, "\n") != strings.Join(edited, "\n") || len(got) != 20 {
			t.Fatalf("damaged tree entries changed the findings:\n%v\nwant\n%v", got, edited)
		}
	}
	// An edited file is parsed again (the key is its content).
	work = t.TempDir()
	file := filepath.Join(work, "F.cs")
	os.WriteFile(file, []byte("public class F { static int n; public void H(ILambdaContext c) { n = 1; } }"), 0o644)
	before := scanWithCache(t, work, cache)
	os.WriteFile(file, []byte("public class F { static int n; public void H(ILambdaContext c) { n++; } }"), 0o644)
	after := scanWithCache(t, work, cache)
	if len(before) != 1 || len(after) != 1 || !strings.Contains(before[0], "LMI001") || !strings.Contains(after[0], "LMI005") {
		t.Fatalf("edit not seen: %v → %v", before, after)
	}
	// Concurrent runs.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := scanWithCache(t, dir, cache); strings.Join(got, "\n") != strings.Join(fresh, "\n") {
				t.Error("concurrent run with a shared cache differs")
			}
		}()
	}
	wg.Wait()
}

// TestTreePackWithIdenticalFiles: files with the same content have one
// entry in the tree pack, and each still gets a tree of its own (a node
// knows its file by its array), so findings land in both files.
func TestTreePackWithIdenticalFiles(t *testing.T) {
	work := t.TempDir()
	same := []byte("public class F { static int n; public void H(ILambdaContext c) { n = 1; } }")
	for _, name := range []string{"A.cs", "B.cs", "sub/C.cs"} {
		os.MkdirAll(filepath.Dir(filepath.Join(work, name)), 0o755)
		os.WriteFile(filepath.Join(work, name), same, 0o644)
	}
	cache, err := analyzer.OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fresh := scanWithCache(t, work, nil)
	scanWithCache(t, work, cache)
	warm := scanWithCache(t, work, cache)
	if len(fresh) != 3 || strings.Join(warm, "\n") != strings.Join(fresh, "\n") {
		t.Fatalf("with the tree pack:\n%v\nwant\n%v", warm, fresh)
	}
	src, err := analyzer.Load([]string{work}, analyzer.LoadOptions{Root: work, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if n := analyzer.TreesFromPack(src); n != 3 {
		t.Fatalf("%d of 3 trees came from the pack (a file with the same content as another was parsed again)", n)
	}
}
