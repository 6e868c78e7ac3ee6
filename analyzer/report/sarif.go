package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/lmilint/lmilint/analyzer"
)

// We use go-sarif v3 rather than the v2 the design names: v2.3.3 writes
// suppressions with null status/location/guid (schema-invalid), its WriteFile
// does not truncate, and SetPartialFingerPrint panics on a fresh result; v3
// fixes all three and embeds the 2.1.0 schema for validation. v3 writes schema
// defaults explicitly (index -1, rank -1), so every object here is made with its
// New* constructor.

// MaxSARIFResults is GitHub code scanning's limit of results per run.
var MaxSARIFResults = 25000

const srcRoot = "%SRCROOT%"

var hashCache sync.Map // *analyzer.File → fileLineHashes

// fileLineHashes are a file's line hashes up to line upTo (0: all of them).
type fileLineHashes struct {
	hashes []lineHash
	upTo   int
}

// fileHashes returns f's line hashes, at least up to line (0: all).
func fileHashes(f *analyzer.File, line int) []lineHash {
	if h, ok := hashCache.Load(f); ok {
		if got := h.(fileLineHashes); got.upTo == 0 || line > 0 && line <= got.upTo {
			return got.hashes
		}
	}
	// A view of the source, not a copy: a copy of every file with
	// findings was most of what a report allocated, at a scan's peak.
	text := unsafe.String(unsafe.SliceData(f.Src), len(f.Src))
	h := lineHashes(text, f.HadBOM, line) // GitHub hashes the file as read, BOM included
	hashCache.Store(f, fileLineHashes{h, line})
	return h
}

// hashFiles computes the line hashes of the files with findings on all
// cores, up to each file's last finding, before a writer asks for them one
// finding at a time.
func hashFiles(fs []*analyzer.Finding) {
	var files []*analyzer.File
	last := map[*analyzer.File]int{}
	for _, f := range fs {
		if _, seen := last[f.File]; !seen {
			files = append(files, f.File)
		}
		last[f.File] = max(last[f.File], f.Start().Line)
	}
	work := make(chan *analyzer.File)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				fileHashes(f, last[f])
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
}

// HelpURI is a rule's documentation page.
func HelpURI(r *analyzer.Rule) string {
	return "https://github.com/lmilint/lmilint/blob/main/docs/rules/" + r.ID + ".md"
}

// BuildSARIF makes the SARIF log.
func BuildSARIF(r *Report) *sarif.Report {
	hashFiles(r.Findings)
	log := sarif.NewReport()
	run := sarif.NewRunWithInformationURI(r.Tool, r.InfoURI)
	driver := run.Tool.Driver
	driver.Version = strPtr(semver(r.Version))
	driver.SemanticVersion = strPtr(semver(r.Version))
	run.ColumnKind = strPtr("utf16CodeUnits")
	category := r.Category
	if category == "" {
		category = "lmilint"
	}
	run.AutomationDetails = &sarif.RunAutomationDetails{ID: strPtr(strings.TrimSuffix(category, "/") + "/")}
	index := map[string]int{}
	for i, rule := range r.Rules {
		index[rule.ID] = i
		driver.Rules = append(driver.Rules, sarifRule(rule))
	}
	results := r.Findings
	inv := sarif.NewInvocation()
	inv.ExecutionSuccessful = boolPtr(true)
	if len(results) > MaxSARIFResults {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, notification("warning",
			fmt.Sprintf("%d results exceed GitHub code scanning's limit of %d per run; the first %d (by file and line) are included", len(results), MaxSARIFResults, MaxSARIFResults), "", 0))
		results = results[:MaxSARIFResults]
	}
	for _, f := range results {
		run.Results = append(run.Results, sarifResult(f, index[f.Rule.ID]))
	}
	for _, a := range r.Absent {
		res := sarif.NewRuleResult(a.RuleID)
		res.RuleIndex = index[a.RuleID]
		res.Level = "none"
		res.Message = sarif.NewTextMessage(a.Message)
		al := sarif.NewArtifactLocation()
		al.URI = strPtr(uriPath(a.File))
		al.URIBaseID = strPtr(srcRoot)
		reg := sarif.NewRegion().WithStartLine(max(a.Line, 1)).WithStartColumn(max(a.Column, 1))
		res.Locations = []*sarif.Location{sarif.NewLocation().WithPhysicalLocation(sarif.NewPhysicalLocation().WithArtifactLocation(al).WithRegion(reg))}
		res.BaselineState = strPtr("absent")
		run.Results = append(run.Results, res)
	}
	for _, d := range r.Diagnostics {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, notification(d.Level, d.Message, d.File, d.Line))
	}
	run.Invocations = []*sarif.Invocation{inv}
	log.AddRun(run)
	return log
}

