package report

import (
	"encoding/json"
	"io"

	"github.com/lmilint/lmilint/analyzer"
)

// JSONFinding is one element of the json format's array. Field names are
// stable public API; new fields may be added, none removed or renamed.
type JSONFinding struct {
	RuleID        string      `json:"ruleId"`
	RuleName      string      `json:"ruleName"`
	Level         string      `json:"level"`
	Message       string      `json:"message"`
	File          string      `json:"file"`
	Line          int         `json:"line"`
	Column        int         `json:"column"`
	EndLine       int         `json:"endLine"`
	EndColumn     int         `json:"endColumn"`
	EntryPoints   []string    `json:"entryPoints"`
	Path          []JSONStep  `json:"path"`
	Field         *JSONSymbol `json:"field,omitempty"`
	Fix           *JSONFix    `json:"fix,omitempty"`
	Suppressed    bool        `json:"suppressed"`
	Justification string      `json:"justification,omitempty"`
	Fingerprint   string      `json:"fingerprint"`
	Baseline      string      `json:"baselineState,omitempty"`
}

// JSONStep is one hop of the call path.
type JSONStep struct {
	Method string `json:"method"`
	File   string `json:"file"`
	Line   int    `json:"line"`
}

// JSONSymbol is the shared member a finding is about.
type JSONSymbol struct {
	Name string `json:"name"`
	File string `json:"file"`
	Line int    `json:"line"`
}

// JSONFix is a suggested edit.
type JSONFix struct {
	Description string     `json:"description"`
	Edits       []JSONEdit `json:"edits"`
}

// JSONEdit replaces a range of a file.
type JSONEdit struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	NewText   string `json:"newText"`
}

// WriteJSON writes every finding, suppressed ones included (marked), as a JSON array.
func WriteJSON(w io.Writer, r *Report) error {
	out := []JSONFinding{}
	hashFiles(r.Findings)
	for _, f := range r.Findings {
		out = append(out, ToJSON(f))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// ToJSON converts a finding.
func ToJSON(f *analyzer.Finding) JSONFinding {
	start, end := f.Start(), f.End()
	j := JSONFinding{
		RuleID: f.Rule.ID, RuleName: f.Rule.Name, Level: string(f.Level), Message: f.Message,
		File: f.File.RelPath, Line: start.Line, Column: start.Col, EndLine: end.Line, EndColumn: end.Col,
		EntryPoints: []string{}, Path: []JSONStep{}, Suppressed: f.Suppressed, Justification: f.Justification,
		Fingerprint: Fingerprint(f), Baseline: f.Baseline,
	}
	for _, e := range f.Entries {
		j.EntryPoints = append(j.EntryPoints, EntryName(e))
	}
	for _, s := range f.Path {
		at := s.Method.Decl
		if s.Site != nil {
			at = s.Site
		}
		j.Path = append(j.Path, JSONStep{Method: s.Method.DisplayName(), File: s.Method.File.RelPath, Line: s.Method.File.Position(int(at.Start())).Line})
	}
	if fld := f.Field; fld != nil && fld.Decl != nil {
		j.Field = &JSONSymbol{Name: fld.QualifiedName(), File: fld.File.RelPath, Line: fld.File.Position(int(fld.Decl.Start())).Line}
	}
	if f.Fix != nil {
		jf := &JSONFix{Description: f.Fix.Description}
		for _, e := range f.Fix.Edits {
			s, en := e.File.Position(e.Start), e.File.Position(e.End)
			jf.Edits = append(jf.Edits, JSONEdit{File: e.File.RelPath, Line: s.Line, Column: s.Col, EndLine: en.Line, EndColumn: en.Col, NewText: e.NewText})
		}
		j.Fix = jf
	}
	return j
}

// Fingerprint is GitHub's primaryLocationLineHash of the finding's first line.
func Fingerprint(f *analyzer.Finding) string {
	line := f.Start().Line
	if h := fileHashes(f.File, line); line < len(h) && h[line].count > 0 {
		return h[line].String()
	}
	return ""
}
