using System;
using System.Threading.Tasks;
using Amazon.Lambda.Core;

namespace Events;

public class Events
{
    public static event EventHandler Changed;
    public event EventHandler InstanceChanged;

    static Events()
    {
        AppDomain.CurrentDomain.UnhandledException += OnUnhandled;
    }

    public void Handler(Request request, ILambdaContext context)
    {
        AppDomain.CurrentDomain.UnhandledException += (s, e) => context.Logger.LogError(request.Id); // want LMI017 "UnhandledException"
        TaskScheduler.UnobservedTaskException += (s, e) => { }; // want LMI017
        Changed += (s, e) => { }; // want LMI017 "Events.Changed"
        var local = 0;
        local += 1;
    }

    private static void OnUnhandled(object sender, UnhandledExceptionEventArgs e) { }
}

public class Request
{
    public string Id { get; set; }
}
