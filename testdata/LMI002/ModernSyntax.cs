using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Amazon.Lambda.Core;

namespace Inventory
{
    // C# 12 and 14 syntax the bundled grammar does not read on its own. Before
    // the parser's copy bridged it, the bodyless marker below took the handler
    // out of its namespace, and each statement marked here was an error.
    internal sealed class Marker;

    public interface IAudit;

    public class Tracked(string name) : Attribute;

    public class Function
    {
        private static readonly List<string> Seen = [];
        private static readonly HashSet<string> Tags = [ ];
        private static readonly ConcurrentBag<string> Bag = [];
        private static readonly Dictionary<Type, int> Levels = new() { [typeof(string)] = 0 };
        private static int[] _slots = [];
        private static Dictionary<string, string>? _cache;

        public string FunctionHandler(Order order, ILambdaContext context)
        {
            Seen.Add(order.Id); // want LMI002 "`Add`"
            Tags.Add(order.Id); // want LMI002 "`Add`"
            Bag.Add(order.Id);
            var type = order.GetType();
            Levels[type] = 1; // want LMI002 "indexer assignment"
            _slots?[0] = 1; // want LMI002
            _cache?[order.Id] = order.Id; // want LMI002 "indexer assignment"
            var local = new List<string>();
            local.Add(order.Id);
            string[] names = order.Lines.Count > 0 ? [order.Id] : [];
            return Describe(names, []);
        }

        private static string Describe(string[] names, List<int> counts) => $"{names.Length} [] {counts.Count}";
    }

    public class Order
    {
        public string Id { get; set; } = "";
        public List<string> Lines { get; set; } = [];
    }
}
