package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// AsyncVoid flags async void methods and async lambdas passed as Action.
var AsyncVoid = &analyzer.Rule{
	ID:        "LMI012",
	Name:      "async-void",
	Title:     "async void method or async lambda passed as an Action",
	Level:     analyzer.LevelWarning,
	Precision: "high",
	HasFix:    true,
	Why: "An exception thrown from an `async void` method (or an `async` lambda given where an `Action` is " +
		"expected, such as `List<T>.ForEach` or `Parallel.ForEach`) cannot be caught by the caller: it is " +
		"raised on the thread pool and ends the process. On Lambda Managed Instances the process serves many " +
		"invocations at once, so one failing request takes every concurrent request down with it.",
	Bad: `public class Function
{
    public void Handler(Order order, ILambdaContext context)
    {
        Notify(order);
    }

    private async void Notify(Order order)
    {
        await _sns.PublishAsync(new PublishRequest());
    }
}`,
	Good: `public class Function
{
    public async Task Handler(Order order, ILambdaContext context)
    {
        await Notify(order);
    }

    private async Task Notify(Order order)
    {
        await _sns.PublishAsync(new PublishRequest());
    }
}`,
	Fix: "Return `Task` (`async Task`) and await the call; replace `ForEach(async x => …)` with " +
		"`await Task.WhenAll(items.Select(async x => …))` or `Parallel.ForEachAsync`.",
	Run: runAsyncVoid,
}

var actionTakers = map[string]bool{"ForEach": true, "For": true}

func runAsyncVoid(pass *analyzer.Pass) {
	p := pass.Prog
	for _, m := range p.Methods {
		if m.Kind != analyzer.MethodOrdinary || !m.Async || strings.TrimSpace(m.Returns) != "void" || isEventHandler(m.Params) {
			continue
		}
		name := m.Decl.ChildByField("name")
		r := pass.Report(name, "`async void` method `%s`: an exception in it cannot be caught and ends the process, and with it every concurrent invocation; return Task and await it", m.DisplayName())
		r.Fix = voidToTaskFix(r.File, m.Decl.ChildByField("returns"))
	}
	p.Visit([]analyzer.Kind{analyzer.KindLocalFunction, analyzer.KindLambda, analyzer.KindAnonymousMethod}, func(n *analyzer.Node) bool {
		switch n.Kind() {
		case analyzer.KindLocalFunction:
			typ := n.ChildByField("type")
			if n.HasModifier("async") && typ != nil && typ.Text() == "void" {
				var params []analyzer.Param
				if pl := n.ChildByField("parameters"); pl != nil {
					params = paramsOf(pl)
				}
				if !isEventHandler(params) {
					r := pass.Report(n.ChildByField("name"), "`async void` local function `%s`: an exception in it cannot be caught and ends the process, and with it every concurrent invocation; return Task and await it", n.ChildByField("name").Text())
					r.Fix = voidToTaskFix(r.File, typ)
				}
			}
		case analyzer.KindLambda, analyzer.KindAnonymousMethod:
			if isAsyncLambda(n) && passedAsAction(p, n) {
				pass.Report(n, "async lambda passed where an Action is expected runs as `async void`: an exception in it ends the process, and with it every concurrent invocation; use a Func<Task> overload and await it (e.g. Task.WhenAll or Parallel.ForEachAsync)")
			}
		}
		return true
	})
}

func isAsyncLambda(n *analyzer.Node) bool {
	return n.HasModifier("async") || n.HasToken("async")
}

// isEventHandler matches (object sender, XxxEventArgs e).
func isEventHandler(params []analyzer.Param) bool {
	if len(params) != 2 {
		return false
	}
	first := strings.TrimSuffix(strings.TrimSpace(params[0].TypeName), "?")
	return (first == "object" || first == "Object") && strings.HasSuffix(analyzer.SimpleTypeName(params[1].TypeName), "EventArgs")
}

func paramsOf(pl *analyzer.Node) []analyzer.Param {
	var out []analyzer.Param
	for _, c := range pl.Children() {
		if c.Kind() == analyzer.KindParameter {
			prm := analyzer.Param{Name: c.ChildByField("name").Text()}
			if t := c.ChildByField("type"); t != nil {
				prm.TypeName = t.Text()
			}
			out = append(out, prm)
		}
	}
	return out
}

func isActionType(written string) bool {
	return analyzer.SimpleTypeName(written) == "Action"
}

// passedAsAction reports whether a lambda lands where an Action is taken:
// List<T>.ForEach, Array.ForEach, Parallel.For/ForEach, or a parameter, local
// or field declared Action/Action<…>.
func passedAsAction(p *analyzer.Program, lambda *analyzer.Node) bool {
	par := lambda.Parent()
	if par == nil {
		return false
	}
	switch par.Kind() {
	case analyzer.KindArgument:
		call := par.Parent().Parent()
		if call == nil || call.Kind() != analyzer.KindInvocation && call.Kind() != analyzer.KindObjectCreation {
			return false
		}
		args := analyzer.Arguments(call)
		idx := -1
		for i, a := range args {
			if a == par {
				idx = i
			}
		}
		name, recv := analyzer.CalleeName(call) // "" and nil for an object creation
		if recv != nil && actionTakers[name] && idx == len(args)-1 {
			owner := analyzer.SimpleTypeName(recv.Text())
			if owner == "Parallel" || owner == "Array" || name == "ForEach" && p.LookupType(owner) == nil {
				return true
			}
		}
		// C# binds an async lambda to an overload taking a Func (one that
		// returns the task) over one taking an Action.
		takesAction := false
		for _, m := range p.Callees(call) {
			onReceiver := recv != nil && m.Owner != nil && analyzer.SimpleTypeName(recv.Text()) != m.Owner.Name
			prm := m.ParamFor(args, idx, onReceiver)
			switch {
			case prm == nil:
			case isActionType(prm.TypeName):
				takesAction = true
			case analyzer.SimpleTypeName(prm.TypeName) == "Func":
				return false
			}
		}
		return takesAction
	case analyzer.KindVariableDeclarator:
		if vd := par.Parent(); vd != nil && vd.Kind() == analyzer.KindVariableDeclaration {
			return isActionType(vd.ChildByField("type").Text())
		}
	case analyzer.KindAssignment:
		if f := p.FieldOf(par.ChildByField("left")); f != nil {
			return isActionType(f.TypeName)
		}
		if t, ok := p.LocalType(par.ChildByField("left")); ok {
			return isActionType(t)
		}
	}
	return false
}

// voidToTaskFix turns `async void` into `async Task`, adding the using directive
// when the file lacks it.
func voidToTaskFix(file *analyzer.File, returns *analyzer.Node) *analyzer.Fix {
	if file == nil || returns == nil || returns.Text() != "void" {
		return nil
	}
	fix := &analyzer.Fix{Description: "Return Task instead of void",
		Edits: []analyzer.Edit{{File: file, Start: int(returns.Start()), End: int(returns.End()), NewText: "Task"}}}
	if !hasUsing(file, "System.Threading.Tasks") {
		at := usingInsertPoint(file)
		fix.Edits = append(fix.Edits, analyzer.Edit{File: file, Start: at, End: at, NewText: "using System.Threading.Tasks;\n"})
	}
	return fix
}
