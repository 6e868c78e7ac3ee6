// Package config reads lmilint's configuration: the .lmilint.yaml file and the
// Roslyn-style severities of .editorconfig.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// FileNames are the names Find looks for, in order.
var FileNames = []string{".lmilint.yaml", ".lmilint.yml"}

// Config is the content of .lmilint.yaml.
type Config struct {
	Path  string `yaml:"-"`
	Rules struct {
		Enable  []string          `yaml:"enable"`
		Disable []string          `yaml:"disable"`
		Levels  map[string]string `yaml:"levels"`
	} `yaml:"rules"`
	Exclude     []string `yaml:"exclude"`
	EntryPoints []string `yaml:"entry-points"`
	Types       struct {
		ThreadSafe    []string `yaml:"thread-safe"`
		NotThreadSafe []string `yaml:"not-thread-safe"`
		Clients       []string `yaml:"clients"`
	} `yaml:"types"`
	AllCode bool `yaml:"all-code"`
}

// schema lists the keys each mapping may hold; nil means any key (levels).
var schema = map[string]map[string]any{
	"":      {"rules": nil, "exclude": nil, "entry-points": nil, "types": nil, "all-code": nil},
	"rules": {"enable": nil, "disable": nil, "levels": nil},
	"types": {"thread-safe": nil, "not-thread-safe": nil, "clients": nil},
}

// Error is a configuration problem with its position.
type Error struct {
	Path      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Find looks for a configuration file in dir and its parents, stopping at a
// repository root (a directory with .git). It returns "" when there is none.
func Find(dir string) string {
	dir, _ = filepath.Abs(dir)
	for {
		for _, name := range FileNames {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p
			}
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Load reads and checks a configuration file. Unknown keys and bad levels are
// errors (with line and column); unknown rule IDs are returned as warnings.
func Load(path string, knownRule func(string) bool) (*Config, []string, error) {
	data, err := readRegular(path)
	if err != nil {
		return nil, nil, &Error{Path: path, Msg: fmt.Sprintf("cannot read: %v", unwrap(err))}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		fmt.Sscanf(afterWord(err.Error(), "line "), "%d", &line)
		return nil, nil, &Error{Path: path, Line: line, Col: 1, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	cfg := &Config{Path: path}
	if len(doc.Content) == 0 {
		return cfg, nil, nil // an empty file
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, nil, &Error{Path: path, Line: root.Line, Col: root.Column, Msg: "the configuration must be a mapping of keys"}
	}
	if err := checkKeys(path, root, ""); err != nil {
		return nil, nil, err
	}
	if err := root.Decode(cfg); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			line := 0
			fmt.Sscanf(afterWord(te.Errors[0], "line "), "%d", &line)
			return nil, nil, &Error{Path: path, Line: line, Col: 1, Msg: te.Errors[0]}
		}
		return nil, nil, &Error{Path: path, Msg: err.Error()}
	}
	var warnings []string
	check := func(where string, ids []string) {
		for _, id := range ids {
			if !knownRule(id) {
				warnings = append(warnings, fmt.Sprintf("%s: %s lists unknown rule %q ('lmilint rules' lists them)", path, where, id))
			}
		}
	}
	check("rules.enable", cfg.Rules.Enable)
	check("rules.disable", cfg.Rules.Disable)
	for id, level := range cfg.Rules.Levels {
		check("rules.levels", []string{id})
		switch level {
		case "error", "warning", "note", "none":
		default:
			return nil, nil, &Error{Path: path, Line: levelLine(root, id), Col: 1, Msg: fmt.Sprintf("level %q for %s must be error, warning, note or none", level, id)}
		}
	}
	return cfg, warnings, nil
}

func checkKeys(path string, n *yaml.Node, section string) error {
	allowed, ok := schema[section]
	if !ok || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if _, ok := allowed[k.Value]; !ok {
			var names []string
			for name := range allowed {
				names = append(names, name)
			}
			where := "top level"
			if section != "" {
				where = section
			}
			return &Error{Path: path, Line: k.Line, Col: k.Column, Msg: fmt.Sprintf("unknown key %q in %s (known: %s)", k.Value, where, strings.Join(sorted(names), ", "))}
		}
		if err := checkKeys(path, n.Content[i+1], k.Value); err != nil {
			return err
		}
	}
	return nil
}

func levelLine(root *yaml.Node, id string) int {
	var line int
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && n.Value == id && line == 0 {
			line = n.Line
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	return line
}

func sorted(xs []string) []string {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
	return xs
}

func afterWord(s, word string) string {
	if i := strings.Index(s, word); i >= 0 {
		return s[i+len(word):]
	}
	return ""
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Template is what `lmilint init` writes.
const Template = `# lmilint configuration (https://github.com/lmilint/lmilint#configuration).
# lmilint finds this file in the scanned directory or a parent; --config names another.

rules:
  # Rules not to report (IDs or names). 'lmilint rules' lists them.
  disable: []
  #   - LMI011
  # Report only these rules (when set, the others are off).
  enable: []
  # Level overrides: error, warning, note or none.
  levels: {}
  #   LMI008: error
  #   LMI016: note

# Paths not to scan (doublestar globs, relative to the scan root).
exclude: []
#  - "**/*.Tests/**"
#  - "tools/**"

# Extra Lambda entry points, for handlers lmilint cannot see in manifests or code.
entry-points: []
#  - "MyAssembly::MyCompany.Orders.Function::Handler"

types:
  # Your types whose instances are safe to share between concurrent requests.
  thread-safe: []
  # Your (or third-party) types whose instances are not (reported by LMI008).
  not-thread-safe: []
  # Client types that should be created once, not per request (LMI014), e.g.
  # ConnectionMultiplexer, MongoClient, GrpcChannel.
  clients: []

# Report hazards in all code, not only code reachable from a Lambda entry point.
all-code: false
`
