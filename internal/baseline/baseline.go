// Package baseline records a scan's findings and compares later scans with
// them, so a team can adopt lmilint without fixing everything first.
package baseline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Entry is one recorded finding. Findings match by rule, file and the hash of
// the text of their first line (white space folded), counted as a multiset,
// so they survive lines moving and edits around them. (GitHub's
// primaryLocationLineHash would not: it hashes the next 100 characters, so an
// edit on the following lines changes it.)
type Entry struct {
	RuleID  string `json:"ruleId"`
	File    string `json:"file"`
	Hash    string `json:"hash"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// File is the baseline document.
type File struct {
	Tool     string  `json:"tool"`
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Key identifies findings that are "the same" across scans.
func (e Entry) key() string {
	return e.RuleID + "\x00" + e.File + "\x00" + e.Hash
}

// LineHash hashes a source line with its white space folded.
func LineHash(line string) string {
	sum := sha256.Sum256([]byte(strings.Join(strings.Fields(line), " ")))
	return hex.EncodeToString(sum[:8])
}

// Write records entries in path.
func Write(path string, entries []Entry) error {
	if entries == nil {
		entries = []Entry{}
	}
	data, err := json.MarshalIndent(File{Tool: "lmilint", Version: 1, Findings: entries}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// Read loads a baseline.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s is not an lmilint baseline: %w", path, err)
	}
	if f.Tool != "lmilint" || f.Version != 1 {
		return nil, fmt.Errorf("%s is not an lmilint baseline (version 1)", path)
	}
	return &f, nil
}

// Compare classifies current entries as "new" or "unchanged" (in order) and
// returns the baseline entries no longer found ("absent").
func (f *File) Compare(current []Entry) (states []string, absent []Entry) {
	left := map[string][]Entry{}
	for _, e := range f.Findings {
		left[e.key()] = append(left[e.key()], e)
	}
	for _, e := range current {
		if l := left[e.key()]; len(l) > 0 {
			left[e.key()] = l[1:]
			states = append(states, "unchanged")
		} else {
			states = append(states, "new")
		}
	}
	for _, e := range f.Findings {
		if l := left[e.key()]; len(l) > 0 {
			absent = append(absent, l[0])
			left[e.key()] = l[1:]
		}
	}
	return states, absent
}
