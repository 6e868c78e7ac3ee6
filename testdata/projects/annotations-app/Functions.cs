using System.Collections.Generic;
using System.Threading.Tasks;
using Amazon.Lambda.Annotations;
using Amazon.Lambda.Annotations.APIGateway;
using Amazon.Lambda.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotationsApp;

[LambdaStartup]
public class Startup
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<ICatalog, Catalog>();
        services.AddScoped<IBasket, Basket>();
        Catalog.Warm();
    }
}

public class Functions
{
    private readonly ICatalog _catalog;
    private string _lastSku;

    public Functions(ICatalog catalog)
    {
        _catalog = catalog;
    }

    [LambdaFunction]
    [HttpApi(LambdaHttpMethod.Get, "/items/{sku}")]
    public async Task<string> GetItem(string sku, [FromServices] IBasket basket)
    {
        _lastSku = sku; // want LMI006 "handler class"
        basket.Add(sku);
        return await _catalog.FindAsync(sku);
    }
}

public interface ICatalog
{
    Task<string> FindAsync(string sku);
}

public class Catalog : ICatalog
{
    private static readonly Dictionary<string, string> Seed = new Dictionary<string, string>();
    private int _lookups;

    public static void Warm()
    {
        Seed["a"] = "warm";
    }

    public Task<string> FindAsync(string sku)
    {
        _lookups++; // want LMI005 "registered as a DI singleton|Catalog._lookups"
        return Task.FromResult(sku);
    }
}

public interface IBasket
{
    void Add(string sku);
}

// Scoped: one per request, so its fields are not shared.
public class Basket : IBasket
{
    private readonly List<string> _items = new List<string>();

    public void Add(string sku)
    {
        _items.Add(sku);
    }
}
