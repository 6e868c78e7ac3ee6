package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/rules"
)

// TestConcurrentResolution resolves many calls on a type with bases and
// subtypes from parallel workers. Run under -race (.ci/run does): resolving
// once appended to the shared cached base chain, a data race that could put
// the wrong methods into call edges.
func TestConcurrentResolution(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`
public interface IWork { void Do(); }
public class Base { public virtual void Do() { } }
public class Mid : Base, IWork { public override void Do() { } }
public class Leaf : Mid { public override void Do() { } }
`)
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, "public class Caller%d {\n", i)
		for j := 0; j < 100; j++ {
			fmt.Fprintf(&b, "    public void Run%d(Mid m) { m.Do(); m.Do(); }\n", j)
		}
		b.WriteString("}\n")
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("Caller%d.cs", i)), []byte(b.String()), 0o644)
		b.Reset()
	}
	src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	prog := analyzer.NewProgram(src, analyzer.ProgramOptions{})
	analyzer.Run(prog, rules.All, analyzer.Options{AllCode: true})
	for _, m := range prog.Methods {
		if !strings.HasPrefix(m.Name, "Run") {
			continue
		}
		var targets []string
		for to := range prog.CallsFrom(m) {
			targets = append(targets, to.DisplayName())
		}
		// The calls bind to Mid.Do, what it overrides or implements (Base.Do,
		// IWork.Do) and its override (Leaf.Do); a unit lists a target once.
		if got := strings.Join(targets, ","); got != "Mid.Do,Base.Do,IWork.Do,Leaf.Do" {
			t.Fatalf("%s calls %s", m.DisplayName(), got)
		}
	}
}
