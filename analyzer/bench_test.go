package analyzer_test

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/internal/corpus"
	"github.com/lmilint/lmilint/rules"
)

// benchCorpus returns the directory to benchmark: $LMILINT_BENCH_CORPUS (any
// directory of C#, e.g. a fetched public repository), else a generated corpus
// of $LMILINT_BENCH_FILES files (default 1000).
func benchCorpus(b *testing.B) string {
	if dir := os.Getenv("LMILINT_BENCH_CORPUS"); dir != "" {
		return dir
	}
	n := 1000
	if s := os.Getenv("LMILINT_BENCH_FILES"); s != "" {
		if _, err := fmtSscan(s, &n); err != nil {
			b.Fatal(err)
		}
	}
	dir := filepath.Join(os.TempDir(), "lmilint-bench", itoa(n))
	if _, err := os.Stat(filepath.Join(dir, ".done")); err != nil {
		os.RemoveAll(dir)
		if _, _, err := corpus.Generate(dir, n, 1); err != nil {
			b.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, ".done"), nil, 0o644)
	}
	return dir
}

func csFiles(b *testing.B, dir string) ([]string, int64) {
	var paths []string
	var size int64
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".cs" {
			paths = append(paths, p)
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	return paths, size
}

// bareParse reads and parses every file on all cores, one parser per worker,
// and keeps nothing: the floor a scan cannot go below.
func bareParse(paths []string) {
	next := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := analyzer.NewParser()
			defer p.Close()
			for path := range next {
				raw, err := os.ReadFile(path)
				if err != nil {
					continue
				}
				src, _, err := analyzer.DecodeSource(raw)
				if err == nil {
					p.Parse(src)
				}
			}
		}()
	}
	for _, path := range paths {
		next <- path
	}
	close(next)
	wg.Wait()
}

func fullScan(b *testing.B, dir string) int {
	src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir})
	if err != nil {
		b.Fatal(err)
	}
	prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
	res := analyzer.Run(prog, rules.All, analyzer.Options{})
	return len(res.Findings)
}

func report(b *testing.B, files int, size int64, elapsed time.Duration) {
	secs := elapsed.Seconds() / float64(b.N)
	b.ReportMetric(float64(files)/secs, "files/s")
	b.ReportMetric(float64(size)/secs/1e6, "MB/s")
}

// BenchmarkParseOnly is the bare parse of the corpus.
func BenchmarkParseOnly(b *testing.B) {
	dir := benchCorpus(b)
	paths, size := csFiles(b, dir)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		bareParse(paths)
	}
	report(b, len(paths), size, time.Since(start))
}

// BenchmarkFullScan is a cold scan: load, parse, index, all rules. It also
// reports the peak Go heap in use during the scan (sampled every 10 ms) and
// the process's peak resident memory (Linux VmHWM, reset before the scan).
func BenchmarkFullScan(b *testing.B) {
	dir := benchCorpus(b)
	paths, size := csFiles(b, dir)
	runtime.GC()
	resetPeakRSS()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		var ms runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peak <- max
				return
			case <-tick.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > max {
					max = ms.HeapInuse
				}
			}
		}
	}()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		fullScan(b, dir)
	}
	elapsed := time.Since(start)
	close(stop)
	report(b, len(paths), size, elapsed)
	b.ReportMetric(float64(<-peak)/1e6, "peak-heap-MB")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(rss/1e6, "peak-RSS-MB")
	}
}

// BenchmarkScanVsParse measures both in one run, alternating, and reports the
// ratio full scan / bare parse (target: at most 1.3).
func BenchmarkScanVsParse(b *testing.B) {
	dir := benchCorpus(b)
	paths, size := csFiles(b, dir)
	var parse, scan time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		bareParse(paths)
		t1 := time.Now()
		fullScan(b, dir)
		t2 := time.Now()
		parse += t1.Sub(t0)
		scan += t2.Sub(t1)
	}
	b.ReportMetric(scan.Seconds()/parse.Seconds(), "scan/parse")
	b.ReportMetric(float64(len(paths))/(scan.Seconds()/float64(b.N)), "scan-files/s")
	b.ReportMetric(float64(len(paths))/(parse.Seconds()/float64(b.N)), "parse-files/s")
	b.ReportMetric(float64(size)/1e6, "corpus-MB")
}

