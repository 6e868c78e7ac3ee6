using System.Threading.Tasks;

namespace OrdersApi.Services;

public interface IOrderService
{
    Task<string> PlaceAsync(Order order, string token);
}

public class Order
{
    public string Id { get; set; }
    public string CustomerId { get; set; }
    public decimal Total { get; set; }
}
