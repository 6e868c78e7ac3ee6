using System;
using System.Collections.Generic;
using System.Collections.Concurrent;
using System.Threading;
using Amazon.Lambda.Core;

namespace Init;

public class Function
{
    private static Client _client;
    private static Client _other;
    private static Client _locked;
    private static Client _patterned;
    private static bool _initialized;
    private static bool _flagDcl;
    private static volatile bool _volatileFlag;
    private static Client _lazyInit;
    private static readonly object Gate = new object();
    private static readonly Dictionary<string, string> Cache = new Dictionary<string, string>();
    private static readonly ConcurrentDictionary<string, string> Safe = new ConcurrentDictionary<string, string>();
    private static readonly Lazy<Client> LazyClient = new Lazy<Client>(() => new Client());
    private Client _instance;

    public string Handler(string key, ILambdaContext context)
    {
        if (_client == null) // want LMI007 "check-then-act"
        {
            _client = new Client();
        }
        _other ??= new Client(); // want LMI007 "\?\?="
        if (_patterned is null) _patterned = new Client(); // want LMI007
        if (!_initialized) // want LMI007
        {
            Setup();
            _initialized = true;
        }
        if (_locked == null)
        {
            lock (Gate)
            {
                if (_locked == null)
                {
                    _locked = new Client();
                }
            }
        }
        if (!_flagDcl) // want LMI007 "not volatile"
        {
            lock (Gate)
            {
                if (!_flagDcl)
                {
                    Setup();
                    _flagDcl = true;
                }
            }
        }
        if (!_volatileFlag)
        {
            lock (Gate)
            {
                if (!_volatileFlag)
                {
                    Setup();
                    _volatileFlag = true;
                }
            }
        }
        if (!Cache.ContainsKey(key)) // want LMI007 "ContainsKey"
        {
            Cache.Add(key, "value");
        }
        Safe.GetOrAdd(key, k => "value");
        LazyInitializer.EnsureInitialized(ref _lazyInit, () => new Client());
        var c = LazyClient.Value;
        if (_instance == null) // want LMI007 "field `Function._instance`"
        {
            _instance = new Client();
        }
        return key;
    }

    private static void Setup() { }
}

public class Client { }
