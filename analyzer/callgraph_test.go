package analyzer

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestWideCallsShareTargets: a call on a receiver of unknown type resolves to
// every visible method of its name, and every such call of a name shares one
// target list. With an edge per target, 4,000 classes each calling d.Run()
// on an unknown d made 16 million edges and 0.9 GB; the graph must grow with
// the calls, not with calls times methods.
func TestWideCallsShareTargets(t *testing.T) {
	dir := t.TempDir()
	const n = 200
	for i := range n {
		src := fmt.Sprintf("class C%d { public void Run() { } public void Go() { var d = Ext.Make(); d.Run(); d.Run(); } }\n", i)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("C%d.cs", i)), []byte(src), 0o644)
	}
	src, err := Load([]string{dir}, LoadOptions{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	p := NewProgram(src, ProgramOptions{})
	lists := map[*(*Method)]int{}
	calls := 0
	for _, m := range p.Methods {
		if m.Name != "Go" {
			continue
		}
		for _, c := range m.Calls {
			calls++
			if len(c.targets) != n {
				t.Fatalf("%s: a call on an unknown receiver reaches %d units, want every Run (%d)", m.DisplayName(), len(c.targets), n)
			}
			lists[unsafe.SliceData(c.targets)]++
		}
	}
	if calls != 2*n {
		t.Fatalf("%d calls recorded, want %d", calls, 2*n)
	}
	if len(lists) != 1 {
		t.Errorf("the %d calls hold %d target lists, want one shared list", calls, len(lists))
	}
	// CallsFrom still lists each unit called once, with its first site.
	for _, m := range p.Methods {
		if m.Name == "Go" {
			seen := 0
			for range p.CallsFrom(m) {
				seen++
			}
			if seen != n {
				t.Errorf("%s: CallsFrom yields %d units, want %d", m.DisplayName(), seen, n)
			}
			break
		}
	}
}
