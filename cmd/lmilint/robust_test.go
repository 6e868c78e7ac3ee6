package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestDeterminism: every format is byte-identical for --jobs 1 and --jobs N,
// with the parse cache (cold, then warm) and without it, and across runs.
func TestDeterminism(t *testing.T) {
	p := filepath.Join("..", "..", "testdata", "projects")
	for _, format := range []string{"text", "json", "sarif", "markdown", "github"} {
		t.Setenv("LMILINT_CACHE_DIR", t.TempDir())
		var first string
		for i, variant := range [][]string{{"--jobs", "1"}, {"--jobs", "4"}, {"--jobs", "1", "--no-cache"}, {"--jobs", "3", "--no-cache"}, {"--jobs", "2"}} {
			jobs := strings.Join(variant, " ")
			out, _, _ := run(t, append([]string{"scan", p, "--format", format, "--color", "never", "--fail-on", "none"}, variant...)...)
			if format == "text" {
				out = stripElapsed(out)
			}
			if i == 0 {
				first = out
			} else if out != first {
				t.Errorf("%s output differs between runs (jobs %s):\n%s", format, jobs, firstDiff(first, out))
			}
		}
	}
}

var elapsed = regexp.MustCompile(` \[\d+\.\d+s\]`)

// stripElapsed removes the run time from the summary line.
func stripElapsed(s string) string { return elapsed.ReplaceAllString(s, "") }

// TestHostileTree: symlink loops and links out of the tree are not followed,
// unreadable directories are reported, odd file names are fine, and the scan
// still finds what it should.
func TestHostileTree(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "Secret.cs"), []byte("public class Secret { static int s; public void H(ILambdaContext c) { s++; } }"), 0o644)
	os.WriteFile(filepath.Join(dir, "F.cs"), []byte("public class F { static int n; public void H(ILambdaContext c) { n++; } }"), 0o644)
	os.Symlink(dir, filepath.Join(dir, "loop"))
	os.Symlink(outside, filepath.Join(dir, "out-dir"))
	os.Symlink(filepath.Join(outside, "Secret.cs"), filepath.Join(dir, "Linked.cs"))
	os.WriteFile(filepath.Join(dir, "na\xefve-\xff.cs"), []byte("public class G { }"), 0o644)
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o755)
	os.WriteFile(filepath.Join(locked, "H.cs"), []byte("class H {}"), 0o644)
	os.Chmod(locked, 0o000)
	defer os.Chmod(locked, 0o755)

	out, stderr, code := run(t, "scan", dir, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out, "Secret") {
		t.Errorf("followed a link out of the scanned tree:\n%s", out)
	}
	if strings.Count(out, `"ruleId": "LMI005"`) != 1 {
		t.Errorf("want exactly one finding (F.cs), got:\n%s", out)
	}
	if !strings.Contains(stderr, "Linked.cs: note: symlink not followed") {
		t.Errorf("stderr does not report the outward link:\n%s", stderr)
	}
	if os.Getuid() != 0 && !strings.Contains(stderr, "locked") {
		t.Errorf("stderr does not report the unreadable directory:\n%s", stderr)
	}
}

// TestFixStaysInRoot: --fix never writes through a link to a file outside the
// scan root.
func TestFixStaysInRoot(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	dir := t.TempDir()
	outside := t.TempDir()
	target := filepath.Join(outside, "Counter.cs")
	original := "public class Counter { static int n; public void H(ILambdaContext c) { n++; } }\n"
	os.WriteFile(target, []byte(original), 0o644)
	inner := filepath.Join(dir, "src")
	os.Mkdir(inner, 0o755)
	os.Symlink(target, filepath.Join(inner, "Counter.cs"))
	run(t, "scan", dir, "--fix")
	if data, _ := os.ReadFile(target); string(data) != original {
		t.Errorf("--fix wrote outside the scan root:\n%s", data)
	}
}

