package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// UnsafeLockTarget flags lock targets that do not exclude what they should.
var UnsafeLockTarget = &analyzer.Rule{
	ID:        "LMI016",
	Name:      "unsafe-lock-target",
	Title:     "lock on this, a type, a string, a new object or a non-readonly field",
	Level:     analyzer.LevelWarning,
	CWE:       []int{667},
	Precision: "high",
	Why: "A lock only protects state when every request locks the same private object. `lock (this)` and " +
		"`lock (typeof(T))` can be taken by unrelated code; strings are interned and shared process-wide; " +
		"`lock (new object())` excludes nothing; and a field that is not `readonly` can be replaced while held, " +
		"so two requests end up holding different locks.",
	Bad: `public class Function
{
    private static int _count;

    public void Handler(string input, ILambdaContext context)
    {
        lock (new object())
        {
            _count++;
        }
    }
}`,
	Good: `public class Function
{
    private static readonly object CountLock = new();
    private static int _count;

    public void Handler(string input, ILambdaContext context)
    {
        lock (CountLock)
        {
            _count++;
        }
    }
}`,
	Fix: "Lock on a `private static readonly object` (or `System.Threading.Lock` in .NET 9) dedicated to the state it guards.",
	Run: runUnsafeLockTarget,
}

func runUnsafeLockTarget(pass *analyzer.Pass) {
	p := pass.Prog
	p.Visit([]analyzer.Kind{analyzer.KindLockStatement}, func(n *analyzer.Node) bool {
		if n.Kind() != analyzer.KindLockStatement {
			return true
		}
		target := analyzer.LockTarget(n)
		if target == nil {
			return true
		}
		if why := unsafeLockReason(p, target); why != "" {
			pass.Report(target, "`lock (%s)` %s; lock on a private static readonly object dedicated to the state", strings.TrimSpace(target.Text()), why)
		}
		return true
	})
}

func unsafeLockReason(p *analyzer.Program, target *analyzer.Node) string {
	t := analyzer.Unparen(target)
	switch t.Kind() {
	case analyzer.KindThis:
		return "locks on the instance, which other code can lock too"
	case analyzer.KindTypeofExpression:
		return "locks on a Type object, which is shared process-wide"
	case analyzer.KindStringLiteral, analyzer.KindVerbatimStringLiteral, analyzer.KindInterpolatedString:
		return "locks on a string; strings are interned and shared process-wide"
	case analyzer.KindInvocation:
		if name, _ := analyzer.CalleeName(t); name == "GetType" {
			return "locks on a Type object, which is shared process-wide"
		}
	}
	if analyzer.IsFreshObject(p, t) {
		return "locks on a new object, which excludes nothing"
	}
	if f := p.FieldOf(t); f != nil {
		if strings.TrimSpace(f.TypeName) == "string" || f.TypeName == "String" {
			return "locks on a string; strings are interned and shared process-wide"
		}
		if !f.Readonly && !f.Const && !f.Property {
			return "locks on a field that is not readonly, which can be replaced while held"
		}
		return ""
	}
	if typ, ok := p.LocalType(t); ok && (typ == "string" || typ == "String") {
		return "locks on a string; strings are interned and shared process-wide"
	}
	return ""
}
