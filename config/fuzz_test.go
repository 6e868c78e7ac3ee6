package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzConfig: any file content gives a configuration or an error, never a panic.
func FuzzConfig(f *testing.F) {
	f.Add([]byte(Template))
	f.Add([]byte("rules:\n  levels:\n    LMI001: note\n"))
	f.Add([]byte("rules: [\n"))
	f.Add([]byte("exclude: {a: b}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), ".lmilint.yaml")
		os.WriteFile(path, data, 0o644)
		Load(path, func(string) bool { return true })
	})
}

func TestTemplateLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lmilint.yaml")
	os.WriteFile(path, []byte(Template), 0o644)
	cfg, warnings, err := Load(path, func(string) bool { return true })
	if err != nil || len(warnings) != 0 || cfg.AllCode {
		t.Fatalf("template: %v %v %+v", err, warnings, cfg)
	}
}
