package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/analyzer/analyzertest"
	"github.com/lmilint/lmilint/rules"
)

// TestTestdata runs every rule over its own testdata folder (testdata/LMI00N),
// with all rules enabled so overlaps are resolved as in a real scan.
func TestTestdata(t *testing.T) {
	for _, r := range rules.All {
		t.Run(r.ID, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", r.ID)
			if _, err := os.Stat(dir); err != nil {
				t.Fatalf("rule %s has no testdata folder %s", r.ID, dir)
			}
			analyzertest.Run(t, dir, rules.All, analyzer.Options{})
		})
	}
}

// TestExamples checks that each rule's documented Bad example fires the rule
// and its Good example is silent, so the docs cannot rot.
func TestExamples(t *testing.T) {
	for _, r := range rules.All {
		t.Run(r.ID, func(t *testing.T) {
			for _, ex := range []struct {
				name, code string
				fire       bool
			}{{"Bad", r.Bad, true}, {"Good", r.Good, false}} {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "Example.cs"), []byte(wrapExample(ex.code)), 0o644); err != nil {
					t.Fatal(err)
				}
				src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir})
				if err != nil {
					t.Fatal(err)
				}
				prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
				res := analyzer.Run(prog, rules.All, analyzer.Options{})
				fired := false
				for _, f := range res.Findings {
					if f.Rule == r {
						fired = true
					}
				}
				if fired != ex.fire {
					t.Errorf("%s example: fired=%v, want %v\n%s", ex.name, fired, ex.fire, ex.code)
				}
			}
		})
	}
}

// wrapExample puts a bare method into a class so examples can stay short.
func wrapExample(code string) string {
	if regexp.MustCompile(`\b(class|record|struct)\b`).MatchString(code) {
		return code
	}
	return "public class Function\n{\n" + code + "\n}\n"
}

var idPattern = regexp.MustCompile(`^LMI\d{3}$`)
var namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TestMetadata checks every rule carries complete documentation.
func TestMetadata(t *testing.T) {
	seen := map[string]bool{}
	for i, r := range rules.All {
		if !idPattern.MatchString(r.ID) || seen[r.ID] {
			t.Errorf("rule %d: bad or duplicate ID %q", i, r.ID)
		}
		seen[r.ID] = true
		if i > 0 && rules.All[i-1].ID >= r.ID {
			t.Errorf("rules.All is not in ID order at %s", r.ID)
		}
		if !namePattern.MatchString(r.Name) {
			t.Errorf("%s: name %q is not kebab-case", r.ID, r.Name)
		}
		for what, s := range map[string]string{"Title": r.Title, "Why": r.Why, "Bad": r.Bad, "Good": r.Good, "Fix": r.Fix, "Precision": r.Precision} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s is empty", r.ID, what)
			}
		}
		if r.Level.Rank() == 0 {
			t.Errorf("%s: no level", r.ID)
		}
		if r.Run == nil {
			t.Errorf("%s: no Run", r.ID)
		}
	}
}
