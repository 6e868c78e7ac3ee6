package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// SharedMutableStatic flags writes to static state on the request path.
var SharedMutableStatic = &analyzer.Rule{
	ID:        "LMI001",
	Name:      "shared-mutable-static",
	Title:     "Static field or property assigned on the request path",
	Level:     analyzer.LevelError,
	CWE:       []int{362, 567},
	Precision: "high",
	Why: `A static field belongs to the process. On Lambda Managed Instances one process runs many
invocations at the same time, so a value one request stores in a static field is overwritten by,
and visible to, every other request in flight. When the value is per-request data (the request,
the user, the ` + "`ILambdaContext`" + `), one user's data ends up in another user's response.`,
	Bad: `public class Function
{
    private static string _userId;

    public string Handler(Request request, ILambdaContext context)
    {
        _userId = request.UserId;
        return Load(_userId);
    }
}`,
	Good: `public class Function
{
    public string Handler(Request request, ILambdaContext context)
    {
        var userId = request.UserId;
        return Load(userId);
    }
}`,
	Fix: "Keep per-request data in locals or parameters. For process-wide caches use `static readonly` " +
		"fields initialized once, `Lazy<T>`, or a `ConcurrentDictionary`; guard anything else with a `lock`.",
	Run: runSharedMutableStatic,
}

func runSharedMutableStatic(pass *analyzer.Pass) {
	p := pass.Prog
	for _, a := range p.Accesses() {
		f := a.Field
		if !f.Static || f.Const || analyzer.IsThreadAffine(f) || p.Synchronized(a.Expr) {
			continue
		}
		switch a.Kind {
		case analyzer.Assign, analyzer.RefArg, analyzer.Deconstruct:
			if analyzer.IsAsyncLocal(f) {
				continue
			}
			msg := f.Describe() + " is assigned while concurrent invocations read and write it"
			if param := perRequestSource(p, a); param != "" {
				msg += "; it stores per-request data (`" + param + "`) in process-wide state, so one request can see another's"
			}
			pass.ReportField(a.Field, a.Expr, "%s; keep per-request values in locals, or initialize it once (static readonly, Lazy<T>) or guard it with a lock", msg)
		case analyzer.MemberAssign:
			// `_endpoint.Host = h` on a static object of a type outside the project.
			if len(a.Chain) == 0 || a.Chain[0] == "[]" || p.LookupType(f.ValueTypeName()) != nil ||
				analyzer.IsAsyncLocal(f) || analyzer.IsUnsafeCollection(f.ValueTypeName()) {
				continue
			}
			pass.ReportField(a.Field, a.Expr, "%s is changed through `%s` while concurrent invocations share the object; create a per-request object or guard it with a lock",
				"the object in "+f.Describe(), f.Name+"."+strings.Join(a.Chain, "."))
		}
	}
}

// perRequestSource names the handler parameter a written value comes from, if
// the write is in an entry point and its value mentions one.
func perRequestSource(p *analyzer.Program, a *analyzer.Access) string {
	if a.Unit == nil || a.Expr.Kind() != analyzer.KindAssignment {
		return ""
	}
	isEntry := false
	for _, ep := range p.EntryPoints {
		if ep.Method == a.Unit {
			isEntry = true
		}
	}
	if !isEntry {
		return ""
	}
	params := map[string]bool{}
	for _, prm := range a.Unit.Params {
		params[prm.Name] = true
	}
	found := ""
	a.Expr.ChildByField("right").Walk(func(n *analyzer.Node) bool {
		if found == "" && n.Kind() == analyzer.KindIdentifier && params[n.Text()] {
			found = n.Text()
		}
		return found == ""
	})
	return found
}
