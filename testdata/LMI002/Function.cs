using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Amazon.Lambda.Core;

namespace Catalog
{
    public class Function
    {
        private static readonly Dictionary<string, string> Cache = new Dictionary<string, string>();
        private static readonly List<string> Seen = new();
        private static readonly ConcurrentDictionary<string, string> SafeCache = new();
        private static readonly IDictionary<string, int> Counts = new Dictionary<string, int>();
        private static readonly IDictionary<string, int> SafeCounts = new ConcurrentDictionary<string, int>();
        private static ImmutableList<string> _immutable = ImmutableList<string>.Empty;
        private static readonly Dictionary<string, string> ReadOnlyLookup = new() { ["a"] = "b" };
        private static readonly object Gate = new();
        private readonly HashSet<string> _ids = new HashSet<string>();
        private static readonly Queue<int> Work = new Queue<int>();
        private static readonly int[] Slots = new int[4];

        static Function()
        {
            Cache.Add("warm", "value");
            Seen.Add("start");
        }

        public string FunctionHandler(string key, ILambdaContext context)
        {
            Cache[key] = "v"; // want LMI002 "indexer assignment"
            Cache.Add(key, "v"); // want LMI002 "`Add`"
            Seen.Clear(); // want LMI002
            SafeCache[key] = "v";
            SafeCache.TryAdd(key, "v");
            Counts.Remove(key); // want LMI002 "Dictionary"
            SafeCounts.Remove(key);
            _ids.Add(key); // want LMI002 "field `Function._ids`"
            Work.Enqueue(1); // want LMI002
            Slots[0] = 1; // want LMI002
            lock (Gate)
            {
                Cache.Remove(key);
                Seen.Add(key);
            }
            var found = ReadOnlyLookup.TryGetValue(key, out var value);
            var count = Cache.Count;
            var local = new List<string>();
            local.Add(key);
            ImmutableInterlocked.Update(ref _immutable, l => l.Add(key));
            return value;
        }
    }
}
