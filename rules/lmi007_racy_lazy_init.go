package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// RacyLazyInit flags check-then-act initialization of shared state.
var RacyLazyInit = &analyzer.Rule{
	ID:        "LMI007",
	Name:      "racy-lazy-init",
	Title:     "Check-then-act initialization of shared state without synchronization",
	Level:     analyzer.LevelError,
	CWE:       []int{362, 609},
	Precision: "high",
	Why: "`if (_client == null) _client = Create();` and `_client ??= Create();` race: two concurrent " +
		"invocations both see null and both create, and one of them may use an object the other replaces " +
		"(or a half-initialized one). `if (!cache.ContainsKey(k)) cache.Add(k, v)` throws when another " +
		"request adds the key in between. A double-checked `bool` flag that is not `volatile` can be seen " +
		"as set before the state it guards (ARM64, e.g. Graviton, reorders such writes).",
	Bad: `public class Function
{
    private static ExpensiveClient _client;

    public string Handler(string input, ILambdaContext context)
    {
        if (_client == null)
        {
            _client = new ExpensiveClient();
        }
        return _client.Call(input);
    }
}`,
	Good: `public class Function
{
    private static readonly Lazy<ExpensiveClient> Client = new(() => new ExpensiveClient());

    public string Handler(string input, ILambdaContext context)
    {
        return Client.Value.Call(input);
    }
}`,
	Fix: "Initialize once: a `static readonly` initializer, `Lazy<T>`, `LazyInitializer.EnsureInitialized`, " +
		"`ConcurrentDictionary.GetOrAdd`, or a double-checked `lock` that publishes a reference.",
	Run: runRacyLazyInit,
}

func runRacyLazyInit(pass *analyzer.Pass) {
	p := pass.Prog
	for _, a := range p.Accesses() {
		if a.Kind == analyzer.CoalesceAssign && p.IsSharedState(a.Field) && !analyzer.IsThreadAffine(a.Field) && !p.Synchronized(a.Expr) {
			pass.ReportField(a.Field, a.Expr, "%s is initialized with `??=`, a check-then-act that concurrent invocations race on (both see null, both create); use Lazy<T>, LazyInitializer.EnsureInitialized or a static readonly initializer",
				a.Field.Describe())
		}
	}
	p.Visit([]analyzer.Kind{analyzer.KindIfStatement}, func(n *analyzer.Node) bool {
		if n.Kind() == analyzer.KindIfStatement {
			checkIf(pass, n)
		}
		return true
	})
}

// checkIf looks for `if (x == null) x = …`, `if (!flag) { …; flag = true; }`
// and `if (!dict.ContainsKey(k)) dict.Add(k, …)` on shared state.
func checkIf(pass *analyzer.Pass, ifs *analyzer.Node) {
	p := pass.Prog
	cond := analyzer.Unparen(ifs.ChildByField("condition"))
	body := ifs.ChildByField("consequence")
	if cond == nil || body == nil || p.Synchronized(ifs) {
		return
	}
	header := analyzer.HeaderNode(ifs, cond)
	if f, flag := testedField(p, cond); f != nil && p.IsSharedState(f) && !analyzer.IsThreadAffine(f) {
		writes := writesTo(p, f, body)
		writes = append(writes, laterWritesInBlock(p, f, ifs, flag)...)
		if len(writes) == 0 {
			return
		}
		unsynced := false
		for _, w := range writes {
			if !p.Synchronized(w) {
				unsynced = true
			}
		}
		switch {
		case unsynced:
			r := pass.ReportField(f, header, "check-then-act on %s: concurrent invocations can all pass this check before any assigns it, so initialization runs more than once; use Lazy<T>, LazyInitializer.EnsureInitialized or a lock",
				f.Describe())
			r.Covers = writes
		case flag && !f.Volatile:
			r := pass.ReportField(f, header, "double-checked flag %s is not volatile: another invocation can see it set before the state it guards (ARM64 reorders the writes); declare it volatile, or use Lazy<T>",
				f.Describe())
			r.Covers = writes
		}
		return
	}
	// if (!dict.ContainsKey(k)) dict.Add(k, v) / dict[k] = v
	if cond.Kind() == analyzer.KindPrefixUnary && cond.HasToken("!") {
		call := analyzer.Unparen(cond.FirstNamed())
		if call == nil || call.Kind() != analyzer.KindInvocation {
			return
		}
		name, recv := analyzer.CalleeName(call)
		if (name != "ContainsKey" && name != "Contains" && name != "TryGetValue") || recv == nil {
			return
		}
		f := p.FieldOf(recv)
		if f == nil || !p.IsSharedState(f) || !analyzer.IsUnsafeCollection(f.ValueTypeName()) {
			return
		}
		var writes []*analyzer.Node
		for _, a := range p.AccessesOf(f) {
			if body.Contains(a.Expr) && (a.Kind == analyzer.MemberCall && len(a.Chain) == 1 && collectionMutators[a.Chain[0]] ||
				a.Kind == analyzer.MemberAssign && len(a.Chain) == 1 && a.Chain[0] == "[]") && !p.Synchronized(a.Expr) {
				writes = append(writes, a.Expr)
			}
		}
		if len(writes) > 0 {
			r := pass.ReportField(f, header, "check-then-act on %s: another invocation can add the key between `%s` and the write, which then throws or overwrites; use ConcurrentDictionary.GetOrAdd/TryAdd or a lock",
				f.Describe(), name)
			r.Covers = writes
		}
	}
}

