using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using OrdersApi.Services;

namespace OrdersApi.Data;

public class OrderRepository
{
    private readonly IAmazonDynamoDB _dynamo;
    private long _saved;
    private long _savedSafely;

    public OrderRepository(IAmazonDynamoDB dynamo)
    {
        _dynamo = dynamo;
    }

    public async Task<string> SaveAsync(Order order)
    {
        _saved++; // want LMI005 "kept in OrderService._repository|field `OrderRepository._saved`"
        Interlocked.Increment(ref _savedSafely);
        await _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = "orders",
            Item = new Dictionary<string, AttributeValue> { ["id"] = new AttributeValue(order.Id) },
        });
        return order.Id;
    }
}
