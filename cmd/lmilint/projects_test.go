package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/analyzer/analyzertest"
	"github.com/lmilint/lmilint/rules"
)

// TestProjectWants checks every sample project's `// want` annotations with
// all rules, the way a scan sees the whole project.
func TestProjectWants(t *testing.T) {
	dirs, _ := filepath.Glob("../../testdata/projects/*")
	if len(dirs) < 2 {
		t.Fatalf("found %d sample projects, want at least 2", len(dirs))
	}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			analyzertest.Run(t, dir, rules.All, analyzer.Options{})
		})
	}
}
