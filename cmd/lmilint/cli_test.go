package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer/report"
	"github.com/lmilint/lmilint/internal/sarifcheck"
)

var update = flag.Bool("update", false, "rewrite golden files")

// run executes the CLI in-process and returns stdout, stderr and the exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := newRootCommand()
	var out, errb bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	err := cmd.Execute()
	code := 0
	if err != nil {
		var ex *exitError
		if e, ok := err.(*exitError); ok {
			ex = e
			code = ex.code
			if ex.msg != "" {
				errb.WriteString("lmilint: " + ex.msg + "\n")
			}
		} else {
			code = 2
			errb.WriteString("lmilint: " + err.Error() + "\n")
		}
	}
	return out.String(), errb.String(), code
}

func sampleProject(name string) string {
	return filepath.Join("..", "..", "testdata", "projects", name)
}

// TestGoldenSARIF scans the sample projects through the CLI and compares the
// SARIF with golden files (go test ./cmd/lmilint -run Golden -update rewrites them).
func TestGoldenSARIF(t *testing.T) {
	for _, name := range []string{"orders-api", "s3-processor"} {
		t.Run(name, func(t *testing.T) {
			out, stderr, code := run(t, "scan", sampleProject(name), "--format", "sarif")
			if code != 1 {
				t.Fatalf("exit code %d, want 1 (findings); stderr: %s", code, stderr)
			}
			golden := filepath.Join("..", "..", "testdata", "golden", name+".sarif")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if out != string(want) {
				t.Errorf("SARIF differs from %s (run with -update after checking the change):\n%s", golden, firstDiff(string(want), out))
			}
			validateSARIF(t, []byte(out))
		})
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths differ"
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

var schemaPath = filepath.Join("..", "..", "testdata", "sarif-schema-2.1.0.json")

// validateSARIF checks a document against the OASIS schema and, where it is
// installed, Microsoft's validator with GitHub's rules; any error fails.
func validateSARIF(t *testing.T, data []byte) {
	t.Helper()
	if err := sarifcheck.Schema(data, schemaPath); err != nil {
		t.Errorf("OASIS schema: %v", err)
	}
	tool := sarifcheck.Multitool(filepath.Join("..", ".."))
	if tool == "" {
		t.Log("SKIP multitool check: Microsoft's SARIF validator is not installed (.ci/run installs it; or set SARIF_MULTITOOL)")
		return
	}
	results, err := sarifcheck.RunMultitool(tool, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Level == "error" {
			t.Errorf("multitool %s: %s", r.RuleID, r.Message)
		} else {
			t.Logf("multitool %s %s: %s", r.Level, r.RuleID, r.Message)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean")
	os.MkdirAll(clean, 0o755)
	os.WriteFile(filepath.Join(clean, "F.cs"), []byte("public class F { public int H(int x, ILambdaContext c) => x; }\n"), 0o644)
	if _, stderr, code := run(t, "scan", clean); code != 0 {
		t.Errorf("clean project: exit %d, want 0 (%s)", code, stderr)
	}
	if _, _, code := run(t, "scan", sampleProject("orders-api")); code != 1 {
		t.Errorf("findings: exit %d, want 1", code)
	}
	if _, _, code := run(t, "scan", sampleProject("orders-api"), "--fail-on", "none"); code != 0 {
		t.Errorf("--fail-on none: exit %d, want 0", code)
	}
	_, stderr, code := run(t, "scan", filepath.Join(dir, "missing"))
	if code != 2 || !strings.Contains(stderr, "does not exist") {
		t.Errorf("missing path: exit %d, stderr %q; want 2 with a reason", code, stderr)
	}
	for _, args := range [][]string{
		{"scan", clean, "--format", "xml"},
		{"scan", clean, "--fail-on", "sometimes"},
		{"scan", clean, "--disable", "LMI999"},
		{"scan", clean, "--bogus"},
		{"explain", "LMI999"},
	} {
		if _, stderr, code := run(t, args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a reason", args, code, stderr)
		}
	}
}

var textLine = regexp.MustCompile(`^[^:]+:\d+:\d+: (ERROR|WARNING|NOTE) LMI\d{3} .+ \[[a-z-]+\]$`)

func TestFormats(t *testing.T) {
	p := sampleProject("orders-api")
	out, _, _ := run(t, "scan", p, "--color", "never")
	findingLines := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, ": ERROR LMI") || strings.Contains(l, ": WARNING LMI") {
			findingLines++
			if !textLine.MatchString(l) {
				t.Errorf("text line does not have the documented shape: %q", l)
			}
		}
	}
	if findingLines != 5 {
		t.Errorf("text: %d finding lines, want 5\n%s", findingLines, out)
	}
	if !strings.Contains(out, "via Function.FunctionHandler → OrderService.PlaceAsync → OrderRepository.SaveAsync") {
		t.Errorf("text: call path missing\n%s", out)
	}
	if !strings.Contains(out, "not ready") {
		t.Errorf("text: per-handler verdict missing\n%s", out)
	}

	out, _, _ = run(t, "scan", p, "--format", "json")
	var findings []report.JSONFinding
	if err := json.Unmarshal([]byte(out), &findings); err != nil {
		t.Fatalf("json: %v", err)
	}
	if len(findings) != 5 || findings[0].Fingerprint == "" || len(findings[0].Path) == 0 {
		t.Errorf("json: %d findings, first %+v", len(findings), findings[0])
	}

	out, _, _ = run(t, "scan", p, "--format", "github")
	if n := strings.Count(out, "::error file="); n != 5 {
		t.Errorf("github: %d error annotations, want 5\n%s", n, out)
	}

	out, _, _ = run(t, "scan", p, "--format", "markdown")
	for _, want := range []string{"# Lambda Managed Instances readiness", "| `Function.FunctionHandler` |", "❌ not ready", "maximum concurrency at 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q\n%s", want, out)
		}
	}

	out, _, _ = run(t, "scan", p, "--enable", "LMI004")
	if strings.Contains(out, "LMI005") || !strings.Contains(out, "LMI004") {
		t.Errorf("--enable LMI004 should report only LMI004:\n%s", out)
	}
	out, _, _ = run(t, "scan", p, "--disable", "non-atomic-update")
	if strings.Contains(out, "ERROR LMI005") {
		t.Errorf("--disable by name did not disable LMI005:\n%s", out)
	}
	dir := t.TempDir()
	outFile := filepath.Join(dir, "out.sarif")
	os.WriteFile(outFile, bytes.Repeat([]byte("x"), 1<<20), 0o644)
	run(t, "scan", p, "--format", "sarif", "-o", outFile)
	data, _ := os.ReadFile(outFile)
	if err := sarifcheck.Schema(data, schemaPath); err != nil {
		t.Errorf("-o over a longer file: %v", err)
	}
}

