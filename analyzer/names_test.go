package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
)

// writeFiles writes name → content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// cachedDir makes a directory to scan and a parse cache for it.
func cachedDir(t *testing.T) (string, *analyzer.ParseCache) {
	t.Helper()
	cache, err := analyzer.OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return t.TempDir(), cache
}

// cachedScan scans dir with the cache and counts the files whose unit facts
// and findings came from it; it also checks the scan against a fresh one.
func cachedScan(t *testing.T, dir string, cache *analyzer.ParseCache) (out string, units, findings int) {
	t.Helper()
	u, f := analyzer.UnitCacheHits(), analyzer.FindingCacheHits()
	out, _ = dumpScan(t, dir, cache)
	units, findings = analyzer.UnitCacheHits()-u, analyzer.FindingCacheHits()-f
	if fresh, _ := dumpScan(t, dir, nil); out != fresh {
		t.Fatalf("the cached scan differs from a fresh one:\n--- cached\n%s\n--- fresh\n%s", out, fresh)
	}
	return out, units, findings
}

// rescanReusing is cachedScan after the edit called step, which must take
// the unit facts and the findings of reused files from the cache.
func rescanReusing(t *testing.T, dir string, cache *analyzer.ParseCache, step string, reused int) string {
	t.Helper()
	out, units, findings := cachedScan(t, dir, cache)
	if units != reused || findings != reused {
		t.Errorf("%s: %d files' facts and %d files' findings came from the cache, want %d each", step, units, findings, reused)
	}
	return out
}

// TestDeclarationEditsRewalkOnlyTheirUsers: a member added, or a method's
// signature changed, re-walks the edited file and the files that name the
// member, and no other; the other files' facts and findings come from the
// cache, and every scan equals a fresh one.
func TestDeclarationEditsRewalkOnlyTheirUsers(t *testing.T) {
	dir, cache := cachedDir(t)
	service := "public class Service {\n    private static int _count;\n    public void Process() { _count++; }\n}\n"
	writeFiles(t, dir, map[string]string{
		"Service.cs": service,
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    private readonly Service _svc = new Service();
    public void Handler(string input, ILambdaContext context) { _svc.Process(); }
}
`,
		"Unrelated.cs": "public class Unrelated {\n    private static int _n;\n    public void Bump() { _n++; }\n}\n",
		"Other.cs":     "public class Other {\n    public int Twice(int x) { return x * 2; }\n}\n",
	})
	cachedScan(t, dir, cache)

	edits := []struct {
		name, to    string
		reused      int // files whose facts and findings come from the cache, of 4
		processSeen bool
	}{
		// A new name: nobody else names it.
		{"field added", strings.Replace(service, "{\n", "{\n    public static int Added;\n", 1), 3, true},
		// Function.cs names Process: it is walked again, the others not.
		{"parameter added", strings.Replace(service, "Process()", "Process(int a)", 1), 2, false},
		{"signature restored", service, 2, true},
	}
	for _, e := range edits {
		writeFiles(t, dir, map[string]string{"Service.cs": e.to})
		out := rescanReusing(t, dir, cache, e.name, e.reused)
		// The handler reaches _count++ through Process only when the call binds.
		if got := strings.Contains(out, "`Service._count`"); got != e.processSeen {
			t.Errorf("%s: _count++ reported = %v, want %v:\n%s", e.name, got, e.processSeen, out)
		}
	}
}

// TestHeaderEditsRewalkOnlyTheirUsers: a type's header (its static
// modifier, type parameters, primary constructor; attributes by the names
// rules ask about) is digested under the type's name, with the headers along
// its chain, the bases rules ask about and the set of its subtypes. Files
// naming the type are walked again, and so are files naming a member whose
// type is it: Function.cs names only Holder and Db, yet the DbContext it
// now uses through Db must be reported there.
func TestHeaderEditsRewalkOnlyTheirUsers(t *testing.T) {
	dir, cache := cachedDir(t)
	store := "public class AppDb\n{\n    public void Save() { }\n}\n"
	writeFiles(t, dir, map[string]string{
		"AppDb.cs":  store,
		"Holder.cs": "public static class Holder\n{\n    public static AppDb Db = new AppDb();\n}\n",
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { Holder.Db.Save(); }
}
`,
		"Unrelated.cs": "public class Unrelated {\n    private static int _n;\n    public void Bump() { _n++; }\n}\n",
		"Other.cs":     "public class Other : Unrelated {\n    public int Twice(int x) { return x * 2; }\n}\n",
	})
	cachedScan(t, dir, cache)
	edits := []struct {
		name, to string
		reused   int // files whose facts and findings come from the cache, of 5
		reported bool
	}{
		// AppDb.cs is edited, Holder.cs names AppDb, Function.cs names Db.
		{"base added", strings.Replace(store, "AppDb\n", "AppDb : DbContext\n", 1), 2, true},
		// A library's interface: no rule asks about it, no program type
		// is it, so only the edited file is walked again.
		{"library interface added", strings.Replace(store, "AppDb\n", "AppDb : DbContext, System.IDisposable\n", 1), 4, true},
		// Attributes and modifiers but static are read only by names
		// (askedAttributes): others re-walk only the edited file.
		{"attribute added", "[System.Serializable]\n" + strings.Replace(store, "class AppDb\n", "class AppDb : DbContext, System.IDisposable\n", 1), 4, true},
		{"sealed", "[System.Serializable]\n" + strings.Replace(store, "public class AppDb\n", "public sealed class AppDb : DbContext, System.IDisposable\n", 1), 4, true},
		{"an attribute entry points read", "[ApiController]\n" + strings.Replace(store, "public class AppDb\n", "public sealed class AppDb : DbContext, System.IDisposable\n", 1), 2, true},
		{"base removed", store, 2, false},
	}
	for _, e := range edits {
		writeFiles(t, dir, map[string]string{"AppDb.cs": e.to})
		out := rescanReusing(t, dir, cache, e.name, e.reused)
		if got := strings.Contains(out, "Function.cs:3") && strings.Contains(out, "LMI008"); got != e.reported {
			t.Errorf("%s: the shared DbContext reported in Function.cs = %v, want %v:\n%s", e.name, got, e.reported, out)
		}
	}
}

