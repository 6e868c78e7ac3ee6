package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/rules"
)

func seedWithTestdata(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "LMI0*", "*.cs"))
	more, _ := filepath.Glob(filepath.Join("..", "testdata", "projects", "*", "*.cs"))
	for _, p := range append(paths, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("class A { void M() { x?[i] = v; List<int> l = []; async = 1; } }"))
	f.Add([]byte{0xFF, 0xFE, 'c', 0, 'l', 0})
	f.Add([]byte("\xEF\xBB\xBFclass B {}"))
}

// FuzzParse: decoding and parsing never panic, and every node stays within
// the source.
func FuzzParse(f *testing.F) {
	seedWithTestdata(f)
	p := analyzer.NewParser()
	f.Fuzz(func(t *testing.T, data []byte) {
		src, _, err := analyzer.DecodeSource(data)
		if err != nil {
			return
		}
		tree, err := p.Parse(src)
		if err != nil {
			return
		}
		tree.Root.Walk(func(n *analyzer.Node) bool {
			if n.Start() < 0 || int(n.End()) > len(src) || n.Start() > n.End() {
				t.Fatalf("node %s spans %d..%d of %d bytes", n.Kind(), n.Start(), n.End(), len(src))
			}
			return true
		})
	})
}

// analysisDeadline is far beyond what a fuzz input needs (milliseconds) and
// beyond the parse timeout, which ends a slow parse gracefully: what trips it
// is an analysis that does not end.
var analysisDeadline = analyzer.ParseTimeout + 15*time.Second

// FuzzAnalyze: the whole analysis of one file (index, entry points, call
// graph, every rule) never panics or reports an internal error.
func FuzzAnalyze(f *testing.F) {
	seedWithTestdata(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a failure too: crash the worker, so that the fuzzer
		// keeps the input as a crasher.
		watchdog := time.AfterFunc(analysisDeadline, func() {
			panic(fmt.Sprintf("analysis of %d bytes did not finish in %v", len(data), analysisDeadline))
		})
		defer watchdog.Stop()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "F.cs"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir, Jobs: 1})
		if err != nil {
			t.Fatal(err)
		}
		prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
		res := analyzer.Run(prog, rules.All, analyzer.Options{AllCode: true})
		for _, d := range res.Diagnostics {
			if strings.Contains(d.Message, "internal error") {
				t.Fatal(d.Message)
			}
		}
		for _, fd := range res.Findings {
			fd.Start()
			fd.End()
		}
	})
}

// FuzzManifest: handler manifests (JSON and YAML) never crash the reader.
func FuzzManifest(f *testing.F) {
	f.Add([]byte(`{"function-handler": "A::B.C::D"}`), true)
	f.Add([]byte("Globals:\n  Function:\n    Handler: A::B::C\n"), false)
	f.Add([]byte(`{"Resources": {"F": {"Properties": {"Handler": {"Fn::Sub": "x"}}}}}`), true)
	f.Add([]byte("Handler: [unclosed"), false)
	f.Fuzz(func(t *testing.T, data []byte, json bool) {
		name := "template.yaml"
		if json {
			name = "aws-lambda-tools-defaults.json"
		}
		src := &analyzer.Sources{Manifests: []analyzer.Manifest{{Path: name, RelPath: name, Data: data}}}
		analyzer.NewProgram(src, analyzer.ProgramOptions{})
	})
}