// TestBadInput: unreadable, binary, empty, huge, BOM, UTF-16 and syntax-error
// files are reported as run diagnostics and the rest of the run goes on.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	hazard := "public class F {\n  static int n;\n  public void H(ILambdaContext c) { n++; }\n}\n"
	os.WriteFile(filepath.Join(dir, "Good.cs"), []byte(hazard), 0o644)
	os.WriteFile(filepath.Join(dir, "Binary.cs"), []byte{0x4d, 0x5a, 0, 0, 0xff, 0x00}, 0o644)
	os.WriteFile(filepath.Join(dir, "Empty.cs"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "Latin1.cs"), []byte("// caf\xe9\nclass L {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "Bom.cs"), append([]byte{0xEF, 0xBB, 0xBF}, []byte("public class B {\n  static int m;\n  public void H(ILambdaContext c) { m++; }\n}\n")...), 0o644)
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "public class U {\n  static int k;\n  public void H(ILambdaContext c) { k++; }\n}\n" {
		utf16 = append(utf16, byte(r), 0)
	}
	os.WriteFile(filepath.Join(dir, "Utf16.cs"), utf16, 0o644)
	os.WriteFile(filepath.Join(dir, "Broken.cs"), []byte("public class X {\n  static int z;\n  public void H(ILambdaContext c) { z++; }\n  void Bad( { \n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "Unreadable.cs"), []byte("class R {}"), 0o000)
	out, stderr, code := run(t, "scan", dir, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
	}
	var findings []report.JSONFinding
	if err := json.Unmarshal([]byte(out), &findings); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range findings {
		got[f.File+":"+itoa(f.Line)+":"+itoa(f.Column)] = true
	}
	for _, want := range []string{"Good.cs:3:37", "Bom.cs:3:37", "Utf16.cs:3:37", "Broken.cs:3:37"} {
		if !got[want] {
			t.Errorf("missing finding %s; got %v", want, got)
		}
	}
	for _, want := range []string{"Binary.cs", "Latin1.cs: warning: skipped: not valid UTF-8", "Broken.cs:4: note: syntax"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if os.Getuid() != 0 && !strings.Contains(stderr, "Unreadable.cs") {
		t.Errorf("stderr does not report the unreadable file:\n%s", stderr)
	}
}

func TestRulesAndExplain(t *testing.T) {
	out, _, code := run(t, "rules")
	if code != 0 || strings.Count(out, "\nLMI0") != 17 {
		t.Errorf("rules: exit %d, output:\n%s", code, out)
	}
	out, _, code = run(t, "explain", "lmi004")
	for _, want := range []string{"LMI004 shared-httpclient-mutation", "Why it matters", "Flagged:", "Safe:", "HttpRequestMessage"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = run(t, "version")
	if !strings.HasPrefix(out, "lmilint ") {
		t.Errorf("version: %q", out)
	}
}
