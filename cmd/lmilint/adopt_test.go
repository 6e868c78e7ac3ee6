package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer/report"
)

func copyDir(t *testing.T, from string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, _ := os.ReadFile(filepath.Join(from, e.Name()))
		os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644)
	}
	return dir
}

func scanJSON(t *testing.T, args ...string) []report.JSONFinding {
	t.Helper()
	out, stderr, code := run(t, append([]string{"scan", "--format", "json"}, args...)...)
	if code == 2 {
		t.Fatalf("scan %v: exit 2: %s", args, stderr)
	}
	var fs []report.JSONFinding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("scan %v: %v\n%s", args, err, out)
	}
	return fs
}

// TestFixGolden applies --fix to testdata/fixes and compares each file with its
// .golden; the fixed files then scan clean for the fixed rules.
func TestFixGolden(t *testing.T) {
	src := filepath.Join("..", "..", "testdata", "fixes")
	dir := copyDir(t, src)
	for _, name := range []string{"Counters.cs.golden", "TempFiles.cs.golden", "AsyncVoid.cs.golden", "Gauges.cs.golden"} {
		os.Remove(filepath.Join(dir, name))
	}
	_, stderr, _ := run(t, "scan", dir, "--fix")
	if !strings.Contains(stderr, "applied 10 fixes in 4 files") {
		t.Errorf("stderr: %s", stderr)
	}
	for _, name := range []string{"Counters.cs", "TempFiles.cs", "AsyncVoid.cs", "Gauges.cs"} {
		got, _ := os.ReadFile(filepath.Join(dir, name))
		want, _ := os.ReadFile(filepath.Join(src, name+".golden"))
		if string(got) != string(want) {
			t.Errorf("%s after --fix differs from its golden file:\n%s", name, got)
		}
	}
	for _, f := range scanJSON(t, dir) {
		if f.RuleID == "LMI005" || f.RuleID == "LMI012" {
			t.Errorf("after --fix: %s still at %s:%d", f.RuleID, f.File, f.Line)
		}
		if f.RuleID == "LMI003" && !strings.Contains(f.Message, "shared.txt") {
			t.Errorf("after --fix: %s", f.Message)
		}
	}
}

func TestFixDiff(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "..", "testdata", "fixes"))
	before, _ := os.ReadFile(filepath.Join(dir, "Counters.cs"))
	out, _, _ := run(t, "scan", dir, "--fix", "--diff")
	if !strings.Contains(out, "+        Interlocked.Increment(ref _hits);") || !strings.Contains(out, "--- a/Counters.cs") {
		t.Errorf("--diff output:\n%s", out)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "Counters.cs"))
	if string(before) != string(after) {
		t.Error("--fix --diff changed the file")
	}
}

// TestBaselineRoundTrip: write a baseline, edit unrelated lines above a
// finding, rescan: nothing new; add a hazard: exactly one new finding.
func TestBaselineRoundTrip(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "Function.cs")
	source := `public class Function
{
    private static int _count;
    private static string _last;

    public void Handler(string input, ILambdaContext context)
    {
        _count++;
        _last = input;
    }
}
`
	os.WriteFile(file, []byte(source), 0o644)
	base := filepath.Join(t.TempDir(), "baseline.json")
	if _, stderr, _ := run(t, "scan", dir, "--write-baseline", base); !strings.Contains(stderr, "recorded 2 findings") {
		t.Fatalf("write-baseline: %s", stderr)
	}
	edited := strings.Replace(source, "public class Function\n{", "// A comment.\n\npublic class Function\n{\n    private const int Unrelated = 1;", 1)
	os.WriteFile(file, []byte(edited), 0o644)
	if _, _, code := run(t, "scan", dir, "--baseline", base); code != 0 {
		t.Errorf("moved lines: exit %d, want 0 (nothing new)", code)
	}
	os.WriteFile(file, []byte(strings.Replace(edited, "_last = input;", "_last = input;\n        _count += 2;", 1)), 0o644)
	out, _, code := run(t, "scan", dir, "--baseline", base, "--format", "json")
	var fs []report.JSONFinding
	json.Unmarshal([]byte(out), &fs)
	newCount := 0
	for _, f := range fs {
		if f.Baseline == "new" {
			newCount++
		}
	}
	if code != 1 || newCount != 1 {
		t.Errorf("added hazard: exit %d, %d new findings, want 1 and 1: %s", code, newCount, out)
	}
	sarifOut, _, _ := run(t, "scan", dir, "--baseline", base, "--format", "sarif")
	for _, state := range []string{`"baselineState": "new"`, `"baselineState": "unchanged"`} {
		if !strings.Contains(sarifOut, state) {
			t.Errorf("SARIF lacks %s", state)
		}
	}
	validateSARIF(t, []byte(sarifOut))
	if _, stderr, code := run(t, "scan", dir, "--baseline", filepath.Join(dir, "Function.cs")); code != 2 || !strings.Contains(stderr, "not an lmilint baseline") {
		t.Errorf("bad baseline: exit %d: %s", code, stderr)
	}
}

