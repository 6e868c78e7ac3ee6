package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/rules"
)

// TestWritesInOtherFilesAtTheSameOffsets: LMI007 looks for the writes that
// complete a check-then-act among a field's accesses in the whole program.
// A write in another file whose byte offsets happen to fall inside the
// checked `if` body must not count (it once did: spans were compared by
// offsets alone).
func TestWritesInOtherFilesAtTheSameOffsets(t *testing.T) {
	handler := `using Amazon.Lambda.Core;
public static class Cache { public static string Value; }
public class Function {
    public string Handler(string input, ILambdaContext context) {
        if (Cache.Value == null) {
            Log(input);
        }
        return Cache.Value;
    }
    private void Log(string s) { }
}
`
	at := strings.Index(handler, "Log(input);")
	head := "public class Other { public void Set() {"
	other := head + strings.Repeat(" ", at-len(head)) + `Cache.Value = "x"; } }` + "\n"
	if strings.Index(other, "Cache.Value =") != at {
		t.Fatal("the write is not at the offsets of the if body")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Function.cs"), []byte(handler), 0o644)
	os.WriteFile(filepath.Join(dir, "Other.cs"), []byte(other), 0o644)
	src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	res := analyzer.Run(analyzer.NewProgram(src, analyzer.ProgramOptions{}), rules.All, analyzer.Options{AllCode: true})
	for _, f := range res.Findings {
		if f.Rule.ID == "LMI007" {
			t.Errorf("%s:%s: %s (the write it covers is in another file)", f.File.RelPath, f.Start(), f.Message)
		}
	}
	// The same write inside the if body is the hazard.
	os.WriteFile(filepath.Join(dir, "Function.cs"), []byte(strings.Replace(handler, "Log(input);", `Cache.Value = "x";`, 1)), 0o644)
	src, _ = analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir})
	found := false
	for _, f := range analyzer.Run(analyzer.NewProgram(src, analyzer.ProgramOptions{}), rules.All, analyzer.Options{AllCode: true}).Findings {
		found = found || f.Rule.ID == "LMI007" && f.File.RelPath == "Function.cs"
	}
	if !found {
		t.Error("a write inside the if body is not reported")
	}
}
