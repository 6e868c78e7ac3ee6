package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// CaptiveDependency flags singletons that capture scoped services.
var CaptiveDependency = &analyzer.Rule{
	ID:        "LMI009",
	Name:      "captive-dependency",
	Title:     "Singleton depends on a scoped service, or a DbContext is a singleton",
	Level:     analyzer.LevelWarning,
	CWE:       []int{488},
	Precision: "high",
	AnyCode:   true,
	Why: `A singleton is created once, so the scoped service it receives in its constructor is created once
too and then shared by every request: the scope boundary is lost. Under Lambda Managed Instances
concurrent invocations then use one ` + "`DbContext`" + `, one unit of work or one per-request cache at the
same time. A ` + "`DbContext`" + ` registered as a singleton has the same problem directly.`,
	Bad: `public class Startup
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddSingleton<OrderService>();
    }
}

public class OrderService
{
    public OrderService(IUnitOfWork unitOfWork) { }
}

public class UnitOfWork : IUnitOfWork { }
public interface IUnitOfWork { }`,
	Good: `public class Startup
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<OrderService>();
    }
}

public class OrderService
{
    public OrderService(IUnitOfWork unitOfWork) { }
}

public class UnitOfWork : IUnitOfWork { }
public interface IUnitOfWork { }`,
	Fix: "Register the consumer with the same or a shorter lifetime, or inject `IServiceScopeFactory` and " +
		"create a scope per request; use `AddDbContextFactory` for contexts needed by singletons.",
	Run: runCaptiveDependency,
}

func runCaptiveDependency(pass *analyzer.Pass) {
	p := pass.Prog
	scoped := map[string]bool{}
	for _, r := range p.Registrations {
		if r.Lifetime == analyzer.Scoped {
			scoped[analyzer.SimpleTypeName(r.Service)] = true
			scoped[analyzer.SimpleTypeName(r.Impl)] = true
		}
	}
	for _, r := range p.Registrations {
		if r.Lifetime != analyzer.Singleton {
			continue
		}
		if r.Method == "AddDbContext" {
			pass.Report(r.Node, "DbContext `%s` is registered with ServiceLifetime.Singleton, so concurrent invocations share one context, which is not thread-safe; keep it scoped or use AddDbContextFactory",
				analyzer.SimpleTypeName(r.Service))
			continue
		}
		impl := r.Impl
		if impl == "" {
			impl = r.Service
		}
		t := p.LookupType(impl)
		if t != nil && p.DerivesFrom(t, "DbContext") || t == nil && strings.HasSuffix(analyzer.SimpleTypeName(impl), "DbContext") {
			pass.Report(r.Node, "DbContext `%s` is registered as a singleton, so concurrent invocations share one context, which is not thread-safe; keep it scoped or use AddDbContextFactory",
				analyzer.SimpleTypeName(impl))
			continue
		}
		if t == nil {
			continue
		}
		for _, m := range t.Methods {
			if m.Kind != analyzer.MethodConstructor {
				continue
			}
			for _, prm := range m.Params {
				if scoped[analyzer.SimpleTypeName(prm.TypeName)] {
					pass.Report(r.Node, "singleton `%s` takes scoped service `%s` in its constructor, so one instance of it is shared by every concurrent request; register `%s` as scoped, or inject IServiceScopeFactory",
						t.Name, analyzer.SimpleTypeName(prm.TypeName), t.Name)
				}
			}
		}
	}
}
