package analyzer

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAsyncNamesParse: code that names a parameter, a local or a named
// argument `async` parses without error, and the name reads `async`.
func TestAsyncNamesParse(t *testing.T) {
	p := NewParser()
	defer p.Close()
	for _, body := range []string{
		"void M(bool async) { Run(async, 1); }",
		"void M(bool async) { var x = async ? 1 : 2; }",
		"void M(bool async) { if (async) { Save(); } }",
		"void M(bool async) { if (async && ok) Save(); }",
		"void M(bool async) { if (!async || ok) Save(); }",
		"void M(bool async) { var same = async == other; }",
		"void M() { var async = true; async = false; }",
		"void M() { var async = Flags(); async.Wait(); }",
		"void M() { Save(async: false); }",
		"bool M(bool async) { return async; }",
		"bool M(bool async) => async;",
		"void M(bool async) { var a = new[] { async }; var b = xs[async ? 0 : 1]; }",
		"void M(bool async) { foreach (var x in xs) Use(x, async); }",
		"void M(bool? async) { var v = async?.ToString(); }",
	} {
		src := "class C { " + body + " }"
		tree, err := p.Parse([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if tree.FirstError != nil {
			t.Errorf("%s: syntax error at byte %d (%s)", src, tree.FirstError.Start(), tree.FirstError.Text())
			continue
		}
		names := 0
		tree.Root.Walk(func(n *Node) bool {
			if n.Kind() == KindIdentifier && strings.HasPrefix(src[n.Start():], "async") {
				names++
				if n.Text() != "async" {
					t.Errorf("%s: a name reads %q, want the source's own text", src, n.Text())
				}
			}
			return true
		})
		if names == 0 {
			t.Errorf("%s: no identifier `async` in the tree", src)
		}
	}
}

// TestAsyncModifiersUntouched: every `async` that is the modifier, or could
// be, is left for the grammar; so are longer names that contain it.
func TestAsyncModifiersUntouched(t *testing.T) {
	for _, src := range []string{
		"async Task M() { await Task.Delay(1); }",
		"public static async Task<int> M() => 1;",
		"async void OnClick(object s, EventArgs e) { }",
		"public async override Task M() { }",
		"Func<Task> f = async () => await Go();",
		"Func<int, Task> f = async x => await Go(x);",
		"Func<int, Task> f = async (x) => await Go(x);",
		"Action a = async delegate { await Go(); };",
		"var f = static async () => await Go();",
		"var f = async\n  () => 1;",
		"async System.Threading.Tasks.Task M() { }",
		"Func<int, int> f = async => 1;", // a lambda's parameter named async: left as written
		"bool isAsync = RunAsync(); var asyncResult = AsyncState; var x = @async;",
		"// async\n/* async */",
	} {
		text := []byte(src)
		maskAsyncNames(text)
		if string(text) != src {
			t.Errorf("changed:\n%s\n%s", src, text)
		}
	}
}

// TestAsyncMaskKeepsLength: the parser's copy keeps every byte offset and
// line break of the source (the tree's positions come from that copy).
func TestAsyncMaskKeepsLength(t *testing.T) {
	src := "M(async,\r\nasync);\nvar y = async\n;\n\"async)\" // async;\nasync"
	text := []byte(src)
	maskAsyncNames(text)
	want := "M(_sync,\r\n_sync);\nvar y = _sync\n;\n\"_sync)\" // _sync;\nasync"
	if string(text) != want {
		t.Errorf("masked\n%q\nwant\n%q", text, want)
	}
}

// TestTrailingCommasParse: a comma after the last member of a `with`
// expression's initializer parses, and commas elsewhere are kept.
func TestTrailingCommasParse(t *testing.T) {
	p := NewParser()
	defer p.Close()
	src := "class C { void M() { var next = options with\n{\n    Arn = options.Arn + \":nested\",\n};\nvar list = new[] { 1, 2, };\n} }"
	tree, err := p.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if tree.FirstError != nil {
		t.Errorf("syntax error at byte %d (%q)", tree.FirstError.Start(), tree.FirstError.Text())
	}
	text := []byte("M(a, b); var s = \"x, }\"; E { A, B,\r\n}; var c = ',';")
	maskTrailingCommas(text)
	if want := "M(a, b); var s = \"x  }\"; E { A, B \r\n}; var c = ',';"; string(text) != want {
		t.Errorf("masked\n%q\nwant\n%q", text, want)
	}
}

// TestVerbatimQuotesParse: a verbatim interpolated string that opens or
// ends with an escaped quote next to an interpolation parses, on the retry,
// with every branch kept; a raw interpolated string, which ends the same
// way, parses on the first try and is not touched.
func TestVerbatimQuotesParse(t *testing.T) {
	p := NewParser()
	defer p.Close()
	src := "class C {\n" + strings.Repeat("    string M(int x) => @$\"found \"\"{x}\"\"\";\n    string N(int y) => $@\"\"\"{y}\"\" quoted\";\n", 3) + "}\n"
	tree, err := p.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if tree.FirstError != nil || tree.FirstBranches {
		t.Fatalf("error %v, first branches %v; want a clean tree of the whole file", tree.FirstError != nil, tree.FirstBranches)
	}
	raw := "class C { string M(int x) => $\"\"\"found {x}\"\"\"; }\n"
	if tree, err := p.Parse([]byte(raw)); err != nil || tree.FirstError != nil {
		t.Fatalf("a raw interpolated string: %v, error %v", err, tree != nil && tree.FirstError != nil)
	}
	text := []byte(`a @$"""{x}" b {y}""" c $@"""" d {z}"""" e @"""`)
	if !maskVerbatimQuoteRuns(text) {
		t.Fatal("nothing rewritten")
	}
	if want := `a @$"''{x}" b {y}''" c $@"""" d {z}"""" e @"""`; string(text) != want {
		t.Errorf("masked\n%s\nwant\n%s", text, want)
	}
}

// TestAppDirectivesParse: a file-based app's `#:` directives, at the top of
// the file among comments, blank lines and a shebang, parse without error.
func TestAppDirectivesParse(t *testing.T) {
	p := NewParser()
	defer p.Close()
	src := "#!/usr/bin/env dotnet\n// a Lambda function in one file\n#:package Amazon.Lambda.Core@2.8.0\r\n\n  #:property TargetFramework=net10.0\n#:sdk Microsoft.NET.Sdk\n" +
		"using Amazon.Lambda.Core;\nvar handler = (string input, ILambdaContext context) => input.ToUpper();\n"
	tree, err := p.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if tree.FirstError != nil {
		t.Errorf("syntax error at byte %d (%q)", tree.FirstError.Start(), tree.FirstError.Text())
	}
}

// TestAppDirectivesOnlyAtTheTop: the blanking stops at the first line of
// code, keeps line breaks, and leaves other directives alone.
func TestAppDirectivesOnlyAtTheTop(t *testing.T) {
	src := "#:package A@1\r\n#nullable enable\n/// doc\n#:property P=1\nclass C { string s = @\"\n#:package B\"; }\n#:package C@1"
	text := []byte(src)
	maskAppDirectives(text)
	cr := []byte("#:package A@1\rclass C { }\r#:package B@1\r")
	maskAppDirectives(cr)
	if want := "             \rclass C { }\r#:package B@1\r"; string(cr) != want {
		t.Errorf("with CR line ends\n%q\nwant\n%q", cr, want)
	}
	blank := func(s string) string { return strings.Repeat(" ", len(s)) }
	want := blank("#:package A@1") + "\r\n#nullable enable\n/// doc\n" + blank("#:property P=1") + "\nclass C { string s = @\"\n#:package B\"; }\n#:package C@1"
	if string(text) != want {
		t.Errorf("masked\n%q\nwant\n%q", text, want)
	}
}

// TestSampleProjectsParseCleanly: the bundled sample projects, which use
// `async` names and a file-based app's directives among much else, parse
// without a syntax error.
func TestSampleProjectsParseCleanly(t *testing.T) {
	var paths []string
	filepath.WalkDir(filepath.Join("..", "testdata", "projects"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".cs") {
			paths = append(paths, path)
		}
		return err
	})
	if len(paths) < 20 {
		t.Fatalf("found %d sample files", len(paths))
	}
	p := NewParser()
	defer p.Close()
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src, _, err := DecodeSource(raw)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := p.Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if e := tree.FirstError; e != nil {
			t.Errorf("%s: syntax error at byte %d: %q", path, e.Start(), e.Text())
		}
	}
}

