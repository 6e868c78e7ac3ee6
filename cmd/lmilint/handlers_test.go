package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestHandlersPerSource checks entry-point discovery for every source of SPEC §1.
func TestHandlersPerSource(t *testing.T) {
	cases := []struct {
		project string
		want    []string // "source|method"
	}{
		{"orders-api", []string{"aws-lambda-tools-defaults.json|Function.FunctionHandler"}},
		{"s3-processor", []string{"serverless.template|Function.FunctionHandler"}},
		{"sam-app", []string{"SAM template|Nested.Handle", "SAM template|Handlers.Put"}},
		{"cdk-app", []string{"CDK handler string|OrderHandler.Handle", "CDK handler string|RefundHandler.Process", "CDK handler string|AuditHandler.Run"}},
		{"annotations-app", []string{"[LambdaFunction]|Calculator.Add", "[LambdaFunction]|Calculator.Negate", "serverless.template|Functions.GetItem"}},
		{"bootstrap-app", []string{"LambdaBootstrapBuilder.Create|lambda at Program.cs:8", "LambdaBootstrapBuilder.Create|Worker.Handle"}},
		{"aspnet-controllers", []string{"ASP.NET Core controller action|CartController.Add"}},
		{"monorepo", []string{"ASP.NET Core minimal API endpoint|lambda at src/Api/Program.cs:11", "ASP.NET Core minimal API endpoint|AddItem",
			"ILambdaContext parameter|Function.FunctionHandler", "ILambdaContext parameter|Function.FunctionHandler"}},
	}
	for _, c := range cases {
		t.Run(c.project, func(t *testing.T) {
			out, stderr, code := run(t, "handlers", sampleProject(c.project), "--format", "json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if c.project != "sam-app" && strings.Contains(stderr, "does not resolve") {
				t.Errorf("unexpected diagnostic: %s", stderr)
			}
			var rows []handlerJSON
			if err := json.Unmarshal([]byte(out), &rows); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				name := r.Method
				if strings.HasPrefix(r.Handler, "lambda at") {
					name = r.Handler
				}
				got = append(got, r.Source+"|"+name)
			}
			sort.Strings(got)
			want := append([]string(nil), c.want...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("entry points:\n got  %q\n want %q", got, want)
			}
		})
	}
}

// TestManifestDiagnostics: manifests that do not parse or name missing code are
// run diagnostics with file and line, never crashes, and the scan goes on.
func TestManifestDiagnostics(t *testing.T) {
	out, stderr, code := run(t, "scan", sampleProject("bad-manifests"))
	if code != 1 || !strings.Contains(out, "LMI005") {
		t.Errorf("scan should go on and report LMI005: exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"aws-lambda-tools-defaults.json:3: warning: cannot read handlers: invalid JSON",
		"template.yaml:3: warning: cannot read handlers: invalid YAML",
		`serverless.template:1: warning: handler "Bad::Bad.Missing::Run" does not resolve: no type Bad.Missing`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	_, stderr, _ = run(t, "scan", sampleProject("sam-app"))
	if !strings.Contains(stderr, `template.yaml:17: warning: handler "SamApp::SamApp.Handlers::DoesNotExist" does not resolve: no method DoesNotExist`) {
		t.Errorf("missing method not reported:\n%s", stderr)
	}
}

// TestAllCode: unreachable code is reported only with --all-code; init code never.
func TestAllCode(t *testing.T) {
	out, _, _ := run(t, "scan", sampleProject("reachability"), "--format", "json")
	var base, all []map[string]any
	json.Unmarshal([]byte(out), &base)
	out, _, _ = run(t, "scan", sampleProject("reachability"), "--format", "json", "--all-code")
	json.Unmarshal([]byte(out), &all)
	lines := func(fs []map[string]any) []int {
		var ls []int
		for _, f := range fs {
			ls = append(ls, int(f["line"].(float64)))
		}
		sort.Ints(ls)
		return ls
	}
	if got := lines(base); len(got) != 2 {
		t.Errorf("without --all-code: lines %v, want the helper and the notifier", got)
	}
	got := lines(all)
	has := func(l int) bool {
		for _, x := range got {
			if x == l {
				return true
			}
		}
		return false
	}
	if len(got) != 3 || !has(38) {
		t.Errorf("with --all-code: lines %v, want 3 including Unused (38)", got)
	}
	if has(31) || has(32) {
		t.Errorf("init code (Configure) reported with --all-code: %v", got)
	}
}

// TestManifestOrder: handlers from a serverless.template are listed in the
// order of their resource names, the same on every run (a JSON object's keys
// once came out in Go's random map order, and with them the entry points of
// every finding).
func TestManifestOrder(t *testing.T) {
	dir := t.TempDir()
	names := []string{"Zulu", "Alpha", "Mike", "Echo", "Kilo", "Bravo"}
	var resources, code []string
	for _, n := range names {
		resources = append(resources, `"`+n+`": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "App::App.`+n+`::Handle"}}`)
		code = append(code, "public class "+n+" { public string Handle(string s) => s; }")
	}
	os.WriteFile(filepath.Join(dir, "serverless.template"), []byte(`{"Resources": {`+strings.Join(resources, ",\n")+`}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "App.cs"), []byte("namespace App;\n"+strings.Join(code, "\n")+"\n"), 0o644)
	out, stderr, status := run(t, "handlers", dir, "--format", "json")
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	var rows []handlerJSON
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Method)
	}
	want := "Alpha.Handle Bravo.Handle Echo.Handle Kilo.Handle Mike.Handle Zulu.Handle"
	if strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}
