// Package sarifcheck validates SARIF documents in tests: against the OASIS
// SARIF 2.1.0 JSON schema (testdata/sarif-schema-2.1.0.json, the copy go-sarif
// v3 embeds), and with Microsoft's SARIF multitool for GitHub's ingestion rules.
package sarifcheck

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

// Schema validates the document's bytes against the schema file.
func Schema(data []byte, schemaPath string) error {
	schema, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewBytesLoader(data))
	if err != nil {
		return err
	}
	if res.Valid() {
		return nil
	}
	var msgs []string
	for _, e := range res.Errors() {
		msgs = append(msgs, e.String())
	}
	return fmt.Errorf("%d schema errors:\n%s", len(msgs), strings.Join(msgs, "\n"))
}

// Multitool finds Microsoft's validator: $SARIF_MULTITOOL, or the platform
// binary `.ci/run` installs under .tools/ in the repository root.
func Multitool(repoRoot string) string {
	if p := os.Getenv("SARIF_MULTITOOL"); p != "" {
		return p
	}
	p, _ := filepath.Abs(filepath.Join(repoRoot, ".tools", "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool"))
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// Finding is one result of the validator.
type Finding struct {
	RuleID, Level, Message string
}

// RunMultitool runs `validate --rule-kind "Gh;Sarif"` on the document and
// returns the validator's results (it does not check the schema on Linux).
func RunMultitool(tool string, data []byte) ([]Finding, error) {
	dir, err := os.MkdirTemp("", "sarifcheck")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.sarif"), filepath.Join(dir, "out.sarif")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(tool, "validate", in, "-o", out, "--log", "ForceOverwrite", "--rule-kind", "Gh;Sarif")
	cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
	combined, runErr := cmd.CombinedOutput()
	raw, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("validator wrote no result (%v): %s", runErr, combined)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					Text      string   `json:"text"`
					ID        string   `json:"id"`
					Arguments []string `json:"arguments"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		return nil, fmt.Errorf("validator output: %w", err)
	}
	if len(log.Runs) == 0 {
		return nil, fmt.Errorf("validator output has no run: %s", combined)
	}
	var fs []Finding
	for _, r := range log.Runs[0].Results {
		level := r.Level
		if level == "" {
			level = "warning" // SARIF's default level
		}
		msg := r.Message.Text
		if msg == "" {
			msg = r.Message.ID + " " + strings.Join(r.Message.Arguments, "; ")
		}
		fs = append(fs, Finding{RuleID: r.RuleID, Level: level, Message: msg})
	}
	return fs, nil
}
