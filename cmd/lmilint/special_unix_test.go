//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesDoNotBlock: FIFOs named like every file a scan reads (a
// source, a manifest, a project, a .gitignore, an .editorconfig) and
// .gitignore and manifest links to a device that never ends are reported
// or skipped; the scan neither blocks nor reads without end, and still
// finds what it should.
func TestSpecialFilesDoNotBlock(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".editorconfig"), []byte("root = true\n[*.cs]\ndotnet_diagnostic.LMI005.severity = error\n"), 0o644)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	// The finding's file sits beside the FIFO .editorconfig, which its level is looked up through.
	os.WriteFile(filepath.Join(sub, "F.cs"), []byte("public class F { static int n; public void H(ILambdaContext c) { n++; } }"), 0o644)
	for _, name := range []string{"Fifo.cs", "serverless.template", "App.csproj", ".gitignore", ".editorconfig"} {
		if err := syscall.Mkfifo(filepath.Join(sub, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(sub, "G.cs"), []byte("public class G { }"), 0o644)
	links := filepath.Join(dir, "links")
	os.Mkdir(links, 0o755)
	os.Symlink("/dev/zero", filepath.Join(links, ".gitignore"))
	os.Symlink("/dev/zero", filepath.Join(links, "template.yaml"))
	type result struct {
		out, stderr string
		code        int
	}
	done := make(chan result, 1)
	go func() {
		out, stderr, code := run(t, "scan", dir, "--format", "json", "--no-cache")
		done <- result{out, stderr, code}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the scan blocked on a special file")
	}
	if r.code != 1 || strings.Count(r.out, `"ruleId": "LMI005"`) != 1 || !strings.Contains(r.out, `"level": "error"`) {
		t.Fatalf("exit %d, want the one finding at the .editorconfig's level:\n%s\n%s", r.code, r.out, r.stderr)
	}
	for _, want := range []string{
		"sub/Fifo.cs: warning: cannot read: not a regular file",
		"sub/serverless.template: warning: cannot read: not a regular file",
		"sub/.gitignore: warning: cannot read: not a regular file",
		"links/.gitignore: note: symlinked .gitignore not followed",
		"sub/.editorconfig: not read: not a regular file",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
		}
	}
}
