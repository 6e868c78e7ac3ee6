using Amazon.Lambda.Core;

namespace Fixes;

public class Counters
{
    private static int _hits;
    private static long _bytes;
    private int _errors;
    private static int _peak;

    public int Handler(int size, ILambdaContext context)
    {
        _hits++;
        _bytes += size;
        _errors -= 1;
        --_hits;
        var before = _hits++;
        var after = ++_hits;
        return before + after;
    }
}
