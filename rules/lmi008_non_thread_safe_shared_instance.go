package rules

import "github.com/lmilint/lmilint/analyzer"

// NonThreadSafeSharedInstance flags uses of shared objects whose types are not thread-safe.
var NonThreadSafeSharedInstance = &analyzer.Rule{
	ID:        "LMI008",
	Name:      "non-thread-safe-shared-instance",
	Title:     "Shared instance of a non-thread-safe type used on the request path",
	Level:     analyzer.LevelWarning,
	CWE:       []int{362},
	Precision: "high",
	Why: "`Random`, `StringBuilder`, `MemoryStream`, writers, hash algorithms (`SHA256`, `HMACSHA256`, …), " +
		"EF Core `DbContext`s, database connections and commands, `XmlDocument` and `Stopwatch` keep mutable " +
		"state and document that instance members are not thread-safe. Kept in a static or handler field and " +
		"used by concurrent invocations they return wrong hashes, mix two requests' output, or corrupt " +
		"themselves (a shared `Random` starts returning only zeros).",
	Bad: `public class Function
{
    private static readonly SHA256 Hasher = SHA256.Create();

    public string Handler(string input, ILambdaContext context)
    {
        var hash = Hasher.ComputeHash(Encoding.UTF8.GetBytes(input));
        return Convert.ToHexString(hash);
    }
}`,
	Good: `public class Function
{
    public string Handler(string input, ILambdaContext context)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        return Convert.ToHexString(hash);
    }
}`,
	Fix: "Create the object per request (they are cheap), use the static thread-safe API (`Random.Shared`, " +
		"`SHA256.HashData`), use a factory (`IDbContextFactory`), or guard the shared instance with a lock.",
	Run: runNonThreadSafeSharedInstance,
}

func runNonThreadSafeSharedInstance(pass *analyzer.Pass) {
	p := pass.Prog
	for _, a := range p.Accesses() {
		switch a.Kind {
		case analyzer.MemberCall, analyzer.MemberRead, analyzer.MemberAssign:
		default:
			continue
		}
		f := a.Field
		if !p.IsSharedState(f) || analyzer.IsThreadAffine(f) {
			continue
		}
		typ := f.ValueTypeName()
		name := analyzer.SimpleTypeName(typ)
		if !analyzer.IsNonThreadSafeType(typ) {
			t := p.LookupType(typ)
			if t == nil || !p.DerivesFrom(t, "DbContext") {
				continue
			}
			name = t.Name + " (a DbContext)"
		}
		use := a.Ref.Parent() // the member access on the field: one finding per use
		if use == nil || use.Kind() != analyzer.KindMemberAccess && use.Kind() != analyzer.KindConditionalAccess {
			use = a.Expr
		}
		if p.Synchronized(use) {
			continue
		}
		advice := "create one per request or guard it with a lock"
		if name == "Random" {
			advice = "use Random.Shared"
		}
		pass.ReportField(f, use, "%s is a `%s`, which is not thread-safe, and concurrent invocations use it here; %s",
			f.Describe(), name, advice)
	}
}
