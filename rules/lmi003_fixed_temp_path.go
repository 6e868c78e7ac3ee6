package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// FixedTempPath flags writes to fixed paths in the temp directory.
var FixedTempPath = &analyzer.Rule{
	ID:        "LMI003",
	Name:      "fixed-temp-path",
	Title:     "File written at a fixed path in /tmp on the request path",
	Level:     analyzer.LevelError,
	CWE:       []int{377, 362},
	Precision: "high",
	HasFix:    true,
	Why: `Every invocation in an execution environment shares one ` + "`/tmp`" + `. On classic Lambda one request
ran at a time, so a fixed name such as ` + "`/tmp/report.pdf`" + ` was safe; on Lambda Managed Instances
concurrent requests overwrite, read and delete each other's files, and one user can receive a
file built for another.`,
	Bad: `public async Task Handler(S3Event evt, ILambdaContext context)
{
    var response = await _s3.GetObjectAsync(Bucket, evt.Key);
    await response.WriteResponseStreamToFileAsync("/tmp/input.csv", false, default);
    Process("/tmp/input.csv");
}`,
	Good: `public async Task Handler(S3Event evt, ILambdaContext context)
{
    var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid()}-input.csv");
    var response = await _s3.GetObjectAsync(Bucket, evt.Key);
    await response.WriteResponseStreamToFileAsync(path, false, default);
    Process(path);
}`,
	Fix: "Build a request-unique name: `Path.Combine(Path.GetTempPath(), $\"{Guid.NewGuid()}-name.ext\")` " +
		"(or include `context.AwsRequestId`), and delete the file when done.",
	Run: runFixedTempPath,
}

// fileWriteArg says which argument of a file API is the written path.
type fileWriteArg struct {
	arg int
	// modeArg, when >= 0, is a FileMode/FileAccess argument that must ask for writing.
	modeArg int
}

var fileStaticWrites = map[string]map[string]fileWriteArg{
	"File": {
		"WriteAllText": {0, -1}, "WriteAllTextAsync": {0, -1}, "WriteAllBytes": {0, -1}, "WriteAllBytesAsync": {0, -1},
		"WriteAllLines": {0, -1}, "WriteAllLinesAsync": {0, -1}, "AppendAllText": {0, -1}, "AppendAllTextAsync": {0, -1},
		"AppendAllLines": {0, -1}, "AppendAllLinesAsync": {0, -1}, "AppendAllBytes": {0, -1}, "AppendAllBytesAsync": {0, -1},
		"AppendText": {0, -1}, "Create": {0, -1}, "CreateText": {0, -1}, "OpenWrite": {0, -1},
		"Open": {0, 1}, "Copy": {1, -1}, "Move": {1, -1}, "Replace": {1, -1}, "Delete": {0, -1},
	},
	"ZipFile": {"ExtractToDirectory": {1, -1}, "CreateFromDirectory": {1, -1}},
}

var writeModes = []string{"Create", "CreateNew", "Append", "OpenOrCreate", "Truncate", "Write", "ReadWrite"}

func runFixedTempPath(pass *analyzer.Pass) {
	p := pass.Prog
	p.Visit([]analyzer.Kind{analyzer.KindInvocation, analyzer.KindObjectCreation}, func(n *analyzer.Node) bool {
		switch n.Kind() {
		case analyzer.KindInvocation:
			checkFileInvocation(pass, n)
		case analyzer.KindObjectCreation:
			switch analyzer.SimpleTypeName(n.ChildByField("type").Text()) {
			case "FileStream":
				args := analyzer.Arguments(n)
				if len(args) >= 2 && asksForWrite(analyzer.ArgValue(args[1])) {
					reportFixedTemp(pass, n, args[0])
				}
			case "StreamWriter":
				if args := analyzer.Arguments(n); len(args) >= 1 && isStringish(p, analyzer.ArgValue(args[0])) {
					reportFixedTemp(pass, n, args[0])
				}
			}
		}
		return true
	})
}

