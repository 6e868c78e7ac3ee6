// Package analyzertest runs rules over a testdata folder of C# files and checks
// the findings against `// want` comments, in the manner of
// golang.org/x/tools/go/analysis/analysistest.
//
// A comment `// want LMI001` on a line says a finding of LMI001 starts on that
// line; `// want LMI001 "regexp"` also matches the message; several IDs may be
// listed. `// todo LMI001` records a known miss: it does not fail while the
// finding is absent, and fails once it appears (turn it into a want). Every
// finding without a want fails the test, as does every want without a finding.
// Comments are found through the syntax tree, so a "// want" inside a string
// is text, not an expectation.
package analyzertest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
)

// Expectation is one want or todo.
type Expectation struct {
	File    string
	Line    int
	RuleID  string
	Pattern *regexp.Regexp
	Todo    bool
	matched bool
}

var wantRe = regexp.MustCompile(`^//\s*(want|todo)\b(.*)$`)
var idRe = regexp.MustCompile(`^LMI\d{3}$`)

// Run loads dir, runs rules with opts, and checks the findings. It returns the
// result for further assertions.
func Run(t testing.TB, dir string, rules []*analyzer.Rule, opts analyzer.Options) *analyzer.Result {
	t.Helper()
	src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir, Jobs: 2})
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	for _, d := range src.Diagnostics {
		if d.Level == "error" {
			t.Errorf("run diagnostic: %s:%d: %s", d.File, d.Line, d.Message)
		}
	}
	prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
	res := analyzer.Run(prog, rules, opts)
	for _, d := range res.Diagnostics {
		if d.Level == "error" {
			t.Errorf("run diagnostic: %s", d.Message)
		}
	}
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	sups, diags := analyzer.CollectSuppressions(prog, func(id string) bool { return known[id] })
	diags = append(diags, analyzer.ApplySuppressions(res.Findings, sups)...)
	res.Diagnostics = append(res.Diagnostics, diags...)
	exps := Expectations(t, src.Files, known)
	for _, f := range res.Findings {
		if f.Suppressed {
			continue
		}
		line := f.Start().Line
		ok := false
		for _, e := range exps {
			if e.File == f.File.RelPath && e.Line == line && e.RuleID == f.Rule.ID && (e.Pattern == nil || e.Pattern.MatchString(f.Message)) && !e.matched {
				e.matched = true
				ok = true
				if e.Todo {
					t.Errorf("%s:%d: %s now fires (todo became true): change `// todo` to `// want`: %s", e.File, e.Line, e.RuleID, f.Message)
				}
				break
			}
		}
		if !ok {
			t.Errorf("%s:%d:%d: unexpected %s: %s", f.File.RelPath, line, f.Start().Col, f.Rule.ID, f.Message)
		}
	}
	for _, e := range exps {
		if !e.matched && !e.Todo {
			pat := ""
			if e.Pattern != nil {
				pat = fmt.Sprintf(" matching %q", e.Pattern)
			}
			t.Errorf("%s:%d: expected %s%s, got none", e.File, e.Line, e.RuleID, pat)
		}
	}
	return res
}

// Expectations reads the want and todo comments of the files. Unknown verbs
// after "want"/"todo", malformed IDs and IDs of rules not run fail the test.
func Expectations(t testing.TB, files []*analyzer.File, known map[string]bool) []*Expectation {
	t.Helper()
	var out []*Expectation
	for _, f := range files {
		f.Root.Walk(func(n *analyzer.Node) bool {
			if n.Kind() != analyzer.KindComment {
				return true
			}
			m := wantRe.FindStringSubmatch(strings.TrimSpace(n.Text()))
			if m == nil {
				return true
			}
			line := f.Position(int(n.Start())).Line
			args := strings.TrimSpace(m[2])
			if args == "" {
				t.Errorf("%s:%d: %s without a rule ID", f.RelPath, line, m[1])
			}
			for args != "" {
				var tok string
				if strings.HasPrefix(args, `"`) {
					end := strings.Index(args[1:], `"`)
					if end < 0 {
						t.Errorf("%s:%d: unterminated message pattern", f.RelPath, line)
						break
					}
					tok, args = args[:end+2], strings.TrimSpace(args[end+2:])
					if len(out) == 0 || out[len(out)-1].Line != line {
						t.Errorf("%s:%d: message pattern without a rule ID", f.RelPath, line)
						continue
					}
					re, err := regexp.Compile(tok[1 : len(tok)-1])
					if err != nil {
						t.Errorf("%s:%d: bad pattern: %v", f.RelPath, line, err)
						continue
					}
					out[len(out)-1].Pattern = re
					continue
				}
				if i := strings.IndexAny(args, " \t"); i >= 0 {
					tok, args = args[:i], strings.TrimSpace(args[i:])
				} else {
					tok, args = args, ""
				}
				tok = strings.TrimSuffix(tok, ",")
				if !idRe.MatchString(tok) {
					t.Errorf("%s:%d: %q is not a rule ID", f.RelPath, line, tok)
					continue
				}
				if !known[tok] {
					t.Errorf("%s:%d: %s is not among the rules run", f.RelPath, line, tok)
					continue
				}
				out = append(out, &Expectation{File: f.RelPath, Line: line, RuleID: tok, Todo: m[1] == "todo"})
			}
			return true
		})
	}
	return out
}
