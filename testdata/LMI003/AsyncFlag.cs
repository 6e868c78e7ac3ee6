using System.IO;
using System.Threading.Tasks;
using Amazon.Lambda.Core;

namespace Files;

// `async` is a contextual keyword: a parameter, a local or a named argument may
// carry the name, as test suites often do (`bool async`). The bundled grammar
// took each use for the modifier and lost the statements around it.
public class Exporter
{
    public async Task Handle(Input input, ILambdaContext context)
    {
        var async = input.Body != null;
        await Export(input, async: async);
        Archive(input, async);
    }

    private Task Export(Input input, bool async)
    {
        if (async)
        {
            File.WriteAllText("/tmp/export.json", input.Body); // want LMI003 "/tmp/export.json"
        }
        return Task.CompletedTask;
    }

    private void Archive(Input input, bool async)
    {
        var path = "/tmp/archive.zip";
        while (async && input.Body.Length > 0)
        {
            File.AppendAllText(path, input.Body); // want LMI003 "/tmp/archive.zip"
            async = !async;
        }
        File.WriteAllText(Path.Combine(Path.GetTempPath(), context(async)), input.Body);
    }

    private static string context(bool async) => $"{System.Guid.NewGuid()}-{async}.zip";
}
