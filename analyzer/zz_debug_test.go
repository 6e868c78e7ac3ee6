package analyzer

import (
	"fmt"
	"os"
	"testing"
)

func TestZZDebug(t *testing.T) {
	path := os.Getenv("ZZ_FILE")
	if path == "" {
		t.Skip()
	}
	s, err := Load([]string{path}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := NewProgram(s, ProgramOptions{})
	for _, f := range p.Files {
		units := 0
		for _, m := range p.Methods {
			if m.File == f {
				units++
			}
		}
		fe := ""
		f.Root.Walk(func(n *Node) bool {
			if fe == "" && n.IsError() {
				fe = fmt.Sprint(f.Position(int(n.Start())), n.Kind(), n.End()-n.Start())
			}
			return fe == ""
		})
		fmt.Println(f.RelPath, "units", units, "types", len(p.typeList), "firstError", fe)
	}
}