// splitByBranches is code the grammar cannot read with all its `#if`
// branches: an attribute under `#if` above its method, and a call whose
// arguments differ by target.
const splitByBranches = `using System;

public class Builder
{
    private static int built;

#if NET8_0_OR_GREATER
    [Obsolete("MD5 only.")]
#endif
    public Builder WithHash(string name)
    {
        built++;
        return Configure(name,
#if NET8_0_OR_GREATER
            first: true);
#else
            second: true);
#endif
    }

    private Builder Configure(string name, bool first = false, bool second = false) => this;
}
`

// TestFirstBranchesParse: code split across `#if` branches parses cleanly
// with the first branch of each, and the tree says so; what the first
// branches hold is in the tree, what the others hold is not.
func TestFirstBranchesParse(t *testing.T) {
	p := NewParser()
	defer p.Close()
	tree, err := p.Parse([]byte(splitByBranches))
	if err != nil {
		t.Fatal(err)
	}
	if tree.FirstError != nil || !tree.FirstBranches {
		t.Fatalf("error %v, first branches %v; want a clean tree of the first branches", tree.FirstError != nil, tree.FirstBranches)
	}
	var names []string
	tree.Root.Walk(func(n *Node) bool {
		if n.Kind() == KindIdentifier {
			names = append(names, n.Text())
		}
		return true
	})
	got := strings.Join(names, " ")
	for _, want := range []string{"Obsolete", "WithHash", "built", "first"} {
		if !strings.Contains(got, want) {
			t.Errorf("no identifier %s in the tree: %s", want, got)
		}
	}
	if n := strings.Count(got, "second"); n != 1 {
		t.Errorf("`second` %d times in the tree, want once (the parameter, not the #else argument): %s", n, got)
	}
}

