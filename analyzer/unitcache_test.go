package analyzer_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
	lmireport "github.com/lmilint/lmilint/analyzer/report"
	"github.com/lmilint/lmilint/rules"
)

// dumpScan scans dir and prints every finding with its message, entry
// points and call path, so two scans can be compared exactly.
func dumpScan(t *testing.T, dir string, cache *analyzer.ParseCache) (string, *analyzer.Program) {
	t.Helper()
	return dumpScanWith(t, dir, cache, false)
}

// dumpScanWith is dumpScan with the trees kept in a mapped pack, as the CLI
// keeps them, when mapTrees.
func dumpScanWith(t *testing.T, dir string, cache *analyzer.ParseCache, mapTrees bool) (string, *analyzer.Program) {
	t.Helper()
	src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir, Cache: cache, MapTrees: mapTrees})
	if err != nil {
		t.Fatal(err)
	}
	prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
	return dumpProgram(prog), prog
}

// dumpSources is dumpScan's print of sources already loaded.
func dumpSources(t *testing.T, src *analyzer.Sources) string {
	t.Helper()
	return dumpProgram(analyzer.NewProgram(src, analyzer.ProgramOptions{}))
}

func dumpProgram(prog *analyzer.Program) string {
	var b strings.Builder
	for _, f := range analyzer.Run(prog, rules.All, analyzer.Options{}).Findings {
		fmt.Fprintf(&b, "%s:%s-%s %s %s\n", f.File.RelPath, f.Start(), f.End(), f.Rule.ID, f.Message)
		for _, ep := range f.Entries {
			fmt.Fprintf(&b, "  entry %s\n", ep.Method.DisplayName())
		}
		fmt.Fprintf(&b, "  path %s\n", lmireport.PathString(f.Path))
		for _, step := range f.Path {
			if step.Site != nil {
				fmt.Fprintf(&b, "  site %s\n", step.Method.File.Position(int(step.Site.Start())))
			}
		}
	}
	for _, ep := range prog.EntryPoints {
		fmt.Fprintf(&b, "entry point %s\n", ep.Method.DisplayName())
	}
	return b.String()
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func insertAt(t *testing.T, path string, at int, text string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data[:at:at], append([]byte(text), data[at:]...)...)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestUnitCacheMatchesFreshScans edits the sample projects at random, the
// way a developer would between two runs — statements added to method
// bodies that write fields, call methods of other files and take locks,
// members, files and types added, renamed and removed, lines shifted — and after each edit
// compares a scan that reuses the caches with one that builds everything
// afresh: findings, messages, entry points and call paths must be
// identical. After an edit inside one method body, or of comments and
// blank lines, every other file's facts must come from the cache.
//
// LMILINT_EDIT_SEEDS=N runs N different sequences of edits (default 1).
func TestUnitCacheMatchesFreshScans(t *testing.T) {
	seeds := 1
	if n, err := strconv.Atoi(os.Getenv("LMILINT_EDIT_SEEDS")); err == nil && n > 0 {
		seeds = n
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { editAndCompare(t, uint64(seed)) })
	}
}

