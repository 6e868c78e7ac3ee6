package e2e

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/lmilint/lmilint/internal/corpus"
)

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lmilint")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/lmilint")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// runInTerminal runs the binary with stdout and stderr on a pseudo-terminal.
func runInTerminal(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer f.Close()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&out, f); close(done) }()
	cmd.Wait()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	return out.String()
}

func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CI=") && !strings.HasPrefix(kv, "NO_COLOR=") && !strings.HasPrefix(kv, "TERM=") {
			env = append(env, kv)
		}
	}
	return append(env, "TERM=xterm-256color")
}

// TestTerminal: colour and the progress bar appear on a terminal, and never
// when output is piped, in CI, or with NO_COLOR.
func TestTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lmilint; skipped with -short")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	if _, _, err := corpus.Generate(dir, 200, 7); err != nil {
		t.Fatal(err)
	}
	env := append(baseEnv(), "LMILINT_PROGRESS_DELAY=0s")

	out := runInTerminal(t, bin, env, "scan", dir)
	if !strings.Contains(out, "\x1b[31mERROR\x1b[0m") {
		t.Errorf("no coloured level on a terminal:\n%q", firstN(out, 600))
	}
	if !strings.Contains(out, "parsing") {
		t.Errorf("no progress bar on a terminal:\n%q", firstN(out, 600))
	}

	out = runInTerminal(t, bin, append(env, "NO_COLOR=1"), "scan", dir)
	if strings.Contains(out, "\x1b[31m") {
		t.Error("NO_COLOR: output is coloured")
	}
	out = runInTerminal(t, bin, append(env, "CI=true"), "scan", dir)
	if strings.Contains(out, "parsing") {
		t.Error("CI: progress bar shown")
	}

	cmd := exec.Command(bin, "scan", dir)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Run()
	if strings.Contains(stdout.String(), "\x1b[") || strings.Contains(stderr.String(), "parsing") {
		t.Errorf("piped output has escape codes or a progress bar")
	}
	if !strings.Contains(stdout.String(), "findings in") {
		t.Errorf("summary line missing:\n%s", firstN(stdout.String(), 400))
	}
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// TestCompletion: shell completion scripts are generated for each shell.
func TestCompletion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lmilint; skipped with -short")
	}
	bin := buildBinary(t)
	for shell, want := range map[string]string{"bash": "__start_lmilint", "zsh": "#compdef lmilint", "fish": "complete -c lmilint"} {
		out, err := exec.Command(bin, "completion", shell).Output()
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("completion %s: %v, lacks %q", shell, err, want)
		}
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "lmilint ") {
		t.Errorf("--version: %q %v", out, err)
	}
}
