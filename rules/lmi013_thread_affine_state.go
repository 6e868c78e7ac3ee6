package rules

import "github.com/lmilint/lmilint/analyzer"

// ThreadAffineState flags [ThreadStatic] and ThreadLocal<T> use on the request path.
var ThreadAffineState = &analyzer.Rule{
	ID:        "LMI013",
	Name:      "thread-affine-state",
	Title:     "[ThreadStatic] or ThreadLocal<T> state used on the request path",
	Level:     analyzer.LevelWarning,
	CWE:       []int{567},
	Precision: "high",
	Why: "`[ThreadStatic]` fields and `ThreadLocal<T>` keep one value per thread, not per request. With async " +
		"code and concurrent invocations, one thread runs parts of many requests one after another, and one " +
		"request continues on another thread after each `await`: values leak from one request into another " +
		"and are lost across awaits.",
	Bad: `public class Function
{
    [ThreadStatic] private static string _tenant;

    public async Task<string> Handler(Request request, ILambdaContext context)
    {
        _tenant = request.Tenant;
        await Task.Delay(10);
        return _tenant;
    }
}`,
	Good: `public class Function
{
    private static readonly AsyncLocal<string> Tenant = new();

    public async Task<string> Handler(Request request, ILambdaContext context)
    {
        Tenant.Value = request.Tenant;
        await Task.Delay(10);
        return Tenant.Value;
    }
}`,
	Fix: "Pass the state explicitly, or use `AsyncLocal<T>`, which flows with each request's async context.",
	Run: runThreadAffineState,
}

func runThreadAffineState(pass *analyzer.Pass) {
	p := pass.Prog
	for _, a := range p.Accesses() {
		if !analyzer.IsThreadAffine(a.Field) {
			continue
		}
		kind := "[ThreadStatic] field"
		if !a.Field.HasAttribute("ThreadStatic") {
			kind = "ThreadLocal<T> field"
		}
		pass.ReportField(a.Field, a.Ref, "%s `%s` keeps one value per thread, not per request: with async code and concurrent invocations values leak between requests and are lost across await; use AsyncLocal<T> or pass the state explicitly",
			kind, a.Field.QualifiedName())
	}
}
