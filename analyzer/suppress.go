package analyzer

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Suppression is one in-source way of silencing findings: a
// `// lmilint-disable-next-line` or `// lmilint-disable-line` comment, a
// `#pragma warning disable` region, or a [SuppressMessage] attribute.
type Suppression struct {
	File          *File
	Line          int      // where it is written
	Form          string   // "disable-next-line", "disable-line", "pragma", "SuppressMessage"
	IDs           []string // rule IDs; nil means every rule (a bare #pragma warning disable)
	FromLine      int      // first line covered
	ToLine        int      // last line covered
	Span          *Node    // for attributes: the declaration covered
	Justification string
	used          map[string]bool
}

// covers reports whether s silences f, which starts on line (in s's file).
func (s *Suppression) covers(f *Finding, line int) bool {
	if s.IDs != nil && !slices.Contains(s.IDs, f.Rule.ID) {
		return false
	}
	if s.Span != nil {
		return s.Span.Start() <= f.Node.Start() && f.Node.End() <= s.Span.End()
	}
	return line >= s.FromLine && line <= s.ToLine
}

// reach is the range s can cover, in the coordinate covers tests: byte
// offsets for a declaration's span, lines otherwise.
func (s *Suppression) reach() (lo, hi int) {
	if s.Span != nil {
		return int(s.Span.Start()), int(s.Span.End())
	}
	return s.FromLine, s.ToLine
}

var (
	commentDirective = regexp.MustCompile(`^//\s*lmilint-(disable-next-line|disable-line|disable|enable)\b(.*)$`)
	pragmaDirective  = regexp.MustCompile(`^#\s*pragma\s+warning\s+(disable|restore)\b(.*)$`)
	ruleIDPattern    = regexp.MustCompile(`^[A-Za-z]+\d+$`)
)

// splitIDs reads "LMI001, LMI005 -- reason" into IDs and a justification.
func splitIDs(s string) (ids []string, reason string) {
	if i := strings.Index(s, "--"); i >= 0 {
		s, reason = s[:i], strings.TrimSpace(s[i+2:])
	}
	if i := strings.Index(s, "//"); i >= 0 { // a trailing comment on a #pragma line
		s, reason = s[:i], strings.TrimSpace(s[i+2:])
	}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		ids = append(ids, strings.ToUpper(f))
	}
	return ids, reason
}

// CollectSuppressions finds every suppression in the program's files. known
// reports whether a rule ID exists; unknown LMI IDs and directives without IDs
// are reported as warnings.
func CollectSuppressions(p *Program, known func(string) bool) ([]*Suppression, []Diagnostic) {
	// Files are read on all cores and their results joined in file order.
	perFile := make([]struct {
		sups  []*Suppression
		diags []Diagnostic
	}, len(p.Files))
	parallel(len(p.Files), func(i int) {
		perFile[i].sups, perFile[i].diags = fileSuppressions(p.Files[i], known)
	})
	var sups []*Suppression
	var diags []Diagnostic
	for _, r := range perFile {
		sups = append(sups, r.sups...)
		diags = append(diags, r.diags...)
	}
	return sups, diags
}

