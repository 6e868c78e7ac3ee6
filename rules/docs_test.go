package rules_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/lmilint/lmilint/analyzer/report"
	"github.com/lmilint/lmilint/rules"
)

var updateDocs = flag.Bool("update", false, "regenerate docs/rules from the rules' metadata")

// TestRuleDocs keeps docs/rules/LMI00N.md identical to what the rules' own
// metadata renders (go test ./rules -run RuleDocs -update regenerates them).
func TestRuleDocs(t *testing.T) {
	dir := filepath.Join("..", "docs", "rules")
	for _, r := range rules.All {
		path := filepath.Join(dir, r.ID+".md")
		want := report.HelpMarkdown(r)
		if *updateDocs {
			os.MkdirAll(dir, 0o755)
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is stale or missing; run: go test ./rules -run RuleDocs -update", path)
		}
	}
}