// TestSubtypeJoiningReachesCallers: a class that starts deriving from Job
// makes its Run a target of every call on a Job. Function.cs names neither
// the class nor Job, only the field Current, whose type is Job: Job's set
// of subtypes is part of what Current's digest holds.
func TestSubtypeJoiningReachesCallers(t *testing.T) {
	impl := "public class Impl\n{\n    private static int _runs;\n    public void Run() { _runs++; }\n}\n"
	units := reachedAfterEdit(t, map[string]string{
		"Job.cs":      "public abstract class Job\n{\n    public abstract void Run();\n}\n",
		"Impl.cs":     impl,
		"Registry.cs": "public static class Registry\n{\n    public static Job Current;\n}\n",
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { Registry.Current.Run(); }
}
`,
		"Unrelated.cs": "public class Unrelated {\n    private static int _n;\n    public void Bump() { _n++; }\n}\n",
	}, map[string]string{"Impl.cs": strings.Replace(impl, "Impl\n", "Impl : Job\n", 1)},
		"_runs", "the handler's call on a Job does not reach Impl.Run after Impl derives from Job")
	if units != 1 {
		t.Errorf("%d files' facts came from the cache, want 1 (Unrelated.cs)", units)
	}
}

// TestInitializerChainsAcrossFiles: a rule follows a constant's initializer
// into another constant, declared in a file the reporting file never names.
// Editing that constant must still reach the reporting file's findings,
// whether few or many constants share its name (many are resolved instead
// of all followed).
func TestInitializerChainsAcrossFiles(t *testing.T) {
	for _, decoys := range []int{0, 12} {
		t.Run(fmt.Sprint(decoys, " decoys"), func(t *testing.T) { initializerChain(t, decoys) })
	}
}

func initializerChain(t *testing.T, decoys int) {
	dir, cache := cachedDir(t)
	paths := "public static class Paths {\n    public const string Root = \"/var/data\";\n}\n"
	files := map[string]string{
		"Paths.cs": paths,
		"Names.cs": "public static class Names {\n    public const string Out = Paths.Root + \"/out.json\";\n}\n",
		"Function.cs": `using System.IO;
using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { File.WriteAllText(Names.Out, input); }
}
`,
	}
	for i := range decoys { // other constants of both names
		files[fmt.Sprintf("Decoy%d.cs", i)] = fmt.Sprintf("public static class Decoy%d {\n    public const string Root = \"/srv\";\n    public const string Out = Root + \"/x\";\n}\n", i)
	}
	writeFiles(t, dir, files)
	before, _, _ := cachedScan(t, dir, cache)
	if strings.Contains(before, "LMI003") {
		t.Fatalf("a path under /var/data reported as a fixed temp path:\n%s", before)
	}
	writeFiles(t, dir, map[string]string{"Paths.cs": strings.Replace(paths, "/var/data", "/tmp", 1)})
	after, _, _ := cachedScan(t, dir, cache)
	if !strings.Contains(after, "Function.cs:4") || !strings.Contains(after, "LMI003") {
		t.Fatalf("the write to /tmp/out.json is not reported after the edit:\n%s", after)
	}
}

// TestInitializersTieOnlyWhatTheyResolve: a file naming a static readonly
// field's name depends on the names its initializers resolve as a path,
// not on every name written in them: the PropertyInfo named Count below
// ties the handler's file to nothing through nameof's argument, so a new
// class with a property Count leaves every file's facts in the cache. The
// string named Count resolves Root on Paths, so an edit of it reaches the
// handler, and a Root declared elsewhere does not.
func TestInitializersTieOnlyWhatTheyResolve(t *testing.T) {
	dir, cache := cachedDir(t)
	paths := "public static class Paths {\n    public const string Root = \"/var/data\";\n}\n"
	writeFiles(t, dir, map[string]string{
		"Paths.cs":   paths,
		"Meta.cs":    "public static class Meta {\n    public static readonly string Count = Paths.Root + \"/count.json\";\n}\n",
		"Reflect.cs": "public static class Reflect {\n    public static readonly System.Reflection.PropertyInfo Count = typeof(Holder).GetProperty(nameof(Holder.Count));\n}\n",
		"Holder.cs":  "public class Holder {\n    public int Count { get; set; }\n}\n",
		"Function.cs": `using System.IO;
using System.Collections.Generic;
using Amazon.Lambda.Core;
public class Function {
    public void Handler(List<string> input, ILambdaContext context) { File.WriteAllText(Meta.Count, input.Count.ToString()); }
}
`,
	})
	if out, _, _ := cachedScan(t, dir, cache); strings.Contains(out, "LMI003") {
		t.Fatalf("a path under /var/data reported as a fixed temp path:\n%s", out)
	}
	writeFiles(t, dir, map[string]string{"Dto.cs": "public class Dto {\n    public int Count { get; set; }\n}\n"})
	rescanReusing(t, dir, cache, "a class with a property Count", 5)
	// The initializer resolves Root on Paths: another class's Root is
	// nothing to it.
	writeFiles(t, dir, map[string]string{"Other.cs": "public static class Other {\n    public const string Root = \"/srv\";\n}\n"})
	rescanReusing(t, dir, cache, "a class with a constant Root", 6)
	writeFiles(t, dir, map[string]string{"Paths.cs": strings.Replace(paths, "/var/data", "/tmp", 1)})
	// Reflect.cs names Count too, and follows both initializers of the
	// name (few share it): it is redone with Paths, Meta and Function.
	if out := rescanReusing(t, dir, cache, "Paths.Root edited", 3); !strings.Contains(out, "LMI003") {
		t.Fatalf("the write to a path under /tmp is not reported after the edit:\n%s", out)
	}
}

// TestBigFilesKeepTheirRefs: in a file of many units (their places are
// counted per name there, not searched) other files' facts still refer to
// the right overloads after members are added before them.
func TestBigFilesKeepTheirRefs(t *testing.T) {
	dir, cache := cachedDir(t)
	var big strings.Builder
	big.WriteString("public class Big {\n    private static int _a, _b, _c;\n")
	for i := range 40 {
		fmt.Fprintf(&big, "    public void M%d() { }\n", i)
	}
	big.WriteString("    public void Run(int x) { _a++; }\n    public void Run(int x, int y) { _b++; }\n    public void Run(int x, int y, int z) { _c++; }\n}\n")
	writeFiles(t, dir, map[string]string{
		"Big.cs": big.String(),
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    private readonly Big _big = new Big();
    public void Handler(string input, ILambdaContext context) { _big.Run(1, 2); _big.M7(); }
}
`,
	})
	before, _, _ := cachedScan(t, dir, cache)
	if !strings.Contains(before, "`Big._b`") || strings.Contains(before, "`Big._a`") {
		t.Fatalf("the handler should reach Run(int, int) alone:\n%s", before)
	}
	text := big.String()
	check := func(what string) (units int) {
		t.Helper()
		writeFiles(t, dir, map[string]string{"Big.cs": text})
		after, units, _ := cachedScan(t, dir, cache)
		if !strings.Contains(after, "`Big._b`") || strings.Contains(after, "`Big._a`") || strings.Contains(after, "`Big._c`") {
			t.Fatalf("%s: the handler should still reach Run(int, int) alone:\n%s", what, after)
		}
		return units
	}
	// Another name before the overloads: the handler's cached call, which
	// refers to Run's second overload by its place among Run's, must still
	// find it. (A name the handler's filter holds by chance would have it
	// walked again instead: the first of a few names that does not is used.)
	reused := false
	for _, name := range []string{"Extra", "Other", "Another", "Helper", "Spare"} {
		text = strings.Replace(text, "public class Big {\n", "public class Big {\n    public void "+name+"() { }\n", 1)
		if check("member "+name) == 1 {
			reused = true
			break
		}
	}
	if !reused {
		t.Error("the handler was walked again after every member added under another name")
	}
	// A Run before them moves their places: the handler, which names Run,
	// is walked again.
	text = strings.Replace(text, "public class Big {\n", "public class Big {\n    public void Run() { }\n", 1)
	if units := check("overload"); units != 0 {
		t.Errorf("a Run overload added: %d files' facts came from the cache, want none", units)
	}
}

