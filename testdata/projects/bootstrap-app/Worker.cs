using System.Threading.Tasks;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace BootstrapApp;

public class Worker
{
    private static int _handled;

    public static async Task Main()
    {
        _handled = 0;
        await LambdaBootstrapBuilder.Create<string, string>(Handle, new DefaultLambdaJsonSerializer()).Build().RunAsync();
    }

    private static string Handle(string input, ILambdaContext context)
    {
        _handled += 1; // want LMI005
        return input;
    }
}
