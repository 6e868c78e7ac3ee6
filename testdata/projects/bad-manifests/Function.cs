namespace Bad;

public class Function
{
    private static int _calls;

    public void Handler(string input, Amazon.Lambda.Core.ILambdaContext context)
    {
        _calls++; // want LMI005
    }
}
