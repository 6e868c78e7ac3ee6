using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using Amazon.Lambda.Core;

namespace Api;

public class ApiFunction
{
    private static readonly HttpClient Client = new HttpClient();
    private readonly HttpClient _client;
    private static readonly HttpClientHandler Handler = new HttpClientHandler();

    static ApiFunction()
    {
        Client.DefaultRequestHeaders.Add("X-Static", "1");
        Client.Timeout = TimeSpan.FromSeconds(10);
    }

    public ApiFunction()
    {
        _client = new HttpClient();
        _client.BaseAddress = new Uri("https://api.example.com");
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public async Task<string> Handler1(Request request, ILambdaContext context)
    {
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", request.Token); // want LMI004 "bearer token"
        Client.DefaultRequestHeaders.Add("X-User", request.User); // want LMI004
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain")); // want LMI004
        _client.Timeout = TimeSpan.FromSeconds(1); // want LMI004 "`Timeout`"
        Handler.AllowAutoRedirect = false; // want LMI004
        using var message = new HttpRequestMessage(HttpMethod.Get, "/me");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.Token);
        var response = await Client.SendAsync(message);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task Handler2(Request request, ILambdaContext context)
    {
        using (Client) // want LMI004 "disposed"
        {
            await Client.GetStringAsync("https://example.com");
        }
        _client.Dispose(); // want LMI004
    }

    public async Task Local(Request request, ILambdaContext context)
    {
        using var local = new HttpClient(); // want LMI014
        local.DefaultRequestHeaders.Add("X-User", request.User);
        await local.GetStringAsync("https://example.com");
    }
}

public class Request
{
    public string Token { get; set; }
    public string User { get; set; }
}
