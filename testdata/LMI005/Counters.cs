using System.Threading;
using Amazon.Lambda.Core;

namespace Metrics;

public class Counters
{
    private static int _requests;
    private static long _bytes;
    private int _instanceCount;
    private static double _total;
    private static int _guarded;
    private static readonly object Lock = new object();
    private static int _safe;
    private static string _log = "";
    private static int _volatileSafe;
    private static readonly SemaphoreSlim Semaphore = new SemaphoreSlim(1, 1);

    static Counters()
    {
        _requests++;
    }

    public Counters()
    {
        _instanceCount += 5;
    }

    public int Handler(Payload payload, ILambdaContext context)
    {
        _requests++; // want LMI005 "Interlocked.Increment\(ref _requests\)"
        _bytes += payload.Size; // want LMI005 "Interlocked.Add"
        _instanceCount--; // want LMI005 "field `Counters._instanceCount`"
        _total *= 1.5; // want LMI005 "lock"
        _requests = _requests + 1; // want LMI005 "from its own value"
        var before = _requests++; // want LMI005
        _log += payload.Name; // want LMI005
        lock (Lock)
        {
            _guarded++;
        }
        Interlocked.Increment(ref _safe);
        Interlocked.Add(ref _bytes, 10);
        var local = 0;
        local++;
        payload.Size++;
        Monitor.Enter(Lock);
        try
        {
            _guarded += 2;
        }
        finally
        {
            Monitor.Exit(Lock);
        }
        _guarded++; // want LMI005
        return before;
    }

    public async System.Threading.Tasks.Task Async(Payload payload, ILambdaContext context)
    {
        await Semaphore.WaitAsync();
        try
        {
            _volatileSafe++;
        }
        finally
        {
            Semaphore.Release();
        }
        _volatileSafe++; // want LMI005
    }
}

public class Payload
{
    public int Size { get; set; }
    public string Name { get; set; }
}
