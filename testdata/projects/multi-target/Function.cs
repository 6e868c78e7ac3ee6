using System;
using System.IO;
using Amazon.Lambda.Core;

namespace Multi;

// Built for two target frameworks. The bundled grammar cannot read code that
// splits an expression or a declaration across #if branches, so lmilint
// analyzes the first branch of each #if and notes the others.
public class Function
{
    private static int count;

#if NET8_0_OR_GREATER
    [Obsolete("Use HandlerV2.")]
#endif
    public string Handler(string input, ILambdaContext context)
    {
        var result = Format(input,
#if NET8_0_OR_GREATER
            upper: true);
#else
            upper: false);
#endif
        count++; // want LMI005
        File.WriteAllText("/tmp/result.txt", result); // want LMI003
        File.WriteAllText(Path.Combine(Path.GetTempPath(), context.AwsRequestId), result);
        return result;
    }

    private static string Format(string s, bool upper) => upper ? s.ToUpperInvariant() : s;
}
