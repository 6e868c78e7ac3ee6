package devtools

// This test prints the syntax tree of the file named by $LMILINT_DUMP. It is a
// tool for writing rules (go test ./internal/devtools -run Dump -v), and does
// nothing when the variable is unset.

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
)

func TestDump(t *testing.T) {
	path := os.Getenv("LMILINT_DUMP")
	if path == "" {
		t.Skip("set LMILINT_DUMP=file.cs to print its syntax tree")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := analyzer.NewParser()
	defer p.Close()
	root, err := p.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	var dump func(n *analyzer.Node, depth int)
	dump = func(n *analyzer.Node, depth int) {
		if n.Named() || n.Field() != "" {
			text := ""
			if n.ChildCount() == 0 || n.Kind() == analyzer.KindModifier {
				text = n.Text()
			}
			fmt.Printf("%s%s:%s %q\n", strings.Repeat("  ", depth), n.Field(), n.Kind(), text)
		}
		for _, c := range n.Children() {
			dump(c, depth+1)
		}
	}
	dump(root.Root, 0)
}