// TestFileEditsRewalkOnlyTheirUsers: files and types added, renamed and
// removed re-walk the files that name what they declare, and no other.
// Files and types are referred to by path and full name, and a file that
// declares only namespaces, types and their members has no part in the
// global digest, so a new one keeps every other file's entries.
func TestFileEditsRewalkOnlyTheirUsers(t *testing.T) {
	dir, cache := cachedDir(t)
	audit := "namespace App;\n\npublic static class Audit\n{\n    private static int _records;\n    public static void Record() { _records++; }\n}\n"
	writeFiles(t, dir, map[string]string{
		"Function.cs": `using Amazon.Lambda.Core;
namespace App;
public class Function {
    public void Handler(string input, ILambdaContext context) { new Counter().Hit(); Audit.Record(); }
}
`,
		"Counter.cs":   "namespace App;\n\npublic class Counter\n{\n    public void Hit() { }\n}\n",
		"Unrelated.cs": "namespace App.Other\n{\n    public class Unrelated {\n        private static int _n;\n        public void Bump() { _n++; }\n    }\n}\n",
		"Plain.cs":     "#nullable enable\nnamespace App;\n\n#region Plain\npublic class Plain : Unrelated\n{\n    public int Twice(int x) => x * 2;\n}\n#endregion\n",
	})
	if out, _, _ := cachedScan(t, dir, cache); strings.Contains(out, "_records") {
		t.Fatalf("Audit.Record reported before Audit exists:\n%s", out)
	}
	steps := []struct {
		name   string
		edit   func()
		reused int  // files whose facts and findings come from the cache
		hazard bool // Audit's counter reported on the handler's path
	}{
		{"a file of new names", func() {
			// With what a new file often starts with: #nullable, regions,
			// usings; none of it is read across files.
			writeFiles(t, dir, map[string]string{"Fresh.cs": "#nullable enable\nusing System;\n\nnamespace App;\n\n#region Fresh\npublic class Fresh\n{\n    private int _seen;\n    public void Look() { _seen++; }\n}\n#endregion\n"})
		}, 4, false},
		{"an enum in a file of its own", func() {
			writeFiles(t, dir, map[string]string{"Mode.cs": "namespace App;\n\npublic enum Mode\n{\n    On,\n    Off,\n}\n"})
		}, 5, false},
		// Function.cs names Audit and Record: only it is walked again.
		{"the type a handler names", func() { writeFiles(t, dir, map[string]string{"Audit.cs": audit}) }, 5, true},
		{"that type renamed", func() {
			writeFiles(t, dir, map[string]string{"Audit.cs": strings.Replace(audit, "class Audit", "class Journal", 1)})
		}, 5, false},
		{"its file removed", func() {
			if err := os.Remove(filepath.Join(dir, "Audit.cs")); err != nil {
				t.Fatal(err)
			}
		}, 5, false},
	}
	for _, s := range steps {
		s.edit()
		out := rescanReusing(t, dir, cache, s.name, s.reused)
		if got := strings.Contains(out, "_records"); got != s.hazard {
			t.Errorf("%s: Audit._records reported = %v, want %v:\n%s", s.name, got, s.hazard, out)
		}
	}
}

