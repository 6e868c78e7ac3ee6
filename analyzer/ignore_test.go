package analyzer

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/lmilint/lmilint/internal/corpus"
)

// writeTree creates files (slash paths) under dir with the given contents.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// goGitMatcher is go-git's own Matcher over a .gitignore's text, which
// tries every pattern: the reference ignoreRules must agree with.
func goGitMatcher(text string) gitignore.Matcher {
	var patterns []gitignore.Pattern
	for _, line := range strings.Split(strings.TrimPrefix(text, "\ufeff"), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if !strings.HasPrefix(line, "#") && strings.TrimSpace(line) != "" {
			patterns = append(patterns, gitignore.ParsePattern(line, nil))
		}
	}
	return gitignore.NewMatcher(patterns)
}

// TestGitignoreRules walks a repository whose .gitignore files use git's
// rules the way .NET repositories do, and checks which C# files are read.
func TestGitignoreRules(t *testing.T) {
	repo := t.TempDir()
	rootIgnore := strings.Join([]string{
		"# Visual Studio style",
		"*.suo",
		"[Dd]ebug/",
		`Generated\ Files/`,
		"*.g?.cs",
		"temp*/",
		"/rootonly.cs",
		"docs/**/gen/",
		"*.generated.cs",
		"!keep.generated.cs",
		"",
	}, "\r\n") // a CRLF file, as Windows editors write it
	class := "class C { }\n"
	writeTree(t, repo, map[string]string{
		".git/HEAD":                 "ref: refs/heads/main\n",
		".gitignore":                "\ufeff" + rootIgnore,
		"app/.gitignore":            "local.cs\n!important.g1.cs\n",
		"app/a.cs":                  class,
		"app/Debug/x.cs":            class,
		"app/debug.cs":              class,
		"app/Generated Files/x.cs":  class,
		"app/x.g1.cs":               class,
		"app/x.g12.cs":              class,
		"app/temp1/x.cs":            class,
		"app/rootonly.cs":           class,
		"app/docs/a/b/gen/x.cs":     class,
		"app/foo.generated.cs":      class,
		"app/keep.generated.cs":     class,
		"app/local.cs":              class,
		"app/sub/local.cs":          class,
		"app/important.g1.cs":       class,
		"appx/local.cs":             class, // a sibling whose name starts with "app"
		"appx/x.g1.cs":              class,
		"rootonly.cs":               class,
		"docs/gen/x.cs":             class,
		"docs/a/gen/x.cs":           class,
		"docs/a/generated/x.cs":     class,
		"docs/a/gen.cs":             class,
		"src/Debug.cs":              class,
		"src/[Dd]ebug/literally.cs": class,
	})
	want := []string{
		"app/a.cs",
		"app/debug.cs",
		"app/docs/a/b/gen/x.cs", // "docs/**/gen/" has a slash: anchored at the root
		"app/important.g1.cs",   // re-included by app/.gitignore
		"app/keep.generated.cs",
		"app/rootonly.cs", // "/rootonly.cs" anchors at the root's directory
		"app/x.g12.cs",
		"appx/local.cs",
		"docs/a/gen.cs",
		"docs/a/generated/x.cs",
		"src/Debug.cs",
		"src/[Dd]ebug/literally.cs",
	}
	if gitPath, err := exec.LookPath("git"); err != nil {
		t.Log("git is not installed: the expectations are not checked against git itself")
	} else {
		// git itself is the reference: what it lists as untracked and not
		// ignored is what must be read.
		clone := t.TempDir()
		if err := os.CopyFS(clone, os.DirFS(repo)); err != nil {
			t.Fatal(err)
		}
		os.RemoveAll(filepath.Join(clone, ".git"))
		run := func(args ...string) string {
			cmd := exec.Command(gitPath, args...)
			cmd.Dir = clone
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("git %v: %v", args, err)
			}
			return string(out)
		}
		run("init", "-q")
		listed := strings.Split(strings.TrimSuffix(run("ls-files", "-z", "--others", "--exclude-standard", "--", "*.cs"), "\x00"), "\x00")
		slices.Sort(listed)
		if !slices.Equal(listed, want) {
			t.Fatalf("git reads\n  %s\nthe test wants\n  %s", strings.Join(listed, "\n  "), strings.Join(want, "\n  "))
		}
	}
	for _, root := range []string{repo, filepath.Join(repo, "app")} {
		src, err := Load([]string{root}, LoadOptions{Root: repo})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range src.Files {
			got = append(got, f.RelPath)
		}
		slices.Sort(got)
		var wantHere []string
		for _, w := range want {
			if root == repo || strings.HasPrefix(w, "app/") {
				wantHere = append(wantHere, w)
			}
		}
		if !slices.Equal(got, wantHere) {
			t.Errorf("scanning %s read\n  %s\nwant\n  %s", root, strings.Join(got, "\n  "), strings.Join(wantHere, "\n  "))
		}
	}
}