func editAndCompare(t *testing.T, seed uint64) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "testdata", "projects"), dir)
	cache, err := analyzer.OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11+seed))
	// Cached scans keep their trees in mapped packs, as the CLI does: a
	// first run streams them, a stale pack's rewrite moves them.
	_, prog := dumpScanWith(t, dir, cache, true)
	bodyEdits, reused, headerEdits, filesAdded, membersMoved := 0, 0, 0, 0, 0
	for step := 0; step < 80; step++ {
		var fields, methods []string
		for _, ty := range prog.TypesByName {
			for _, f := range ty[0].FieldOrder {
				fields = append(fields, f.Name)
			}
		}
		var bodies []*analyzer.Method
		for _, m := range prog.Methods {
			if m.File != nil && len(m.Bodies) > 0 && m.Bodies[0].Kind() == analyzer.KindBlock {
				bodies = append(bodies, m)
			}
			if m.Kind == analyzer.MethodOrdinary && !strings.Contains(m.Name, " ") {
				methods = append(methods, m.Name)
			}
		}
		// The maps above have no order: sort for a reproducible run.
		sortStrings(fields)
		sortStrings(methods)
		typeNames := sortedKeys(prog.TypesByName)
		typeName := typeNames[rng.IntN(len(typeNames))]
		field := fields[rng.IntN(len(fields))]
		method := methods[rng.IntN(len(methods))]
		kind := rng.IntN(17)
		what := ""
		newName := false // a member of a name no file uses was added
		switch {
		case kind < 6: // a statement in a method body
			m := bodies[rng.IntN(len(bodies))]
			stmt := []string{
				field + " = default;", field + "++;", method + "();", "lock (" + field + ") { " + method + "(); }",
				"var tmp" + fmt.Sprint(step) + " = " + field + ";", "// just a comment", "this." + field + " = null;",
				"System.IO.File.WriteAllText(\"/tmp/out.json\", \"\");",
				"services.AddSingleton<" + typeName + ">();", "builder.Services.AddScoped<" + typeName + ">();",
			}[rng.IntN(10)]
			insertAt(t, m.File.Path, int(m.Bodies[0].Start())+1, "\n        "+stmt+"\n")
			what = fmt.Sprintf("%s: %q in %s", m.File.RelPath, stmt, m.DisplayName())
			bodyEdits++
		case kind == 6: // a member
			ty := prog.Types[sortedKeys(prog.Types)[rng.IntN(len(prog.Types))]]
			list := ty.Decls[0].FirstOfKind(analyzer.KindDeclarationList)
			if list == nil {
				continue
			}
			pick := rng.IntN(3)
			if pick == 2 { // a method moved to another type of its file
				m := bodies[rng.IntN(len(bodies))]
				var to *analyzer.Node
				for _, k := range sortedKeys(prog.Types) {
					if o := prog.Types[k]; o != m.Owner && o.Files[0] == m.File {
						to = o.Decls[0].FirstOfKind(analyzer.KindDeclarationList)
					}
				}
				if m.Owner == nil || m.Kind != analyzer.MethodOrdinary || to == nil {
					continue
				}
				data, _ := os.ReadFile(m.File.Path)
				from, end, at := int(m.Decl.Start()), int(m.Decl.End()), int(to.Start())+1
				if at > from && at < end {
					continue
				}
				text := string(data[from:end])
				data = append(data[:from:from], data[end:]...)
				if at > from {
					at -= end - from
				}
				data = append(data[:at:at], append([]byte("\n    "+text), data[at:]...)...)
				os.WriteFile(m.File.Path, data, 0o644)
				what = fmt.Sprintf("%s moved out of %s", m.DisplayName(), m.Owner.Name)
				membersMoved++
				break
			}
			member := []string{"public static int Added" + fmt.Sprint(step) + ";", "public void " + method + "(int a, int b) { " + field + " = a; }"}[pick]
			newName = pick == 0
			insertAt(t, ty.Files[0].Path, int(list.Start())+1, "\n    "+member)
			what = fmt.Sprintf("%s: member %q", ty.Files[0].RelPath, member)
		case kind == 7: // lines shifted: a header, or a doc comment on a method
			m := bodies[rng.IntN(len(bodies))]
			if rng.IntN(2) == 0 {
				insertAt(t, m.File.Path, 0, "// a header\n\n")
				what = "header in " + m.File.RelPath
			} else {
				insertAt(t, m.File.Path, int(m.Decl.Start()), "/// <summary>Documented.</summary>\n    ")
				what = "doc comment on " + m.DisplayName()
			}
			bodyEdits++
		case kind == 8: // a new file calling into the project, or declaring only new names
			f := prog.Files[rng.IntN(len(prog.Files))]
			path := filepath.Join(filepath.Dir(f.Path), fmt.Sprintf("Added%d.cs", step))
			text := fmt.Sprintf("public class Added%d { public static int Count; public void %s() { Count++; %s = 1; } }\n", step, method, field)
			switch rng.IntN(4) {
			case 1:
				text = fmt.Sprintf("namespace Added;\n\npublic class Added%d\n{\n    private static int _added%d;\n    public void Run%d() { _added%d++; }\n}\n", step, step, step, step)
				newName = true
			case 2:
				text = fmt.Sprintf("namespace Added\n{\n    public enum Added%d { One, Two }\n}\n", step)
				newName = true
			case 3: // a class named after a library type rules read receivers' text as
				library := []string{"File", "Environment", "Console", "Directory", "HttpClient", "Parallel"}[rng.IntN(6)]
				path = filepath.Join(filepath.Dir(f.Path), fmt.Sprintf("%s%d.cs", library, step))
				text = fmt.Sprintf("namespace Added%d;\n\npublic class %s\n{\n}\n", step, library)
			}
			os.WriteFile(path, []byte(text), 0o644)
			what = "new file " + path
			filesAdded++
		case kind == 12: // a parameter added to a method
			m := bodies[rng.IntN(len(bodies))]
			params := m.Decl.ChildByField("parameters")
			if params == nil || m.Kind != analyzer.MethodOrdinary {
				continue
			}
			added := "int added" + fmt.Sprint(step)
			if strings.TrimSpace(params.Text()) != "()" {
				added += ", "
			}
			insertAt(t, m.File.Path, int(params.Start())+1, added)
			what = fmt.Sprintf("%s: parameter added to %s", m.File.RelPath, m.DisplayName())
		case kind == 13: // a constant path in one type, written to in another file's method
			ty := prog.Types[sortedKeys(prog.Types)[rng.IntN(len(prog.Types))]]
			list := ty.Decls[0].FirstOfKind(analyzer.KindDeclarationList)
			m := bodies[rng.IntN(len(bodies))]
			if list == nil || ty.Files[0] == m.File || strings.Contains(ty.Name, "<") {
				continue
			}
			name := fmt.Sprintf("Dir%d", step)
			insertAt(t, ty.Files[0].Path, int(list.Start())+1, "\n    public const string "+name+" = \"/var/data\";")
			insertAt(t, m.File.Path, int(m.Bodies[0].Start())+1, "\n        System.IO.File.WriteAllText("+ty.Name+"."+name+" + \"/out.json\", \"\");\n")
			dumpScanWith(t, dir, cache, true) // the cache holds the path before it moves
			data, _ := os.ReadFile(ty.Files[0].Path)
			os.WriteFile(ty.Files[0].Path, []byte(strings.Replace(string(data), name+" = \"/var/data\"", name+" = \"/tmp\"", 1)), 0o644)
			what = fmt.Sprintf("%s.%s moved to /tmp, written in %s", ty.Name, name, m.DisplayName())
		case kind == 14: // a using directive added at the top of a file
			m := bodies[rng.IntN(len(bodies))]
			insertAt(t, m.File.Path, 0, "using System.Collections.Concurrent;\n")
			what = "using added to " + m.File.RelPath
			bodyEdits++
		case kind == 15: // a base type added to a class: the hierarchy changes
			ty := prog.Types[sortedKeys(prog.Types)[rng.IntN(len(prog.Types))]]
			other := typeNames[rng.IntN(len(typeNames))]
			name := ty.Decls[0].ChildByField("name")
			if ty.Decls[0].Kind() != analyzer.KindClass || name == nil || other == ty.Name || ty.Decls[0].FirstOfKind(analyzer.KindBaseList) != nil {
				continue
			}
			insertAt(t, ty.Files[0].Path, int(name.End()), " : "+other)
			what = fmt.Sprintf("%s now derives from %s", ty.Name, other)
		case kind == 16: // another header edit: bases rules ask about or none do, modifiers, attributes, a primary constructor
			ty := prog.Types[sortedKeys(prog.Types)[rng.IntN(len(prog.Types))]]
			decl := ty.Decls[0]
			name := decl.ChildByField("name")
			if name == nil {
				continue
			}
			path := ty.Files[0].Path
			var bases, params *analyzer.Node // the declaration's own, not a member's
			for _, c := range decl.Children() {
				switch c.Kind() {
				case analyzer.KindBaseList:
					bases = c
				case analyzer.KindParameterList:
					params = c
				}
			}
			switch pick := rng.IntN(7); {
			case pick < 2 && decl.Kind() == analyzer.KindClass:
				base := []string{"System.IDisposable", "DbContext", "APIGatewayProxyFunction", "IComparable<int>"}[rng.IntN(4)]
				if bases == nil {
					insertAt(t, path, int(name.End()), " : "+base)
				} else {
					insertAt(t, path, int(bases.End()), ", "+base)
				}
				what = fmt.Sprintf("%s gains base %s", ty.Name, base)
			case pick == 2 && bases != nil:
				data, _ := os.ReadFile(path)
				os.WriteFile(path, append(data[:bases.Start():bases.Start()], data[bases.End():]...), 0o644)
				what = fmt.Sprintf("%s loses its bases", ty.Name)
			case pick == 3:
				mod := []string{"static ", "sealed ", "abstract ", "partial "}[rng.IntN(4)]
				at := decl.Start()
				for _, c := range decl.Children() {
					if c.Kind() != analyzer.KindAttributeList {
						at = c.Start()
						break
					}
				}
				insertAt(t, path, int(at), mod)
				what = fmt.Sprintf("%s made %s", ty.Name, mod)
			case pick == 4:
				attr := []string{"[Serializable]", "[LambdaStartup]", "[ApiController]"}[rng.IntN(3)]
				insertAt(t, path, int(decl.Start()), attr+"\n")
				what = fmt.Sprintf("%s marked %s", ty.Name, attr)
			case pick == 5 && params == nil && decl.Kind() == analyzer.KindClass:
				insertAt(t, path, int(name.End()), "(int added"+fmt.Sprint(step)+")")
				what = fmt.Sprintf("%s gains a primary constructor", ty.Name)
			case pick == 6: // renamed where it is declared (its users now name no type)
				insertAt(t, path, int(name.End()), fmt.Sprint("Renamed", step))
				what = fmt.Sprintf("%s renamed", ty.Name)
			default:
				continue
			}
			headerEdits++
		case kind >= 10: // a method renamed to another's name, or a field's type changed
			m := bodies[rng.IntN(len(bodies))]
			name := m.Decl.ChildByField("name")
			if kind == 11 {
				var typed []*analyzer.Field
				for _, k := range sortedKeys(prog.Types) {
					for _, f := range prog.Types[k].FieldOrder {
						if f.Decl != nil && f.Decl.Parent() != nil && f.Decl.Parent().ChildByField("type") != nil {
							typed = append(typed, f)
						}
					}
				}
				f := typed[rng.IntN(len(typed))]
				name = f.Decl.Parent().ChildByField("type")
				method = []string{"Dictionary<string, int>", "int", "HttpClient", "List<string>"}[rng.IntN(4)]
			}
			if name == nil || m.Kind != analyzer.MethodOrdinary && kind == 10 {
				continue
			}
			path := m.File.Path
			if kind == 11 {
				path = filepath.Join(dir, filepath.FromSlash(prog.Files[0].RelPath))
				for _, f := range prog.Files {
					if f.Root == rootOf(name) {
						path = f.Path
					}
				}
			}
			data, _ := os.ReadFile(path)
			data = append(data[:name.Start():name.Start()], append([]byte(method), data[name.End():]...)...)
			os.WriteFile(path, data, 0o644)
			what = fmt.Sprintf("%s: %q became %q", path, name.Text(), method)
		default: // a file removed
			f := prog.Files[rng.IntN(len(prog.Files))]
			os.Remove(f.Path)
			what = "removed " + f.RelPath
		}
		before := analyzer.UnitCacheHits()
		warm, p := dumpScanWith(t, dir, cache, true)
		hits := analyzer.UnitCacheHits() - before
		fresh, _ := dumpScan(t, dir, nil)
		if warm != fresh {
			t.Fatalf("step %d (%s): the cached scan differs from a fresh one:\n--- cached\n%s\n--- fresh\n%s", step, what, warm, fresh)
		}
		if newName && hits < (len(p.Files)-1)*9/10 {
			// The dependency filters may hold the new name by chance (about
			// one file in several hundred): most files must come from the cache.
			t.Errorf("step %d (%s): %d of %d files came from the unit cache, want all but the edited one", step, what, hits, len(p.Files))
		}
		if kind < 6 || kind == 7 || kind == 14 {
			if hits != len(p.Files)-1 {
				t.Errorf("step %d (%s): %d of %d files came from the unit cache, want all but the edited one", step, what, hits, len(p.Files))
			} else {
				reused++
			}
		}
		prog = p
	}
	if bodyEdits == 0 || reused != bodyEdits {
		t.Fatalf("%d body edits, %d reused the cache", bodyEdits, reused)
	}
	t.Logf("%d body edits, %d header edits, %d files added, %d methods moved", bodyEdits, headerEdits, filesAdded, membersMoved)
}