// semver returns a SemVer-looking version or "0.0.0".
func semver(v string) string {
	v = strings.TrimPrefix(v, "v")
	if len(v) > 0 && v[0] >= '0' && v[0] <= '9' {
		return v
	}
	return "0.0.0-" + sanitize(v)
}

func sanitize(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "dev"
	}
	return b.String()
}

func sarifRule(rule *analyzer.Rule) *sarif.ReportingDescriptor {
	d := sarif.NewRule(rule.ID)
	d.Name = strPtr(pascal(rule.Name))
	d.ShortDescription = sarif.NewMultiformatMessageString().WithText(rule.Title)
	d.FullDescription = sarif.NewMultiformatMessageString().WithText(oneParagraph(rule.Why))
	d.Help = sarif.NewMultiformatMessageString().WithText(HelpText(rule)).WithMarkdown(HelpMarkdown(rule))
	d.HelpURI = strPtr(HelpURI(rule))
	cfg := sarif.NewReportingConfiguration()
	cfg.Level = string(rule.Level)
	d.DefaultConfiguration = cfg
	props := sarif.NewPropertyBag()
	tags := []string{"concurrency", "lambda-managed-instances"}
	if len(rule.CWE) > 0 {
		tags = append(tags, "security")
	}
	for _, c := range rule.CWE {
		tags = append(tags, fmt.Sprintf("external/cwe/cwe-%d", c))
	}
	props.Tags = tags
	props.Add("precision", rule.Precision)
	props.Add("problem.severity", problemSeverity(rule.Level))
	if rule.SecuritySeverity != "" {
		props.Add("security-severity", rule.SecuritySeverity)
	}
	d.Properties = props
	return d
}

func problemSeverity(l analyzer.Level) string {
	switch l {
	case analyzer.LevelError:
		return "error"
	case analyzer.LevelWarning:
		return "warning"
	}
	return "recommendation"
}

