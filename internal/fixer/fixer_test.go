package fixer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/internal/fixer"
	"github.com/lmilint/lmilint/rules"
)

const counter = "public class Counter { static int n; public void H(ILambdaContext c) { n++; } }\n"

func plan(t *testing.T, dir string) *fixer.Plan {
	t.Helper()
	src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	res := analyzer.Run(analyzer.NewProgram(src, analyzer.ProgramOptions{}), rules.All, analyzer.Options{})
	p := fixer.Make(res.Findings)
	if p.Applied != 1 {
		t.Fatalf("want one fix planned, got %d", p.Applied)
	}
	return p
}

// TestWriteKeepsMode: a fix replaces the file, keeping its permissions and
// leaving no temporary file behind.
func TestWriteKeepsMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Counter.cs")
	os.WriteFile(path, []byte(counter), 0o640)
	if err := plan(t, dir).Write(dir); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "Interlocked.Increment(ref n)") {
		t.Errorf("fix not written:\n%s", data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left files behind: %v", entries)
	}
}

// TestWriteRefusesChangedFile: a file edited between the scan and the write is
// left as the user made it (the fix's offsets belong to the old text), and
// nothing else is written either.
func TestWriteRefusesChangedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Counter.cs")
	os.WriteFile(path, []byte(counter), 0o644)
	p := plan(t, dir)
	edited := "// a comment the user added meanwhile\n" + counter
	os.WriteFile(path, []byte(edited), 0o644)
	err := p.Write(dir)
	if err == nil || !strings.Contains(err.Error(), "changed after lmilint read it") {
		t.Errorf("Write = %v, want a refusal", err)
	}
	if data, _ := os.ReadFile(path); string(data) != edited {
		t.Errorf("the user's edit was overwritten:\n%s", data)
	}
	os.Remove(path)
	if err := p.Write(dir); err == nil {
		t.Error("Write to a deleted file succeeded")
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("Write re-created a deleted file")
	}
}
