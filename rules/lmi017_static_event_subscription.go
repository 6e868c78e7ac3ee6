package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// StaticEventSubscription flags subscriptions to static events on the request path.
var StaticEventSubscription = &analyzer.Rule{
	ID:        "LMI017",
	Name:      "static-event-subscription",
	Title:     "Static event subscribed on the request path",
	Level:     analyzer.LevelWarning,
	CWE:       []int{401},
	Precision: "high",
	Why: "A handler added to a static event (`AppDomain.CurrentDomain.UnhandledException`, " +
		"`TaskScheduler.UnobservedTaskException`, a static event of your own) stays subscribed for the life " +
		"of the process. Subscribed per request, handlers pile up (a leak), and each one keeps and acts on " +
		"the state of the request that added it while other requests run.",
	Bad: `public class Function
{
    public void Handler(Request request, ILambdaContext context)
    {
        AppDomain.CurrentDomain.UnhandledException += (s, e) => context.Logger.LogError(request.Id);
    }
}`,
	Good: `public class Function
{
    static Function()
    {
        AppDomain.CurrentDomain.UnhandledException += (s, e) => Console.Error.WriteLine(e.ExceptionObject);
    }

    public void Handler(Request request, ILambdaContext context)
    {
    }
}`,
	Fix: "Subscribe once at startup (static constructor, handler constructor, `Main`), and keep per-request " +
		"state out of the handler.",
	Run: runStaticEventSubscription,
}

// wellKnownStaticEvents are static events outside the project, by their written prefix.
var wellKnownStaticEvents = []string{"AppDomain.CurrentDomain.", "TaskScheduler.UnobservedTaskException",
	"Console.CancelKeyPress", "AssemblyLoadContext.Default.", "SystemEvents.", "Application."}

func runStaticEventSubscription(pass *analyzer.Pass) {
	p := pass.Prog
	p.Visit([]analyzer.Kind{analyzer.KindAssignment}, func(n *analyzer.Node) bool {
		if n.Kind() != analyzer.KindAssignment || n.ChildByField("operator").Text() != "+=" {
			return true
		}
		left := analyzer.Unparen(n.ChildByField("left"))
		if f := p.FieldOf(left); f != nil {
			if f.Event && f.Static {
				pass.ReportField(f, n, "subscribing to static event `%s` on the request path adds a handler per invocation that stays for the life of the process and runs with other requests' state; subscribe once at startup", f.QualifiedName())
			}
			return true
		}
		text := strings.Join(strings.Fields(left.Text()), "")
		text = strings.TrimPrefix(text, "System.")
		for _, prefix := range wellKnownStaticEvents {
			if strings.HasPrefix(text, prefix) {
				pass.Report(n, "subscribing to static event `%s` on the request path adds a handler per invocation that stays for the life of the process and runs with other requests' state; subscribe once at startup", text)
				break
			}
		}
		return true
	})
}
