using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.DataModel;
using Amazon.Lambda.Core;
using Microsoft.EntityFrameworkCore;

namespace Hashing;

public class Function
{
    private static readonly Random Rng = new Random();
    private static readonly SHA256 Hasher = SHA256.Create();
    private static readonly StringBuilder Buffer = new StringBuilder();
    private readonly Stopwatch _watch = new Stopwatch();
    private static readonly Regex Pattern = new Regex("a+");
    private static readonly DynamoDBContext DbContext = new DynamoDBContext(null);
    private readonly ShopContext _db = new ShopContext();
    private static readonly object Gate = new object();
    private static readonly Encoding Utf8 = Encoding.UTF8;

    public Function()
    {
        Buffer.Append("init");
        _watch.Start();
    }

    public string Handler(string input, ILambdaContext context)
    {
        var n = Rng.Next(10); // want LMI008 "Random.Shared"
        var hash = Hasher.ComputeHash(Utf8.GetBytes(input)); // want LMI008 "SHA256"
        Buffer.Append(input); // want LMI008
        var elapsed = _watch.ElapsedMilliseconds; // want LMI008 "Stopwatch"
        var orders = _db.Orders; // want LMI008 "DbContext"
        lock (Gate)
        {
            Buffer.Clear();
        }
        var ok = Pattern.IsMatch(input);
        var shared = Random.Shared.Next(10);
        using var md5 = MD5.Create();
        var local = md5.ComputeHash(Utf8.GetBytes(input));
        var sb = new StringBuilder();
        sb.Append(input);
        var loaded = DbContext.LoadAsync<Order>(input);
        return input + n + elapsed;
    }
}

public class ShopContext : DbContext
{
    public DbSet<Order> Orders { get; set; }
}

public class Order { }
