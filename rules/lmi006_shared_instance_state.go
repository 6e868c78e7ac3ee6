package rules

import "github.com/lmilint/lmilint/analyzer"

// SharedInstanceState flags writes to fields of shared instances on the request path.
var SharedInstanceState = &analyzer.Rule{
	ID:        "LMI006",
	Name:      "shared-instance-state",
	Title:     "Field of a shared instance assigned on the request path",
	Level:     analyzer.LevelError,
	CWE:       []int{488, 567},
	Precision: "high",
	Why: `Lambda creates the handler class once per execution environment and calls its handler method for
every request. On Lambda Managed Instances those calls run at the same time on the same object, so
a field assigned in the handler (` + "`_context = context`" + `, ` + "`_userId = request.UserId`" + `) is overwritten by a
concurrent request before the first one is done with it. The same holds for DI singletons and for
objects the handler creates once and keeps.`,
	Bad: `public class Function
{
    private ILambdaContext _context;

    public string Handler(string input, ILambdaContext context)
    {
        _context = context;
        return Process(input);
    }

    private string Process(string input) => _context.AwsRequestId + input;
}`,
	Good: `public class Function
{
    public string Handler(string input, ILambdaContext context)
    {
        return Process(input, context);
    }

    private static string Process(string input, ILambdaContext context) => context.AwsRequestId + input;
}`,
	Fix: "Pass per-request values as parameters or keep them in locals; assign fields only in the constructor. " +
		"If the state must be shared, make it immutable or guard it with a lock.",
	Run: runSharedInstanceState,
}

func runSharedInstanceState(pass *analyzer.Pass) {
	p := pass.Prog
	for _, a := range p.Accesses() {
		f := a.Field
		if f.Static || !p.IsSharedState(f) || analyzer.IsAsyncLocal(f) || analyzer.IsThreadAffine(f) {
			continue
		}
		switch a.Kind {
		case analyzer.Assign, analyzer.RefArg, analyzer.Deconstruct:
		default:
			continue
		}
		// A write through another object (`other._x = …`) is only shared state
		// when that object is; the receiver is this one in the common case.
		if p.Synchronized(a.Expr) {
			continue
		}
		_, why := p.SharedType(f.Owner)
		pass.ReportField(f, a.Expr, "%s is assigned on the request path, but `%s` is shared by concurrent invocations (%s); pass the value as a parameter or keep it in a local",
			f.Describe(), f.Owner.Name, why)
	}
}
