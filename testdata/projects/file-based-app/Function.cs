#!/usr/bin/env dotnet
// A .NET 10 file-based Lambda function: `dotnet lambda deploy-function upper Function.cs`.
// The `#:` directives name its packages and properties; lmilint reads past them.
#:package Amazon.Lambda.Core@2.8.0
#:package Amazon.Lambda.RuntimeSupport@1.14.1
#:package Amazon.Lambda.Serialization.SystemTextJson@2.4.4
#:property TargetFramework=net10.0

using System.IO;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Amazon.Lambda.Serialization.SystemTextJson;

var handler = (string input, ILambdaContext context) =>
{
    Stats.Upper++; // want LMI005
    File.WriteAllText("/tmp/last-input.txt", input); // want LMI003
    File.WriteAllText(Path.Combine(Path.GetTempPath(), $"{context.AwsRequestId}.txt"), input);
    return input.ToUpper();
};

await LambdaBootstrapBuilder.Create(handler, new DefaultLambdaJsonSerializer())
    .Build()
    .RunAsync();

static class Stats
{
    public static int Upper;
}
