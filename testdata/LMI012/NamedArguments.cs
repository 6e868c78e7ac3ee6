using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Amazon.Lambda.Core;

namespace Fire;

// Arguments bind by name when they are named, and after the receiver when an
// extension method is called on one: the position alone misleads.
public class Seeder
{
    public async Task Handler(string input, ILambdaContext context)
    {
        await Prepare(onConfigure: o => o.Trim(), seed: async s => await Save(s));
        await Prepare(seed: async s => await Save(s));
        await Prepare(o => o.Trim(), async s => await Save(s));
        await Prepare(seed: null, onConfigure: async o => await Save(o)); // want LMI012
        input.Each(async s => await Save(s)); // want LMI012
        input.EachAsync(async s => await Save(s));
        Steps.Each(input, async s => await Save(s)); // want LMI012
        Fire(1, async () => await Save(input), async () => await Save(input)); // want LMI012 LMI012
        await Change(async (a, b) => await Save(a + b), 1);
        await Change((a, b) => Console.WriteLine(a + b), 2);
    }

    private static Task Prepare(Action<string> onConfigure = null, Func<string, Task> seed = null) => Task.CompletedTask;

    private static void Fire(int times, params Action[] actions) { }

    // Overloads: an async lambda binds to the one whose delegate returns a Task.
    private static Task Change(Action<string, string> action, int state) => Change((a, b) => { action(a, b); return Task.CompletedTask; }, state);

    private static Task Change(Func<string, string, Task> action, int state) => action("a", "b");

    private static Task Save(string s) => Task.CompletedTask;
}

public static class Steps
{
    public static void Each(this string s, Action<string> step) => step(s);

    public static Task EachAsync(this string s, Func<string, Task> step) => step(s);
}
