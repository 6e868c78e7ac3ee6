package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// PerRequestClient flags HTTP and AWS SDK clients created per invocation.
var PerRequestClient = &analyzer.Rule{
	ID:        "LMI014",
	Name:      "per-request-client",
	Title:     "HttpClient or AWS SDK client created on the request path",
	Level:     analyzer.LevelWarning,
	Precision: "high",
	Why: "Each `new HttpClient()` opens its own connection pool, and each AWS SDK client resolves credentials " +
		"and endpoints and keeps its own connections. Created per invocation, they multiply sockets and " +
		"credential look-ups by the number of concurrent requests in the environment, exhaust ports, and add " +
		"latency to every call.",
	Bad: `public class Function
{
    public async Task<string> Handler(string key, ILambdaContext context)
    {
        using var s3 = new AmazonS3Client();
        var response = await s3.GetObjectAsync("bucket", key);
        return response.Key;
    }
}`,
	Good: `public class Function
{
    private static readonly AmazonS3Client S3 = new();

    public async Task<string> Handler(string key, ILambdaContext context)
    {
        var response = await S3.GetObjectAsync("bucket", key);
        return response.Key;
    }
}`,
	Fix: "Create the client once: a `static readonly` field, a field set in the constructor, a DI singleton, " +
		"or `IHttpClientFactory` for HTTP clients.",
	Run: runPerRequestClient,
}

func isClientType(written string) bool {
	name := analyzer.SimpleTypeName(written)
	switch {
	case name == "HttpClient", name == "HttpClientHandler", name == "SocketsHttpHandler", name == "DynamoDBContext":
		return true
	case strings.HasPrefix(name, "Amazon") && strings.HasSuffix(name, "Client") && name != "AmazonServiceClient":
		return true
	}
	return analyzer.IsConfiguredClientType(name) // types.clients in .lmilint.yaml
}

func runPerRequestClient(pass *analyzer.Pass) {
	p := pass.Prog
	p.Visit([]analyzer.Kind{analyzer.KindObjectCreation}, func(n *analyzer.Node) bool {
		if n.Kind() != analyzer.KindObjectCreation {
			return true
		}
		typ := n.ChildByField("type").Text()
		if !isClientType(typ) || p.LookupType(typ) != nil {
			return true
		}
		// One-time initialization into shared state under a lock is fine.
		if par := n.Parent(); par != nil && par.Kind() == analyzer.KindAssignment && n.Field() == "right" {
			if f := p.FieldOf(par.ChildByField("left")); f != nil && p.IsSharedState(f) && p.Synchronized(par) {
				return true
			}
		}
		pass.Report(n, "`new %s(…)` on the request path creates a client per invocation, multiplying connections and credential look-ups under concurrency; create it once (static readonly field, constructor, DI singleton or IHttpClientFactory)",
			analyzer.SimpleTypeName(typ))
		return true
	})
}
