using Microsoft.Extensions.DependencyInjection;

namespace ShopApi;

public class Startup
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddControllers();
        services.AddSingleton<PriceCache>();
        services.AddScoped<CartService>();
        services.AddHttpClient("payments", c => c.DefaultRequestHeaders.Add("X-Api", "1"));
    }
}
