using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using OrdersApi.Data;
using OrdersApi.Services;

[assembly: LambdaSerializer(typeof(Amazon.Lambda.Serialization.SystemTextJson.DefaultLambdaJsonSerializer))]

namespace OrdersApi;

public class Function
{
    private static readonly HttpClient PaymentsHttp = new HttpClient { BaseAddress = new Uri("https://payments.example.com") };
    private static readonly IAmazonDynamoDB Dynamo = new AmazonDynamoDBClient();
    private readonly IOrderService _orders;
    private APIGatewayProxyRequest _currentRequest;
    private static int _invocations;

    public Function()
    {
        var repository = new OrderRepository(Dynamo);
        _orders = new OrderService(repository, new PaymentsGateway(PaymentsHttp));
        Warm();
    }

    public async Task<APIGatewayProxyResponse> FunctionHandler(APIGatewayProxyRequest request, ILambdaContext context)
    {
        _invocations++; // want LMI005 "Interlocked.Increment"
        _currentRequest = request; // want LMI006 "handler class"
        var order = JsonSerializer.Deserialize<Order>(request.Body);
        var token = request.Headers["Authorization"];
        var id = await _orders.PlaceAsync(order, token);
        return new APIGatewayProxyResponse { StatusCode = 201, Body = id };
    }

    private void Warm()
    {
        _currentRequest = null;
    }
}
