package analyzer_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/analyzer/analyzertest"
	"github.com/lmilint/lmilint/rules"
)

// TestSuppressions checks every suppression form against testdata/suppressions:
// suppressed findings disappear (the want comments say what stays), suppressed
// ones keep their justification, and unused or malformed suppressions are
// reported.
func TestSuppressions(t *testing.T) {
	res := analyzertest.Run(t, filepath.Join("..", "testdata", "suppressions"), rules.All, analyzer.Options{})
	justified := map[int]string{}
	for _, f := range res.Findings {
		if f.Suppressed {
			justified[f.Start().Line] = f.Justification
		}
	}
	for line, want := range map[int]string{16: "counter is approximate by design", 17: "also approximate", 22: "migration ticket 42", 23: "migration ticket 42", 48: "metrics only", 59: ""} {
		got, ok := justified[line]
		if !ok {
			t.Errorf("line %d: no suppressed finding", line)
		} else if got != want {
			t.Errorf("line %d: justification %q, want %q", line, got, want)
		}
	}
	var diags []string
	for _, d := range res.Diagnostics {
		diags = append(diags, d.Level+" "+itoa(d.Line)+" "+d.Message)
	}
	all := strings.Join(diags, "\n")
	for _, want := range []string{
		"note 17 unused suppression: LMI001 does not fire",
		"note 19 unused suppression: LMI001 does not fire",
		"warning 30 unknown rule LMI999",
		"warning 32 lmilint-disable-next-line needs rule IDs",
		"warning 34 CA2000 is not an lmilint rule",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "CS1591") {
		t.Errorf("other tools' pragma IDs must be ignored:\n%s", all)
	}
}
