package rules

import (
	"github.com/lmilint/lmilint/analyzer"
)

// UnsynchronizedSharedCollection flags mutation of shared non-thread-safe collections.
var UnsynchronizedSharedCollection = &analyzer.Rule{
	ID:        "LMI002",
	Name:      "unsynchronized-shared-collection",
	Title:     "Shared non-thread-safe collection mutated on the request path",
	Level:     analyzer.LevelError,
	CWE:       []int{362, 567},
	Precision: "high",
	Why: `` + "`List<T>`, `Dictionary<K,V>`, `HashSet<T>`" + ` and the other classic collections are not safe for
concurrent writers. When two invocations add to the same shared dictionary at once, the internal
arrays can be corrupted: entries vanish, lookups loop forever, or an ` + "`InvalidOperationException`" + `
is thrown in an unrelated request. On Lambda Managed Instances a static or handler-field
collection is mutated by every concurrent invocation.`,
	Bad: `public class Function
{
    private static readonly Dictionary<string, Product> Cache = new();

    public Product Handler(string id, ILambdaContext context)
    {
        var product = Load(id);
        Cache[id] = product;
        return product;
    }
}`,
	Good: `public class Function
{
    private static readonly ConcurrentDictionary<string, Product> Cache = new();

    public Product Handler(string id, ILambdaContext context)
    {
        return Cache.GetOrAdd(id, Load);
    }
}`,
	Fix: "Use `ConcurrentDictionary`, `ConcurrentQueue` or `ConcurrentBag`, immutable collections updated " +
		"with `ImmutableInterlocked`, or guard every access with a `lock`.",
	Run: runUnsynchronizedSharedCollection,
}

var collectionMutators = map[string]bool{
	"Add": true, "AddRange": true, "Insert": true, "InsertRange": true, "Remove": true, "RemoveAt": true,
	"RemoveAll": true, "RemoveRange": true, "RemoveWhere": true, "Clear": true, "TryAdd": true,
	"Enqueue": true, "Dequeue": true, "TryDequeue": true, "Push": true, "Pop": true, "TryPop": true,
	"Sort": true, "Reverse": true, "AddFirst": true, "AddLast": true, "RemoveFirst": true, "RemoveLast": true,
	"UnionWith": true, "IntersectWith": true, "ExceptWith": true, "SymmetricExceptWith": true, "TrimExcess": true,
	"EnsureCapacity": true,
}

func runUnsynchronizedSharedCollection(pass *analyzer.Pass) {
	p := pass.Prog
	for _, a := range p.Accesses() {
		f := a.Field
		if !p.IsSharedState(f) || analyzer.IsThreadAffine(f) || !analyzer.IsUnsafeCollection(f.ValueTypeName()) || len(a.Chain) == 0 {
			continue
		}
		var what string
		switch {
		case a.Kind == analyzer.MemberCall && len(a.Chain) == 1 && collectionMutators[a.Chain[0]]:
			what = "`" + a.Chain[0] + "`"
		case a.Kind == analyzer.MemberAssign && len(a.Chain) == 1 && a.Chain[0] == "[]":
			what = "an indexer assignment"
		default:
			continue
		}
		if p.Synchronized(a.Expr) {
			continue
		}
		pass.ReportField(a.Field, a.Expr, "%s (a `%s`) is mutated with %s while concurrent invocations use it; use a concurrent collection (ConcurrentDictionary, ConcurrentQueue, ConcurrentBag) or guard every access with a lock",
			f.Describe(), analyzer.SimpleTypeName(f.ValueTypeName()), what)
	}
}
