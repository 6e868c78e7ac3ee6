using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading.Tasks;
using OrdersApi.Services;

namespace OrdersApi.Data;

public class PaymentsGateway
{
    private readonly HttpClient _http;

    public PaymentsGateway(HttpClient http)
    {
        _http = http;
        _http.DefaultRequestHeaders.Add("X-Client", "orders-api");
    }

    public async Task ChargeAsync(Order order, string token)
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token); // want LMI004 "bearer token"
        var response = await _http.PostAsJsonAsync("/charges", order);
        response.EnsureSuccessStatusCode();
    }

    public async Task RefundAsync(Order order, string token)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/refunds");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await _http.SendAsync(message);
    }
}
