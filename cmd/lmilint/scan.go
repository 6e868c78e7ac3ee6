package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/analyzer/report"
	"github.com/lmilint/lmilint/config"
	"github.com/lmilint/lmilint/internal/baseline"
	"github.com/lmilint/lmilint/internal/fixer"
	"github.com/lmilint/lmilint/internal/gitdiff"
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
	maxFileSize    string
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
	f.BoolVar(&fl.noCache, "no-cache", false, "do not read or write the per-file parse cache ($LMILINT_CACHE_DIR, default ~/.cache/lmilint)")
	f.StringVar(&fl.maxFileSize, "max-file-size", "8MiB", "skip larger .cs files with a warning (`SIZE` such as 8MiB, 50MB; none for no limit)")
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
	if !slices.Contains(report.Formats, fl.format) {
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
	if fl.baseline != "" && fl.writeBaseline != "" {
		return usageError("--baseline and --write-baseline cannot be combined")
	}
	bar := newProgress(fl.quiet)
	maxSize, err := parseFileSize(fl.maxFileSize)
	if err != nil {
		return usageError("--max-file-size: %v", err)
	}
	proj, err := loadProject(cmd, args, fl.config, !fl.noCache, analyzer.LoadOptions{Jobs: fl.jobs, Exclude: fl.exclude, Progress: bar.update, MaxFileSize: maxSize})
	bar.finish()
	if err != nil {
		return err
	}
	enabled, err := ruleSet(proj.cfg, fl.enable, fl.disable)
	if err != nil {
		return err
	}
	src, prog := proj.src, proj.prog
	allCode := fl.allCode || (proj.cfg != nil && proj.cfg.AllCode)
	res := analyzer.Run(prog, rules.All, analyzer.Options{AllCode: allCode})
	phases := analyzer.StartPhases()
	diags := append(append(append([]analyzer.Diagnostic{}, proj.diags...), prog.Diagnostics...), res.Diagnostics...)

	// Suppressions and levels apply after overlaps are resolved, so a
	// suppressed or disabled winner still hides the loser.
	sups, sdiags := analyzer.CollectSuppressions(prog, knownRule)
	diags = append(diags, sdiags...)
	diags = append(diags, analyzer.ApplySuppressions(res.Findings, sups)...)
	ec := config.NewEditorConfig()
	findings := applyLevels(res.Findings, enabled, proj.cfg, ec)
	for _, w := range ec.Warnings {
		diags = append(diags, analyzer.Diagnostic{Level: "warning", Message: w})
	}
	findings = onlyReported(findings, src.ReportOnly)
	if fl.newFromRev != "" {
		changes, err := gitdiff.Since(src.Root, fl.newFromRev)
		if err != nil {
			return usageError("%v", err)
		}
		var kept []*analyzer.Finding
		for _, f := range findings {
			if changes.Changed(f.File.RelPath, f.Start().Line) {
				kept = append(kept, f)
			}
		}
		findings = kept
	}
	var absent []baseline.Entry
	if fl.baseline != "" {
		base, err := baseline.Read(fl.baseline)
		if err != nil {
			return usageError("%v", analyzer.Cause(err))
		}
		var states []string
		states, absent = base.Compare(baselineEntries(findings))
		for i, f := range findings {
			f.Baseline = states[i]
		}
	}
	if fl.writeBaseline != "" {
		var unsuppressed []*analyzer.Finding
		for _, f := range findings {
			if !f.Suppressed {
				unsuppressed = append(unsuppressed, f)
			}
		}
		if err := baseline.Write(fl.writeBaseline, baselineEntries(unsuppressed)); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("cannot write baseline: %v", analyzer.Cause(err))}
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "lmilint: recorded %d findings in %s\n", len(unsuppressed), fl.writeBaseline)
	}
	if fl.fix {
		if findings, err = applyFixes(cmd, src, findings, fl.diff); err != nil {
			return err
		}
	}

	phases.Done("suppressions, levels")
	defer phases.Done("report")
	rep := &report.Report{
		Tool: "lmilint", Version: toolVersion(), InfoURI: "https://github.com/lmilint/lmilint",
		Rules: rules.All, Findings: findings, Diagnostics: diags, EntryPoints: prog.EntryPoints, Absent: absentResults(absent),
		Files: len(src.Files), Elapsed: time.Since(started), Category: fl.category, ShowSuppressed: fl.showSuppressed,
	}
	out := cmd.OutOrStdout()
	var file *os.File
	if fl.output != "" {
		file, err = os.Create(fl.output)
		if err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("cannot write %s: %v", fl.output, analyzer.Cause(err))}
		}
		defer file.Close()
		out = file
	}
	if fl.format == "text" {
		stdout, _ := out.(*os.File)
		rep.Color, err = useColor(fl.color, stdout)
		if err != nil {
			return err
		}
	}
	if fl.fix && fl.diff {
		// the diff went to stdout; the report follows only when written to a file
		if fl.output == "" {
			out = io.Discard
		}
	}
	// Buffered: the writers print piece by piece, and a file or terminal
	// costs a system call per piece (a 400 MB report made millions).
	buffered := bufio.NewWriterSize(out, 64<<10)
	if fl.quiet && fl.format == "text" {
		var buf bytes.Buffer
		if err := report.Write(&buf, "text", rep); err != nil {
			return err
		}
		writeFindingLinesOnly(buffered, buf.String())
	} else if err := report.Write(buffered, fl.format, rep); err != nil {
		return &exitError{code: 2, msg: fmt.Sprintf("cannot write the report: %v", analyzer.Cause(err))}
	}
	if err := buffered.Flush(); err != nil {
		return &exitError{code: 2, msg: fmt.Sprintf("cannot write the report: %v", analyzer.Cause(err))}
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("cannot write %s: %v", fl.output, analyzer.Cause(err))}
		}
	}
	printDiagnostics(cmd.ErrOrStderr(), diags, fl.quiet)
	for _, f := range findings {
		if f.Suppressed || f.Baseline == "unchanged" {
			continue
		}
		if failOn.Rank() > 0 && f.Level.Rank() >= failOn.Rank() {
			return errFindings
		}
	}
	return nil
}

