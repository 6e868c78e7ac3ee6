package report

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
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

// TestLineHashesUpToALine: hashing stopped at a line gives every line up
// to it the hash and count a whole file's hashing gives, on the vector
// files and on a file of repeated lines (whose counts depend on the lines
// before them).
func TestLineHashesUpToALine(t *testing.T) {
	texts := []string{strings.Repeat("x++;\n\n  y = 1;\r\n", 120) + "end"}
	tsvs, _ := filepath.Glob("../../testdata/fingerprints/*.cs")
	for _, path := range tsvs {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	for i, text := range texts {
		whole := lineHashes(text, false, 0)
		for _, upTo := range []int{1, 2, 7, 50, 199, len(whole) - 2, len(whole) - 1} {
			if upTo < 1 || upTo >= len(whole) {
				continue
			}
			part := lineHashes(text, false, upTo)
			if len(part) <= upTo {
				t.Fatalf("text %d up to line %d: only %d lines hashed", i, upTo, len(part)-1)
			}
			for line := 1; line <= upTo; line++ {
				if part[line] != whole[line] {
					t.Fatalf("text %d up to line %d: line %d is %v, want %v", i, upTo, line, part[line], whole[line])
				}
			}
			if upTo < len(whole)-60 && len(part) >= len(whole) {
				t.Errorf("text %d up to line %d: hashed all %d lines", i, upTo, len(whole)-1)
			}
		}
	}
}

// TestFileHashesMatchTheVectors: the hashes a report uses, made from a
// file's decoded source (its byte order mark stripped and flagged, as Load
// leaves it), are GitHub's for the file as read.
func TestFileHashesMatchTheVectors(t *testing.T) {
	paths, _ := filepath.Glob("../../testdata/fingerprints/*.cs")
	boms := 0
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src, bom := raw, strings.HasPrefix(string(raw), "\uFEFF")
		if bom {
			src = raw[3:]
			boms++
		}
		want := LineHashes(string(raw))
		got := fileHashes(analyzer.NewFile(path, filepath.Base(path), src, bom), 0)
		for line, h := range want {
			if line >= len(got) || got[line].String() != h {
				t.Errorf("%s line %d: the report's hash differs from %s", filepath.Base(path), line, h)
			}
		}
	}
	if boms == 0 {
		t.Fatal("no vector file starts with a byte order mark")
	}
}