// fileSuppressions reads one file's suppressions.
func fileSuppressions(f *File, known func(string) bool) (sups []*Suppression, diags []Diagnostic) {
	open := map[string]*Suppression{} // pragma regions by ID ("*" for all)
	visit := func(n *Node) bool {
		switch n.Kind() {
		case KindComment:
			if !strings.Contains(n.Text(), "lmilint-") {
				return true // most comments: no need for the expression
			}
			m := commentDirective.FindStringSubmatch(strings.TrimSpace(n.Text()))
			if m == nil {
				return true
			}
			line := f.Position(int(n.Start())).Line
			ids, reason := splitIDs(m[2])
			ids, bad := checkIDs(ids, known, true)
			for _, d := range bad {
				diags = append(diags, Diagnostic{Level: "warning", File: f.RelPath, Line: line, Message: d})
			}
			switch m[1] {
			case "disable", "enable":
				diags = append(diags, Diagnostic{Level: "warning", File: f.RelPath, Line: line,
					Message: "lmilint-" + m[1] + " is not a directive; use lmilint-disable-next-line, lmilint-disable-line or #pragma warning disable/restore"})
				return true
			}
			if len(ids) == 0 {
				if len(bad) == 0 {
					diags = append(diags, Diagnostic{Level: "warning", File: f.RelPath, Line: line, Message: "lmilint-" + m[1] + " needs rule IDs, e.g. `// lmilint-" + m[1] + " LMI001 -- reason`"})
				}
				return true
			}
			s := &Suppression{File: f, Line: line, Form: m[1], IDs: ids, Justification: reason, used: map[string]bool{}}
			s.FromLine, s.ToLine = line, line
			if m[1] == "disable-next-line" {
				s.FromLine, s.ToLine = line+1, line+1
			}
			sups = append(sups, s)
		case KindPreprocPragma:
			m := pragmaDirective.FindStringSubmatch(strings.TrimSpace(n.Text()))
			if m == nil {
				return true
			}
			raw, reason := splitIDs(m[2])
			ids, bad := checkIDs(raw, known, false)
			if len(bad) == 0 && len(raw) > 0 && len(ids) == 0 {
				return true // only other tools' warnings (CS1591, …)
			}
			line := f.Position(int(n.Start())).Line
			for _, d := range bad {
				diags = append(diags, Diagnostic{Level: "warning", File: f.RelPath, Line: line, Message: d})
			}
			if len(raw) > 0 && len(ids) == 0 {
				return true // only other tools' warnings (CS1591, …)
			}
			keys := ids
			if len(raw) == 0 {
				keys = []string{"*"}
			}
			for _, id := range keys {
				if m[1] == "disable" {
					if open[id] != nil {
						continue
					}
					s := &Suppression{File: f, Line: line, Form: "pragma", FromLine: line + 1, ToLine: 1 << 30, Justification: reason, used: map[string]bool{}}
					if id != "*" {
						s.IDs = []string{id}
					}
					open[id] = s
					sups = append(sups, s)
					continue
				}
				if id == "*" { // a bare restore closes every region
					for k, s := range open {
						s.ToLine = line
						delete(open, k)
					}
					continue
				}
				if s := open[id]; s != nil {
					s.ToLine = line
					delete(open, id)
				}
			}
		case KindAttribute:
			if s := suppressMessage(f, n, known, &diags); s != nil {
				sups = append(sups, s)
			}
		}
		return true
	}
	for _, k := range []Kind{KindComment, KindPreprocPragma, KindAttribute} {
		for n := range f.NodesOf(k) {
			visit(n)
		}
	}
	return sups, diags
}

// checkIDs keeps LMI rule IDs that exist; other tools' IDs are ignored in
// pragmas and reported in lmilint's own comments.
func checkIDs(ids []string, known func(string) bool, ours bool) (kept []string, problems []string) {
	for _, id := range ids {
		switch {
		case strings.HasPrefix(id, "LMI") && known(id):
			kept = append(kept, id)
		case strings.HasPrefix(id, "LMI"):
			problems = append(problems, fmt.Sprintf("unknown rule %s in suppression ('lmilint rules' lists them)", id))
		case ours && ruleIDPattern.MatchString(id):
			problems = append(problems, fmt.Sprintf("%s is not an lmilint rule; lmilint suppressions take LMI IDs", id))
		case ours:
			problems = append(problems, fmt.Sprintf("cannot read %q as a rule ID", id))
		}
	}
	return kept, problems
}

// suppressMessage reads [SuppressMessage("lmilint", "LMI001…")] and
// [SuppressMessage("Concurrency", "LMI001:…", Justification = "…")] on a member or type.
func suppressMessage(f *File, attr *Node, known func(string) bool, diags *[]Diagnostic) *Suppression {
	name := SimpleTypeName(attr.ChildByField("name").Text())
	if name != "SuppressMessage" && name != "SuppressMessageAttribute" {
		return nil
	}
	args := attr.FirstOfKind(KindAttributeArgumentList)
	if args == nil {
		return nil
	}
	var positional []string
	justification := ""
	for _, a := range args.Children() {
		if a.Kind() != KindAttributeArgument {
			continue
		}
		v := a.FirstNamed()
		if v != nil && v.Kind() == KindAssignment {
			if v.ChildByField("left").Text() == "Justification" {
				justification = StringValue(Unparen(v.ChildByField("right")))
			}
			continue
		}
		if v != nil {
			positional = append(positional, StringValue(v))
		}
	}
	if len(positional) < 2 {
		return nil
	}
	category, check := positional[0], positional[1]
	id := strings.ToUpper(strings.TrimSpace(strings.SplitN(check, ":", 2)[0]))
	if !strings.HasPrefix(id, "LMI") || (category != "lmilint" && category != "Concurrency" && !strings.HasPrefix(id, "LMI")) {
		return nil
	}
	line := f.Position(int(attr.Start())).Line
	if !known(id) {
		*diags = append(*diags, Diagnostic{Level: "warning", File: f.RelPath, Line: line, Message: fmt.Sprintf("unknown rule %s in SuppressMessage ('lmilint rules' lists them)", id)})
		return nil
	}
	decl := attr.Parent()
	if decl != nil && decl.Kind() == KindAttributeList {
		decl = decl.Parent()
	}
	if decl == nil {
		return nil
	}
	return &Suppression{File: f, Line: line, Form: "SuppressMessage", IDs: []string{id}, Span: decl, Justification: justification, used: map[string]bool{}}
}

