package rules

import "github.com/lmilint/lmilint/analyzer"

// SharedTempCleanup flags deleting the temp directory or fixed directories in it.
var SharedTempCleanup = &analyzer.Rule{
	ID:        "LMI015",
	Name:      "shared-temp-cleanup",
	Title:     "Temp directory cleaned up on the request path",
	Level:     analyzer.LevelError,
	CWE:       []int{362},
	Precision: "high",
	Why: "Cleaning `/tmp` at the end of an invocation was a common habit when one request ran at a time. " +
		"Under Lambda Managed Instances the other invocations running at that moment still have their " +
		"files there: deleting the directory, or everything in it, breaks them mid-request.",
	Bad: `public class Function
{
    public void Handler(string input, ILambdaContext context)
    {
        Process(input);
        foreach (var file in Directory.GetFiles("/tmp"))
        {
            File.Delete(file);
        }
    }
}`,
	Good: `public class Function
{
    public void Handler(string input, ILambdaContext context)
    {
        var work = Path.Combine(Path.GetTempPath(), context.AwsRequestId);
        Directory.CreateDirectory(work);
        try { Process(input, work); }
        finally { Directory.Delete(work, true); }
    }
}`,
	Fix: "Give each invocation its own directory (`Path.Combine(Path.GetTempPath(), context.AwsRequestId)`) " +
		"and delete only that.",
	Run: runSharedTempCleanup,
}

var dirEnumerations = map[string]bool{"GetFiles": true, "EnumerateFiles": true, "GetDirectories": true, "EnumerateDirectories": true,
	"GetFileSystemEntries": true, "EnumerateFileSystemEntries": true, "GetFileSystemInfos": true, "EnumerateFileSystemInfos": true}

func runSharedTempCleanup(pass *analyzer.Pass) {
	p := pass.Prog
	p.Visit([]analyzer.Kind{analyzer.KindInvocation}, func(n *analyzer.Node) bool {
		if n.Kind() != analyzer.KindInvocation {
			return true
		}
		name, recv := analyzer.CalleeName(n)
		if name != "Delete" || recv == nil {
			return true
		}
		args := analyzer.Arguments(n)
		owner := analyzer.SimpleTypeName(recv.Text())
		switch {
		case owner == "Directory" && len(args) > 0:
			if dir, ok := fixedTempDir(p, analyzer.ArgValue(args[0])); ok {
				pass.Report(n, "deleting the fixed temp directory %q removes files of concurrent invocations; give each invocation its own directory (e.g. Path.Combine(Path.GetTempPath(), context.AwsRequestId)) and delete only that", dir)
				return true
			}
			if dir, ok := enumeratedTempDir(p, analyzer.ArgValue(args[0])); ok {
				pass.Report(n, "deleting what is found in the fixed temp directory %q removes files of concurrent invocations; delete only this invocation's own files", dir)
			}
		case owner == "File" && len(args) > 0:
			if dir, ok := enumeratedTempDir(p, analyzer.ArgValue(args[0])); ok {
				pass.Report(n, "deleting what is found in the fixed temp directory %q removes files of concurrent invocations; delete only this invocation's own files", dir)
			}
		default:
			// new DirectoryInfo("/tmp/x").Delete(), or an item enumerated from a fixed temp dir.
			target := analyzer.Unparen(recv)
			if target.Kind() == analyzer.KindIdentifier {
				if dir, ok := enumeratedTempDir(p, target); ok {
					pass.Report(n, "deleting what is found in the fixed temp directory %q removes files of concurrent invocations; delete only this invocation's own files", dir)
					return true
				}
				if v := p.SoleValue(target); v != nil {
					target = analyzer.Unparen(v)
				}
			}
			if target.Kind() == analyzer.KindObjectCreation && analyzer.SimpleTypeName(target.ChildByField("type").Text()) == "DirectoryInfo" {
				if a := analyzer.Arguments(target); len(a) > 0 {
					if dir, ok := fixedTempDir(p, analyzer.ArgValue(a[0])); ok {
						pass.Report(n, "deleting the fixed temp directory %q removes files of concurrent invocations; give each invocation its own directory and delete only that", dir)
					}
				}
			}
		}
		return true
	})
}

func fixedTempDir(p *analyzer.Program, e *analyzer.Node) (string, bool) {
	dir, ok := p.FixedPath(e)
	return dir, ok && analyzer.IsTempPath(dir)
}

// enumeratedTempDir reports whether e is the loop variable of a foreach over an
// enumeration of a fixed temp directory (Directory.GetFiles("/tmp"), new
// DirectoryInfo("/tmp").GetFiles(), …), or such an item's FullName.
func enumeratedTempDir(p *analyzer.Program, e *analyzer.Node) (string, bool) {
	e = analyzer.Unparen(e)
	if e == nil {
		return "", false
	}
	if e.Kind() == analyzer.KindMemberAccess && e.ChildByField("name").Text() == "FullName" {
		e = analyzer.Unparen(e.ChildByField("expression"))
	}
	if e.Kind() != analyzer.KindIdentifier {
		return "", false
	}
	for cur := e.Parent(); cur != nil; cur = cur.Parent() {
		if cur.Kind() != analyzer.KindForeachStatement {
			continue
		}
		left := cur.ChildByField("left")
		if left == nil || left.Text() != e.Text() {
			continue
		}
		src := analyzer.Unparen(cur.ChildByField("right"))
		if src == nil || src.Kind() != analyzer.KindInvocation {
			return "", false
		}
		name, recv := analyzer.CalleeName(src)
		if !dirEnumerations[name] || recv == nil {
			return "", false
		}
		if analyzer.SimpleTypeName(recv.Text()) == "Directory" {
			if a := analyzer.Arguments(src); len(a) > 0 {
				return fixedTempDir(p, analyzer.ArgValue(a[0]))
			}
		}
		target := analyzer.Unparen(recv)
		if target.Kind() == analyzer.KindIdentifier {
			if v := p.SoleValue(target); v != nil {
				target = analyzer.Unparen(v)
			}
		}
		if target.Kind() == analyzer.KindObjectCreation && analyzer.SimpleTypeName(target.ChildByField("type").Text()) == "DirectoryInfo" {
			if a := analyzer.Arguments(target); len(a) > 0 {
				return fixedTempDir(p, analyzer.ArgValue(a[0]))
			}
		}
		return "", false
	}
	return "", false
}