// TestMovedMethodReachesCallers: a method moved from one class to another
// of the same file keeps its text and its file, yet a call on the class it
// joined now reaches it. A unit's owner is part of its name's digest by the
// place of its type in the file, so the move re-walks Function.cs; a type
// renamed keeps that place, and re-walks only the files naming it. Caller.cs
// calls Run on a receiver of no known type, bound late: neither edit
// re-walks it.
func TestMovedMethodReachesCallers(t *testing.T) {
	dir, cache := cachedDir(t)
	run := "    private static int _runs;\n    public void Run() { _runs++; }\n"
	writeFiles(t, dir, map[string]string{
		"Types.cs": "public class Ready\n{\n}\n\npublic class Waiting\n{\n" + run + "}\n",
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    private readonly Ready _ready = new Ready();
    public void Handler(string input, ILambdaContext context) { _ready.Run(); }
}
`,
		"Unrelated.cs": "public class Unrelated {\n    private static int _n;\n    public void Bump() { _n++; }\n}\n",
		"Caller.cs":    "public class Caller {\n    public void Go() { var made = Make(); made.Run(); }\n}\n",
	})
	if out, _, _ := cachedScan(t, dir, cache); strings.Contains(out, "_runs") {
		t.Fatalf("Waiting.Run reported while no handler calls it:\n%s", out)
	}
	writeFiles(t, dir, map[string]string{"Types.cs": "public class Ready\n{\n" + run + "}\n\npublic class Waiting\n{\n}\n"})
	out, units, _ := cachedScan(t, dir, cache)
	if !strings.Contains(out, "_runs") {
		t.Errorf("the handler's call on Ready does not reach Run after it moved there:\n%s", out)
	}
	if units != 2 {
		t.Errorf("%d files' facts came from the cache, want 2 (Unrelated.cs, Caller.cs)", units)
	}
	writeFiles(t, dir, map[string]string{"Types.cs": "public class Prepared\n{\n" + run + "}\n\npublic class Waiting\n{\n}\n"})
	if _, units, _ := cachedScan(t, dir, cache); units != 2 {
		t.Errorf("Ready renamed: %d files' facts came from the cache, want 2 (Unrelated.cs, Caller.cs; Function.cs names Ready)", units)
	}
}

// TestBaseAddedReachesMemberUsers: a base added to a class is digested
// under the names of the base's members, not the class's: the handler,
// which calls Audit on a Service, is walked again and now reaches the
// inherited method, while User.cs, which names Service but no member of
// Auditing, keeps its entry.
func TestBaseAddedReachesMemberUsers(t *testing.T) {
	service := "public class Service\n{\n    public int Id;\n}\n"
	units := reachedAfterEdit(t, map[string]string{
		"Auditing.cs": "public class Auditing\n{\n    private static int _audits;\n    public void Audit() { _audits++; }\n}\n",
		"Service.cs":  service,
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    private readonly Service _service = new Service();
    public void Handler(string input, ILambdaContext context) { _service.Audit(); }
}
`,
		"User.cs":      "public class User\n{\n    public Service Make() { return new Service(); }\n}\n",
		"Unrelated.cs": "public class Unrelated {\n    private static int _n;\n    public void Bump() { _n++; }\n}\n",
	}, map[string]string{"Service.cs": strings.Replace(service, "Service\n", "Service : Auditing\n", 1)},
		"_audits", "the handler's call on a Service does not reach the inherited Audit")
	// Service.cs is edited; Function.cs names Audit; Auditing.cs names
	// Auditing, whose subtypes changed.
	if units != 2 {
		t.Errorf("%d files' facts came from the cache, want 2 (User.cs, Unrelated.cs)", units)
	}
}

