using System;
using System.Threading.Tasks;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Amazon.Lambda.Serialization.SystemTextJson;

Settings.Load();
Func<string, ILambdaContext, Task<string>> handler = async (input, context) =>
{
    Settings.LastInput = input; // want LMI001 "Settings.LastInput"
    await Task.Delay(1);
    return input.ToUpperInvariant();
};

await LambdaBootstrapBuilder.Create(handler, new DefaultLambdaJsonSerializer())
    .Build()
    .RunAsync();

static class Settings
{
    public static string LastInput;
    public static string Region;

    public static void Load()
    {
        Region = Environment.GetEnvironmentVariable("AWS_REGION");
    }
}
