package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/analyzer/report"
	"github.com/lmilint/lmilint/rules"
)

type scanFlags struct {
	format         string
	output         string
	failOn         string
	enable         []string
	disable        []string
	config         string
	allCode        bool
	baseline       string
	writeBaseline  string
	newFromRev     string
	showSuppressed bool
	fix            bool
	diff           bool
	jobs           int
	exclude        []string
	noCache        bool
	color          string
	quiet          bool
	category       string
}

func newScanCommand() *cobra.Command {
	var fl scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan C# files or directories (default: the current directory)",
		Long: `Scan indexes every .cs file under the given paths (bin/, obj/, .git/, node_modules/ and
.gitignore'd files are skipped), finds the Lambda entry points, and reports hazards on the request
path. When PATHs are files, the project around them is indexed but only those files are reported.

Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage error, bad config, no readable
input, or internal error.`,
		Example: `  lmilint scan
  lmilint scan src/ --format sarif -o lmilint.sarif
  lmilint scan --fail-on error --disable LMI011,LMI012
  lmilint scan src/Orders/Function.cs            # pre-commit: report one file`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, args, &fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: "+strings.Join(report.Formats, "|"))
	f.StringVarP(&fl.output, "output", "o", "", "write the report to `FILE` instead of stdout")
	f.StringVar(&fl.failOn, "fail-on", "warning", "exit 1 when a finding is at or above this level: error|warning|note|none")
	f.StringSliceVar(&fl.enable, "enable", nil, "run only these rules (IDs or names, comma-separated)")
	f.StringSliceVar(&fl.disable, "disable", nil, "do not report these rules (IDs or names, comma-separated)")
	f.StringVar(&fl.config, "config", "", "configuration `FILE` (default: .lmilint.yaml found upward from the scan root)")
	f.BoolVar(&fl.allCode, "all-code", false, "report hazards in all code, not only code reachable from a Lambda entry point")
	f.StringVar(&fl.baseline, "baseline", "", "report only findings not in this earlier `FILE` (from --write-baseline)")
	f.StringVar(&fl.writeBaseline, "write-baseline", "", "record the current findings in `FILE`")
	f.StringVar(&fl.newFromRev, "new-from-rev", "", "report only findings on lines changed since git `REV`")
	f.BoolVar(&fl.showSuppressed, "show-suppressed", false, "also list suppressed findings")
	f.BoolVar(&fl.fix, "fix", false, "apply the available fix edits to the files")
	f.BoolVar(&fl.diff, "diff", false, "with --fix: print the edits as a unified diff instead of writing them")
	f.IntVar(&fl.jobs, "jobs", 0, "parallel workers (default: number of cores)")
	f.StringSliceVar(&fl.exclude, "exclude", nil, "skip paths matching this `GLOB` (doublestar syntax, relative to the scan root; repeatable)")
	f.BoolVar(&fl.noCache, "no-cache", false, "do not read or write the per-file cache")
	f.StringVar(&fl.color, "color", "auto", "colour the text output: auto|always|never")
	f.BoolVarP(&fl.quiet, "quiet", "q", false, "print findings only: no summary, no notes on stderr")
	f.StringVar(&fl.category, "category", "lmilint", "SARIF automationDetails.id category, to keep several uploads apart")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(report.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"error", "warning", "note", "none"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runScan(cmd *cobra.Command, args []string, fl *scanFlags) error {
	started := time.Now()
	if !contains(report.Formats, fl.format) {
		return usageError("--format must be one of %s, not %q", strings.Join(report.Formats, ", "), fl.format)
	}
	failOn := analyzer.Level(fl.failOn)
	if fl.failOn != "none" && failOn.Rank() == 0 {
		return usageError("--fail-on must be error, warning, note or none, not %q", fl.failOn)
	}
	if fl.jobs < 0 {
		return usageError("--jobs must be a positive number")
	}
	if fl.diff && !fl.fix {
		return usageError("--diff goes with --fix")
	}
	enabled, err := ruleSet(fl.enable, fl.disable)
	if err != nil {
		return err
	}
	src, err := analyzer.Load(args, analyzer.LoadOptions{Jobs: fl.jobs, Exclude: fl.exclude})
	if err != nil {
		if errors.Is(err, analyzer.ErrNoInput) {
			return usageError("%v", err)
		}
		return &exitError{code: 2, msg: err.Error()}
	}
	prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
	res := analyzer.Run(prog, rules.All, analyzer.Options{AllCode: fl.allCode})
	findings := filterFindings(res.Findings, enabled, src.ReportOnly)
	diags := append(src.Diagnostics, prog.Diagnostics...)
	diags = append(diags, res.Diagnostics...)

	rep := &report.Report{
		Tool: "lmilint", Version: toolVersion(), InfoURI: "https://github.com/lmilint/lmilint",
		Rules: rules.All, Findings: findings, Diagnostics: diags, EntryPoints: prog.EntryPoints,
		Files: len(src.Files), Elapsed: time.Since(started), Category: fl.category, ShowSuppressed: fl.showSuppressed,
	}
	out := cmd.OutOrStdout()
	var file *os.File
	if fl.output != "" {
		file, err = os.Create(fl.output)
		if err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("cannot write %s: %v", fl.output, unwrap(err))}
		}
		defer file.Close()
		out = file
	}
	stdout, _ := out.(*os.File)
	if fl.format == "text" {
		rep.Color, err = useColor(fl.color, stdout)
		if err != nil {
			return err
		}
	}
	if fl.quiet && fl.format == "text" {
		var buf bytes.Buffer
		if err := report.Write(&buf, "text", rep); err != nil {
			return err
		}
		writeFindingLinesOnly(out, buf.String())
	} else if err := report.Write(out, fl.format, rep); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	printDiagnostics(cmd.ErrOrStderr(), diags, fl.quiet)
	for _, f := range findings {
		if !f.Suppressed && failOn.Rank() > 0 && f.Level.Rank() >= failOn.Rank() {
			return errFindings
		}
	}
	return nil
}