// TestBodyFactsReachOnlyTheirFiles: the facts drawn from method bodies that
// rules read — DI registrations, entry points, shared classes — re-run the
// rules on the files that read them, not on every file: a registration on
// the files that register services and on those naming the fields of a
// class it makes shared, a new handler on its own file.
func TestBodyFactsReachOnlyTheirFiles(t *testing.T) {
	dir, cache := cachedDir(t)
	startup := "public static class Startup\n{\n    public static void Configure(IServiceCollection services) { }\n}\n"
	registering := func(calls string) map[string]string {
		return map[string]string{"Startup.cs": strings.Replace(startup, "services) { }", "services) { "+calls+" }", 1)}
	}
	writeFiles(t, dir, map[string]string{
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { new Store().Remember(input); }
}
`,
		"Store.cs":     "public class Store\n{\n    private string _last;\n    public void Remember(string v) { Keep(v); }\n    private void Keep(string v) { _last = v; }\n}\n",
		"Startup.cs":   startup,
		"Cache.cs":     "public class Cache\n{\n    public Cache(Repo repo) { }\n}\n\npublic class Repo { }\n",
		"Unrelated.cs": "public class Unrelated {\n    private static int _n;\n    public void Bump() { _n++; }\n}\n",
		"Other.cs":     "public class Other {\n    private int _m;\n    public void Touch() { _m++; }\n}\n",
		"Meter.cs":     "public class Meter\n{\n    private int _m;\n    public void Tick() { _m = 1; }\n}\n",
		"Poke.cs":      "public class Poke\n{\n    public void Go() { var o = Make(); o._m = 2; }\n}\n",
	})
	if out, _, _ := cachedScan(t, dir, cache); strings.Contains(out, "Store.cs:5") {
		t.Fatalf("Store._last reported before Store is shared:\n%s", out)
	}
	steps := []struct {
		name     string
		files    map[string]string
		findings int  // files whose findings come from the cache
		shared   bool // Store._last reported as shared state
		captive  bool // LMI009: the singleton Cache takes the scoped Repo
	}{
		// Startup.cs registers; Store.cs names Store's field.
		{"a singleton registered", registering("services.AddSingleton<Store>();"), 6, true, false},
		// Other.cs names Other's field; Meter.cs a field of that name
		// found along Meter's chain, which is another family, and Poke.cs
		// one on a receiver of unknown type, which finds no field (see
		// typedUse); Cache has none.
		{"two more", registering("services.AddSingleton<Store>(); services.AddSingleton<Other>(); services.AddSingleton<Cache>();"), 6, true, false},
		// Startup.cs reads every registration: it is checked again.
		{"a scoped service registered elsewhere", map[string]string{"Extra.cs": "public static class Extras\n{\n    public static void AddRepo(IServiceCollection services) { services.AddScoped<Repo>(); }\n}\n"}, 7, true, true},
		{"a new handler", map[string]string{"Second.cs": "using Amazon.Lambda.Core;\npublic class Second {\n    public void Handle(string input, ILambdaContext context) { }\n}\n"}, 9, true, true},
		// Startup.cs and Extra.cs register; Store.cs names Store's field.
		{"the first unregistered", registering("services.AddSingleton<Other>(); services.AddSingleton<Cache>();"), 7, false, true},
		// A shared class renamed, and its registration: Meter.cs names a
		// field of the same name, and the class is still shared for the
		// same reason, so its entry stands.
		{"a shared class renamed", map[string]string{
			"Startup.cs": registering("services.AddSingleton<Another>(); services.AddSingleton<Cache>();")["Startup.cs"],
			"Other.cs":   "public class Another {\n    private int _m;\n    public void Touch() { _m++; }\n}\n",
		}, 7, false, true},
	}
	for _, s := range steps {
		writeFiles(t, dir, s.files)
		out, _, findings := cachedScan(t, dir, cache)
		// Exact: the dependency filters' false positives (about one name
		// in 400 a file) happen not to hit these names; "Extra" and "Add"
		// did, for Function.cs.
		if findings != s.findings {
			t.Errorf("%s: %d files' findings came from the cache, want %d", s.name, findings, s.findings)
		}
		if got := strings.Contains(out, "Store.cs:5"); got != s.shared {
			t.Errorf("%s: the write to Store._last reported = %v, want %v:\n%s", s.name, got, s.shared, out)
		}
		if got := strings.Contains(out, "LMI009"); got != s.captive {
			t.Errorf("%s: the captive dependency reported = %v, want %v:\n%s", s.name, got, s.captive, out)
		}
	}
}

// TestEntryPointsReachTheirFiles: a static method becomes an entry point
// through a manifest, in a file that does not change (static, so its class
// does not become shared, which would reach the file through its fields'
// names); LMI001 says more about a write in an entry point (the request's
// data it stores), so that file's rules run again, and no other's.
func TestEntryPointsReachTheirFiles(t *testing.T) {
	dir, cache := cachedDir(t)
	writeFiles(t, dir, map[string]string{
		"Job.cs":       "namespace Jobs;\n\npublic class Job\n{\n    private static string _last;\n    public static void Run(string input) { _last = input; }\n}\n",
		"Unrelated.cs": "public class Unrelated {\n    private static int _n;\n    public void Bump() { _n++; }\n}\n",
	})
	if out, _, _ := cachedScan(t, dir, cache); strings.Contains(out, "per-request data") {
		t.Fatalf("the write reported as storing a request's data before Run is an entry point:\n%s", out)
	}
	writeFiles(t, dir, map[string]string{"aws-lambda-tools-defaults.json": `{"function-handler": "Jobs::Jobs.Job::Run"}`})
	out, _, findings := cachedScan(t, dir, cache)
	if !strings.Contains(out, "per-request data (`input`)") {
		t.Errorf("the write in the new entry point does not say it stores the request's data:\n%s", out)
	}
	if findings != 1 {
		t.Errorf("%d files' findings came from the cache, want 1 (Unrelated.cs)", findings)
	}
}

// TestTypedCallsDependOnTheirFamily: a call on a receiver of a project type
// binds only within the type's family (its bases and subtypes), so an
// overload added to an unrelated class re-walks neither the files calling
// it on a typed one nor those declaring a method of that name (nor those
// calling it on receivers of unknown type: bound late). When the two
// classes join one family, the typed call's file is walked again and
// reaches the override.
func TestTypedCallsDependOnTheirFamily(t *testing.T) {
	dir, cache := cachedDir(t)
	store := "public class Store\n{\n    private static int _n;\n    public void Clear() { _n++; }\n}\n"
	writeFiles(t, dir, map[string]string{
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    private readonly Cache _cache = new Cache();
    public void Handler(string input, ILambdaContext context) { _cache.Clear(); }
}
`,
		"Cache.cs":     "public class Cache\n{\n    public virtual void Clear() { }\n}\n",
		"Store.cs":     store,
		"Loose.cs":     "public class Loose\n{\n    public void Go() { var made = Make(); made.Clear(); }\n}\n",
		"Owner.cs":     "public class Owner : Base\n{\n    public void Clear() { }\n    public void Reset() { Clear(); this.Clear(); base.Clear(); }\n}\n\npublic class Base\n{\n    public void Clear() { }\n}\n",
		"Unrelated.cs": "public class Unrelated {\n    private static int _m;\n    public void Bump() { _m++; }\n}\n",
	})
	if out, _, _ := cachedScan(t, dir, cache); strings.Contains(out, "_n") {
		t.Fatalf("Store.Clear reported while no handler reaches it:\n%s", out)
	}
	// Store.cs is edited; Owner.cs calls Clear unqualified, on this and on
	// base, all of which bind along Owner's chain; Loose.cs calls it on a
	// receiver of unknown type, bound late.
	writeFiles(t, dir, map[string]string{"Store.cs": strings.Replace(store, "    public void Clear()", "    public void Clear(int level) { }\n    public void Clear()", 1)})
	out := rescanReusing(t, dir, cache, "an overload in an unrelated class", 5)
	if strings.Contains(out, "Store.cs") {
		t.Errorf("Store reported after an overload was added:\n%s", out)
	}
	// Store.cs is edited; Cache.cs names Cache, whose subtypes changed;
	// Function.cs calls Clear on a Cache, whose family changed.
	writeFiles(t, dir, map[string]string{"Store.cs": strings.Replace(store, "class Store", "class Store : Cache", 1)})
	out = rescanReusing(t, dir, cache, "the class joins the called type's family", 3)
	if !strings.Contains(out, "Store.cs") {
		t.Errorf("the handler's call on a Cache does not reach Store's override:\n%s", out)
	}
}