func rootOf(n *analyzer.Node) *analyzer.Node {
	for n.Parent() != nil {
		n = n.Parent()
	}
	return n
}

func sortStrings(s []string) { slices.Sort(s) }

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// TestCachesSeeEditsElsewhere: edits to declarations in one file change
// what calls in other, unchanged files resolve to, and a DI registration
// added in one method body makes another file's class shared; the cached
// facts and findings of those unchanged files must not survive such edits.
func TestCachesSeeEditsElsewhere(t *testing.T) {
	handler := `using Amazon.Lambda.Core;
public class Function {
    private readonly Service _svc = new Service();
    public void Handler(string input, ILambdaContext context) { _svc.Process(); }
}
`
	service := `public class Service {
    private static int _count;
    public void Process() { _count++; }
}
public class Other {
    private static int _total;
    public void Process() { _total++; }
}
public class Store {
    private string _last;
    public void Remember(string s) { _last = s; }
}
`
	startup := `public static class Startup {
    public static void Configure(IServiceCollection services) { }
}
`
	cases := []struct {
		name, file, from, to string
		watch                string // the finding to watch
		before, after        bool   // whether it is reported
		storeCalled          bool   // the handler calls Store.Remember before the edit
	}{
		{"method renamed", "Service.cs", "public void Process() { _count++; }", "public void Renamed() { _count++; }", "Service.cs:3", true, false, false},
		{"field type changed", "Function.cs", "private readonly Service _svc = new Service();", "private readonly Other _svc = new Other();", "Service.cs:7", false, true, false},
		{"call added", "Function.cs", "{ _svc.Process(); }", "{ _svc.Process(); new Other().Process(); }", "Service.cs:7", false, true, false},
		{"parameter added", "Service.cs", "public void Process() { _count++; }", "public void Process(int a) { _count++; }", "Service.cs:3", true, false, false},
		// Store is not shared until registered as a singleton; the handler
		// reaching Remember makes the write a request-path hazard.
		{"singleton registered", "Startup.cs", "services) { }", "services) { services.AddSingleton<Store>(); }", "Service.cs:11", false, true, true},
		{"store used", "Function.cs", "{ _svc.Process(); }", "{ _svc.Process(); new Store().Remember(input); }", "Service.cs:11", false, false, false},
	}
	dir := t.TempDir()
	cache, err := analyzer.OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "Function.cs"), []byte(handler), 0o644)
	os.WriteFile(filepath.Join(dir, "Service.cs"), []byte(service), 0o644)
	for _, c := range cases {
		h := handler
		if c.storeCalled {
			h = strings.Replace(handler, "{ _svc.Process(); }", "{ _svc.Process(); new Store().Remember(input); }", 1)
		}
		os.WriteFile(filepath.Join(dir, "Function.cs"), []byte(h), 0o644)
		os.WriteFile(filepath.Join(dir, "Service.cs"), []byte(service), 0o644)
		os.WriteFile(filepath.Join(dir, "Startup.cs"), []byte(startup), 0o644)
		before, _ := dumpScan(t, dir, cache) // the cache holds the state before the edit
		path := filepath.Join(dir, c.file)
		data, _ := os.ReadFile(path)
		os.WriteFile(path, []byte(strings.Replace(string(data), c.from, c.to, 1)), 0o644)
		warm, _ := dumpScan(t, dir, cache)
		fresh, _ := dumpScan(t, dir, nil)
		if warm != fresh {
			t.Errorf("%s: the cached scan differs from a fresh one:\n--- cached\n%s\n--- fresh\n%s", c.name, warm, fresh)
		}
		if got := strings.Contains(before, c.watch); got != c.before {
			t.Errorf("%s: before the edit, _count++ %s reported = %v, want %v:\n%s", c.name, c.watch, got, c.before, before)
		}
		if got := strings.Contains(fresh, c.watch); got != c.after {
			t.Errorf("%s: after the edit, _count++ %s reported = %v, want %v:\n%s", c.name, c.watch, got, c.after, fresh)
		}
	}
}

