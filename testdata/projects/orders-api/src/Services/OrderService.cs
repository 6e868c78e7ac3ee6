using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading.Tasks;
using OrdersApi.Data;

namespace OrdersApi.Services;

public class OrderService : IOrderService
{
    private static readonly Dictionary<string, decimal> PriceCache = new Dictionary<string, decimal>();
    private static readonly ConcurrentDictionary<string, int> Attempts = new ConcurrentDictionary<string, int>();
    private readonly OrderRepository _repository;
    private readonly PaymentsGateway _payments;

    public OrderService(OrderRepository repository, PaymentsGateway payments)
    {
        _repository = repository;
        _payments = payments;
    }

    public async Task<string> PlaceAsync(Order order, string token)
    {
        PriceCache[order.CustomerId] = order.Total; // want LMI002 "PriceCache"
        Attempts.AddOrUpdate(order.Id, 1, (_, n) => n + 1);
        await _payments.ChargeAsync(order, token);
        return await _repository.SaveAsync(order);
    }

    // Never called from a handler: not request-path code.
    public void Reset()
    {
        PriceCache.Clear();
    }
}
