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
	const n = 200
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("C%d.cs", i)] = fmt.Sprintf("class C%d { public void Run() { } public void Go() { var d = Ext.Make(); d.Run(); d.Run(); } }\n", i)
	}
	p := programOf(t, files)
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

// TestInterfaceCallsShareTargets: a call on an interface reaches every
// implementation (virtual dispatch), and calls with the same type, name and
// argument count share one list. Built per call, with a duplicate check
// against the list so far, 4,000 implementations called in 8,000 places took
// 30 s.
func TestInterfaceCallsShareTargets(t *testing.T) {
	const n = 200
	files := map[string]string{"I.cs": "public interface IRun { void Run(); }\n"}
	for i := range n {
		files[fmt.Sprintf("F%d.cs", i)] = fmt.Sprintf("class R%d : IRun { public void Run() { } }\nclass U%d { public void Go(IRun r) { r.Run(); r.Run(); } }\n", i, i)
	}
	p := programOf(t, files)
	lists := map[*(*Method)]int{}
	for _, m := range p.Methods {
		if m.Name != "Go" {
			continue
		}
		for _, c := range m.Calls {
			implementations := 0
			for _, to := range c.targets {
				if to.Owner != nil && !to.Owner.IsInterface() {
					implementations++
				}
			}
			if implementations != n {
				t.Fatalf("%s: r.Run() reaches %d implementations, want %d", m.DisplayName(), implementations, n)
			}
			lists[unsafe.SliceData(c.targets)]++
		}
	}
	if len(lists) != 1 {
		t.Errorf("the calls hold %d target lists, want one shared list", len(lists))
	}
}

// programOf writes the files to a directory and builds their program.
func programOf(t *testing.T, files map[string]string) *Program {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := Load([]string{dir}, LoadOptions{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	return NewProgram(src, ProgramOptions{})
}