func TestLiteralEnds(t *testing.T) {
	for pattern, want := range map[string][2]string{
		"*.suo":              {"", ".suo"},
		"[Dd]ebug/":          {"", "ebug"},
		"!*.generated.cs":    {"", ".generated.cs"},
		"docs/**/gen/":       {"gen", "gen"},
		"abc/**":             {"", ""},
		"_ReSharper*/":       {"_ReSharper", ""},
		"[Tt]est[Rr]esult*/": {"", ""},
		`Generated\ Files/`:  {"Generated", " Files"},
		`trailing\ `:         {"trailing", " "},
		`\a`:                 {"", "a"},
		"name   ":            {"name", "name"},
		"*.[Cc]ache":         {"", "ache"},
		"Build[Ll]og.*":      {"Build", ""},
		`a\*b`:               {"a", "b"},
		"/rootonly.cs":       {"rootonly.cs", "rootonly.cs"},
		"x?":                 {"x", ""},
		"**/packages/build/": {"build", "build"},
	} {
		if head, tail := literalEnds(pattern); head != want[0] || tail != want[1] {
			t.Errorf("literalEnds(%q) = %q, %q; want %q, %q", pattern, head, tail, want[0], want[1])
		}
	}
}

// TestIgnoreRulesAgreeWithGoGit checks that trying only the patterns whose
// literal head or tail starts or ends a component of the path gives go-git's own answer (its
// Matcher tries every pattern), over random patterns and paths.
func TestIgnoreRulesAgreeWithGoGit(t *testing.T) {
	names := []string{"a", "b", "bin", "Bin", "obj", "debug", "Debug", "gen", "x.cs", "x.g1.cs", "y.Designer.cs",
		"Generated Files", "a b", "a*b", "temp1", "temp", "keep.cs", "packages", "cache.cs", "x.Cache", "a ", "x"}
	atoms := []string{"*", "?", "[Dd]", "[!a]", "**", "B", "Bi", "te", "a", "b", "bin", "ebug", ".cs", ".g?", `\ `, `\*`, `\x`, "gen", "temp", "Cache", "x", "s"}
	rng := rand.New(rand.NewSource(7))
	word := func() string {
		var b strings.Builder
		for n := 1 + rng.Intn(3); n > 0; n-- {
			b.WriteString(atoms[rng.Intn(len(atoms))])
		}
		return b.String()
	}
	for round := 0; round < 300; round++ {
		var lines []string
		for n := 1 + rng.Intn(12); n > 0; n-- {
			line := word()
			switch rng.Intn(6) {
			case 0:
				line = "!" + line
			case 1:
				line += "/"
			case 2:
				line = word() + "/" + line
			case 3:
				line = "/" + line
			}
			lines = append(lines, line)
		}
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{".git/HEAD": "", ".gitignore": strings.Join(lines, "\n")})
		rules, matcher := newIgnoreRules(dir), goGitMatcher(strings.Join(lines, "\n"))
		for p := 0; p < 100; p++ {
			var parts []string
			for n := 1 + rng.Intn(4); n > 0; n-- {
				parts = append(parts, names[rng.Intn(len(names))])
			}
			isDir := rng.Intn(2) == 0
			got := rules.ignored(filepath.Join(dir, filepath.Join(parts...)), isDir)
			if want := matcher.Match(parts, isDir); got != want {
				t.Fatalf(".gitignore\n%s\npath %q (dir %v): ignored %v, go-git says %v", strings.Join(lines, "\n"), strings.Join(parts, "/"), isDir, got, want)
			}
		}
	}
}

