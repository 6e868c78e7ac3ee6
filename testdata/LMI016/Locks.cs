using System;
using Amazon.Lambda.Core;

namespace Locks;

public class Locks
{
    private static readonly object Gate = new object();
    private static object _swappable = new object();
    private readonly object _instanceGate = new object();
    private static readonly string Name = "name";
    private static int _count;

    public void Handler(string input, ILambdaContext context)
    {
        lock (this) { _count += 0; } // want LMI016 "instance"
        lock ((this)) { _count += 0; } // want LMI016 "instance"
        lock (typeof(Locks)) { } // want LMI016 "Type"
        lock (GetType()) { } // want LMI016
        lock ("literal") { } // want LMI016 "string"
        lock (Name) { } // want LMI016 "string"
        lock (input) { } // want LMI016 "string"
        lock (new object()) // want LMI016 "new object"
        {
            _count++; // want LMI005
        }
        var fresh = new object();
        lock (fresh) { } // want LMI016
        lock (_swappable) { } // want LMI016 "not readonly"
        lock (Gate) { _count++; }
        lock (_instanceGate) { }
    }
}