// testedField recognizes `x == null`, `null == x`, `x is null`, `x == default`,
// `!flag` and `flag == false`, returning the field and whether it is a flag.
func testedField(p *analyzer.Program, cond *analyzer.Node) (*analyzer.Field, bool) {
	switch cond.Kind() {
	case analyzer.KindPrefixUnary:
		if cond.HasToken("!") {
			operand := analyzer.Unparen(cond.FirstNamed())
			if f := p.FieldOf(operand); f != nil && isBool(f) {
				return f, true
			}
		}
	case analyzer.KindBinary:
		op := cond.ChildByField("operator").Text()
		if op != "==" {
			return nil, false
		}
		l, r := analyzer.Unparen(cond.ChildByField("left")), analyzer.Unparen(cond.ChildByField("right"))
		for _, pair := range [][2]*analyzer.Node{{l, r}, {r, l}} {
			switch pair[1].Kind() {
			case analyzer.KindNullLiteral, analyzer.KindDefaultExpression:
				if f := p.FieldOf(pair[0]); f != nil {
					return f, false
				}
			case analyzer.KindBooleanLiteral:
				if pair[1].Text() == "false" {
					if f := p.FieldOf(pair[0]); f != nil && isBool(f) {
						return f, true
					}
				}
			}
			if pair[1].Text() == "default" {
				if f := p.FieldOf(pair[0]); f != nil {
					return f, false
				}
			}
		}
	case analyzer.KindIsPattern:
		pat := cond.ChildByField("pattern")
		if pat != nil && strings.TrimSpace(pat.Text()) == "null" {
			if f := p.FieldOf(cond.ChildByField("expression")); f != nil {
				return f, false
			}
		}
	}
	return nil, false
}

func isBool(f *analyzer.Field) bool {
	t := strings.TrimSpace(f.TypeName)
	return t == "bool" || t == "Boolean"
}

// writesTo returns the assignments to f under n.
func writesTo(p *analyzer.Program, f *analyzer.Field, n *analyzer.Node) []*analyzer.Node {
	var out []*analyzer.Node
	for _, a := range p.AccessesOf(f) {
		if a.IsWrite() && n.Contains(a.Expr) {
			out = append(out, a.Expr)
		}
	}
	return out
}

// laterWritesInBlock finds `flag = true` after `if (!flag) { … }` in the same block.
func laterWritesInBlock(p *analyzer.Program, f *analyzer.Field, ifs *analyzer.Node, flag bool) []*analyzer.Node {
	if !flag || ifs.Parent() == nil || ifs.Parent().Kind() != analyzer.KindBlock {
		return nil
	}
	var out []*analyzer.Node
	for _, a := range p.AccessesOf(f) {
		if a.Kind == analyzer.Assign && ifs.Parent().Contains(a.Expr) && a.Expr.Start() > ifs.End() {
			out = append(out, a.Expr)
		}
	}
	return out
}