// TestWholeBranchesPreferred: a file the grammar reads with all its branches
// keeps them all; the fallback is for files it cannot read.
func TestWholeBranchesPreferred(t *testing.T) {
	p := NewParser()
	defer p.Close()
	src := "class A {\n#if DEBUG\n    static int debugCount;\n#else\n    static int releaseCount;\n#endif\n}\n"
	tree, err := p.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if tree.FirstError != nil || tree.FirstBranches {
		t.Fatalf("error %v, first branches %v; want the whole file", tree.FirstError != nil, tree.FirstBranches)
	}
	if !strings.Contains(tree.Root.Text(), "releaseCount") {
		t.Fatal("the tree lost the #else branch")
	}
	found := false
	tree.Root.Walk(func(n *Node) bool {
		found = found || n.Kind() == KindIdentifier && n.Text() == "releaseCount"
		return true
	})
	if !found {
		t.Error("no node for the #else branch's field")
	}
}

// TestKeepFirstBranches: directives and later branches are blanked, nested
// groups too, line breaks kept; the first dropped branch is reported.
func TestKeepFirstBranches(t *testing.T) {
	src := "a\n#if X\nb\n  # if Y\nc\n#elif Z\nd\n#endif\n#else\ne\n#if W\nf\n#endif\n#endif\r\ng\n#ifdef is not a directive we know\n"
	text := []byte(src)
	dropped, found := keepFirstBranches(text)
	if !found {
		t.Fatal("no directive found")
	}
	if want := strings.Index(src, "#elif Z"); dropped != want {
		t.Errorf("first dropped branch at %d, want %d", dropped, want)
	}
	lines := strings.Split(string(text), "\n")
	want := []string{"a", "", "b", "", "c", "", "", "", "", "", "", "", "", "\r", "g", "#ifdef is not a directive we know", ""}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d: %q", len(lines), len(want), text)
	}
	for i := range want {
		if strings.TrimSpace(lines[i]) != strings.TrimSpace(want[i]) || len(lines[i]) != len(strings.Split(src, "\n")[i]) {
			t.Errorf("line %d: %q, want %q (same length as %q)", i+1, lines[i], want[i], strings.Split(src, "\n")[i])
		}
	}
	if _, found := keepFirstBranches([]byte("class A { string s = \"#if\"; }")); found {
		t.Error("a directive found inside a line of code")
	}
	// Carriage returns alone end lines too (C# reads them so): the file is
	// not one line to blank whole.
	text = []byte("#if X\rint a;\r#else\rint b;\r#endif\r")
	keepFirstBranches(text)
	if want := "     \rint a;\r     \r      \r      \r"; string(text) != want {
		t.Errorf("with CR line ends\n%q\nwant\n%q", text, want)
	}
}