// BenchmarkIgnoredPath matches a path against 350 patterns shaped like Visual
// Studio's .gitignore, trying all of them (go-git's Matcher) and only those
// whose literal ends fit (ignoreRules).
func BenchmarkIgnoredPath(b *testing.B) {
	var lines []string
	for i := 0; len(lines) < 350; i++ {
		lines = append(lines, fmt.Sprintf("*.ext%d", i), fmt.Sprintf("*.[Ee]xt%d", i), fmt.Sprintf("[Dd]ir%d/", i), fmt.Sprintf("Name%d*", i), fmt.Sprintf("**/tool%d/cache", i))
		if i%20 == 0 {
			lines = append(lines, fmt.Sprintf("[Tt]est%d*/", i))
		}
	}
	dir := b.TempDir()
	writeTree(b, dir, map[string]string{".git/HEAD": "", ".gitignore": strings.Join(lines, "\n")})
	rules, matcher := newIgnoreRules(dir), goGitMatcher(strings.Join(lines, "\n"))
	path := filepath.Join(dir, "src", "EFCore.Relational", "Query", "Internal", "RelationalQueryTranslator.cs")
	parts := strings.Split(filepath.ToSlash(strings.TrimPrefix(path, dir+"/")), "/")
	b.Run("every-pattern", func(b *testing.B) {
		for b.Loop() {
			matcher.Match(parts, false)
		}
	})
	b.Run("by-tail", func(b *testing.B) {
		for b.Loop() {
			rules.ignored(path, false)
		}
	})
}

// FuzzIgnoreRules: whatever a .gitignore holds, matching never panics and
// gives go-git's own answer.
func FuzzIgnoreRules(f *testing.F) {
	f.Add("*.suo\n[Dd]ebug/\n!keep.cs\n", "src/Debug/keep.cs", false)
	f.Add("docs/**/gen/\r\n/root.cs\r\n", "docs/a/gen", true)
	f.Add(`Generated\ Files/`+"\n[\n\\\n*\x00\n", "Generated Files/x.cs", false)
	f.Fuzz(func(t *testing.T, text, path string, isDir bool) {
		if path == "" || strings.HasPrefix(path, "/") || strings.Contains(path, "//") || strings.Contains(path, "\x00") {
			return
		}
		parts := strings.Split(path, "/")
		if slices.Contains(parts, "..") || slices.Contains(parts, ".") || strings.HasSuffix(path, "/") {
			return
		}
		r := &ignoreRules{base: "/repo"}
		r.addPatterns([]byte(text), nil)
		got := r.ignored("/repo/"+path, isDir)
		if want := goGitMatcher(text).Match(parts, isDir); got != want {
			t.Fatalf(".gitignore %q, path %q (dir %v): ignored %v, go-git says %v", text, path, isDir, got, want)
		}
	})
}

// TestGeneratedCorpusIsReadWhole: the benchmarks' generated projects carry
// a .gitignore shaped like .NET's, which must cost what it costs a real
// repository without hiding any generated file.
func TestGeneratedCorpusIsReadWhole(t *testing.T) {
	dir := t.TempDir()
	files, _, err := corpus.Generate(dir, 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	rules := newIgnoreRules(dir)
	if len(rules.patterns) < 150 {
		t.Fatalf("the generated .gitignore has %d patterns", len(rules.patterns))
	}
	src, err := Load([]string{dir}, LoadOptions{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Files) != files {
		t.Fatalf("read %d of the %d generated files", len(src.Files), files)
	}
}
