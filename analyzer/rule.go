package analyzer

import "fmt"

// Level is a finding's severity, as in SARIF.
type Level string

// Finding levels.
const (
	LevelError   Level = "error"
	LevelWarning Level = "warning"
	LevelNote    Level = "note"
	LevelNone    Level = "none"
)

// Rank orders levels: error > warning > note > none.
func (l Level) Rank() int {
	switch l {
	case LevelError:
		return 3
	case LevelWarning:
		return 2
	case LevelNote:
		return 1
	}
	return 0
}

// Rule is one check: its documentation and a Run function over a Pass. A rule
// only reports; the driver filters, resolves overlaps, suppresses and sorts.
type Rule struct {
	ID               string // permanent: LMI001
	Name             string // kebab-case: shared-mutable-static
	Title            string // one line, used as the SARIF short description
	Level            Level  // default level
	CWE              []int
	SecuritySeverity string // SARIF security-severity, where the SPEC gives one
	Precision        string // SARIF precision: very-high, high, medium, low
	Why              string // the long explanation (Markdown)
	Bad              string // C# that the rule flags
	Good             string // the safe alternative, which it does not flag
	Fix              string // how to fix, in words
	HasFix           bool   // the rule can attach fix edits
	// AnyCode marks rules that apply outside the request path too (LMI009).
	AnyCode bool
	Run     func(*Pass)
}

// Pass is what a rule sees: the program and a way to report.
type Pass struct {
	Prog *Program
	Rule *Rule
	out  *[]*Finding
}

// Finding is one reported hazard.
type Finding struct {
	Rule    *Rule
	Level   Level
	File    *File
	Node    *Node // primary location
	Message string
	Field   *Field // the shared member involved, for relatedLocations
	// Covers are further nodes that belong to this hazard (the writes that
	// complete a check-then-act): findings there are the same hazard.
	Covers  []*Node
	Fix     *Fix    // an edit that removes the hazard, when the rule has one
	Unit    *Method // the unit the finding is in
	Entries []*EntryPoint
	Path    []PathStep
	// Suppressed is set when an inline suppression, SuppressMessage attribute or
	// configuration silences the finding (it stays in SARIF).
	Suppressed    bool
	Justification string
	SuppressKind  string // "inSource" or "external"
	Baseline      string // "new", "unchanged" when compared with a baseline
}

// Fix is a set of text edits.
type Fix struct {
	Description string
	Edits       []Edit
}

// Edit replaces bytes [Start, End) of a file's decoded source with NewText.
type Edit struct {
	File       *File
	Start, End int
	NewText    string
}

// Start returns the primary location's start.
func (f *Finding) Start() Pos { return f.File.Position(int(f.Node.Start())) }

// End returns the primary location's end.
func (f *Finding) End() Pos { return f.File.Position(int(f.Node.End())) }

// Report records a finding at node n.
func (p *Pass) Report(n *Node, format string, args ...any) *Finding {
	f := &Finding{Rule: p.Rule, Level: p.Rule.Level, Node: n, Message: fmt.Sprintf(format, args...), Unit: p.Prog.UnitOf(n)}
	f.File = p.Prog.fileOf(n)
	*p.out = append(*p.out, f)
	return f
}

// fileOf finds the file a node belongs to by its root.
func (p *Program) fileOf(n *Node) *File {
	if n == nil {
		return nil
	}
	return p.fileByRoot[n.fileRoot()]
}

// ReportField records a finding about a shared member; its declaration becomes
// the finding's related location.
func (p *Pass) ReportField(field *Field, n *Node, format string, args ...any) *Finding {
	f := p.Report(n, format, args...)
	f.Field = field
	return f
}

// HeaderNode returns a node spanning from the start of n to the end of last,
// e.g. the `if (x == null)` of an if statement, to report at without covering
// the statement's body.
func HeaderNode(n, last *Node) *Node { return spanNode(n, n.Start(), last.End()) }

// spanNode makes a node spanning [start, end) that hangs under n.
func spanNode(n *Node, start, end uint32) *Node {
	span := &newNodeArray(1, n.home().src, n)[0]
	span.setKind(KindSpan)
	span.setSpan(start, end)
	span.setField(fieldNamed)
	return span
}
