package analyzer

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestTreeSitterBoundary: syntax.go is the only file that imports
// go-tree-sitter or uses cgo; rules and everything else see pure-Go nodes.
func TestTreeSitterBoundary(t *testing.T) {
	root := ".."
	checked := 0
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == ".git" || d.Name() == ".tools" || d.Name() == "testdata") {
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if (strings.HasPrefix(p, "github.com/smacker/go-tree-sitter") || p == "C") && filepath.ToSlash(path) != "../analyzer/syntax.go" {
				t.Errorf("%s imports %s: only analyzer/syntax.go may touch tree-sitter or cgo", path, p)
			}
		}
		return nil
	})
	if checked < 50 {
		t.Fatalf("checked only %d Go files", checked)
	}
}