// TestDeepCode: deeply nested expressions, long methods and long call chains
// neither crash nor hang.
func TestDeepCode(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("public class Deep\n{\n    static int n;\n    public int H(ILambdaContext c)\n    {\n        var x = ")
	b.WriteString(strings.Repeat("(", 10000) + "1" + strings.Repeat(")", 10000) + ";\n")
	for i := 0; i < 100000; i++ {
		b.WriteString("        x = x + 1;\n")
	}
	b.WriteString("        n++;\n        return x;\n    }\n")
	b.WriteString("    public void C0(ILambdaContext c) { C1(); }\n")
	for i := 1; i < 5000; i++ {
		b.WriteString("    void C" + itoa(i) + "() { C" + itoa(i+1) + "(); }\n")
	}
	b.WriteString("    void C5000() { n = 1; }\n}\n")
	os.WriteFile(filepath.Join(dir, "Deep.cs"), []byte(b.String()), 0o644)
	out, stderr, code := run(t, "scan", dir, "--format", "json")
	if code == 2 {
		t.Fatalf("exit 2: %s", stderr)
	}
	if !strings.Contains(out, `"ruleId": "LMI005"`) || !strings.Contains(out, `"method": "Deep.C5000"`) {
		t.Errorf("want the ++ and the write at the end of the 5,000-deep chain:\n%s", firstN(out, 2000))
	}
}

// TestDeepShapes: code nested tens of thousands deep in the shapes generated
// code takes. Each shape was quadratic or worse before (a 20,000-link member
// chain ran for minutes, 5,000 nested classes took 30 s): typing walked the
// whole chain again from every link, and finding a node's unit or lock walked
// all the way up from every node. Each file still yields its one finding, the
// counter updated at the bottom.
func TestDeepShapes(t *testing.T) {
	const n = 20000
	head := "public class A\n{\n    public A Next; public A M() { return this; } static int count; int f; string s;\n" +
		"    public void Run(A x, int a)\n    {\n"
	tail := "\n        count++;\n    }\n}\n"
	var ifElse, ternary strings.Builder
	for i := range n {
		ifElse.WriteString("        if (a == " + itoa(i) + ") f = 1; else\n")
		ternary.WriteString("a == " + itoa(i) + " ? 1 : ")
	}
	var nested strings.Builder
	for i := range 1000 {
		nested.WriteString("class C" + itoa(i) + " {\n")
	}
	nested.WriteString("public class Deepest { static int count; public void Run() { count++; } }\n" + strings.Repeat("}", 1000) + "\n")
	shapes := map[string]string{
		"MemberChain.cs": head + "        var y = x" + strings.Repeat(".Next", n) + ";" + tail,
		"CallChain.cs":   head + "        var z = x" + strings.Repeat(".M()", n) + ";" + tail,
		"ElseIf.cs":      head + ifElse.String() + "        { }" + tail,
		"Ternary.cs":     head + "        f = " + ternary.String() + "0;" + tail,
		"Concat.cs":      head + "        s = s" + strings.Repeat(" + s", n) + ";" + tail,
		"Nested.cs":      nested.String(),
	}
	for name, src := range shapes {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644)
			out, stderr, code := run(t, "scan", dir, "--all-code", "--no-cache", "--format", "json")
			if code == 2 {
				t.Fatalf("exit 2: %s", stderr)
			}
			if got := strings.Count(out, `"ruleId": "LMI005"`); got != 1 {
				t.Errorf("want the one count++ at the bottom, got %d LMI005 findings:\n%s", got, firstN(out, 2000))
			}
		})
	}
}