// TestFirstBranchesSurviveTheCache: the mark goes through a cache entry, and
// the note names the first branch left out, at its line.
func TestFirstBranchesSurviveTheCache(t *testing.T) {
	p := NewParser()
	defer p.Close()
	src := []byte(splitByBranches)
	tree, err := p.Parse(src)
	if err != nil || !tree.FirstBranches {
		t.Fatalf("parse: %v, first branches %v", err, tree != nil && tree.FirstBranches)
	}
	entry := encodeTree(tree)
	words := make([]uint32, len(entry)/4)
	copy(wordBytes(words), entry)
	got := treeFromEntry(words, src, nil)
	if got == nil || !got.FirstBranches || got.FirstError != nil {
		t.Fatalf("from the entry: %+v", got)
	}
	notes := syntaxNote(&File{RelPath: "Builder.cs", Src: src}, got)
	if len(notes) != 1 || notes[0].Line != 16 || !strings.Contains(notes[0].Message, "#elif/#else") {
		t.Errorf("notes %+v, want one at line 16 (the #else)", notes)
	}
	only := []byte("class A {\n#if NET8_0\n    [Obsolete]\n#endif\n    void M() { }\n}\n")
	if tree, err := p.Parse(only); err != nil || !tree.FirstBranches {
		t.Fatalf("an attribute under #if: %v, first branches %v", err, tree != nil && tree.FirstBranches)
	} else if notes := syntaxNote(&File{RelPath: "A.cs", Src: only}, tree); len(notes) != 0 {
		t.Errorf("nothing was left out, yet notes %+v", notes)
	}
}

// FuzzGrammarGaps: whatever the text, the parser's copy keeps its length,
// and changes bytes only as the rewrites may: to a blank, a letter to `_`
// (`async`, attribute target names), brackets to braces (`[]`), a quote to
// `'` (a retry), or a `;` and the blank or line break after it to `{}` (a
// bodyless type). No other line break changes.
func FuzzGrammarGaps(f *testing.F) {
	f.Add([]byte(splitByBranches))
	f.Add([]byte("#:package A@1\nvoid M(bool async) { Run(async, 1); }\n#if X\n#else\n#endif\n"))
	f.Add([]byte("#if A\n#if B\n#elif C\nx\n#endif\n#else\ny\n#endif\n#endif\n#else\n"))
	f.Add([]byte("var n = o with { A = 1, };"))
	f.Add([]byte(`var s = @$"""{x}"" {y}""" + $"""{z}""";`))
	f.Add([]byte("namespace N;\nsealed class M;\nclass D(int x) : B(x => x, \"a\");\r\nvar l = [];\na?.B[i] = c?[j];\nF([property]);"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, mask := range []func([]byte){maskGrammarGaps, func(b []byte) { maskGrammarGaps(b); retryRewrites(b, true) }} {
			text := bytes.Clone(src)
			mask(text)
			if len(text) != len(src) {
				t.Fatalf("length %d, want %d", len(text), len(src))
			}
			for i := range src {
				was, is := src[i], text[i]
				switch {
				case is == was:
				case was == ';' && is == '{':
					if i+1 >= len(src) || text[i+1] != '}' || !isBlank(src[i+1]) {
						t.Fatalf("byte %d: a `;` became `{` without a body after it", i)
					}
				case was == '\n' || was == '\r':
					if i == 0 || src[i-1] != ';' || text[i-1] != '{' || is != '}' {
						t.Fatalf("byte %d: line break became %q", i, is)
					}
				case is == ' ' || is == '_' && isNameByte(was) || was == '[' && is == '{' || was == ']' && is == '}' || was == '"' && is == '\'':
				case isBlank(was) && is == '}' && i > 0 && src[i-1] == ';' && text[i-1] == '{':
				default:
					t.Fatalf("byte %d: %q became %q", i, was, is)
				}
			}
		}
		dropped, _ := keepFirstBranches(bytes.Clone(src))
		if dropped >= len(src) {
			t.Fatalf("first dropped branch at %d of %d bytes", dropped, len(src))
		}
	})
}

