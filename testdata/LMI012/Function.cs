using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Amazon.Lambda.Core;

namespace Fire;

public class Function
{
    private readonly List<string> _items = new List<string>();

    public void Handler(string input, ILambdaContext context)
    {
        Notify(input);
        OnChanged(this, EventArgs.Empty);
        var items = new List<string> { input };
        items.ForEach(async item => await SendAsync(item)); // want LMI012 "Action"
        Parallel.ForEach(items, async item => await SendAsync(item)); // want LMI012
        Action later = async () => await SendAsync(input); // want LMI012
        Run(async () => await SendAsync(input)); // want LMI012
        RunAsync(async () => await SendAsync(input));
        Func<Task> ok = async () => await SendAsync(input);
        items.ForEach(item => Console.WriteLine(item));
        async void LocalFire() { await SendAsync(input); } // want LMI012 "local function"
        LocalFire();
    }

    private async void Notify(string input) // want LMI012 "Function.Notify"
    {
        await SendAsync(input);
    }

    private async void OnChanged(object sender, EventArgs e)
    {
        await SendAsync("changed");
    }

    private static void Run(Action action) => action();

    private static Task RunAsync(Func<Task> action) => action();

    private static Task SendAsync(string s) => Task.CompletedTask;
}
