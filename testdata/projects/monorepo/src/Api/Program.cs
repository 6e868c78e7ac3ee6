using System.Collections.Generic;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAWSLambdaHosting(LambdaEventSource.HttpApi);
var app = builder.Build();
var seen = new List<string>();
Stats.Started++;

app.MapGet("/items/{id}", (string id) =>
{
    Stats.Requests++; // want LMI005
    return id;
});
app.MapPost("/items", AddItem);
app.Run();

static string AddItem(string name)
{
    Stats.LastName = name; // want LMI001
    return name;
}

static class Stats
{
    public static int Started;
    public static int Requests;
    public static string LastName;
}
