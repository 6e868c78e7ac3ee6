using System;
using System.IO;
using System.IO.Compression;
using System.Threading.Tasks;
using Amazon.Lambda.Core;
using Amazon.S3.Model;

namespace Files;

public class Processor
{
    private const string ReportPath = "/tmp/report.pdf";
    private static readonly string CachePath = Path.Combine(Path.GetTempPath(), "cache.json");
    private static readonly string ConfigPath = "/var/task/config.json";

    public async Task Handle(Input input, ILambdaContext context)
    {
        File.WriteAllText("/tmp/output.json", input.Body); // want LMI003 "/tmp/output.json"
        await File.WriteAllTextAsync(ReportPath, "x"); // want LMI003 "/tmp/report.pdf"
        File.WriteAllBytes(CachePath, new byte[0]); // want LMI003 "/tmp/cache.json"
        var local = "/tmp/data.csv";
        File.AppendAllText(local, "row"); // want LMI003
        File.Delete($"{Path.GetTempPath()}old.txt"); // want LMI003
        File.Copy("/var/task/seed.db", "/tmp/seed.db", true); // want LMI003
        using var fs = new FileStream("/tmp/blob.bin", FileMode.Create); // want LMI003
        using var writer = new StreamWriter("/tmp/log.txt"); // want LMI003
        ZipFile.ExtractToDirectory("/var/task/a.zip", "/tmp/unzipped"); // want LMI003
        var tmp = Environment.GetEnvironmentVariable("TMPDIR") ?? "/tmp";
        File.WriteAllText(Path.Combine(tmp, "env.txt"), "x"); // want LMI003
        await input.Response.WriteResponseStreamToFileAsync("/tmp/s3.dat", false, default); // want LMI003

        // Request-unique names and reads are fine.
        File.WriteAllText(Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid()}.json"), "x");
        File.WriteAllText($"/tmp/{context.AwsRequestId}.json", "x");
        File.WriteAllText(Path.GetTempFileName(), "x");
        File.WriteAllText(Path.Combine("/tmp", Path.GetRandomFileName()), "x");
        var text = File.ReadAllText("/tmp/output.json");
        using var read = new FileStream("/tmp/blob.bin", FileMode.Open);
        File.WriteAllText(input.Path, "x");
        File.WriteAllText(ConfigPath, "x");
        File.WriteAllText("/var/task/out.json", "x");
        var reused = "/tmp/a.txt";
        reused = input.Path;
        File.WriteAllText(reused, "x");
    }
}

public class Input
{
    public string Body { get; set; }
    public string Path { get; set; }
    public GetObjectResponse Response { get; set; }
}
