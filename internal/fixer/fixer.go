// Package fixer applies the fix edits that rules attach to findings
// (`lmilint scan --fix`), or shows them as a unified diff (`--fix --diff`).
package fixer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/lmilint/lmilint/analyzer"
)

// Plan is the set of edits to make, per file.
type Plan struct {
	fixed   map[*analyzer.Finding]bool
	Files   []*analyzer.File
	Edits   map[*analyzer.File][]analyzer.Edit // by start offset
	Applied int                                // findings whose fix is in the plan
	Skipped int                                // findings whose fix conflicts with an earlier one
}

// Make collects the fixes of the findings (in order). A fix whose edits
// overlap an edit already planned is skipped whole, so no file is touched
// twice in conflicting ways; identical edits (the same using directive added
// by two fixes) are made once.
func Make(findings []*analyzer.Finding) *Plan {
	p := &Plan{Edits: map[*analyzer.File][]analyzer.Edit{}, fixed: map[*analyzer.Finding]bool{}}
	for _, f := range findings {
		if f.Fix == nil || f.Suppressed {
			continue
		}
		ok := true
		var fresh []analyzer.Edit
		for _, e := range f.Fix.Edits {
			dup, conflict := p.against(e)
			ok = ok && !conflict
			for _, other := range fresh {
				ok = ok && (other == e || !overlaps(other, e)) // a fix must not overlap itself
			}
			if !dup && !slices.Contains(fresh, e) {
				fresh = append(fresh, e)
			}
		}
		if !ok {
			p.Skipped++
			continue
		}
		for _, e := range fresh {
			if p.Edits[e.File] == nil {
				p.Files = append(p.Files, e.File)
			}
			p.insert(e)
		}
		p.Applied++
		p.fixed[f] = true
	}
	sort.Slice(p.Files, func(i, j int) bool { return p.Files[i].RelPath < p.Files[j].RelPath })
	return p
}

// against compares e with the edits planned in its file: dup when one is the
// same edit, conflict when one overlaps it. Comparing every pair made a file
// with 40,000 fixes take seconds; planned edits never overlap each other and
// are kept by start offset, so it looks back from the last one starting by
// e's end, a start offset at a time, until none of those reaches e's start
// (ends only go back further from there).
func (p *Plan) against(e analyzer.Edit) (dup, conflict bool) {
	planned := p.Edits[e.File]
	j := sort.Search(len(planned), func(i int) bool { return planned[i].Start > e.End }) - 1
	for j >= 0 {
		start, reaches := planned[j].Start, false
		for ; j >= 0 && planned[j].Start == start; j-- {
			have := planned[j]
			reaches = reaches || have.End >= e.Start
			switch {
			case have == e:
				dup = true
			case overlaps(have, e):
				conflict = true
			}
		}
		if !reaches {
			break
		}
	}
	return dup, conflict
}

// insert adds e to its file's planned edits, keeping them by start offset
// (after the edits with the same start: planned order among them is kept).
func (p *Plan) insert(e analyzer.Edit) {
	planned := p.Edits[e.File]
	i := sort.Search(len(planned), func(i int) bool { return planned[i].Start > e.Start })
	p.Edits[e.File] = slices.Insert(planned, i, e)
}

// Fixed reports whether the plan fixes the finding.
func (p *Plan) Fixed(f *analyzer.Finding) bool { return p.fixed[f] }

// overlaps reports whether two edits touch the same bytes; two insertions at
// one point also conflict (their order would be arbitrary).
func overlaps(a, b analyzer.Edit) bool {
	if a.Start == a.End && b.Start == b.End {
		return a.Start == b.Start
	}
	return a.Start < b.End && b.Start < a.End || (a.Start == a.End && a.Start > b.Start && a.Start < b.End) || (b.Start == b.End && b.Start > a.Start && b.Start < a.End)
}

// Apply returns the file's source with the planned edits made, in one pass
// over the source (an edit at a time rebuilt the rest of the file for each).
// Two planned edits can only share a start offset as an insertion and a
// replacement; the insertion goes first.
func (p *Plan) Apply(f *analyzer.File) []byte {
	edits := p.Edits[f]
	var out bytes.Buffer
	out.Grow(len(f.Src))
	at := 0
	for i := 0; i < len(edits); {
		start, j := edits[i].Start, i
		for j < len(edits) && edits[j].Start == start {
			j++
		}
		out.Write(f.Src[at:start])
		at = start
		for _, insertions := range []bool{true, false} {
			for _, e := range edits[i:j] {
				if (e.Start == e.End) == insertions {
					out.WriteString(e.NewText)
					at = max(at, e.End)
				}
			}
		}
		i = j
	}
	out.Write(f.Src[at:])
	return out.Bytes()
}

// Write applies the plan to disk. It refuses files outside root, files stored
// as UTF-16, and files whose content changed after the scan read them (the
// edits' offsets would land in the wrong place and the user's new text would
// be lost); every file is checked before any is written. Each file is replaced
// atomically, keeping its mode and a UTF-8 byte-order mark.
func (p *Plan) Write(root string) error {
	root, _ = filepath.Abs(root)
	if rootResolved, err := filepath.EvalSymlinks(root); err == nil {
		root = rootResolved
	}
	targets := make([]string, len(p.Files))
	for i, f := range p.Files {
		abs, err := p.checkTarget(root, f)
		if err != nil {
			return err
		}
		targets[i] = abs
	}
	for i, f := range p.Files {
		data := p.Apply(f)
		if f.HadBOM {
			data = append([]byte{0xEF, 0xBB, 0xBF}, data...)
		}
		if err := replaceFile(targets[i], data); err != nil {
			return err
		}
	}
	return nil
}

// checkTarget returns the resolved path to write f to, or why it must not be.
func (p *Plan) checkTarget(root string, f *analyzer.File) (string, error) {
	abs, err := filepath.Abs(f.Path)
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	if abs != root && !strings.HasPrefix(abs, root+string(filepath.Separator)) {
		return "", fmt.Errorf("refusing to write %s: it is outside the scan root %s", f.Path, root)
	}
	if f.UTF16 {
		return "", fmt.Errorf("refusing to write %s: fixes are not written to UTF-16 files", f.RelPath)
	}
	raw, err := os.ReadFile(abs)
	if err != nil {
		return "", fmt.Errorf("refusing to write %s: %w", f.RelPath, analyzer.Cause(err))
	}
	now, bom, err := analyzer.DecodeSource(raw)
	if err != nil || bom != f.HadBOM || !bytes.Equal(now, f.Src) {
		return "", fmt.Errorf("refusing to write %s: it changed after lmilint read it; no fixes were written, run again", f.RelPath)
	}
	return abs, nil
}

// replaceFile writes data beside path and renames it over path, so a reader
// never sees half a file and a failed write leaves the original intact.
func replaceFile(path string, data []byte) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lmilint-fix-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil && cerr == nil {
		werr = os.Chmod(tmp.Name(), st.Mode().Perm())
	}
	if werr == nil && cerr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		if werr == nil {
			werr = cerr
		}
		return werr
	}
	return nil
}

// Diff renders the plan as a unified diff.
func (p *Plan) Diff() string {
	var b strings.Builder
	for _, f := range p.Files {
		d := difflib.UnifiedDiff{
			A:        difflib.SplitLines(string(f.Src)),
			B:        difflib.SplitLines(string(p.Apply(f))),
			FromFile: "a/" + f.RelPath,
			ToFile:   "b/" + f.RelPath,
			Context:  3,
		}
		text, _ := difflib.GetUnifiedDiffString(d)
		b.WriteString(text)
	}
	return b.String()
}
