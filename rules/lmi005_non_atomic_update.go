package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// NonAtomicUpdate flags read-modify-write of shared state.
var NonAtomicUpdate = &analyzer.Rule{
	ID:        "LMI005",
	Name:      "non-atomic-update",
	Title:     "Read-modify-write of shared state without synchronization",
	Level:     analyzer.LevelError,
	CWE:       []int{362, 366},
	Precision: "high",
	HasFix:    true,
	Why: "`count++` reads the field, adds one and writes it back: three steps. When two invocations run " +
		"them at the same time both read the same old value and one update is lost. Counters, totals " +
		"and flags kept in statics or handler fields drift silently under Lambda Managed Instances.",
	Bad: `public class Function
{
    private static int _requestCount;

    public string Handler(string input, ILambdaContext context)
    {
        _requestCount++;
        return input;
    }
}`,
	Good: `public class Function
{
    private static int _requestCount;

    public string Handler(string input, ILambdaContext context)
    {
        Interlocked.Increment(ref _requestCount);
        return input;
    }
}`,
	Fix: "For integer fields use `Interlocked.Increment`, `Interlocked.Decrement` or `Interlocked.Add`; " +
		"for other types take a `lock` or use a compare-and-swap loop with `Interlocked.CompareExchange`.",
	Run: runNonAtomicUpdate,
}

var interlockedTypes = map[string]bool{"int": true, "long": true, "uint": true, "ulong": true,
	"Int32": true, "Int64": true, "UInt32": true, "UInt64": true}

func runNonAtomicUpdate(pass *analyzer.Pass) {
	p := pass.Prog
	for _, a := range p.Accesses() {
		if a.Kind != analyzer.ReadModifyWrite || !p.IsSharedState(a.Field) || analyzer.IsThreadAffine(a.Field) || p.Synchronized(a.Expr) {
			continue
		}
		f := a.Field
		what := "updated with `" + a.Op + "`"
		if a.Op == "=" {
			what = "updated from its own value"
		}
		if interlockedTypes[f.TypeName] && !f.Property {
			call := interlockedCall(a)
			if call == "" {
				call = "Interlocked.Add(ref " + a.Ref.Text() + ", …)"
			}
			r := pass.ReportField(a.Field, a.Expr, "%s is %s by concurrent invocations without synchronization, so updates are lost; use `%s`", f.Describe(), what, call)
			r.Fix = interlockedFix(a, r.File)
			continue
		}
		pass.ReportField(a.Field, a.Expr, "%s is %s by concurrent invocations without synchronization, so updates are lost; guard it with a lock or use a compare-and-swap loop (Interlocked.CompareExchange)", f.Describe(), what)
	}
}

// interlockedCall is the Interlocked form of the update, or "" when there is none.
func interlockedCall(a *analyzer.Access) string {
	ref := a.Ref.Text()
	switch a.Op {
	case "++":
		return "Interlocked.Increment(ref " + ref + ")"
	case "--":
		return "Interlocked.Decrement(ref " + ref + ")"
	case "+=":
		return "Interlocked.Add(ref " + ref + ", " + a.Expr.ChildByField("right").Text() + ")"
	case "-=":
		right := a.Expr.ChildByField("right")
		if right.Kind() == analyzer.KindIntegerLiteral || right.Kind() == analyzer.KindIdentifier {
			return "Interlocked.Add(ref " + ref + ", -" + right.Text() + ")"
		}
		return "Interlocked.Add(ref " + ref + ", -(" + right.Text() + "))"
	}
	return ""
}

// interlockedFix replaces the update with its Interlocked form. As a statement
// the meaning is unchanged; where the value is used, the postfix forms return
// the old value, so the edit subtracts (or adds) the step back. It adds
// `using System.Threading;` when the file lacks it.
func interlockedFix(a *analyzer.Access, file *analyzer.File) *analyzer.Fix {
	call := interlockedCall(a)
	if call == "" || file == nil {
		return nil
	}
	valueUsed := a.Expr.Parent() != nil && a.Expr.Parent().Kind() != analyzer.KindExpressionStatement
	if valueUsed && a.Expr.Kind() == analyzer.KindPostfixUnary {
		if a.Op == "++" {
			call = "(" + call + " - 1)"
		} else {
			call = "(" + call + " + 1)"
		}
	}
	fix := &analyzer.Fix{
		Description: "Use " + strings.SplitN(call, "(ref", 2)[0],
		Edits:       []analyzer.Edit{{File: file, Start: int(a.Expr.Start()), End: int(a.Expr.End()), NewText: call}},
	}
	if !hasUsing(file, "System.Threading") {
		at := usingInsertPoint(file)
		fix.Edits = append(fix.Edits, analyzer.Edit{File: file, Start: at, End: at, NewText: "using System.Threading;\n"})
	}
	return fix
}

func hasUsing(file *analyzer.File, ns string) bool {
	for _, c := range leadingUsings(file) {
		if strings.Contains(c.Text(), ns+";") && !strings.Contains(c.Text(), "=") {
			if strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(c.Text(), "global "), "using "), ";")) == ns {
				return true
			}
		}
	}
	return false
}

// usingInsertPoint is the start of the first using directive, or of the file.
func usingInsertPoint(file *analyzer.File) int {
	if usings := leadingUsings(file); len(usings) > 0 {
		return int(usings[0].Start())
	}
	return 0
}

// leadingUsings returns the file's top-level using directives. C# puts them
// before any type or namespace block, so the scan stops at the first
// declaration: a generated file with ten thousand classes costs a few nodes
// here, not ten thousand per fix.
func leadingUsings(file *analyzer.File) []*analyzer.Node {
	var usings []*analyzer.Node
	for _, c := range file.Root.Children() {
		switch {
		case c.Kind() == analyzer.KindUsingDirective:
			usings = append(usings, c)
		case !c.Named(), c.Kind() == analyzer.KindComment, c.Kind() == analyzer.KindFileScopedNamespace,
			c.Kind() == analyzer.KindAttributeList, strings.HasPrefix(c.Kind().String(), "preproc_"),
			c.Kind().String() == "extern_alias_directive", c.IsError():
			continue
		default:
			return usings
		}
	}
	return usings
}
