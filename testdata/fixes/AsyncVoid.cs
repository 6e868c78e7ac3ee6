using Amazon.Lambda.Core;

namespace Fixes;

public class AsyncVoid
{
    public void Handler(string input, ILambdaContext context)
    {
        Notify(input);
    }

    private async void Notify(string input)
    {
        await System.Threading.Tasks.Task.Delay(1);
    }
}
