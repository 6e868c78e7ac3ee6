using System.Threading;
using System.Threading.Tasks;
using Amazon.Lambda.Core;

namespace Shop;

public class Function
{
    private ILambdaContext _context;
    private string _userId;
    private readonly OrderService _orders;
    private readonly object _sync = new object();
    private string _guarded;
    public string LastRequestId { get; private set; }
    private int _calls;

    public Function()
    {
        _orders = new OrderService();
        _userId = "none";
    }

    public async Task<string> FunctionHandler(Request request, ILambdaContext context)
    {
        _context = context; // want LMI006 "handler class"
        _userId = request.UserId; // want LMI006
        LastRequestId = context.AwsRequestId; // want LMI006 "property `Function.LastRequestId`"
        lock (_sync)
        {
            _guarded = request.UserId;
        }
        var local = new Draft();
        local.Title = request.UserId;
        await _orders.Save(request);
        Interlocked.Exchange(ref _calls, 0);
        return _userId;
    }
}

public class OrderService
{
    private Request _current;

    public Task Save(Request request)
    {
        _current = request; // want LMI006 "kept in Function._orders"
        return Task.CompletedTask;
    }
}

// Created per request: its fields are not shared.
public class Draft
{
    public string Title { get; set; }

    public void Rename(string title)
    {
        Title = title;
    }
}

public class Request
{
    public string UserId { get; set; }
}