func TestConfigFile(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "..", "testdata", "LMI005"))
	write := func(s string) { os.WriteFile(filepath.Join(dir, ".lmilint.yaml"), []byte(s), 0o644) }

	write("rules:\n  disable: [non-atomic-update]\n")
	if fs := scanJSON(t, dir); len(fs) != 0 {
		t.Errorf("disabled by config: %d findings", len(fs))
	}
	write("rules:\n  levels:\n    LMI005: note\n")
	fs := scanJSON(t, dir)
	if len(fs) == 0 || fs[0].Level != "note" {
		t.Errorf("levels: %+v", fs)
	}
	if _, _, code := run(t, "scan", dir); code != 0 {
		t.Errorf("notes under --fail-on warning: exit %d, want 0", code)
	}
	write("rules:\n  disable: [LMI404]\n")
	if _, stderr, _ := run(t, "scan", dir); !strings.Contains(stderr, `unknown rule "LMI404"`) {
		t.Errorf("unknown rule in config: %s", stderr)
	}
	write("rules:\n  disabel: [LMI005]\n")
	if _, stderr, code := run(t, "scan", dir); code != 2 || !strings.Contains(stderr, ".lmilint.yaml:2:3: unknown key \"disabel\" in rules") {
		t.Errorf("unknown key: exit %d: %s", code, stderr)
	}
	write("rules: [unclosed\n")
	if _, stderr, code := run(t, "scan", dir); code != 2 || !strings.Contains(stderr, "invalid YAML") {
		t.Errorf("bad YAML: exit %d: %s", code, stderr)
	}
	write("exclude: ['**/Counters.cs']\n")
	if fs := scanJSON(t, dir); len(fs) != 0 {
		t.Errorf("exclude: %d findings", len(fs))
	}
	os.Remove(filepath.Join(dir, ".lmilint.yaml"))
	if _, stderr, code := run(t, "scan", dir, "--config", filepath.Join(dir, "missing.yaml")); code != 2 || stderr == "" {
		t.Errorf("missing --config: exit %d", code)
	}
}

