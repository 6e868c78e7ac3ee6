package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// SharedHTTPClientMutation flags changes to a shared HttpClient on the request path.
var SharedHTTPClientMutation = &analyzer.Rule{
	ID:               "LMI004",
	Name:             "shared-httpclient-mutation",
	Title:            "Shared HttpClient changed on the request path",
	Level:            analyzer.LevelError,
	CWE:              []int{488, 362},
	SecuritySeverity: "7.5",
	Precision:        "high",
	Why: `A shared ` + "`HttpClient`" + ` is meant to be reused, but its ` + "`DefaultRequestHeaders`" + `, ` + "`BaseAddress`" + ` and
` + "`Timeout`" + ` belong to every request sent through it. When one invocation sets
` + "`DefaultRequestHeaders.Authorization`" + ` to its caller's token, a concurrent invocation can send its own
request with that token: a cross-user credential leak. Changing headers while another request
reads them can also throw.`,
	Bad: `public class Function
{
    private static readonly HttpClient Client = new();

    public async Task<string> Handler(Request request, ILambdaContext context)
    {
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", request.Token);
        return await Client.GetStringAsync("https://api.example.com/me");
    }
}`,
	Good: `public class Function
{
    private static readonly HttpClient Client = new();

    public async Task<string> Handler(Request request, ILambdaContext context)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/me");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.Token);
        using var response = await Client.SendAsync(message);
        return await response.Content.ReadAsStringAsync();
    }
}`,
	Fix: "Set per-request headers on an `HttpRequestMessage` and send it with `SendAsync`; configure " +
		"`BaseAddress`, `Timeout` and default headers once, where the client is created.",
	Run: runSharedHTTPClientMutation,
}

var clientSettings = map[string]bool{"BaseAddress": true, "Timeout": true, "MaxResponseContentBufferSize": true,
	"DefaultRequestVersion": true, "DefaultVersionPolicy": true}

func runSharedHTTPClientMutation(pass *analyzer.Pass) {
	p := pass.Prog
	for _, a := range p.Accesses() {
		f := a.Field
		if !p.IsSharedState(f) {
			continue
		}
		typ := analyzer.SimpleTypeName(f.ValueTypeName())
		switch typ {
		case "HttpClient":
			checkClientAccess(pass, a)
		case "HttpClientHandler", "SocketsHttpHandler":
			if a.Kind == analyzer.MemberAssign && len(a.Chain) >= 1 && !p.Synchronized(a.Expr) {
				pass.ReportField(a.Field, a.Expr, "%s's `%s` is changed on the request path; the handler is shared by every concurrent request using the client, so set it once when the handler is created",
					f.Describe(), a.Chain[0])
			}
		}
	}
}

func checkClientAccess(pass *analyzer.Pass, a *analyzer.Access) {
	f := a.Field
	member := strings.Join(a.Chain, ".")
	switch {
	case a.Kind == analyzer.MemberCall && len(a.Chain) >= 2 && a.Chain[0] == "DefaultRequestHeaders",
		a.Kind == analyzer.MemberAssign && len(a.Chain) >= 2 && a.Chain[0] == "DefaultRequestHeaders":
		pass.ReportField(a.Field, a.Expr, "shared HttpClient %s has its default headers changed (`%s`) on the request path; another concurrent request may send this value (e.g. its bearer token). Set per-request headers on an HttpRequestMessage instead",
			f.Describe(), member)
	case a.Kind == analyzer.MemberAssign && len(a.Chain) == 1 && clientSettings[a.Chain[0]]:
		pass.ReportField(a.Field, a.Expr, "shared HttpClient %s has `%s` assigned on the request path; every concurrent request sent through it is affected. Configure it once where the client is created, or use a per-request HttpRequestMessage",
			f.Describe(), a.Chain[0])
	case a.Kind == analyzer.MemberCall && len(a.Chain) == 1 && a.Chain[0] == "Dispose":
		pass.ReportField(a.Field, a.Expr, "shared HttpClient %s is disposed on the request path; concurrent requests still using it fail with ObjectDisposedException. Keep the shared client for the life of the process",
			f.Describe())
	case a.Kind == analyzer.Read && a.Ref.Parent() != nil && a.Ref.Parent().Kind() == analyzer.KindUsingStatement:
		pass.ReportField(a.Field, a.Ref, "shared HttpClient %s is disposed by this using statement; concurrent requests still using it fail with ObjectDisposedException. Keep the shared client for the life of the process",
			f.Describe())
	}
}
