package sarifcheck

import (
	"path/filepath"
	"strings"
	"testing"
)

var schema = filepath.Join("..", "..", "testdata", "sarif-schema-2.1.0.json")

// TestSchemaRejects makes sure the schema check can fail.
func TestSchemaRejects(t *testing.T) {
	valid := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"error"}]}]}`
	if err := Schema([]byte(valid), schema); err != nil {
		t.Fatalf("valid document rejected: %v", err)
	}
	for _, bad := range []string{
		strings.Replace(valid, `"error"`, `"fatal"`, 1),
		strings.Replace(valid, `"version":"2.1.0"`, `"version":"9"`, 1),
		strings.Replace(valid, `{"text":"m"}`, `{}`, 1),
	} {
		if err := Schema([]byte(bad), schema); err == nil {
			t.Errorf("invalid document accepted: %s", bad)
		}
	}
}

// TestMultitoolRejects makes sure the multitool check can fail (where installed).
func TestMultitoolRejects(t *testing.T) {
	tool := Multitool(filepath.Join("..", ".."))
	if tool == "" {
		t.Skip("Microsoft's SARIF validator is not installed (.ci/run installs it; or set SARIF_MULTITOOL)")
	}
	// A result without a ruleId and a driver without rules: both SARIF's and
	// GitHub's rules reject it.
	doc := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///abs/path.cs"},"region":{"startLine":1}}}]}]}]}`
	results, err := RunMultitool(tool, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	errors := 0
	for _, r := range results {
		if r.Level == "error" {
			errors++
		}
	}
	if errors == 0 {
		t.Errorf("validator found no error in a document GitHub rejects: %+v", results)
	}
}
