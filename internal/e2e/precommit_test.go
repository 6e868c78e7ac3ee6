// Package e2e holds end-to-end tests that drive lmilint the way users do:
// through pre-commit, and as a built binary in a terminal.
package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func repoRoot(t *testing.T) string {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestPreCommitHook installs this repository's hook with `pre-commit try-repo`
// in a fresh C# Lambda project: a staged hazard fails, a clean change passes.
func TestPreCommitHook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the hook from source; skipped with -short")
	}
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (.ci/run installs it: apt-get install pre-commit)")
	}
	root := repoRoot(t)
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skip("not a git checkout: try-repo needs one")
	}
	dir := t.TempDir()
	gitIn(t, dir, "init", "-q")
	os.WriteFile(filepath.Join(dir, "App.csproj"), []byte("<Project Sdk=\"Microsoft.NET.Sdk\" />\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "Function.cs"), []byte(`using Amazon.Lambda.Core;
public class Function
{
    private readonly Counter _counter = new Counter();
    public string Handler(string input, ILambdaContext context)
    {
        _counter.Add();
        return input;
    }
}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "Counter.cs"), []byte("public class Counter\n{\n    private int _n;\n    public void Add() { System.Threading.Interlocked.Increment(ref _n); }\n}\n"), 0o644)
	gitIn(t, dir, "add", ".")
	gitIn(t, dir, "commit", "-qm", "init")

	tryRepo := func() (string, error) {
		cmd := exec.Command("pre-commit", "try-repo", root, "lmilint", "--verbose")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PRE_COMMIT_HOME="+filepath.Join(os.TempDir(), "lmilint-pre-commit-cache"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	// A clean change to a file that another file depends on: passes.
	os.WriteFile(filepath.Join(dir, "Counter.cs"), []byte("public class Counter\n{\n    private int _n;\n    public void Add() { System.Threading.Interlocked.Add(ref _n, 1); }\n}\n"), 0o644)
	gitIn(t, dir, "add", "Counter.cs")
	if out, err := tryRepo(); err != nil {
		t.Fatalf("clean change should pass: %v\n%s", err, out)
	}
	gitIn(t, dir, "commit", "-qm", "clean")
	// A staged hazard in a class only the handler makes shared: fails, and the
	// message names it (the project around the file was indexed).
	os.WriteFile(filepath.Join(dir, "Counter.cs"), []byte("public class Counter\n{\n    private int _n;\n    public void Add() { _n++; }\n}\n"), 0o644)
	gitIn(t, dir, "add", "Counter.cs")
	out, err := tryRepo()
	if err == nil {
		t.Fatalf("staged hazard should fail the hook:\n%s", out)
	}
	if !strings.Contains(out, "Counter.cs:4:") || !strings.Contains(out, "LMI005") {
		t.Errorf("hook output lacks the finding:\n%s", out)
	}
}