// TestRulesReportWhereTheyLook checks what the finding cache rests on: the
// findings of a file come from the rules looking at that file. For every
// rule folder and sample project, each file's findings when the rules run
// over that file alone equal that file's findings when they run over all.
func TestRulesReportWhereTheyLook(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "LMI0*"))
	projects, _ := filepath.Glob(filepath.Join("..", "testdata", "projects", "*"))
	checked := 0
	for _, dir := range append(dirs, projects...) {
		src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir})
		if err != nil {
			t.Fatal(err)
		}
		p := analyzer.NewProgram(src, analyzer.ProgramOptions{})
		describe := func(fs []*analyzer.Finding, only *analyzer.File) []string {
			var out []string
			for _, f := range fs {
				if only != nil && f.File != only {
					continue
				}
				line := fmt.Sprintf("%s %s %d-%d %s", f.Rule.ID, f.File.RelPath, f.Node.Start(), f.Node.End(), f.Message)
				for _, c := range f.Covers {
					line += fmt.Sprintf(" covers %d-%d", c.Start(), c.End())
				}
				if f.Fix != nil {
					for _, e := range f.Fix.Edits {
						line += fmt.Sprintf(" fix %s %d-%d %q", e.File.RelPath, e.Start, e.End, e.NewText)
					}
				}
				out = append(out, line)
			}
			slices.Sort(out)
			return out
		}
		all := analyzer.RulesUnscoped(p, rules.All)
		for _, f := range p.Files {
			want := describe(all, f)
			got := describe(analyzer.RulesInScope(p, rules.All, []*analyzer.File{f}), nil)
			if !slices.Equal(got, want) {
				t.Errorf("%s: findings with the rules over this file alone differ from a whole run:\n--- alone\n%s\n--- whole\n%s",
					f.RelPath, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			checked += len(want)
		}
	}
	if checked < 50 {
		t.Fatalf("only %d findings compared", checked)
	}
}