// reachedAfterEdit scans files, whose report must not hold marker, writes
// edit, and scans again, whose report must (each scan checked against a
// fresh one by cachedScan); want says what the second scan should show. It
// returns how many files' facts the second scan took from the cache.
func reachedAfterEdit(t *testing.T, files, edit map[string]string, marker, want string) (units int) {
	t.Helper()
	dir, cache := cachedDir(t)
	writeFiles(t, dir, files)
	if out, _, _ := cachedScan(t, dir, cache); strings.Contains(out, marker) {
		t.Fatalf("%s reported before the edit:\n%s", marker, out)
	}
	writeFiles(t, dir, edit)
	out, units, _ := cachedScan(t, dir, cache)
	if !strings.Contains(out, marker) {
		t.Errorf("%s:\n%s", want, out)
	}
	return units
}

// TestFamiliesJoinedReachCallers: a call on a Cache binds to nothing until
// Cache derives from a class with Clear. A type's bases are not in its
// digest, and the two families join under the lesser of their types'
// places; when that is the base's, the key of Clear in Cache's old family
// held nothing before and after, and only the key of the family's members
// tells the handler's file it changed. The places are hashes, so the test
// tries several names.
func TestFamiliesJoinedReachCallers(t *testing.T) {
	for _, name := range []string{"StoreA", "StoreB", "StoreC", "StoreD", "StoreE", "StoreF", "StoreG", "StoreH"} {
		reachedAfterEdit(t, map[string]string{
			"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    private readonly Cache _cache = new Cache();
    public void Handler(string input, ILambdaContext context) { _cache.Clear(); }
}
`,
			"Cache.cs": "public class Cache\n{\n    public int Size;\n}\n",
			"Store.cs": "public class " + name + "\n{\n    private static int _n;\n    public void Clear() { _n++; }\n}\n",
		}, map[string]string{"Cache.cs": "public class Cache : " + name + "\n{\n    public int Size;\n}\n"},
			"_n", "Cache derives from "+name+": the handler's call on a Cache does not reach its Clear")
	}
}

// TestFamiliesJoinedReachAccesses: the same for a field: the handler's
// update of Cache.Hits finds the static field only once Cache derives from
// the class declaring it.
func TestFamiliesJoinedReachAccesses(t *testing.T) {
	for _, name := range []string{"StoreA", "StoreB", "StoreC", "StoreD", "StoreE", "StoreF", "StoreG", "StoreH"} {
		reachedAfterEdit(t, map[string]string{
			"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { Cache.Hits++; }
}
`,
			"Cache.cs": "public class Cache\n{\n    public int Size;\n}\n",
			"Store.cs": "public class " + name + "\n{\n    public static int Hits;\n}\n",
		}, map[string]string{"Cache.cs": "public class Cache : " + name + "\n{\n    public int Size;\n}\n"},
			"Hits", "Cache derives from "+name+": the handler's update of Hits is not reported")
	}
}

