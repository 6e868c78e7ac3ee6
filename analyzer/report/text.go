package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

const (
	ansiReset  = "\033[0m"
	ansiBold   = "\033[1m"
	ansiDim    = "\033[2m"
	ansiRed    = "\033[31m"
	ansiYellow = "\033[33m"
	ansiCyan   = "\033[36m"
	ansiGreen  = "\033[32m"
)

// WriteText prints one line per finding, `path:line:col: LEVEL ID message
// [name]`, the call path on the next line, grouped by file, then a summary
// with counts per rule and a readiness verdict per handler.
func WriteText(w io.Writer, r *Report) error {
	paint := func(code, s string) string {
		if !r.Color {
			return s
		}
		return code + s + ansiReset
	}
	levelColor := map[analyzer.Level]string{analyzer.LevelError: ansiRed, analyzer.LevelWarning: ansiYellow, analyzer.LevelNote: ansiCyan}
	visible := r.Visible()
	lastFile := ""
	for _, f := range visible {
		if lastFile != "" && f.File.RelPath != lastFile {
			fmt.Fprintln(w)
		}
		lastFile = f.File.RelPath
		pos := f.Start()
		suppressed := ""
		if f.Suppressed {
			suppressed = paint(ansiDim, " (suppressed)")
		}
		fmt.Fprintf(w, "%s:%d:%d: %s %s %s [%s]%s\n", paint(ansiBold, f.File.RelPath), pos.Line, pos.Col,
			paint(levelColor[f.Level], strings.ToUpper(string(f.Level))), f.Rule.ID, f.Message, f.Rule.Name, suppressed)
		if len(f.Path) > 1 {
			fmt.Fprintf(w, "    %s\n", paint(ansiDim, "via "+PathString(f.Path)))
		}
	}
	if len(visible) > 0 {
		fmt.Fprintln(w)
	}
	ids, counts := r.CountByRule()
	total, suppressed := 0, 0
	for _, f := range r.Findings {
		if f.Suppressed {
			suppressed++
		} else {
			total++
		}
	}
	if total == 0 {
		fmt.Fprintf(w, "%s in %s", paint(ansiGreen, "No findings"), plural(r.Files, "file"))
	} else {
		var parts []string
		for _, id := range ids {
			parts = append(parts, fmt.Sprintf("%s×%d", id, counts[id]))
		}
		fmt.Fprintf(w, "%s in %s (%s)", plural(total, "finding"), plural(r.Files, "file"), strings.Join(parts, ", "))
	}
	if suppressed > 0 {
		fmt.Fprintf(w, ", %d suppressed", suppressed)
	}
	if r.Elapsed > 0 {
		fmt.Fprintf(w, " [%.2fs]", r.Elapsed.Seconds())
	}
	fmt.Fprintln(w)
	verdicts := r.Verdicts()
	if len(verdicts) == 0 {
		fmt.Fprintln(w, "No Lambda entry points found: every method outside init code was treated as request-path code.")
		return nil
	}
	fmt.Fprintln(w, "Handlers:")
	for _, v := range verdicts {
		status := paint(ansiGreen, "ready")
		if !v.Ready() {
			status = paint(ansiRed, "not ready") + fmt.Sprintf(" (%s)", plural(len(v.Findings), "finding"))
		}
		fmt.Fprintf(w, "  %s  %s: %s\n", EntryName(v.Entry), paint(ansiDim, "["+v.Entry.Source+"]"), status)
	}
	return nil
}
