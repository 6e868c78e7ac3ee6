package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/lmilint/lmilint/internal/sarifcheck"
)

type action struct {
	Inputs  map[string]struct{ Default string } `yaml:"inputs"`
	Outputs map[string]struct{ Value string }   `yaml:"outputs"`
	Runs    struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

var expr = regexp.MustCompile(`\$\{\{\s*inputs\.([a-z-]+)\s*\}\}`)

// TestAction runs the composite action's shell steps as a runner would (with
// the inputs' defaults, GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY) on a sample project, then checks the outputs.
func TestAction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lmilint; skipped with -short")
	}
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" || a.Outputs["sarif-file"].Value == "" {
		t.Fatalf("action.yml: using %q, outputs %v", a.Runs.Using, a.Outputs)
	}
	work := t.TempDir()
	project := filepath.Join(work, "repo")
	os.MkdirAll(project, 0o755)
	src, _ := os.ReadFile(filepath.Join(root, "testdata", "projects", "orders-api", "src", "Function.cs"))
	os.WriteFile(filepath.Join(project, "Function.cs"), src, 0o644)
	temp, output, summary := filepath.Join(work, "runner"), filepath.Join(work, "output"), filepath.Join(work, "summary.md")
	os.MkdirAll(temp, 0o755)
	for _, step := range a.Runs.Steps {
		if step.Uses != "" {
			if !strings.HasPrefix(step.Uses, "actions/setup-go@") {
				t.Errorf("unexpected action %s", step.Uses)
			}
			continue // the runner's Go is this machine's
		}
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", step.Run)
		cmd.Dir = project
		cmd.Env = append(os.Environ(), "GITHUB_ACTION_PATH="+root, "RUNNER_TEMP="+temp, "GITHUB_OUTPUT="+output, "GITHUB_STEP_SUMMARY="+summary)
		for k, v := range step.Env {
			cmd.Env = append(cmd.Env, k+"="+expr.ReplaceAllStringFunc(v, func(m string) string {
				return a.Inputs[expr.FindStringSubmatch(m)[1]].Default
			}))
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("step %q: %v\n%s", step.ID, err, out)
		}
	}
	outputs, _ := os.ReadFile(output)
	if !strings.Contains(string(outputs), "sarif-file=lmilint.sarif") {
		t.Errorf("GITHUB_OUTPUT: %q", outputs)
	}
	sarifData, err := os.ReadFile(filepath.Join(project, "lmilint.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sarifcheck.Schema(sarifData, filepath.Join(root, "testdata", "sarif-schema-2.1.0.json")); err != nil {
		t.Error(err)
	}
	if !strings.Contains(string(sarifData), `"id": "lmilint/"`) {
		t.Error("SARIF lacks the automationDetails category")
	}
	md, _ := os.ReadFile(summary)
	if !strings.Contains(string(md), "# Lambda Managed Instances readiness") {
		t.Errorf("job summary: %q", md)
	}
}

// TestWorkflowExample checks the documented workflow: valid YAML, the
// permissions code scanning needs, and upload-sarif fed by the action's output.
func TestWorkflowExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "examples", "lmilint-code-scanning.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Steps []struct {
				ID   string            `yaml:"id"`
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("workflow YAML: %v", err)
	}
	if wf.Permissions["security-events"] != "write" {
		t.Error("workflow lacks permissions: security-events: write")
	}
	var scanID, uploaded string
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			if strings.HasPrefix(s.Uses, "lmilint/lmilint@") {
				scanID = s.ID
			}
			if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
				uploaded = s.With["sarif_file"]
			}
		}
	}
	if scanID == "" || uploaded != "${{ steps."+scanID+".outputs.sarif-file }}" {
		t.Errorf("upload-sarif must take the lmilint step's sarif-file output; got step %q, sarif_file %q", scanID, uploaded)
	}
}
