// A header comment and a directive come before the usings; the fix must see
// that System.Threading is already imported and not add it again.
#nullable enable
using System;
using System.Threading;
using Amazon.Lambda.Core;

namespace Fixes.Gauges;

public class Gauges
{
    private static int _open;

    public void Handler(string input, ILambdaContext context)
    {
        _open++;
        Console.WriteLine(input);
    }
}
