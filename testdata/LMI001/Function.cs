using System;
using System.Threading;
using Amazon.Lambda.Core;

namespace Orders;

public class Function
{
    private static string _lastUser;
    private static int _counter;
    private static readonly string Region = "eu-west-1";
    private const int MaxItems = 10;
    public static string CurrentTenant { get; set; }
    private static readonly object Sync = new object();
    private static Config _config;
    private static readonly UriBuilder Endpoint = new UriBuilder("https://api.example.com");
    [ThreadStatic] private static string _threadUser;
    private static readonly AsyncLocal<string> Flow = new AsyncLocal<string>();
    private static (int, int) _pair;
    private static int _a, _b;
    private static Settings _settings;

    static Function()
    {
        _lastUser = "init";
        _config = LoadConfig();
    }

    public Function()
    {
        CurrentTenant = "default";
    }

    public string FunctionHandler(Request request, ILambdaContext context)
    {
        _lastUser = request.User; // want LMI001 "per-request data \(`request`\)"
        CurrentTenant = "tenant"; // want LMI001 "static property `Function.CurrentTenant`"
        Endpoint.Host = request.Host; // want LMI001 "Endpoint.Host"
        lock (Sync)
        {
            _lastUser = request.User;
        }
        var local = Region + MaxItems;
        Flow.Value = request.User;
        _threadUser = request.User; // want LMI013
        Swap(ref _lastUser); // want LMI001
        Interlocked.Exchange(ref _lastUser, "x");
        Volatile.Write(ref _counter, 1);
        (_a, _b) = (1, 2); // want LMI001 LMI001
        Helper(context);
        return local + _lastUser;
    }

    private void Helper(ILambdaContext context)
    {
        _config = new Config(); // want LMI001 "static field `Function._config`"
        _settings = null; // want LMI001
    }

    private static Config LoadConfig()
    {
        _config = new Config();
        return _config;
    }

    private static void Swap(ref string s) { }
}

public class Request
{
    public string User { get; set; }
    public string Host { get; set; }
}

public class Config
{
    public string Name;
}

public class Settings
{
}
