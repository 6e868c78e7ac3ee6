using Amazon.Lambda.Core;

namespace Reach;

public class Function
{
    private static string _mode;
    private static int _initCount;
    private readonly INotifier _notifier = new EmailNotifier();

    static Function()
    {
        Configure();
    }

    public string FunctionHandler(string input, ILambdaContext context)
    {
        Helper(input);
        _notifier.Notify(input);
        return input;
    }

    private static void Helper(string input)
    {
        _mode = input; // want LMI001
    }

    // Called only from the static constructor: init code.
    private static void Configure()
    {
        _initCount++;
        _mode = "init";
    }

    // Reached from no entry point: silent unless --all-code.
    public static void Unused(string value)
    {
        _mode = value;
    }
}
