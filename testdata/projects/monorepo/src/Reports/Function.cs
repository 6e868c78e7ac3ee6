using Amazon.Lambda.Core;

namespace Reports;

public class Function
{
    private static int _runs;

    public string FunctionHandler(string input, ILambdaContext context)
    {
        _runs++; // want LMI005
        return input;
    }
}

public class Pipeline
{
    private static string _last;

    public string Invoke(object input)
    {
        _last = input.ToString(); // not reachable from any handler: Orders cannot see this project
        return _last;
    }
}
