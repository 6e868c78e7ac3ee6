using System;
using System.Net.Http;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DataModel;
using Amazon.Lambda.Core;
using Amazon.S3;

namespace Clients;

public class Function
{
    private static readonly HttpClient Http = new HttpClient();
    private static readonly AmazonS3Client S3 = new AmazonS3Client();
    private readonly IAmazonDynamoDB _dynamo;
    private readonly DynamoDBContext _context;
    private static AmazonSQSClientHolder _holder;
    private static HttpClient _lazy;
    private static readonly object Gate = new object();

    public Function()
    {
        _dynamo = new AmazonDynamoDBClient();
        _context = new DynamoDBContext(_dynamo);
    }

    public async Task<string> Handler(string key, ILambdaContext context)
    {
        using var http = new HttpClient(); // want LMI014 "HttpClient"
        using var s3 = new AmazonS3Client(); // want LMI014 "AmazonS3Client"
        var db = new DynamoDBContext(new AmazonDynamoDBClient()); // want LMI014 "DynamoDBContext" LMI014 "AmazonDynamoDBClient"
        var handler = new HttpClientHandler(); // want LMI014
        if (_lazy == null)
        {
            lock (Gate)
            {
                if (_lazy == null)
                {
                    _lazy = new HttpClient();
                }
            }
        }
        var response = await Http.GetStringAsync("https://example.com");
        var obj = await S3.GetObjectAsync("bucket", key);
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        return response;
    }
}

public class AmazonSQSClientHolder { }
