package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes a migration-readiness report: a verdict per handler with
// its findings, then the findings by rule. It fits a PR comment or
// $GITHUB_STEP_SUMMARY.
func WriteMarkdown(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "# Lambda Managed Instances readiness\n\n")
	verdicts := r.Verdicts()
	notReady := 0
	for _, v := range verdicts {
		if !v.Ready() {
			notReady++
		}
	}
	ids, counts := r.CountByRule()
	total := 0
	for _, id := range ids {
		total += counts[id]
	}
	fmt.Fprintf(w, "lmilint %s scanned %s: **%s**", r.Version, plural(r.Files, "file"), plural(total, "finding"))
	if len(verdicts) > 0 {
		fmt.Fprintf(w, ", %d of %d handlers ready", len(verdicts)-notReady, len(verdicts))
	}
	fmt.Fprintf(w, ".\n\n")
	if len(verdicts) > 0 {
		fmt.Fprintf(w, "## Handlers\n\n| Handler | Source | Verdict | Findings |\n|---|---|---|---|\n")
		for _, v := range verdicts {
			verdict := "✅ ready"
			if !v.Ready() {
				verdict = "❌ not ready"
			}
			fmt.Fprintf(w, "| `%s` | %s | %s | %d |\n", EntryName(v.Entry), v.Entry.Source, verdict, len(v.Findings))
		}
		fmt.Fprintln(w)
		for _, v := range verdicts {
			if v.Ready() {
				continue
			}
			fmt.Fprintf(w, "### `%s` — not ready\n\n", EntryName(v.Entry))
			for _, f := range v.Findings {
				pos := f.Start()
				fmt.Fprintf(w, "- **%s** `%s:%d:%d` %s\n", f.Rule.ID, f.File.RelPath, pos.Line, pos.Col, mdEscape(f.Message))
				if len(f.Path) > 1 {
					fmt.Fprintf(w, "  - via %s\n", PathString(f.Path))
				}
			}
			fmt.Fprintf(w, "\nUntil these are fixed, keep this function's per-environment maximum concurrency at 1 "+
				"(Lambda Managed Instances default for .NET is 32 concurrent invocations per vCPU).\n\n")
		}
	} else {
		fmt.Fprintf(w, "No Lambda entry points were found, so every method outside initialization code was treated as request-path code.\n\n")
	}
	if total == 0 {
		fmt.Fprintf(w, "No findings.\n")
		return nil
	}
	fmt.Fprintf(w, "## Findings by rule\n\n")
	for _, rule := range r.Rules {
		if counts[rule.ID] == 0 {
			continue
		}
		fmt.Fprintf(w, "### %s %s (%d)\n\n%s. %s\n\n", rule.ID, rule.Name, counts[rule.ID], rule.Title, mdEscape(rule.Fix))
		for _, f := range r.Findings {
			if f.Rule == rule && !f.Suppressed {
				pos := f.Start()
				fmt.Fprintf(w, "- `%s:%d:%d` %s\n", f.File.RelPath, pos.Line, pos.Col, mdEscape(f.Message))
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}

func mdEscape(s string) string { return mdEscaper.Replace(s) }

// mdEscaper is built once: building a Replacer per call was most of a large
// report's time.
var mdEscaper = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;")