func checkFileInvocation(pass *analyzer.Pass, call *analyzer.Node) {
	p := pass.Prog
	name, recv := analyzer.CalleeName(call)
	if recv == nil {
		return
	}
	args := analyzer.Arguments(call)
	owner := analyzer.SimpleTypeName(recv.Text())
	if table, ok := fileStaticWrites[owner]; ok && p.LookupType(owner) == nil {
		if w, ok := table[name]; ok && w.arg < len(args) {
			if w.modeArg >= 0 && (w.modeArg >= len(args) || !asksForWrite(analyzer.ArgValue(args[w.modeArg]))) {
				return
			}
			reportFixedTemp(pass, call, args[w.arg])
		}
		return
	}
	switch name {
	case "WriteResponseStreamToFileAsync", "WriteResponseStreamToFile":
		if len(args) > 0 {
			reportFixedTemp(pass, call, args[0])
		}
	case "Download", "DownloadAsync":
		if len(args) >= 3 && isStringish(p, analyzer.ArgValue(args[0])) {
			reportFixedTemp(pass, call, args[0])
		}
	case "DownloadDirectory", "DownloadDirectoryAsync":
		if len(args) >= 3 {
			reportFixedTemp(pass, call, args[2])
		}
	case "Save":
		rt := analyzer.SimpleTypeName(p.TypeOf(recv).Name)
		if (rt == "XmlDocument" || rt == "XDocument" || rt == "XElement") && len(args) > 0 {
			reportFixedTemp(pass, call, args[0])
		}
	case "Create", "CreateText", "AppendText", "OpenWrite", "Delete", "MoveTo", "CopyTo":
		// FileInfo write methods on `new FileInfo(fixed)` or a local holding one.
		target := analyzer.Unparen(recv)
		if target.Kind() == analyzer.KindIdentifier {
			if v := p.SoleValue(target); v != nil {
				target = analyzer.Unparen(v)
			}
		}
		if target.Kind() != analyzer.KindObjectCreation || analyzer.SimpleTypeName(target.ChildByField("type").Text()) != "FileInfo" {
			return
		}
		if name == "MoveTo" || name == "CopyTo" {
			if len(args) > 0 {
				reportFixedTemp(pass, call, args[0])
			}
			return
		}
		if fi := analyzer.Arguments(target); len(fi) > 0 {
			reportFixedTemp(pass, call, fi[0])
		}
	}
}

// isStringish rules out overloads whose first argument is a request object.
func isStringish(p *analyzer.Program, v *analyzer.Node) bool {
	_, ok := p.FixedPath(v)
	return ok
}

func asksForWrite(v *analyzer.Node) bool {
	t := v.Text()
	for _, m := range writeModes {
		if strings.HasSuffix(t, "."+m) {
			return true
		}
	}
	return false
}

func reportFixedTemp(pass *analyzer.Pass, call, arg *analyzer.Node) {
	p := pass.Prog
	v := analyzer.ArgValue(arg)
	fixed, ok := p.FixedPath(v)
	if !ok || !analyzer.IsTempPath(fixed) {
		return
	}
	f := pass.Report(call, "fixed temp path %q is written by concurrent invocations, which overwrite and delete each other's files; use a request-unique name such as Path.Combine(Path.GetTempPath(), $\"{Guid.NewGuid()}-%s\")",
		fixed, baseName(fixed))
	f.Fix = uniqueTempNameFix(p, f.File, v, fixed)
}

func baseName(fixed string) string {
	b := path.Base(fixed)
	if b == "/" || b == "." || b == "tmp" {
		return "file"
	}
	return b
}

// uniqueTempNameFix rewrites the literal that names the fixed path: the
// argument itself when it is a literal not repeated elsewhere in the unit, or
// the initializer of the local that holds it (every use goes through the local,
// so the request keeps finding its own file).
func uniqueTempNameFix(p *analyzer.Program, file *analyzer.File, v *analyzer.Node, fixed string) *analyzer.Fix {
	target := analyzer.Unparen(v)
	if target.Kind() == analyzer.KindIdentifier {
		init := p.SoleValue(target)
		if init == nil {
			return nil
		}
		target = analyzer.Unparen(init)
	} else if unit := p.UnitOf(target); unit != nil {
		count := 0
		for _, b := range unit.Bodies {
			b.Walk(func(n *analyzer.Node) bool {
				if n.Text() == target.Text() && n.Kind() == target.Kind() {
					count++
				}
				return true
			})
		}
		if count > 1 {
			return nil // the same fixed path is used again: renaming one use would break the other
		}
	}
	switch target.Kind() {
	case analyzer.KindStringLiteral, analyzer.KindVerbatimStringLiteral, analyzer.KindInterpolatedString:
	default:
		return nil
	}
	replacement := fmt.Sprintf(`System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{System.Guid.NewGuid()}-%s")`, baseName(fixed))
	return &analyzer.Fix{
		Description: "Use a request-unique temp file name",
		Edits:       []analyzer.Edit{{File: file, Start: int(target.Start()), End: int(target.End()), NewText: replacement}},
	}
}
