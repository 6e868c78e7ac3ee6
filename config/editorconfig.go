package config

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/editorconfig/editorconfig-core-go/v2"
)

// EditorConfig reads Roslyn-style analyzer severities from .editorconfig
// files, with EditorConfig's section and glob semantics:
//
//	dotnet_diagnostic.LMI001.severity = none|silent|suggestion|warning|error
//	dotnet_analyzer_diagnostic.category-Concurrency.severity = …
//	dotnet_analyzer_diagnostic.severity = …
type EditorConfig struct {
	parser *missingAware
	byPath map[string]map[string]string // absolute path → its resolved properties
	// Warnings collects unknown rule IDs and bad values (reported once each).
	Warnings []string
	seen     map[string]bool
}

// NewEditorConfig returns a reader that caches parsed files.
func NewEditorConfig() *EditorConfig {
	e := &EditorConfig{byPath: map[string]map[string]string{}, seen: map[string]bool{}}
	e.parser = &missingAware{CachedParser: editorconfig.NewCachedParser(), missing: map[string]error{}, warn: e.warn}
	return e
}

// missingAware remembers which .editorconfig files do not exist: the cached
// parser only caches files it could read, and every finding's directory and
// its ancestors were tried again (5,000 failed opens for efcore's 848
// findings).
type missingAware struct {
	*editorconfig.CachedParser
	missing map[string]error
	warn    func(path, msg string)
}

func (m *missingAware) ParseIni(filename string) (*editorconfig.Editorconfig, error) {
	ec, _, err := m.ParseIniGraceful(filename)
	return ec, err
}

func (m *missingAware) ParseIniGraceful(filename string) (*editorconfig.Editorconfig, error, error) {
	if err, ok := m.missing[filename]; ok {
		return nil, nil, err
	}
	if err := regularFile(filename); errors.Is(err, errNotRegular) {
		// A FIFO named .editorconfig would block the parser's read: such a
		// file counts as missing.
		m.warn(filename, filename+": not read: not a regular file")
		m.missing[filename] = fs.ErrNotExist
		return nil, nil, fs.ErrNotExist
	}
	ec, warning, err := m.CachedParser.ParseIniGraceful(filename)
	if errors.Is(err, fs.ErrNotExist) {
		m.missing[filename] = err
	}
	return ec, warning, err
}

// Category is the analyzer category of lmilint's rules (as in SuppressMessage).
const Category = "Concurrency"

// Severity returns the level configured for a rule in the file at absPath:
// "error", "warning", "note", "none", or "" when nothing applies.
func (e *EditorConfig) Severity(absPath, ruleID string, known func(string) bool) string {
	raw, ok := e.byPath[absPath]
	if !ok {
		cfg := editorconfig.Config{Path: absPath, Parser: e.parser, Graceful: true}
		if def, err := cfg.Load(absPath); err == nil && def != nil {
			raw = def.Raw
		}
		e.byPath[absPath] = raw
	}
	if raw == nil {
		return ""
	}
	for key, value := range raw {
		if strings.HasPrefix(key, "dotnet_diagnostic.lmi") && strings.HasSuffix(key, ".severity") {
			id := strings.ToUpper(strings.TrimSuffix(strings.TrimPrefix(key, "dotnet_diagnostic."), ".severity"))
			if !known(id) {
				e.warn(absPath, "unknown rule "+id+" in .editorconfig ("+key+")")
			}
			if _, ok := roslynLevels[strings.ToLower(value)]; !ok {
				e.warn(absPath, "unknown severity "+value+" for "+key+" in .editorconfig")
			}
		}
	}
	for _, key := range []string{
		"dotnet_diagnostic." + strings.ToLower(ruleID) + ".severity",
		"dotnet_analyzer_diagnostic.category-" + strings.ToLower(Category) + ".severity",
		"dotnet_analyzer_diagnostic.severity",
	} {
		if v, ok := raw[key]; ok {
			if level, ok := roslynLevels[strings.ToLower(strings.TrimSpace(v))]; ok {
				return level
			}
		}
	}
	return ""
}

var roslynLevels = map[string]string{"none": "none", "silent": "none", "suggestion": "note", "warning": "warning", "error": "error", "default": ""}

func (e *EditorConfig) warn(path, msg string) {
	if !e.seen[msg] {
		e.seen[msg] = true
		e.Warnings = append(e.Warnings, msg)
	}
}