func knownRule(id string) bool { return rules.Lookup(id) != nil }

// project is a loaded and indexed scan target with its configuration.
type project struct {
	cfg   *config.Config
	src   *analyzer.Sources
	prog  *analyzer.Program
	diags []analyzer.Diagnostic
}

// loadProject reads the configuration (--config, or .lmilint.yaml found upward
// from the scan root), loads the sources and builds the program.
// Of load, loadProject fills in Exclude (adding the configuration's) and Cache.
func loadProject(cmd *cobra.Command, args []string, configPath string, useCache bool, load analyzer.LoadOptions) (*project, error) {
	p := &project{}
	start := "."
	if len(args) > 0 {
		start = args[0]
		if st, err := os.Stat(start); err == nil && !st.IsDir() {
			start = filepath.Dir(start)
		}
	}
	if configPath == "" {
		configPath = config.Find(start)
	} else if _, err := os.Stat(configPath); err != nil {
		return nil, usageError("config %s: %v", configPath, analyzer.Cause(err))
	}
	if configPath != "" {
		cfg, warnings, err := config.Load(configPath, knownRule)
		if err != nil {
			return nil, usageError("%v", err)
		}
		p.cfg = cfg
		for _, w := range warnings {
			p.diags = append(p.diags, analyzer.Diagnostic{Level: "warning", Message: w})
		}
		load.Exclude = append(append([]string{}, cfg.Exclude...), load.Exclude...)
		analyzer.AddTypeNames(cfg.Types.ThreadSafe, cfg.Types.NotThreadSafe)
		analyzer.AddClientTypes(cfg.Types.Clients)
	}
	if useCache {
		c, err := analyzer.OpenParseCache(analyzer.DefaultCacheDir())
		if err != nil {
			p.diags = append(p.diags, analyzer.Diagnostic{Level: "note", Message: fmt.Sprintf("parse cache unavailable, scanning without it: %v", err)})
		} else {
			load.Cache = c
		}
	}
	load.MapTrees = true // one scan per process: its trees can stay in a mapped pack
	phases := analyzer.StartPhases()
	src, err := analyzer.Load(args, load)
	phases.Done("load and parse")
	if err != nil {
		if errors.Is(err, analyzer.ErrNoInput) {
			return nil, usageError("%v", err)
		}
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	p.src = src
	p.diags = append(p.diags, src.Diagnostics...)
	boundHeapGrowth(src.Rescan(), src.TreesInMemory())
	opts := analyzer.ProgramOptions{}
	if p.cfg != nil {
		opts.ExtraEntryPoints = p.cfg.EntryPoints
	}
	p.prog = analyzer.NewProgram(src, opts)
	return p, nil
}

// applyLevels sets each finding's level from the rule default, .lmilint.yaml,
// then .editorconfig for its file, and drops disabled rules and level none.
func applyLevels(fs []*analyzer.Finding, enabled map[string]bool, cfg *config.Config, ec *config.EditorConfig) []*analyzer.Finding {
	var out []*analyzer.Finding
	for _, f := range fs {
		if !enabled[f.Rule.ID] {
			continue
		}
		level := f.Rule.Level
		if cfg != nil {
			for id, l := range cfg.Rules.Levels {
				if r := resolveRule(id); r != nil && r.ID == f.Rule.ID {
					level = analyzer.Level(l)
				}
			}
		}
		if abs, err := filepath.Abs(f.File.Path); err == nil {
			if l := ec.Severity(abs, f.Rule.ID, knownRule); l != "" {
				level = analyzer.Level(l)
			}
		}
		if level == analyzer.LevelNone {
			continue
		}
		f.Level = level
		out = append(out, f)
	}
	return out
}

func resolveRule(s string) *analyzer.Rule { return rules.Lookup(s) }

func onlyReported(fs []*analyzer.Finding, only map[string]bool) []*analyzer.Finding {
	if only == nil {
		return fs
	}
	var out []*analyzer.Finding
	for _, f := range fs {
		if only[f.File.RelPath] {
			out = append(out, f)
		}
	}
	return out
}

func baselineEntries(fs []*analyzer.Finding) []baseline.Entry {
	var out []baseline.Entry
	for _, f := range fs {
		pos := f.Start()
		out = append(out, baseline.Entry{RuleID: f.Rule.ID, File: f.File.RelPath, Hash: baseline.LineHash(f.File.LineText(pos.Line)), Line: pos.Line, Column: pos.Col, Message: f.Message})
	}
	return out
}

// applyFixes writes (or, with --diff, prints) the fixes and returns the
// findings that remain.
func applyFixes(cmd *cobra.Command, src *analyzer.Sources, findings []*analyzer.Finding, diffOnly bool) ([]*analyzer.Finding, error) {
	plan := fixer.Make(findings)
	if diffOnly {
		fmt.Fprint(cmd.OutOrStdout(), plan.Diff())
	} else if err := plan.Write(src.Root); err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	verb := "applied"
	if diffOnly {
		verb = "would apply"
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "lmilint: %s %d fixes in %d files", verb, plan.Applied, len(plan.Files))
	if plan.Skipped > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), " (%d skipped: they overlap another fix; run again)", plan.Skipped)
	}
	fmt.Fprintln(cmd.ErrOrStderr())
	if diffOnly {
		return findings, nil
	}
	var remaining []*analyzer.Finding
	for _, f := range findings {
		if !plan.Fixed(f) {
			remaining = append(remaining, f)
		}
	}
	return remaining, nil
}

