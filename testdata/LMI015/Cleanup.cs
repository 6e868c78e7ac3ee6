using System.IO;
using Amazon.Lambda.Core;

namespace Cleanup;

public class Cleanup
{
    private const string WorkDir = "/tmp/work";

    public void Handler(string input, ILambdaContext context)
    {
        Directory.Delete("/tmp", true); // want LMI015 "/tmp"
        Directory.Delete(WorkDir, true); // want LMI015 "/tmp/work"
        foreach (var file in Directory.GetFiles("/tmp"))
        {
            File.Delete(file); // want LMI015 "found in"
        }
        foreach (var dir in new DirectoryInfo(Path.GetTempPath()).GetDirectories())
        {
            dir.Delete(true); // want LMI015
        }
        new DirectoryInfo("/tmp/cache").Delete(true); // want LMI015
        var own = Path.Combine(Path.GetTempPath(), context.AwsRequestId);
        Directory.CreateDirectory(own);
        Directory.Delete(own, true);
        foreach (var file in Directory.GetFiles(own))
        {
            File.Delete(file);
        }
        File.Delete("/tmp/one.txt"); // want LMI003
    }
}
