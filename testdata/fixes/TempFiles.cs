using System.IO;
using System.Threading.Tasks;
using Amazon.Lambda.Core;

namespace Fixes;

public class TempFiles
{
    public async Task Handler(string body, ILambdaContext context)
    {
        File.WriteAllText("/tmp/report.json", body);
        var path = "/tmp/upload.bin";
        await File.WriteAllBytesAsync(path, new byte[0]);
        Upload(path);
        File.WriteAllText("/tmp/shared.txt", body);
        var again = File.ReadAllText("/tmp/shared.txt");
    }

    private static void Upload(string path) { }
}
