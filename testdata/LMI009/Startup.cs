using Amazon.Lambda.Annotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Registrations;

[LambdaStartup]
public class Startup
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<RequestCache>();
        services.AddSingleton<ReportService>(); // want LMI009 "scoped service `IUnitOfWork`"
        services.AddSingleton<IPricing, PricingService>(); // want LMI009 "RequestCache"
        services.AddSingleton<ShopDbContext>(); // want LMI009 "DbContext `ShopDbContext`"
        services.AddDbContext<ShopDbContext>(o => o.UseSqlite("x"), ServiceLifetime.Singleton); // want LMI009 "ServiceLifetime.Singleton"
        services.AddDbContext<ShopDbContext>(o => o.UseSqlite("x"));
        services.AddSingleton<Clock>();
        services.AddScoped<OrderHandler>();
        services.AddTransient<Formatter>();
    }
}

public interface IUnitOfWork { }
public class UnitOfWork : IUnitOfWork { }
public class RequestCache { }
public interface IPricing { }

public class ReportService
{
    public ReportService(IUnitOfWork unitOfWork) { }
}

public class PricingService : IPricing
{
    public PricingService(RequestCache cache, Clock clock) { }
}

public class Clock { }

public class OrderHandler
{
    public OrderHandler(IUnitOfWork unitOfWork, Clock clock) { }
}

public class Formatter
{
    public Formatter(Clock clock) { }
}

public class ShopDbContext : DbContext { }