func absentResults(entries []baseline.Entry) []report.Absent {
	var out []report.Absent
	for _, e := range entries {
		out = append(out, report.Absent{RuleID: e.RuleID, File: e.File, Line: e.Line, Column: e.Column, Message: e.Message})
	}
	return out
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

// ruleSet resolves the reported rules: all, or only those enabled by
// .lmilint.yaml; then --enable (only these) and --disable (IDs or names).
func ruleSet(cfg *config.Config, enable, disable []string) (map[string]bool, error) {
	set := map[string]bool{}
	resolve := func(s string) (string, error) {
		if r := resolveRule(s); r != nil {
			return r.ID, nil
		}
		return "", usageError("unknown rule %q; 'lmilint rules' lists them", s)
	}
	var cfgEnable, cfgDisable []string
	if cfg != nil {
		cfgEnable, cfgDisable = cfg.Rules.Enable, cfg.Rules.Disable
	}
	only := enable
	if len(only) == 0 {
		only = cfgEnable
	}
	if len(only) == 0 {
		for _, r := range rules.All {
			set[r.ID] = true
		}
	}
	for _, s := range only {
		if id, err := resolve(s); err == nil {
			set[id] = true
		} else if slices.Contains(enable, s) {
			return nil, err
		}
	}
	for _, s := range append(append([]string{}, cfgDisable...), disable...) {
		id, err := resolve(s)
		if err != nil {
			if slices.Contains(disable, s) {
				return nil, err
			}
			continue // unknown IDs in the config file are warnings, given already
		}
		delete(set, id)
	}
	return set, nil
}

// parseFileSize reads --max-file-size: a size go-humanize understands (8MiB,
// 50MB, 1048576), or none for no limit.
func parseFileSize(s string) (int64, error) {
	if strings.EqualFold(s, "none") {
		return -1, nil
	}
	n, err := humanize.ParseBytes(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a size (8MiB, 50MB, none)", s)
	}
	if n == 0 || n > 1<<40 {
		return 0, fmt.Errorf("%q is not a usable limit (use none for no limit)", s)
	}
	return int64(n), nil
}