// TestUnqualifiedCallsFallBackAcrossTheProgram: an unqualified call whose
// type's chain has no method of its name binds to every method of that
// name, so its file depends on the name itself: a class added elsewhere
// with that method is reached from the handler through it.
func TestUnqualifiedCallsFallBackAcrossTheProgram(t *testing.T) {
	reachedAfterEdit(t, map[string]string{
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { new Helper().Go(); }
}
`,
		"Helper.cs": "public class Helper\n{\n    public void Go() { Clear(); }\n}\n",
		"Cache.cs":  "public class Cache\n{\n    public void Clear() { }\n}\n",
	}, map[string]string{"Later.cs": "public class Later\n{\n    private static int _k;\n    public void Clear() { _k++; }\n}\n"},
		"_k", "the unqualified Clear in Helper does not reach Later.Clear")
}

// TestNamesNothingLooksUp: the names of a tuple's elements (in a type or
// a deconstruction), of a named argument, of an enum's members, of a local
// function and of a property set by an attribute outside every body are
// looked up nowhere,
// so a class with properties of those names leaves their file alone
// (106 of efcore's files set Name in [UnsafeAccessor(…)]). An attribute
// on a local function lies in its method's body, where the walk looks the
// name up along its type's chain: a property of that name added to a base
// walks its file again.
func TestNamesNothingLooksUp(t *testing.T) {
	dir, cache := cachedDir(t)
	writeFiles(t, dir, map[string]string{
		"Names.cs": `using System.Runtime.CompilerServices;
public enum Kinds { Name, Count }
public class Names
{
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_k")]
    public static extern ref int Field(Names n);
    public (string Name, int Count) Pick() { return Find(Name: "a", Count: 1); }
    public int Sum() { var (Name, Count) = Pick(); return Count + Name.Length; }
    private static (string Name, int Count) Find(string Name, int Count) { return (Name, Count); }
    public void Later() { void Count() { } }
}
`,
		"Local.cs":     "public class Local : Base\n{\n    public void Run()\n    {\n        [Obsolete(Name = \"x\")] void Inner() { }\n        Inner();\n    }\n}\n",
		"Base.cs":      "public class Base\n{\n}\n",
		"Unrelated.cs": "public class Unrelated {\n    private static int _m;\n    public void Bump() { _m++; }\n}\n",
	})
	cachedScan(t, dir, cache)
	writeFiles(t, dir, map[string]string{"Dto.cs": "public class Dto\n{\n    public string Name { get; set; }\n    public int Count { get; set; }\n}\n"})
	rescanReusing(t, dir, cache, "a class with properties Name and Count", 4)
	writeFiles(t, dir, map[string]string{"Base.cs": "public class Base\n{\n    public string Name { get; set; }\n}\n"})
	rescanReusing(t, dir, cache, "a property Name added to Local's base", 3) // Names.cs, Unrelated.cs, Dto.cs
}

// TestTypedAccessesDependOnTheirFamily: a member read on a receiver of a
// project type is looked up in the type's family only, and one on a
// receiver of unknown type finds nothing whatever is declared, so a new
// class with a property of a common name re-walks none of the files
// reading that name, nor those declaring one; a local's name depends on
// nothing.
func TestTypedAccessesDependOnTheirFamily(t *testing.T) {
	dir, cache := cachedDir(t)
	writeFiles(t, dir, map[string]string{
		"Reader.cs":    "public class Reader\n{\n    public int Read(Holder h) { int Size = 1; return h.Count + Size; }\n}\n",
		"Holder.cs":    "public class Holder\n{\n    public int Count;\n}\n",
		"Loose.cs":     "public class Loose\n{\n    public int Read() { var made = Make(); return made.Count; }\n}\n",
		"Builder.cs":   "public class Builder\n{\n    public Holder Make() { return new Holder { Count = 2 }; }\n}\n",
		"Unrelated.cs": "public class Unrelated {\n    private static int _m;\n    public void Bump() { _m++; }\n}\n",
	})
	cachedScan(t, dir, cache)
	// Dto.cs is new; Loose.cs reads Count on a receiver of unknown type
	// (a var's). Builder.cs names Count unqualified (in an initializer),
	// which is looked up along Builder's chain and among types.
	writeFiles(t, dir, map[string]string{"Dto.cs": "public class Dto\n{\n    public int Count { get; set; }\n    public int Size { get; set; }\n}\n"})
	rescanReusing(t, dir, cache, "a class with properties of the same names", 5)
	// Loose.cs calls Count on a receiver of unknown type: that binds to
	// methods named Count, late (its targets are looked up again when its
	// facts are read), so neither a property nor a method of that name
	// re-walks it.
	writeFiles(t, dir, map[string]string{"Loose.cs": "public class Loose\n{\n    public int Read() { var made = Make(); return made.Count() + made.Size; }\n}\n"})
	cachedScan(t, dir, cache)
	for _, step := range []struct {
		name, count string
		reused      int
	}{
		{"a class with a property Count and a method Size", "public int Count { get; set; }", 6},
		{"Count made a method", "public int Count() { return 1; }", 6},
		{"a parameter added to the method Count", "public int Count(int from) { return from; }", 6},
	} {
		writeFiles(t, dir, map[string]string{"Other.cs": "public class Other\n{\n    " + step.count + "\n    public int Size() { return 0; }\n}\n"})
		rescanReusing(t, dir, cache, step.name, step.reused)
	}
	// A member read through ?. is looked up nowhere: a property Total
	// declared elsewhere leaves Reader.cs alone.
	writeFiles(t, dir, map[string]string{"Reader.cs": "public class Reader\n{\n    public int Read(Holder h) { int Size = 1; return (h?.Total ?? 0) + Size; }\n}\n"})
	cachedScan(t, dir, cache)
	writeFiles(t, dir, map[string]string{"Totals.cs": "public class Totals\n{\n    public int Total { get; set; }\n}\n"})
	rescanReusing(t, dir, cache, "a class with a property Total", 7)
}

// TestUntypedCallsReachNewMethods: a call on a receiver of unknown type
// binds to every method of its name and argument count, so a class added
// elsewhere with such a method is reached from the handler through it.
func TestUntypedCallsReachNewMethods(t *testing.T) {
	for _, call := range []struct{ code, method, field string }{
		{"job.Run();", "Run", "_k"},
		{"job?.Stop();", "Stop", "_s"},
	} {
		reachedAfterEdit(t, map[string]string{
			"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { var job = Jobs.Next(); ` + call.code + ` }
}
`,
			"Jobs.cs": "public static class Jobs\n{\n    public static object Next() { return null; }\n}\n",
		}, map[string]string{"Later.cs": "public class Later\n{\n    private static int " + call.field + ";\n    public void " + call.method + "() { " + call.field + "++; }\n    public int Other { get; set; }\n}\n"},
			call.field, "the handler's "+call.code+" does not reach Later."+call.method)
	}
}

