using Microsoft.AspNetCore.Builder;

// A plain ASP.NET Core app (a local emulator), not hosted in Lambda: its
// endpoints are not Lambda entry points, even though other projects of the
// repository are Lambda functions.
var app = WebApplication.CreateBuilder(args).Build();
var hits = 0;
app.MapGet("/", () => { Counter.Total++; return hits; });
app.Run();

static class Counter
{
    public static int Total;
}