// pascal turns "shared-mutable-static" into "SharedMutableStatic", the form
// GitHub shows as a rule name.
func pascal(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func oneParagraph(s string) string { return strings.Join(strings.Fields(s), " ") }

func region(f *analyzer.File, start, end int) *sarif.Region {
	s, e := f.Position(start), f.Position(end)
	return sarif.NewRegion().WithStartLine(s.Line).WithStartColumn(s.Col).WithEndLine(e.Line).WithEndColumn(e.Col)
}

func physical(f *analyzer.File, start, end int) *sarif.PhysicalLocation {
	al := sarif.NewArtifactLocation()
	al.URI = strPtr(uriPath(f.RelPath))
	al.URIBaseID = strPtr(srcRoot)
	return sarif.NewPhysicalLocation().WithArtifactLocation(al).WithRegion(region(f, start, end))
}

// uriPath percent-encodes what a relative URI reference may not hold raw.
func uriPath(rel string) string {
	var b strings.Builder
	for _, c := range []byte(rel) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func sarifResult(f *analyzer.Finding, ruleIndex int) *sarif.Result {
	res := sarif.NewRuleResult(f.Rule.ID)
	res.RuleIndex = ruleIndex
	res.Level = string(f.Level)
	res.Message = sarif.NewTextMessage(f.Message)
	loc := sarif.NewLocation().WithPhysicalLocation(physical(f.File, int(f.Node.Start()), int(f.Node.End())))
	res.Locations = []*sarif.Location{loc}
	res.PartialFingerprints = map[string]string{"primaryLocationLineHash": Fingerprint(f)}
	if fld := f.Field; fld != nil && fld.Decl != nil && fld.File != nil {
		rel := sarif.NewLocation().WithPhysicalLocation(physical(fld.File, int(fld.Decl.Start()), int(fld.Decl.End())))
		rel.ID = 1
		rel.Message = sarif.NewTextMessage("declaration of " + fld.QualifiedName())
		res.RelatedLocations = []*sarif.Location{rel}
	}
	if len(f.Path) > 0 {
		tf := sarif.NewThreadFlow()
		for i, s := range f.Path {
			start, end := s.Method.Decl.Start(), s.Method.Decl.End()
			msg := "entry point " + s.Method.DisplayName()
			if i > 0 {
				msg = s.Method.DisplayName()
			}
			if s.Site != nil {
				start, end = s.Site.Start(), s.Site.End()
				msg += " calls " + f.Path[i+1].Method.DisplayName()
			}
			if i == len(f.Path)-1 {
				start, end = f.Node.Start(), f.Node.End()
				msg = "hazard in " + s.Method.DisplayName()
			}
			tfl := sarif.NewThreadFlowLocation()
			tfl.Location = sarif.NewLocation().WithPhysicalLocation(physical(s.Method.File, int(start), int(end))).WithMessage(sarif.NewTextMessage(msg))
			if i == len(f.Path)-1 {
				tfl.Location.PhysicalLocation = physical(f.File, int(start), int(end))
			}
			tfl.NestingLevel = intPtr(i)
			tfl.ExecutionOrder = i + 1
			tf.Locations = append(tf.Locations, tfl)
		}
		cf := sarif.NewCodeFlow().WithThreadFlows([]*sarif.ThreadFlow{tf})
		cf.Message = sarif.NewTextMessage("call path from " + f.Path[0].Method.DisplayName())
		res.CodeFlows = []*sarif.CodeFlow{cf}
	}
	if f.Fix != nil {
		fix := sarif.NewFix()
		fix.Description = sarif.NewTextMessage(f.Fix.Description)
		changes := map[*analyzer.File]*sarif.ArtifactChange{}
		for _, e := range f.Fix.Edits {
			ch := changes[e.File]
			if ch == nil {
				al := sarif.NewArtifactLocation()
				al.URI = strPtr(uriPath(e.File.RelPath))
				al.URIBaseID = strPtr(srcRoot)
				ch = sarif.NewArtifactChange().WithArtifactLocation(al)
				changes[e.File] = ch
				fix.ArtifactChanges = append(fix.ArtifactChanges, ch)
			}
			rep := sarif.NewReplacement().WithDeletedRegion(region(e.File, e.Start, e.End)).
				WithInsertedContent(sarif.NewArtifactContent().WithText(e.NewText))
			ch.Replacements = append(ch.Replacements, rep)
		}
		res.Fixes = []*sarif.Fix{fix}
	}
	if f.Suppressed {
		s := sarif.NewSuppression()
		kind := f.SuppressKind
		if kind == "" {
			kind = "inSource"
		}
		s.Kind = strPtr(kind)
		s.Status = strPtr("accepted")
		if f.Justification != "" {
			s.Justification = strPtr(f.Justification)
		}
		res.Suppressions = []*sarif.Suppression{s}
	}
	if f.Baseline != "" {
		res.BaselineState = strPtr(f.Baseline)
	}
	props := sarif.NewPropertyBag()
	var entries []string
	for _, e := range f.Entries {
		entries = append(entries, EntryName(e))
	}
	if len(entries) > 0 {
		props.Add("entryPoints", entries)
		res.Properties = props
	}
	return res
}

func notification(level, msg, file string, line int) *sarif.Notification {
	n := sarif.NewNotification()
	if level != "error" && level != "warning" && level != "note" {
		level = "note"
	}
	n.Level = level
	n.Message = sarif.NewTextMessage(msg)
	if file != "" {
		al := sarif.NewArtifactLocation()
		al.URI = strPtr(uriPath(file))
		al.URIBaseID = strPtr(srcRoot)
		pl := sarif.NewPhysicalLocation().WithArtifactLocation(al)
		if line > 0 {
			pl.Region = sarif.NewRegion().WithStartLine(line)
		}
		n.Locations = []*sarif.Location{sarif.NewLocation().WithPhysicalLocation(pl)}
	}
	return n
}

// WriteSARIF writes the SARIF log, indented, without the schema defaults
// go-sarif spells out.
func WriteSARIF(w io.Writer, r *Report) error {
	data, err := marshalPruned(BuildSARIF(r))
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

func marshalPruned(log *sarif.Report) ([]byte, error) {
	var buf bytes.Buffer
	if err := log.Write(&buf); err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		return nil, err
	}
	return json.MarshalIndent(pruneDefaults(doc), "", "  ")
}

// sentinels are properties whose value is SARIF's "unset" default.
var sentinels = map[string]any{"index": -1.0, "id": -1.0, "rank": -1.0, "executionOrder": -1.0,
	"byteOffset": -1.0, "charOffset": -1.0, "importance": "important"}

// keptEmpty are arrays that say something even when empty.
var keptEmpty = map[string]bool{"results": true, "runs": true}

// pruneDefaults drops empty arrays and sentinel defaults, which SARIF defines as
// equivalent to absence (Microsoft's validator warns on them, SARIF2004).
func pruneDefaults(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if arr, ok := val.([]any); ok && len(arr) == 0 && !keptEmpty[k] {
				delete(x, k)
				continue
			}
			if s, ok := sentinels[k]; ok && val == s {
				delete(x, k)
				continue
			}
			x[k] = pruneDefaults(val)
		}
	case []any:
		for i := range x {
			x[i] = pruneDefaults(x[i])
		}
	}
	return v
}

func strPtr(s string) *string { return &s }
func intPtr(i int) *int       { return &i }
func boolPtr(b bool) *bool    { return &b }