// TestLateCallsStayCachedUntilConsulted: a call on a receiver of no known
// type is bound late (latecalls.go): a method of its name added elsewhere
// is reached from the cached facts of the handler's file, which is not
// walked again, nor are its rules run again. Where the call's value is
// typed (the return type of Make decides which Hits is written), the walk
// consulted its binding and the file is walked again; where a rule asks
// for its callees (is the lambda passed to Each an Action? LMI012), the
// file's facts stand and its rules run again. Each scan is checked against
// a fresh one (cachedScan).
func TestLateCallsStayCachedUntilConsulted(t *testing.T) {
	for _, c := range []struct {
		name, call, later, marker string
		units, findings           int // files whose facts and findings come from the cache
	}{
		{"edges only", "job.Run();", "    private static int _k;\n    public void Run() { _k++; }\n", "_k", 3, 3},
		{"value typed", "job.Make().Hits++;", "    public static int Hits;\n    public Later Make() { return this; }\n", "Hits", 2, 2},
		{"callees asked by a rule", "job.Each(async () => await Task.Delay(1));", "    public void Each(Action work) { work(); }\n", "LMI012", 3, 2},
	} {
		dir, cache := cachedDir(t)
		writeFiles(t, dir, map[string]string{
			"Function.cs": `using System;
using System.Threading.Tasks;
using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { var job = Jobs.Next(); ` + c.call + ` }
}
`,
			"Jobs.cs":      "public static class Jobs\n{\n    public static object Next() { return null; }\n}\n",
			"Unrelated.cs": "public class Unrelated {\n    private static int _n;\n    public void Bump() { _n++; }\n}\n",
		})
		if out, _, _ := cachedScan(t, dir, cache); strings.Contains(out, c.marker) {
			t.Fatalf("%s: %s reported before the edit:\n%s", c.name, c.marker, out)
		}
		writeFiles(t, dir, map[string]string{"Later.cs": "using System;\npublic class Later\n{\n" + c.later + "}\n"})
		out, units, findings := cachedScan(t, dir, cache)
		if !strings.Contains(out, c.marker) {
			t.Errorf("%s: the handler's %s does not reach Later (no %s):\n%s", c.name, c.call, c.marker, out)
		}
		if units != c.units || findings != c.findings {
			t.Errorf("%s: %d files' facts and %d files' findings came from the cache, want %d and %d", c.name, units, findings, c.units, c.findings)
		}
	}
}

// TestUnqualifiedNamesReachNewTypes: an unqualified name that is no local
// and no member along its type's chain may name a type: the handler's
// static call on Widget reaches Widget.Make once a class Widget exists.
func TestUnqualifiedNamesReachNewTypes(t *testing.T) {
	reachedAfterEdit(t, map[string]string{
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { Widget.Make(); }
}
`,
	}, map[string]string{"Widget.cs": "public class Widget\n{\n    private static int _made;\n    public static void Make() { _made++; }\n}\n"},
		"_made", "the handler's Widget.Make() does not reach the new class")
}

// TestExtensionMethodsReachCallsOnOtherTypes: a call on a receiver of a
// type outside the project binds only to extension methods, so its file
// depends on the name's extension key: a new extension method of that name
// is reached; a member read on such a receiver depends on nothing.
func TestExtensionMethodsReachCallsOnOtherTypes(t *testing.T) {
	reachedAfterEdit(t, map[string]string{
		"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { var n = input.Length; input.Shout(); }
}
`,
	}, map[string]string{"Loud.cs": "public static class Loud\n{\n    private static int _shouts;\n    public static void Shout(this string s) { _shouts++; }\n    public static int Length;\n}\n"},
		"_shouts", "the handler's input.Shout() does not reach the new extension method")
}

// TestTypeNamesReadAsTextReachTheirFiles: rules ask whether the project
// declares the type a receiver's text names (is the File of
// System.IO.File.WriteAllText the project's own?), whatever the walk found
// for that name, so a file depends on the types of every name it uses: a
// class File added elsewhere reaches the handler's file (cachedScan fails
// when the cached scan differs from a fresh one).
func TestTypeNamesReadAsTextReachTheirFiles(t *testing.T) {
	for _, call := range []string{
		`System.IO.File.WriteAllText("/tmp/x.json", input);`,
		`var io = Env.Get(); io.File.WriteAllText("/tmp/x.json", input);`,
		`var io = Env.Get(); io?.File.WriteAllText("/tmp/x.json", input);`,
	} {
		dir, cache := cachedDir(t)
		writeFiles(t, dir, map[string]string{
			"Function.cs": `using Amazon.Lambda.Core;
public class Function {
    public void Handler(string input, ILambdaContext context) { ` + call + ` }
}
`,
			"Env.cs": "public static class Env\n{\n    public static object Get() { return null; }\n}\n",
		})
		if out, _, _ := cachedScan(t, dir, cache); !strings.Contains(out, "LMI003") {
			t.Fatalf("%s: the write to /tmp is not reported:\n%s", call, out)
		}
		writeFiles(t, dir, map[string]string{"File.cs": "namespace Mine;\npublic class File\n{\n}\n"})
		if out, _, _ := cachedScan(t, dir, cache); strings.Contains(out, "LMI003") {
			t.Fatalf("%s: reported as a write of System.IO.File while the project declares File:\n%s", call, out)
		}
	}
}
