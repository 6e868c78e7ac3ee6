package analyzer

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// TestKindsExistInGrammar reads kinds.go and checks each constant against the
// bundled grammar.
func TestKindsExistInGrammar(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "kinds.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	known := GrammarKinds()
	n := 0
	ast.Inspect(f, func(x ast.Node) bool {
		spec, ok := x.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, v := range spec.Values {
			lit, ok := v.(*ast.BasicLit)
			if !ok {
				continue
			}
			kind, _ := strconv.Unquote(lit.Value)
			n++
			if !known[Kind(kind)] {
				t.Errorf("%s = %q is not a node kind of the bundled C# grammar", spec.Names[i].Name, kind)
			}
		}
		return true
	})
	if n < 50 {
		t.Fatalf("read only %d kind constants", n)
	}
}