// applyInFile applies the suppressions sups[own...] of one file to its
// findings. It sweeps the findings in order with the suppressions whose
// range holds them, so a file with thousands of suppressions costs a sort,
// not every finding against every suppression (20,000 took 11 s). Each
// finding takes its justification from the first covering suppression in
// sups order that gives one.
func applyInFile(fs []*Finding, sups []*Suppression, own []int) {
	covering := make([][]int, len(fs)) // per finding, the suppressions that cover it
	lines := make([]int, len(fs))
	for k, f := range fs {
		lines[k] = f.Start().Line
	}
	// Declaration spans are in bytes, comment and pragma ranges in lines:
	// one sweep for each.
	for _, spans := range []bool{false, true} {
		type point struct {
			at, k int
		}
		var points []point
		for k, f := range fs {
			at := lines[k]
			if spans {
				at = int(f.Node.Start())
			}
			points = append(points, point{at, k})
		}
		var open []int // indexes into sups, by where their reach starts
		for _, i := range own {
			if (sups[i].Span != nil) == spans {
				open = append(open, i)
			}
		}
		sort.SliceStable(points, func(a, b int) bool { return points[a].at < points[b].at })
		sort.SliceStable(open, func(a, b int) bool {
			la, _ := sups[open[a]].reach()
			lb, _ := sups[open[b]].reach()
			return la < lb
		})
		var active []int
		next := 0
		for _, pt := range points {
			for next < len(open) {
				if lo, _ := sups[open[next]].reach(); lo > pt.at {
					break
				}
				active = append(active, open[next])
				next++
			}
			// Drop what ended before this point.
			kept := active[:0]
			for _, i := range active {
				if _, hi := sups[i].reach(); hi >= pt.at {
					kept = append(kept, i)
				}
			}
			active = kept
			for _, i := range active {
				if sups[i].covers(fs[pt.k], lines[pt.k]) {
					covering[pt.k] = append(covering[pt.k], i)
				}
			}
		}
	}
	for k, f := range fs {
		slices.Sort(covering[k]) // in sups order, for the justification
		for _, i := range covering[k] {
			s := sups[i]
			f.Suppressed = true
			f.SuppressKind = "inSource"
			if f.Justification == "" {
				f.Justification = s.Justification
			}
			s.used[f.Rule.ID] = true
		}
	}
}

// ApplySuppressions marks the findings that suppressions cover (they stay in
// the list, for SARIF) and returns a note for each suppression, or rule ID of
// one, that covered nothing.
func ApplySuppressions(findings []*Finding, sups []*Suppression) []Diagnostic {
	byFile := map[*File][]*Finding{}
	for _, f := range findings {
		byFile[f.File] = append(byFile[f.File], f)
	}
	supsOf := map[*File][]int{}
	for i, s := range sups {
		supsOf[s.File] = append(supsOf[s.File], i)
	}
	for file, fs := range byFile {
		if own := supsOf[file]; len(own) > 0 {
			applyInFile(fs, sups, own)
		}
	}
	var diags []Diagnostic
	for _, s := range sups {
		if s.IDs == nil {
			if len(s.used) == 0 {
				diags = append(diags, Diagnostic{Level: "note", File: s.File.RelPath, Line: s.Line, Message: "unused suppression: #pragma warning disable covers no lmilint finding"})
			}
			continue
		}
		for _, id := range s.IDs {
			if !s.used[id] {
				diags = append(diags, Diagnostic{Level: "note", File: s.File.RelPath, Line: s.Line,
					Message: fmt.Sprintf("unused suppression: %s does not fire where this %s applies", id, s.Form)})
			}
		}
	}
	sort.SliceStable(diags, func(i, j int) bool {
		if diags[i].File != diags[j].File {
			return diags[i].File < diags[j].File
		}
		return diags[i].Line < diags[j].Line
	})
	return diags
}
