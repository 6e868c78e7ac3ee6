package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// ProcessGlobalMutation flags changes to process-wide settings on the request path.
var ProcessGlobalMutation = &analyzer.Rule{
	ID:        "LMI010",
	Name:      "process-global-mutation",
	Title:     "Process-wide setting changed on the request path",
	Level:     analyzer.LevelWarning,
	CWE:       []int{362},
	Precision: "high",
	Why: `Environment variables, the current directory, default cultures, ` + "`Console.Out`" + `, ` + "`ServicePointManager`" + `,
` + "`JsonConvert.DefaultSettings`" + ` and ` + "`AWSConfigs`" + ` belong to the whole process. Set per request, they change
the behaviour of every concurrent invocation in the environment mid-flight.`,
	Bad: `public class Function
{
    public string Handler(Request request, ILambdaContext context)
    {
        Environment.SetEnvironmentVariable("TENANT", request.Tenant);
        return new Service().Run();
    }
}`,
	Good: `public class Function
{
    public string Handler(Request request, ILambdaContext context)
    {
        return new Service(request.Tenant).Run();
    }
}`,
	Fix: "Pass the value explicitly, or set it once at startup (static constructor, handler constructor, " +
		"`Main`). `CultureInfo.CurrentCulture` flows with the request and is safe to set.",
	Run: runProcessGlobalMutation,
}

var globalCalls = map[string]map[string]bool{
	"Environment": {"SetEnvironmentVariable": true},
	"Directory":   {"SetCurrentDirectory": true},
	"Console":     {"SetOut": true, "SetError": true, "SetIn": true},
}

var globalAssignments = map[string]bool{
	"Environment.CurrentDirectory": true, "CultureInfo.DefaultThreadCurrentCulture": true,
	"CultureInfo.DefaultThreadCurrentUICulture": true, "JsonConvert.DefaultSettings": true,
}

func runProcessGlobalMutation(pass *analyzer.Pass) {
	p := pass.Prog
	p.Visit([]analyzer.Kind{analyzer.KindInvocation, analyzer.KindAssignment}, func(n *analyzer.Node) bool {
		switch n.Kind() {
		case analyzer.KindInvocation:
			name, recv := analyzer.CalleeName(n)
			if recv == nil {
				return true
			}
			owner := analyzer.SimpleTypeName(recv.Text())
			if globalCalls[owner][name] && p.LookupType(owner) == nil && !guardedByConcurrencyCheck(p, n) {
				pass.Report(n, "`%s.%s` changes process-wide state that every concurrent invocation shares; pass the value explicitly or set it once at startup",
					owner, name)
			}
			if strings.HasSuffix(recv.Text(), "Trace.Listeners") && (name == "Add" || name == "Remove" || name == "Clear" || name == "AddRange") && !guardedByConcurrencyCheck(p, n) {
				pass.Report(n, "`Trace.Listeners.%s` changes the process-wide trace listeners that every concurrent invocation shares; configure listeners once at startup", name)
			}
		case analyzer.KindAssignment:
			left := analyzer.Unparen(n.ChildByField("left"))
			if left.Kind() != analyzer.KindMemberAccess {
				return true
			}
			target := globalTarget(left.Text())
			if target != "" && !guardedByConcurrencyCheck(p, n) {
				pass.Report(n, "assigning `%s` changes process-wide state that every concurrent invocation shares; pass the value explicitly or set it once at startup", target)
			}
		}
		return true
	})
}

// globalTarget returns the process-wide member an assignment target names.
func globalTarget(text string) string {
	text = strings.Join(strings.Fields(text), "")
	for _, prefix := range []string{"System.Globalization.", "System.", "Newtonsoft.Json.", "System.Net.", "Amazon."} {
		text = strings.TrimPrefix(text, prefix)
	}
	if globalAssignments[text] {
		return text
	}
	if strings.HasPrefix(text, "ServicePointManager.") || strings.HasPrefix(text, "AWSConfigs.") {
		return text
	}
	return ""
}

// guardedByConcurrencyCheck reports whether n runs only when multi-concurrency
// is off: inside an if whose condition reads AWS_LAMBDA_MAX_CONCURRENCY
// (directly or through a local holding it).
func guardedByConcurrencyCheck(p *analyzer.Program, n *analyzer.Node) bool {
	for cur := n.Parent(); cur != nil; cur = cur.Parent() {
		if cur.Kind() != analyzer.KindIfStatement {
			continue
		}
		cond := cur.ChildByField("condition")
		if mentionsConcurrency(p, cond) {
			return true
		}
	}
	return false
}

func mentionsConcurrency(p *analyzer.Program, n *analyzer.Node) bool {
	if n == nil {
		return false
	}
	if strings.Contains(n.Text(), "AWS_LAMBDA_MAX_CONCURRENCY") {
		return true
	}
	found := false
	n.Walk(func(c *analyzer.Node) bool {
		if c.Kind() == analyzer.KindIdentifier {
			if v := p.SoleValue(c); v != nil && strings.Contains(v.Text(), "AWS_LAMBDA_MAX_CONCURRENCY") {
				found = true
			}
			if f := p.FieldOf(c); f != nil && f.Init != nil && strings.Contains(f.Init.Text(), "AWS_LAMBDA_MAX_CONCURRENCY") {
				found = true
			}
		}
		return !found
	})
	return found
}
