using System.Collections.Generic;
using System.Text.Json;

namespace Inventory
{
    // C# 12 and 14 syntax that the bundled grammar does not read on its own:
    // a bodyless class, empty collection expressions and a null-conditional
    // assignment. Before lmilint's parser bridged them, the file was a syntax
    // error from the marker on, and the write through `_stats?.` went
    // unreported.
    internal sealed class Marker;

    public record Reservation(string Sku, int Quantity);

    public class Function
    {
        private static readonly List<Reservation> Pending = [];
        private static Reservation? _last;
        private static Stats? _stats = new();

        public string Handle(string body)
        {
            var reservation = JsonSerializer.Deserialize<Reservation>(body)!;
            Pending.Add(reservation); // want LMI002
            _stats?.LastSku = reservation.Sku; // want LMI006 "Stats.LastSku"
            _last = reservation; // want LMI001
            List<string> skus = [];
            skus.Add(reservation.Sku);
            return string.Join(",", skus);
        }
    }

    public class Stats
    {
        public string LastSku { get; set; } = "";
    }
}
