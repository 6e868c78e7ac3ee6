using System.Diagnostics.CodeAnalysis;
using Amazon.Lambda.Core;

namespace Suppressed;

public class Function
{
    private static int _a;
    private static int _b;
    private static string _c;
    private static string _d;

    public void Handler(string input, ILambdaContext context)
    {
        // lmilint-disable-next-line LMI005 -- counter is approximate by design
        _a++;
        _b++; // lmilint-disable-line LMI005, LMI001 -- also approximate
        _a++; // want LMI005
        // lmilint-disable-next-line LMI001
        _a++; // want LMI005
#pragma warning disable LMI001 // migration ticket 42
        _c = input;
        _d = input;
#pragma warning restore LMI001
        _c = input; // want LMI001
#pragma warning disable CS1591, LMI005
        _b++;
#pragma warning restore
        _b++; // want LMI005
        // lmilint-disable-next-line LMI999
        _d = input; // want LMI001
        // lmilint-disable-next-line
        _d = input; // want LMI001
        // lmilint-disable-next-line CA2000
        _d = input; // want LMI001
        new Helper().Run(input);
        Other.Run(input);
    }
}

public class Helper
{
    private static int _count;

    [SuppressMessage("lmilint", "LMI005", Justification = "metrics only")]
    public void Run(string input)
    {
        _count++;
    }
}

[SuppressMessage("Concurrency", "LMI001:shared-mutable-static")]
public static class Other
{
    private static string _last;

    public static void Run(string input)
    {
        _last = input;
    }
}
