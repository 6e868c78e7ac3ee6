package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// SyncOverAsync flags blocking waits on tasks on the request path.
var SyncOverAsync = &analyzer.Rule{
	ID:        "LMI011",
	Name:      "sync-over-async",
	Title:     "Blocking wait on a task on the request path",
	Level:     analyzer.LevelWarning,
	Precision: "high",
	Why: "`.Result`, `.Wait()` and `.GetAwaiter().GetResult()` block a thread-pool thread until the task " +
		"finishes. With one invocation per environment that only wasted a thread; with many concurrent " +
		"invocations the blocked threads starve the pool that their own continuations need, so every " +
		"request in the environment slows down or deadlocks. `Thread.Sleep` in async code blocks the same way.",
	Bad: `public class Function
{
    public string Handler(string key, ILambdaContext context)
    {
        var response = _s3.GetObjectAsync("bucket", key).Result;
        return response.Key;
    }
}`,
	Good: `public class Function
{
    public async Task<string> Handler(string key, ILambdaContext context)
    {
        var response = await _s3.GetObjectAsync("bucket", key);
        return response.Key;
    }
}`,
	Fix: "Make the handler `async` and `await` the task (Lambda supports `Task<T>` handlers); use " +
		"`await Task.Delay` instead of `Thread.Sleep`.",
	Run: runSyncOverAsync,
}

func runSyncOverAsync(pass *analyzer.Pass) {
	p := pass.Prog
	p.Visit([]analyzer.Kind{analyzer.KindMemberAccess, analyzer.KindInvocation}, func(n *analyzer.Node) bool {
		switch n.Kind() {
		case analyzer.KindMemberAccess:
			if n.ChildByField("name").Text() == "Result" && n.Parent() != nil && !(n.Parent().Kind() == analyzer.KindInvocation && n.Field() == "function") {
				recv := n.ChildByField("expression")
				if isKnownTask(p, recv, 0) && !alreadyAwaited(p, recv, n) && !completionChecked(recv, n) {
					pass.Report(n, "`.Result` blocks a thread until the task completes; under concurrent invocations blocked threads starve the thread pool for every request. Make the method async and await it")
				}
			}
		case analyzer.KindInvocation:
			name, recv := analyzer.CalleeName(n)
			switch {
			case recv == nil:
			case name == "Wait" && isKnownTask(p, recv, 0) && !alreadyAwaited(p, recv, n):
				pass.Report(n, "`.Wait()` blocks a thread until the task completes; under concurrent invocations blocked threads starve the thread pool for every request. Await the task instead")
			case name == "GetResult" && analyzer.Unparen(recv).Kind() == analyzer.KindInvocation:
				inner, task := analyzer.CalleeName(analyzer.Unparen(recv))
				if inner == "GetAwaiter" && task != nil && isKnownTask(p, task, 0) && !alreadyAwaited(p, task, n) {
					pass.Report(n, "`.GetAwaiter().GetResult()` blocks a thread until the task completes; under concurrent invocations blocked threads starve the thread pool for every request. Await the task instead")
				}
			case (name == "WaitAll" || name == "WaitAny") && analyzer.SimpleTypeName(recv.Text()) == "Task":
				pass.Report(n, "`Task.%s` blocks a thread until the tasks complete; under concurrent invocations blocked threads starve the thread pool for every request. Use `await Task.%s` instead",
					name, strings.Replace(name, "Wait", "When", 1))
			case name == "Sleep" && analyzer.SimpleTypeName(recv.Text()) == "Thread":
				if unit := p.UnitOf(n); unit != nil && unit.Async {
					pass.Report(n, "`Thread.Sleep` in an async method blocks a thread-pool thread that concurrent invocations need; use `await Task.Delay`")
				}
			}
		}
		return true
	})
}

func isTaskType(written string) bool {
	switch analyzer.SimpleTypeName(written) {
	case "Task", "ValueTask":
		return true
	}
	return false
}

var taskFactories = map[string]bool{"Run": true, "Delay": true, "WhenAll": true, "WhenAny": true, "FromResult": true, "StartNew": true, "FromException": true, "FromCanceled": true}

// isKnownTask reports whether an expression is known to be a Task or ValueTask:
// an …Async() call outside the project, a project method returning a task,
// Task.Run/Delay/WhenAll/…, or a local, parameter or field typed as a task or
// initialized from one of those.
func isKnownTask(p *analyzer.Program, e *analyzer.Node, depth int) bool {
	e = analyzer.Unparen(e)
	if e == nil || depth > 8 {
		return false
	}
	switch e.Kind() {
	case analyzer.KindInvocation:
		name, recv := analyzer.CalleeName(e)
		if recv != nil && taskFactories[name] && (analyzer.SimpleTypeName(recv.Text()) == "Task" || strings.HasSuffix(recv.Text(), "Task.Factory")) {
			return true
		}
		if callees := p.Callees(e); len(callees) > 0 {
			for _, c := range callees {
				if isTaskType(c.Returns) {
					return true
				}
			}
			return false // the project method's declared type decides
		}
		return strings.HasSuffix(name, "Async")
	case analyzer.KindIdentifier:
		if typ, ok := p.LocalType(e); ok {
			if isTaskType(typ) {
				return true
			}
			if v := p.SoleValue(e); v != nil && (typ == "" || typ == "var") {
				return isKnownTask(p, v, depth+1)
			}
			return false
		}
		if f := p.FieldOf(e); f != nil {
			return isTaskType(f.TypeName)
		}
	case analyzer.KindMemberAccess:
		if f := p.FieldOf(e); f != nil {
			return isTaskType(f.TypeName)
		}
	}
	return false
}

// alreadyAwaited reports whether the task expression was awaited earlier in the
// same unit, directly or through await Task.WhenAll/WhenAny.
func alreadyAwaited(p *analyzer.Program, task, at *analyzer.Node) bool {
	task = analyzer.Unparen(task)
	if task.Kind() != analyzer.KindIdentifier && task.Kind() != analyzer.KindMemberAccess {
		return false
	}
	unit := p.UnitOf(at)
	if unit == nil {
		return false
	}
	name := task.Text()
	found := false
	for _, b := range unit.Bodies {
		b.Walk(func(n *analyzer.Node) bool {
			if found || n.Start() >= at.Start() {
				return false
			}
			if n.Kind() != analyzer.KindAwait {
				return true
			}
			operand := analyzer.Unparen(n.FirstNamed())
			if operand == nil {
				return true
			}
			if operand.Text() == name {
				found = true
				return false
			}
			if operand.Kind() == analyzer.KindInvocation {
				if callee, _ := analyzer.CalleeName(operand); callee == "WhenAll" || callee == "WhenAny" || callee == "ConfigureAwait" {
					operand.Walk(func(c *analyzer.Node) bool {
						if (c.Kind() == analyzer.KindIdentifier || c.Kind() == analyzer.KindMemberAccess) && c.Text() == name {
							found = true
						}
						return !found
					})
				}
			}
			return !found
		})
	}
	return found
}

// completionChecked reports whether `.Result` sits under a check of IsCompleted.
func completionChecked(task, at *analyzer.Node) bool {
	name := analyzer.Unparen(task).Text()
	for cur := at.Parent(); cur != nil; cur = cur.Parent() {
		var cond *analyzer.Node
		switch cur.Kind() {
		case analyzer.KindIfStatement, analyzer.KindConditionalExpression:
			cond = cur.ChildByField("condition")
		}
		if cond != nil && !cond.Contains(at) && strings.Contains(cond.Text(), name+".IsCompleted") {
			return true
		}
	}
	return false
}