// TestManySuppressions: a file with tens of thousands of suppressions (each
// finding was checked against every suppression: 20,000 took 11 s). All of
// them apply, none is reported unused, and one left unsuppressed still fails.
func TestManySuppressions(t *testing.T) {
	const n = 20000
	var b strings.Builder
	b.WriteString("public class Gen\n{\n    static int c;\n    public void H(ILambdaContext ctx)\n    {\n")
	for i := range n {
		if i%2 == 0 {
			b.WriteString("        // lmilint-disable-next-line LMI005 -- generated\n        c++;\n")
		} else {
			b.WriteString("#pragma warning disable LMI005\n        c++;\n#pragma warning restore LMI005\n")
		}
	}
	b.WriteString("        c--;\n    }\n}\n")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Gen.cs"), []byte(b.String()), 0o644)
	out, stderr, code := run(t, "scan", dir, "--format", "json", "--no-cache")
	if code != 1 {
		t.Fatalf("exit %d, want 1 for the one unsuppressed c--: %s", code, stderr)
	}
	if got := strings.Count(out, `"suppressed": true`); got != n {
		t.Errorf("%d findings suppressed, want %d", got, n)
	}
	if got := strings.Count(out, `"suppressed": false`); got != 1 {
		t.Errorf("%d findings left, want the c-- alone", got)
	}
	if strings.Contains(stderr, "unused suppression") {
		t.Errorf("suppressions reported unused: %s", firstN(stderr, 500))
	}
}

// TestReportWriteFailure: a report that cannot be written (a full disk) is
// an error, exit 2, not a success with the report lost (the writes were
// unchecked before).
func TestReportWriteFailure(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "F.cs"), []byte("public class F { static int n; public void H(ILambdaContext c) { n++; } }\n"), 0o644)
	for _, format := range []string{"text", "sarif", "markdown"} {
		_, stderr, code := run(t, "scan", dir, "--format", format, "-o", "/dev/full", "--fail-on", "none")
		if code != 2 || !strings.Contains(stderr, "cannot write") {
			t.Errorf("%s to a full disk: exit %d, stderr %q; want exit 2 and why", format, code, stderr)
		}
	}
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// TestMaxFileSize: a 50 MB file is skipped with a warning that names the
// flag, the rest of the project is still analyzed, and --max-file-size moves
// the limit either way.
func TestMaxFileSize(t *testing.T) {
	dir := t.TempDir()
	hazard := "public class Counter { static int n; public void H(ILambdaContext c) { n++; } }\n"
	os.WriteFile(filepath.Join(dir, "Counter.cs"), []byte(hazard), 0o644)
	big := []byte("public class Generated {\n" + strings.Repeat("    // generated\n", 50<<20/16) + "}\n")
	os.WriteFile(filepath.Join(dir, "Generated.cs"), big, 0o644)

	out, stderr, code := run(t, "scan", dir, "--format", "json")
	if code != 1 || !strings.Contains(out, "Counter.cs") {
		t.Errorf("exit %d, the small file's finding is missing:\n%s", code, out)
	}
	if !regexp.MustCompile(`Generated.cs: warning: skipped: 5\d MiB is over the 8.0 MiB limit for one file \(--max-file-size\)`).MatchString(stderr) {
		t.Errorf("no warning for the 50 MB file:\n%s", stderr)
	}

	_, stderr, _ = run(t, "scan", dir, "--max-file-size", "1KB")
	if !strings.Contains(stderr, "Generated.cs: warning: skipped") || strings.Contains(stderr, "Counter.cs: warning: skipped") {
		t.Errorf("1KB limit: %s", stderr)
	}
	_, stderr, _ = run(t, "scan", dir, "--max-file-size", "10B")
	if !strings.Contains(stderr, "Counter.cs: warning: skipped: 80 B is over the 10 B limit") {
		t.Errorf("10B limit: %s", stderr)
	}
	for _, bad := range []string{"lots", "0", "-5MB"} {
		if _, stderr, code := run(t, "scan", dir, "--max-file-size", bad); code != 2 || !strings.Contains(stderr, "--max-file-size") {
			t.Errorf("--max-file-size %s: exit %d, %s", bad, code, stderr)
		}
	}
}
