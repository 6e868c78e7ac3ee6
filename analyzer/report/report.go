// Package report renders scan results: text, json, sarif, markdown and github
// workflow commands. It is the only package that knows output formats; sarif.go
// is the only file that imports go-sarif.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/lmilint/lmilint/analyzer"
)

// Report is everything a format may show.
type Report struct {
	Tool        string // "lmilint"
	Version     string
	InfoURI     string
	Rules       []*analyzer.Rule
	Findings    []*analyzer.Finding // sorted; includes suppressed findings
	Diagnostics []analyzer.Diagnostic
	EntryPoints []*analyzer.EntryPoint
	Files       int
	Elapsed     time.Duration
	Category    string // SARIF automationDetails.id prefix
	// Absent are baseline findings no longer found (SARIF baselineState "absent").
	Absent []Absent
	// ShowSuppressed lists suppressed findings in text-like formats.
	ShowSuppressed bool
	Color          bool
}

// Absent is a finding of the baseline that the scan no longer finds.
type Absent struct {
	RuleID, File, Message string
	Line, Column          int
}

// Format names.
var Formats = []string{"text", "json", "sarif", "markdown", "github"}

// Write renders the report in the named format.
func Write(w io.Writer, format string, r *Report) error {
	switch format {
	case "text":
		return WriteText(w, r)
	case "json":
		return WriteJSON(w, r)
	case "sarif":
		return WriteSARIF(w, r)
	case "markdown":
		return WriteMarkdown(w, r)
	case "github":
		return WriteGitHub(w, r)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// Visible returns the findings a human-facing format lists.
func (r *Report) Visible() []*analyzer.Finding {
	var out []*analyzer.Finding
	for _, f := range r.Findings {
		if !f.Suppressed || r.ShowSuppressed {
			out = append(out, f)
		}
	}
	return out
}

// Verdict is one handler's migration readiness.
type Verdict struct {
	Entry    *analyzer.EntryPoint
	Findings []*analyzer.Finding
}

// Ready reports whether the handler has no unsuppressed findings.
func (v Verdict) Ready() bool { return len(v.Findings) == 0 }

// Verdicts returns a verdict per entry point, in entry-point order, each
// with its findings in report order. Findings are dealt to the entry points
// they list, not looked up per entry point: with thousands of handlers that
// all reach a shared helper, that was handlers × findings × handlers.
func (r *Report) Verdicts() []Verdict {
	out := make([]Verdict, len(r.EntryPoints))
	at := make(map[*analyzer.EntryPoint]int, len(r.EntryPoints))
	for i, ep := range r.EntryPoints {
		out[i].Entry = ep
		if _, dup := at[ep]; !dup {
			at[ep] = i
		}
	}
	for _, f := range r.Findings {
		if f.Suppressed {
			continue
		}
		for _, e := range f.Entries {
			i, ok := at[e]
			if !ok {
				continue
			}
			if n := len(out[i].Findings); n == 0 || out[i].Findings[n-1] != f {
				out[i].Findings = append(out[i].Findings, f)
			}
		}
	}
	// An entry point listed twice gets the same verdict twice, as before.
	for i, ep := range r.EntryPoints {
		if first := at[ep]; first != i {
			out[i].Findings = out[first].Findings
		}
	}
	return out
}

// CountByRule counts unsuppressed findings per rule ID.
func (r *Report) CountByRule() (ids []string, counts map[string]int) {
	counts = map[string]int{}
	for _, f := range r.Findings {
		if !f.Suppressed {
			counts[f.Rule.ID]++
		}
	}
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, counts
}

// PathString renders a call path: "Function.Handler → OrderService.Save".
func PathString(path []analyzer.PathStep) string {
	var names []string
	for _, s := range path {
		names = append(names, s.Method.DisplayName())
	}
	return strings.Join(names, " → ")
}

// EntryName is how a handler is shown.
func EntryName(ep *analyzer.EntryPoint) string {
	if ep.Method.Kind == analyzer.MethodDelegate {
		return ep.Handler
	}
	return ep.Method.DisplayName()
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
