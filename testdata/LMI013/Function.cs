using System.Threading;
using System.Threading.Tasks;
using Amazon.Lambda.Core;

namespace Threads;

public class Function
{
    [ThreadStatic] private static string _tenant;
    private static readonly ThreadLocal<int> Depth = new ThreadLocal<int>(() => 0);
    private static readonly AsyncLocal<string> Flow = new AsyncLocal<string>();

    static Function()
    {
        _tenant = "init";
    }

    public async Task<string> Handler(string tenant, ILambdaContext context)
    {
        _tenant = tenant; // want LMI013 "ThreadStatic"
        Depth.Value++; // want LMI013 "ThreadLocal"
        await Task.Delay(1);
        Flow.Value = tenant;
        var current = Flow.Value;
        return _tenant + current; // want LMI013
    }
}
