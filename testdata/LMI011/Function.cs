using System.Threading;
using System.Threading.Tasks;
using Amazon.Lambda.Core;
using Amazon.S3;

namespace Blocking;

public class Function
{
    private readonly IAmazonS3 _s3;
    private readonly Task<string> _warmup;
    private readonly string _config;

    public Function()
    {
        _s3 = new AmazonS3Client();
        _config = LoadAsync().Result;
        _warmup = LoadAsync();
    }

    public string Handler(string key, ILambdaContext context)
    {
        var response = _s3.GetObjectAsync("bucket", key).Result; // want LMI011 "`.Result`"
        LoadAsync().Wait(); // want LMI011 "Wait"
        var text = LoadAsync().GetAwaiter().GetResult(); // want LMI011 "GetResult"
        Task.WaitAll(LoadAsync(), LoadAsync()); // want LMI011 "WhenAll"
        var run = Task.Run(() => 1).Result; // want LMI011
        var warm = _warmup.Result; // want LMI011
        var pending = LoadAsync();
        var value = pending.Result; // want LMI011
        var sync = Compute().Result;
        return text + value + sync.Length;
    }

    public async Task<string> Awaited(string key, ILambdaContext context)
    {
        var first = LoadAsync();
        var second = LoadAsync();
        await Task.WhenAll(first, second);
        var a = first.Result;
        var b = second.GetAwaiter().GetResult();
        var third = LoadAsync();
        await third;
        var c = third.Result;
        var fourth = LoadAsync();
        if (fourth.IsCompletedSuccessfully)
        {
            c += fourth.Result;
        }
        Thread.Sleep(100); // want LMI011 "Task.Delay"
        return a + b + c;
    }

    public void NotAsync(ILambdaContext context)
    {
        Thread.Sleep(100);
    }

    private static async Task<string> LoadAsync()
    {
        await Task.Delay(1);
        return "x";
    }

    private static Holder Compute() => new Holder();
}

public class Holder
{
    public string Result { get; set; } = "";
}
