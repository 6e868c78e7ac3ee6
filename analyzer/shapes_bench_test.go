package analyzer_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/rules"
)

// shapes are adversarial but plausible corpora of size n (generated code,
// big monorepos). Each was once quadratic or worse; BenchmarkShapes reports
// how each grows.
var shapes = []struct {
	name string
	gen  func(n int) map[string]string
}{
	{"member-chain", func(n int) map[string]string {
		return oneMethod("var y = x" + strings.Repeat(".Next", n) + ";")
	}},
	{"call-chain", func(n int) map[string]string {
		return oneMethod("var z = x" + strings.Repeat(".M()", n) + ";")
	}},
	{"else-if", func(n int) map[string]string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "if (a == %d) f = 1; else\n", i)
		}
		return oneMethod(b.String() + "{ }")
	}},
	{"unknown-receiver-calls", func(n int) map[string]string {
		files := map[string]string{}
		for i := range n {
			files[fmt.Sprintf("C%d.cs", i)] = fmt.Sprintf("class C%d { static int c; public void Run() { c++; } public void Go() { var d = Ext.Make(); d.Run(); } }\n", i)
		}
		return files
	}},
	{"interface-calls", func(n int) map[string]string {
		files := map[string]string{"I.cs": "public interface IRun { void Run(); }\n"}
		for i := range n {
			files[fmt.Sprintf("R%d.cs", i)] = fmt.Sprintf("class R%d : IRun { static int c; public void Run() { c++; } }\nclass U%d { public void Go(IRun r) { r.Run(); } }\n", i, i)
		}
		return files
	}},
	{"suppressions", func(n int) map[string]string {
		var b strings.Builder
		for range n {
			b.WriteString("// lmilint-disable-next-line LMI005 -- generated\ncount++;\n")
		}
		return oneMethod(b.String())
	}},
}

func oneMethod(body string) map[string]string {
	return map[string]string{"A.cs": "public class A\n{\n    public A Next; public A M() { return this; } static int count; int f;\n" +
		"    public void Run(A x, int a)\n    {\n" + body + "\n        count++;\n    }\n}\n"}
}

// BenchmarkShapes analyzes each shape at n and 4n (load, index, call graph,
// rules, suppressions) and reports the growth exponent between them: 1 is
// linear, 2 quadratic. LMILINT_BENCH_SHAPE_N sets n (default 5000).
func BenchmarkShapes(b *testing.B) {
	n := 5000
	if s := os.Getenv("LMILINT_BENCH_SHAPE_N"); s != "" {
		fmtSscan(s, &n)
	}
	for _, shape := range shapes {
		b.Run(shape.name, func(b *testing.B) {
			small, large := b.TempDir(), b.TempDir()
			writeAll(b, small, shape.gen(n))
			writeAll(b, large, shape.gen(4*n))
			var tSmall, tLarge time.Duration
			for i := 0; i < b.N; i++ {
				tSmall += analyzeDir(b, small)
				tLarge += analyzeDir(b, large)
			}
			b.ReportMetric(tSmall.Seconds()/float64(b.N), "s-at-n")
			b.ReportMetric(tLarge.Seconds()/float64(b.N), "s-at-4n")
			b.ReportMetric(math.Log(tLarge.Seconds()/tSmall.Seconds())/math.Log(4), "exponent")
		})
	}
}

func writeAll(b *testing.B, dir string, files map[string]string) {
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

func analyzeDir(b *testing.B, dir string) time.Duration {
	start := time.Now()
	src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir})
	if err != nil {
		b.Fatal(err)
	}
	prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
	res := analyzer.Run(prog, rules.All, analyzer.Options{AllCode: true})
	sups, _ := analyzer.CollectSuppressions(prog, func(string) bool { return true })
	analyzer.ApplySuppressions(res.Findings, sups)
	if len(res.Findings) == 0 {
		b.Fatalf("%s: no findings; the shape should have its count++", dir)
	}
	return time.Since(start)
}