// TestNewerSyntaxParses: C# 12 and 14 syntax that the bundled grammar refuses
// on its own parses cleanly from the parser's copy, and each declaration,
// access or name still reads its own text (a bodyless type's declaration
// ends after its `;` and the byte taken for the body).
func TestNewerSyntaxParses(t *testing.T) {
	p := NewParser()
	defer p.Close()
	for _, tc := range []struct{ src, kind, text string }{
		// bodyless types
		{"namespace N\n{\n    internal sealed class Marker;\n    class After { }\n}\n", "class_declaration", "internal sealed class Marker;\n"},
		{"public class Fixture : ICollectionFixture<Env>;\n", "class_declaration", "public class Fixture : ICollectionFixture<Env>;\n"},
		{"public abstract class ToolException(string message, Exception? inner = null)\n    : Exception(message, inner);\n", "class_declaration", ""},
		{"class Conv() : ValueConverter<W, int>(v => v.Value, v => new W { Value = v, Name = \"a;b\" });\n", "class_declaration", ""},
		{"interface IMarker;\r\nstruct Empty;\r\n", "interface_declaration", "interface IMarker;\r"},
		{"struct Empty; class C<T> where T : class, new();\n", "struct_declaration", "struct Empty; "},
		{"enum Small : byte;\n", "enum_declaration", "enum Small : byte;\n"},
		// null-conditional assignment
		{"class C { void M() { cache?.Value = v; } }", "assignment_expression", "cache?.Value = v"},
		{"class C { void M() { values?[i] = v; } }", "assignment_expression", "values?[i] = v"},
		{"class C { void M() { a?.B?.C[i].D ??= Make(x?.Y); } }", "assignment_expression", "a?.B?.C[i].D ??= Make(x?.Y)"},
		{"class C { void M() { a?.Items![n] += 1; } }", "assignment_expression", "a?.Items![n] += 1"},
		// empty collection expressions
		{"class C { static List<string> Seen = []; }", "variable_declarator", "Seen = []"},
		{"class C { List<int> P { get; set; } = [ ]; }", "property_declaration", ""},
		{"class C { int[] M() => []; }", "arrow_expression_clause", "=> []"},
		{"class C { object M(bool b) { Use([], x ?? [], b ? [] : [1]); return []; } }", "return_statement", "return [];"},
		{"class C { void M() { foreach (var x in []) { } Run(items: []); } }", "foreach_statement", ""},
		{"class C { void M() { Run(false, /* args: */ [], x); } }", "invocation_expression", "Run(false, /* args: */ [], x)"},
		// names the grammar takes for attribute targets
		{"class C { Key M() => FindKey([property]); }", "invocation_expression", "FindKey([property])"},
		{"class C { void M() { var d = new Dictionary<Type, int> { [type] = 0 }; var v = values[field]; } }", "element_access_expression", "values[field]"},
	} {
		tree, err := p.Parse([]byte(tc.src))
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		if e := tree.FirstError; e != nil {
			t.Errorf("%q: syntax error at byte %d (%q)", tc.src, e.Start(), e.Text())
			continue
		}
		// A name the grammar made up (`[]` read as `[ identifier ]`) is an
		// error too, though it is marked only on a hidden token.
		madeUp := false
		tree.Root.Walk(func(n *Node) bool {
			madeUp = madeUp || n.Kind() == KindIdentifier && n.Start() == n.End()
			return !madeUp
		})
		if madeUp {
			t.Errorf("%q: syntax error: an empty name", tc.src)
			continue
		}
		found := false
		tree.Root.Walk(func(n *Node) bool {
			if n.Kind().String() == tc.kind && (tc.text == "" || n.Text() == tc.text) {
				found = true
			}
			return !found
		})
		if !found {
			t.Errorf("%q: no %s reading %q", tc.src, tc.kind, tc.text)
		}
	}
}