func TestConfigTypesAndEntryPoints(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Jobs.cs"), []byte(`public class Jobs
{
    private static readonly LegacyCache Cache = new LegacyCache();
    private static int _runs;

    public void Run(string input)
    {
        _runs++;
        Cache.Put(input);
        var redis = new ConnectionMultiplexer();
    }
}
public class Other { public static void Entry(ILambdaContext c) { } }
`), 0o644)
	os.WriteFile(filepath.Join(dir, ".lmilint.yaml"), []byte(`entry-points: ["Jobs::Jobs::Run"]
types:
  not-thread-safe: [LegacyCache]
  clients: [ConnectionMultiplexer]
`), 0o644)
	got := map[string]int{}
	for _, f := range scanJSON(t, dir) {
		got[f.RuleID]++
	}
	if got["LMI005"] != 1 || got["LMI008"] != 1 || got["LMI014"] != 1 {
		t.Errorf("config entry point and types: %v", got)
	}
}

func TestEditorConfig(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "..", "testdata", "LMI005"))
	os.WriteFile(filepath.Join(dir, ".editorconfig"), []byte("root = true\n\n[*.cs]\ndotnet_diagnostic.LMI005.severity = suggestion\n\n[Other*.cs]\ndotnet_diagnostic.LMI005.severity = none\n"), 0o644)
	fs := scanJSON(t, dir)
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range fs {
		if f.Level != "note" {
			t.Errorf("editorconfig suggestion → note: got %s", f.Level)
		}
	}
	os.WriteFile(filepath.Join(dir, ".editorconfig"), []byte("root = true\n[Counters.cs]\ndotnet_diagnostic.LMI005.severity = none\ndotnet_diagnostic.LMI777.severity = error\n"), 0o644)
	out, stderr, _ := run(t, "scan", dir, "--format", "json")
	if strings.Contains(out, "LMI005") || !strings.Contains(stderr, "unknown rule LMI777") {
		t.Errorf("editorconfig none / unknown rule:\n%s\n%s", out, stderr)
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)
	if _, stderr, code := run(t, "init"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	if _, _, code := run(t, "init"); code != 2 {
		t.Errorf("second init must refuse to overwrite")
	}
	os.WriteFile("F.cs", []byte("public class F { static int n; public void H(ILambdaContext c) { n++; } }"), 0o644)
	if _, stderr, code := run(t, "scan"); code != 1 || strings.Contains(stderr, "warning") {
		t.Errorf("scan with the init config: exit %d, %s", code, stderr)
	}
}

func TestNewFromRev(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	gitRun := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	gitRun("init", "-q")
	code := "public class F\n{\n    static int a;\n    public void H(ILambdaContext c)\n    {\n        a++;\n    }\n}\n"
	os.WriteFile(filepath.Join(dir, "F.cs"), []byte(code), 0o644)
	gitRun("add", ".")
	gitRun("commit", "-qm", "base")
	os.WriteFile(filepath.Join(dir, "F.cs"), []byte(strings.Replace(code, "a++;", "a++;\n        a--;", 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "G.cs"), []byte("public class G { static int b; public void H(ILambdaContext c) { b++; } }\n"), 0o644)
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)
	fs := scanJSON(t, ".", "--new-from-rev", "HEAD")
	var got []string
	for _, f := range fs {
		got = append(got, f.File+":"+itoa(f.Line))
	}
	if strings.Join(got, " ") != "F.cs:7 G.cs:1" {
		t.Errorf("--new-from-rev HEAD: %v, want the changed line and the new file", got)
	}
	if _, stderr, code := run(t, "scan", ".", "--new-from-rev", "nope"); code != 2 || !strings.Contains(stderr, "unknown revision") {
		t.Errorf("bad rev: %d %s", code, stderr)
	}
}

func TestShowSuppressed(t *testing.T) {
	p := filepath.Join("..", "..", "testdata", "suppressions")
	out, _, _ := run(t, "scan", p, "--color", "never")
	shown, _, _ := run(t, "scan", p, "--color", "never", "--show-suppressed")
	if strings.Contains(out, "(suppressed)") || !strings.Contains(shown, "(suppressed)") {
		t.Errorf("--show-suppressed:\n%s", shown)
	}
	sarifOut, _, _ := run(t, "scan", p, "--format", "sarif")
	if !strings.Contains(sarifOut, `"kind": "inSource"`) || !strings.Contains(sarifOut, `"justification": "metrics only"`) {
		t.Error("SARIF lacks the suppressions")
	}
	validateSARIF(t, []byte(sarifOut))
}