// BenchmarkPrecommitOneFile is the pre-commit case: one file named, the
// project around it indexed. The generated corpus has a .sln at its root, so
// the whole corpus ($LMILINT_BENCH_FILES, default 2000 here) is the project.
func BenchmarkPrecommitOneFile(b *testing.B) {
	n := 2000
	if s := os.Getenv("LMILINT_BENCH_FILES"); s != "" {
		fmtSscan(s, &n)
	}
	dir := filepath.Join(os.TempDir(), "lmilint-bench-sln", itoa(n))
	if _, err := os.Stat(filepath.Join(dir, ".done")); err != nil {
		os.RemoveAll(dir)
		if _, _, err := corpus.Generate(dir, n, 1); err != nil {
			b.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "All.sln"), []byte("Microsoft Visual Studio Solution File\n"), 0o644)
		os.WriteFile(filepath.Join(dir, ".done"), nil, 0o644)
	}
	file := filepath.Join(dir, "src", "Service000", "Function.cs")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := analyzer.Load([]string{file}, analyzer.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(src.Files) < n {
			b.Fatalf("indexed %d files, want the whole project (%d)", len(src.Files), n)
		}
		prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
		analyzer.Run(prog, rules.All, analyzer.Options{})
	}
}

// BenchmarkRescanOneEdit is a re-scan after one file changed, with the
// caches warm: only that file is parsed again. The edit is, in turn, a
// comment at the end of the file, a statement in a method body (the common
// edit: other files' unit facts and findings stand), a using directive
// (the same), a new field (a declaration: the files that name it are
// walked again, here none) and a library's interface added to a class (the
// header changes, but no program type's hierarchy: only the file is walked
// again; before headers were digested by name, every file was).
func BenchmarkRescanOneEdit(b *testing.B) {
	dir := benchCorpus(b)
	cache, err := analyzer.OpenParseCache(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	paths, _ := csFiles(b, dir)
	scan := func() *analyzer.Program {
		src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir, Cache: cache})
		if err != nil {
			b.Fatal(err)
		}
		prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
		analyzer.Run(prog, rules.All, analyzer.Options{})
		return prog
	}
	prog := scan() // warm the caches
	// The middle file with a method body and a type to add a field to.
	var target string
	var body, members, header int
	basesSep := " : " // ", " when the class already has a base list
	for off := 0; off < len(paths) && target == ""; off++ {
		path := paths[(len(paths)/2+off)%len(paths)]
		for _, m := range prog.Methods {
			if m.File != nil && m.File.Path == path && m.Kind == analyzer.MethodOrdinary && len(m.Bodies) > 0 && m.Bodies[0].Kind() == analyzer.KindBlock && m.Owner != nil {
				if list := m.Owner.Decls[0].FirstOfKind(analyzer.KindDeclarationList); list != nil && m.Owner.Files[0] == m.File {
					target, body, members = path, int(m.Bodies[0].Start())+1, int(list.Start())+1
					// Bases go after the name (and type parameters), or
					// after the base list.
					header = int(m.Owner.Decls[0].ChildByField("name").End())
					if tps := m.Owner.Decls[0].ChildByField("type_parameters"); tps != nil {
						header = int(tps.End())
					}
					if bases := m.Owner.Decls[0].FirstOfKind(analyzer.KindBaseList); bases != nil && bases.Parent() == m.Owner.Decls[0] {
						header, basesSep = int(bases.End()), ", "
					}
					break
				}
			}
		}
	}
	if target == "" {
		b.Skip("no file with a method body in the corpus")
	}
	original, _ := os.ReadFile(target)
	defer os.WriteFile(target, original, 0o644)
	insert := func(at int, text string) []byte {
		return append(append(append([]byte{}, original[:at]...), text...), original[at:]...)
	}
	for _, edit := range []struct {
		name string
		make func(i int) []byte
	}{
		{"comment", func(i int) []byte { return insert(len(original), "\n// edit "+itoa(i)+"\n") }},
		{"body", func(i int) []byte { return insert(body, "\n var lmiEdit"+itoa(i)+" = "+itoa(i)+";\n") }},
		{"using", func(i int) []byte { return insert(0, "using LmiEdit"+itoa(i)+";\n") }},
		{"declaration", func(i int) []byte { return insert(members, "\n public static int LmiEdit"+itoa(i)+";\n") }},
		{"base type", func(i int) []byte { return insert(header, basesSep+"ILmiEdit"+itoa(i)) }},
	} {
		b.Run(edit.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				os.WriteFile(target, edit.make(i), 0o644)
				b.StartTimer()
				scan()
			}
		})
	}
}
