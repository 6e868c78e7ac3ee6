package report

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLineHashesVectors checks LineHashes against hashes produced by GitHub's
// own implementation (testdata/fingerprints, copied from the shared vectors).
func TestLineHashesVectors(t *testing.T) {
	tsvs, _ := filepath.Glob("../../testdata/fingerprints/*.hashes.tsv")
	if len(tsvs) < 6 {
		t.Fatalf("found %d vector files, want at least 6", len(tsvs))
	}
	for _, tsv := range tsvs {
		name := strings.TrimSuffix(filepath.Base(tsv), ".hashes.tsv")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(filepath.Dir(tsv), name+".cs"))
			if err != nil {
				t.Fatal(err)
			}
			got := LineHashes(string(raw))
			f, _ := os.Open(tsv)
			defer f.Close()
			sc := bufio.NewScanner(f)
			n := 0
			for sc.Scan() {
				parts := strings.Split(sc.Text(), "\t")
				if len(parts) != 2 {
					continue
				}
				line, _ := strconv.Atoi(parts[0])
				n++
				if got[line] != parts[1] {
					t.Errorf("line %d: got %q, want %q", line, got[line], parts[1])
				}
			}
			if n == 0 {
				t.Fatal("no vectors read")
			}
		})
	}
}