// writeFindingLinesOnly drops the summary from the text report (-q).
func writeFindingLinesOnly(w io.Writer, text string) {
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, ": ERROR LMI") || strings.Contains(line, ": WARNING LMI") || strings.Contains(line, ": NOTE LMI") ||
			strings.Contains(line, "ERROR\033[0m LMI") || strings.Contains(line, "WARNING\033[0m LMI") || strings.Contains(line, "NOTE\033[0m LMI") {
			fmt.Fprintln(w, line)
		}
	}
}

func printDiagnostics(w io.Writer, diags []analyzer.Diagnostic, quiet bool) {
	for _, d := range diags {
		if quiet && d.Level == "note" {
			continue
		}
		where := d.File
		if d.Line > 0 {
			where = fmt.Sprintf("%s:%d", d.File, d.Line)
		}
		if where != "" {
			where += ": "
		}
		fmt.Fprintf(w, "lmilint: %s%s: %s\n", where, d.Level, d.Message)
	}
}

// ruleSet resolves --enable/--disable (IDs or names) to the reported rule IDs.
func ruleSet(enable, disable []string) (map[string]bool, error) {
	set := map[string]bool{}
	resolve := func(s string) (string, error) {
		s = strings.TrimSpace(s)
		for _, r := range rules.All {
			if strings.EqualFold(r.ID, s) || r.Name == strings.ToLower(s) {
				return r.ID, nil
			}
		}
		return "", usageError("unknown rule %q; 'lmilint rules' lists them", s)
	}
	if len(enable) == 0 {
		for _, r := range rules.All {
			set[r.ID] = true
		}
	}
	for _, s := range enable {
		id, err := resolve(s)
		if err != nil {
			return nil, err
		}
		set[id] = true
	}
	for _, s := range disable {
		id, err := resolve(s)
		if err != nil {
			return nil, err
		}
		delete(set, id)
	}
	return set, nil
}

func filterFindings(fs []*analyzer.Finding, enabled map[string]bool, only map[string]bool) []*analyzer.Finding {
	var out []*analyzer.Finding
	for _, f := range fs {
		if !enabled[f.Rule.ID] || f.Level == analyzer.LevelNone {
			continue
		}
		if only != nil && !only[f.File.RelPath] {
			continue
		}
		out = append(out, f)
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
