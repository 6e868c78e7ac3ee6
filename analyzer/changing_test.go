package analyzer_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/rules"
)

// TestFilesChangingDuringScan: files deleted, rewritten, emptied and created
// while a scan runs give a diagnostic or the content that was read — never a
// crash, and never findings at offsets of some other version of a file.
func TestFilesChangingDuringScan(t *testing.T) {
	dir := t.TempDir()
	handler := "public class A { static int n; public void H(ILambdaContext c) { n++; } }\n"
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("A.cs", handler)
	write("B.cs", "public class B { }\n")
	write("C.cs", "public class C { static int m; public void H(ILambdaContext c) { m++; } }\n")
	write("D.cs", strings.Repeat("// padding\n", 1000)+"public class D { static int k; public void H(ILambdaContext c) { k++; } }\n")

	// One worker parses in path order, so after A.cs the others are still
	// unread: B.cs grows a hazard, C.cs disappears, D.cs is emptied, E.cs is
	// created after the directory was listed.
	var once sync.Once
	progress := func(done, total int) {
		if done != 1 {
			return
		}
		once.Do(func() {
			write("B.cs", "public class B { static int z; public void H(ILambdaContext c) { z++; } }\n")
			os.Remove(filepath.Join(dir, "C.cs"))
			write("D.cs", "")
			write("E.cs", handler)
		})
	}
	src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir, Jobs: 1, Progress: progress})
	if err != nil {
		t.Fatal(err)
	}
	var diags []string
	for _, d := range src.Diagnostics {
		diags = append(diags, d.File+": "+d.Message)
	}
	if !strings.Contains(strings.Join(diags, "\n"), "C.cs: cannot read") {
		t.Errorf("the deleted file has no diagnostic: %q", diags)
	}
	var files []string
	for _, f := range src.Files {
		files = append(files, f.RelPath)
	}
	if strings.Join(files, ",") != "A.cs,B.cs,D.cs" {
		t.Errorf("files analyzed = %v, want A.cs,B.cs,D.cs (E.cs came after the listing)", files)
	}
	prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
	var got []string
	for _, f := range analyzer.Run(prog, rules.All, analyzer.Options{}).Findings {
		// Every finding's text must be the hazard in the version that was read.
		got = append(got, f.File.RelPath+":"+f.Rule.ID+":"+f.Node.Text())
	}
	want := "A.cs:LMI005:n++,B.cs:LMI005:z++"
	if strings.Join(got, ",") != want {
		t.Errorf("findings = %v, want %s", got, want)
	}
}