// TestNewerSyntaxMasksLeaveOtherCodeAlone: array types, list patterns,
// conditional expressions, attribute targets, constraints, and bodyless
// heads where the bytes the body would take are not free, are not touched.
func TestNewerSyntaxMasksLeaveOtherCodeAlone(t *testing.T) {
	for _, src := range []string{
		// array types, list patterns, `new[]`, attribute targets
		"int[] a = new int[] { 1 }; string?[] b; bool? [] c; var d = new[] { 1 }; T[][] e;",
		"if (x is []) { } var f = x switch { [] => 0, [_, ..] => 1 };",
		"[property: JsonIgnore] [return: NotNull] [assembly: InternalsVisibleTo(\"T\")] [field:NonSerialized]",
		// conditional and null-conditional expressions that are not assigned
		"var g = a?.B ?? c; var h = a?[i] == b; var k = flag ? .5 : 1; var l = a?.B is { } m; int?[] n = null;",
		"var o = cond?[a]:[b];",
		// constraints and declarations with bodies
		"void M<T>() where T : class; void N<T>() where T : struct, IX; class P { } record Q;",
		// bodyless heads whose `;` has no free byte after it, or is not code
		"class A;\n#pragma warning restore CS9113\n",
		"class B;\n    \"\"\"\n",
		"class C;// a comment",
		"// class D;\nvar x = 1;",
		"Log($\"made class E; {name}\");",
		"Log(\"class F;\" + x);",
		"class G;",
		"var s = @class H;",
		// an interpolation's `[]` on its line
		"Log($\"items = [] {n}\");",
	} {
		text := []byte(src)
		maskGrammarGaps(text)
		if string(text) != src {
			t.Errorf("changed:\n%q\n%q", src, text)
		}
	}
}

// gapShapes are texts built to make the masks read the same bytes again and
// again: one long line of keywords, of conditional accesses, of empty
// collections, of block comments before them. Looking back to a line's
// start from every `[]`, or a bounded distance ahead from every keyword,
// made the first two quadratic and the others hundreds of times slower than
// a read of the text (1 MB of `*/ [] ` took 2 minutes).
var gapShapes = []struct{ name, unit string }{
	{"keywords", "class "},
	{"bodyless heads", "class X "},
	{"conditional chains", "a?["},
	{"conditional members", "a?.b"},
	{"empty collections", "x = [] "},
	{"comments before collections", "*/ [] "},
	{"attribute targets", "[property "},
}

func gapShape(unit string, size int) []byte {
	return bytes.Repeat([]byte(unit), size/len(unit))
}

// TestGrammarGapsOnAdversarialTexts: the masks get through 16 MB of each
// shape (a quadratic mask would take hours) and rewrite what they should:
// every `[]` after `=` on a line without `$`, every conditional chain that
// no assignment follows left alone.
func TestGrammarGapsOnAdversarialTexts(t *testing.T) {
	for _, shape := range gapShapes {
		text := gapShape(shape.unit, 16<<20)
		maskGrammarGaps(text)
		switch shape.name {
		case "empty collections":
			if n := bytes.Count(text, []byte("x = {} ")); n != len(text)/len(shape.unit) {
				t.Errorf("%s: %d of %d rewritten", shape.name, n, len(text)/len(shape.unit))
			}
		case "conditional chains", "conditional members":
			if bytes.Count(text, []byte("?")) != len(text)/len(shape.unit) {
				t.Errorf("%s: a `?` with no assignment after it was blanked", shape.name)
			}
		}
	}
}

// BenchmarkGrammarGapShapes reports how the masks' time grows from n to 4n
// bytes of each shape (an exponent near 1 is linear).
func BenchmarkGrammarGapShapes(b *testing.B) {
	const n = 1 << 20
	for _, shape := range gapShapes {
		b.Run(shape.name, func(b *testing.B) {
			var small, large time.Duration
			for range b.N {
				for size, total := range map[int]*time.Duration{n: &small, 4 * n: &large} {
					text := gapShape(shape.unit, size)
					start := time.Now()
					maskGrammarGaps(text)
					*total += time.Since(start)
				}
			}
			b.ReportMetric(small.Seconds()/float64(b.N), "s-at-1MiB")
			b.ReportMetric(math.Log(large.Seconds()/small.Seconds())/math.Log(4), "exponent")
		})
	}
}
