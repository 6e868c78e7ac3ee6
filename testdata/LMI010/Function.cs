using System;
using System.Globalization;
using System.IO;
using System.Net;
using Amazon;
using Amazon.Lambda.Core;
using Newtonsoft.Json;

namespace Globals;

public class Function
{
    private static readonly bool SingleConcurrency = Environment.GetEnvironmentVariable("AWS_LAMBDA_MAX_CONCURRENCY") == "1";

    static Function()
    {
        Environment.SetEnvironmentVariable("INIT", "1");
        AWSConfigs.AWSRegion = "eu-west-1";
    }

    public Function()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
    }

    public string Handler(Request request, ILambdaContext context)
    {
        Environment.SetEnvironmentVariable("TENANT", request.Tenant); // want LMI010 "SetEnvironmentVariable"
        Environment.CurrentDirectory = "/tmp"; // want LMI010
        Directory.SetCurrentDirectory("/tmp"); // want LMI010
        CultureInfo.DefaultThreadCurrentCulture = new CultureInfo(request.Culture); // want LMI010 "DefaultThreadCurrentCulture"
        Console.SetOut(TextWriter.Null); // want LMI010
        ServicePointManager.DefaultConnectionLimit = 10; // want LMI010
        JsonConvert.DefaultSettings = () => new JsonSerializerSettings(); // want LMI010
        AWSConfigs.LoggingConfig.LogTo = LoggingOptions.Console; // want LMI010 "AWSConfigs"
        System.Diagnostics.Trace.Listeners.Clear(); // want LMI010
        CultureInfo.CurrentCulture = new CultureInfo(request.Culture);
        CultureInfo.CurrentUICulture = new CultureInfo(request.Culture);
        if (Environment.GetEnvironmentVariable("AWS_LAMBDA_MAX_CONCURRENCY") == "1")
        {
            Environment.SetEnvironmentVariable("TENANT", request.Tenant);
        }
        if (SingleConcurrency)
        {
            Directory.SetCurrentDirectory("/tmp");
        }
        return request.Tenant;
    }
}

public class Request
{
    public string Tenant { get; set; }
    public string Culture { get; set; }
}
