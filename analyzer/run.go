package analyzer

import (
	"fmt"
	"runtime/debug"
	"sort"
	"sync"
)

// NewProgram indexes parsed files and computes every shared fact: symbols,
// entry points, DI registrations, the call graph, the request path, init
// contexts, shared instances, field accesses and synchronized regions.
func NewProgram(src *Sources, opts ProgramOptions) *Program {
	if opts.ProjectRefs == nil {
		opts.ProjectRefs = src.ProjectRefs
	}
	files, manifests := src.Files, src.Manifests
	p := &Program{Files: files, Options: opts, fileByRoot: map[*Node]*File{}}
	for _, f := range files {
		p.fileByRoot[f.Root] = f
	}
	p.root = src.Root
	if src.cache != nil && hasToolFingerprint() {
		p.cacheDir = src.cache.base
		p.unitPackRead = sync.OnceValue(func() *entryPack { return openPack(p.packDir(), "units", p.root) })
		go p.unitPackRead() // read while the index is built
	}
	phases := StartPhases()
	p.computeVisibility()
	p.buildIndex()
	p.computeHierarchy()
	phases.Done("index")
	p.findRegistrations()
	p.discoverEntryPoints(manifests)
	phases.Done("entry points")
	p.analyzeUnits()
	phases.Done("units")
	p.addContextEntries()
	// Shared types decide which constructors are init roots, and the request
	// path decides nothing about shared types, so this order is enough.
	p.computeSharedTypes()
	p.computeReachability()
	phases.Done("request path")
	return p
}

// Options control a run of the rules.
type Options struct {
	AllCode bool // report outside the request path too
}

// Result is the outcome of running rules over a program.
type Result struct {
	Program     *Program
	Findings    []*Finding
	Diagnostics []Diagnostic
}

// overlapOrder is SPEC §1's tie-break: when two findings' ranges overlap, the
// one earlier here is kept.
var overlapOrder = []string{"LMI004", "LMI007", "LMI015", "LMI003", "LMI010", "LMI017", "LMI013",
	"LMI005", "LMI002", "LMI008", "LMI014", "LMI006", "LMI001"}

func overlapRank(id string) int {
	for i, x := range overlapOrder {
		if x == id {
			return i
		}
	}
	return len(overlapOrder)
}

// Run runs the rules, keeps findings in request-path code (unless AllCode),
// never in init contexts, resolves overlaps, and sorts.
func Run(p *Program, rules []*Rule, opts Options) *Result {
	res := &Result{Program: p}
	phases := StartPhases()
	defer phases.Done("rules")
	defer func() { noteTiming("mapped pages dropped %d times so far", pageDrops.Load()) }()
	defer p.saving.Wait() // the unit pack, written in the background
	all, diags := p.runRules(rules)
	res.Diagnostics = append(res.Diagnostics, diags...)
	var kept []*Finding
	for _, f := range all {
		if f.File == nil {
			continue
		}
		if !f.Rule.AnyCode {
			if f.Unit == nil || p.IsInitUnit(f.Unit) {
				continue
			}
			if !opts.AllCode && !p.OnRequestPath(f.Unit) {
				continue
			}
		}
		if f.Unit != nil && p.OnRequestPath(f.Unit) {
			f.Entries = p.EntriesOf(f.Unit)
			f.Path = p.PathTo(f.Unit)
		}
		kept = append(kept, f)
	}
	res.Findings = resolveOverlaps(kept)
	SortFindings(res.Findings)
	return res
}

// runRules runs the rules, or with a finding cache only over the files
// whose cached findings do not stand, and returns the findings file by file
// (in file order), each file's rule by rule, each rule's in the order it
// reported them: the same order whichever files came from the cache.
func (p *Program) runRules(rules []*Rule) ([]*Finding, []Diagnostic) {
	byFile := make([][]*Finding, len(p.Files))
	var cache *findingCache
	dirty := p.Files
	if p.cacheDir != "" && p.declDigest != [32]byte{} {
		cache = p.openFindingCache(rules)
		hit := make([]bool, len(p.Files))
		parallel(len(p.Files), func(i int) { byFile[i], hit[i] = cache.load(p.Files[i]) })
		dirty = nil
		for i, f := range p.Files {
			if !hit[i] {
				dirty = append(dirty, f)
			}
		}
		defer p.limitTo(dirty)()
		noteTiming("findings: %d of %d files from the cache (%d names changed%s)", len(p.Files)-len(dirty), len(p.Files), len(cache.stale.changed), p.spellNames(cache.stale.changed, 8))
	}
	var diags []Diagnostic
	if len(dirty) > 0 {
		// The calls bound late whose resolution the rules consult: the
		// findings depend on their names (see latecalls.go).
		consulted := make([]func() []uint32, len(dirty))
		if cache != nil {
			for i, f := range dirty {
				consulted[i] = collectConsulted(f)
			}
		}
		// Rules only read the program, so they run in parallel.
		outs := make([][]*Finding, len(rules))
		ruleDiags := make([][]Diagnostic, len(rules))
		parallel(len(rules), func(i int) { outs[i] = runRule(p, rules[i], &ruleDiags[i]) })
		at := make(map[*File]int, len(p.Files))
		for i, f := range p.Files {
			at[f] = i
		}
		for i := range rules {
			for _, f := range outs[i] {
				// A finding outside the files analyzed comes from the cache
				// instead (a rule reports in the file of what it visits).
				if fi, ok := at[f.File]; ok && (p.scope == nil || p.scope[f.File]) {
					byFile[fi] = append(byFile[fi], f)
				}
			}
			diags = append(diags, ruleDiags[i]...)
		}
		if cache != nil {
			sites := make([][]uint32, len(dirty))
			for i := range dirty {
				sites[i] = consulted[i]()
			}
			if len(diags) == 0 { // a rule that failed reported nothing to keep
				parallel(len(dirty), func(i int) {
					cache.store(dirty[i], byFile[at[dirty[i]]], consultedKeys(dirty[i], sites[i]))
				})
			}
		}
	}
	if cache != nil {
		cache.pack.saveAndRelease()
	}
	var all []*Finding
	for _, fs := range byFile {
		all = append(all, fs...)
	}
	return all, diags
}

// limitTo makes Accesses and Visit yield only what is in files, until the
// returned function is called.
func (p *Program) limitTo(files []*File) (restore func()) {
	p.scope = make(map[*File]bool, len(files))
	for _, f := range files {
		p.scope[f] = true
	}
	for _, a := range p.facts.accesses {
		if a.Unit != nil && p.scope[a.Unit.File] {
			p.scopedAccesses = append(p.scopedAccesses, a)
		}
	}
	return func() { p.scope, p.scopedAccesses = nil, nil }
}

func runRule(p *Program, r *Rule, diags *[]Diagnostic) (out []*Finding) {
	defer func() {
		if e := recover(); e != nil {
			*diags = append(*diags, Diagnostic{Level: "error", Message: fmt.Sprintf("internal error in rule %s: %v\n%s", r.ID, e, debug.Stack())})
			out = nil
		}
	}()
	pass := &Pass{Prog: p, Rule: r, out: &out}
	r.Run(pass)
	return out
}

// resolveOverlaps keeps one finding per hazard: of two findings in one file
// whose ranges nest, the one earlier in overlapOrder; identical findings once.
// Only findings whose extents (their node and covered nodes) overlap can
// nest, so each file's findings are split into clusters of overlapping
// extents first and compared within a cluster: a generated file with a
// hundred thousand findings costs a sort, not ten billion comparisons.
func resolveOverlaps(fs []*Finding) []*Finding {
	byFile := map[*File][]*Finding{}
	for _, f := range fs {
		byFile[f.File] = append(byFile[f.File], f)
	}
	var out []*Finding
	for _, group := range byFile {
		for _, cluster := range overlapClusters(group) {
			out = append(out, keepOnePerHazard(cluster)...)
		}
	}
	return out
}

// extent is the byte range a finding and the nodes it covers span.
func extent(f *Finding) (start, end uint32) {
	start, end = f.Node.Start(), f.Node.End()
	for _, c := range f.Covers {
		start, end = min(start, c.Start()), max(end, c.End())
	}
	return start, end
}

// overlapClusters splits one file's findings into groups whose extents
// overlap or touch, each group in the order the findings came.
func overlapClusters(group []*Finding) [][]*Finding {
	type span struct {
		start, end uint32
		at         int
	}
	spans := make([]span, len(group))
	for i, f := range group {
		s, e := extent(f)
		spans[i] = span{s, e, i}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var clusters [][]*Finding
	for i := 0; i < len(spans); {
		j, end := i+1, spans[i].end
		for j < len(spans) && spans[j].start <= end {
			end = max(end, spans[j].end)
			j++
		}
		members := spans[i:j]
		sort.Slice(members, func(a, b int) bool { return members[a].at < members[b].at })
		cluster := make([]*Finding, len(members))
		for k, m := range members {
			cluster[k] = group[m.at]
		}
		clusters = append(clusters, cluster)
		i = j
	}
	return clusters
}

// keepOnePerHazard resolves the findings of one cluster.
func keepOnePerHazard(group []*Finding) []*Finding {
	sort.SliceStable(group, func(i, j int) bool { return overlapRank(group[i].Rule.ID) < overlapRank(group[j].Rule.ID) })
	var kept []*Finding
next:
	for _, f := range group {
		for _, k := range kept {
			if k.Rule.ID == f.Rule.ID && k.Node != f.Node {
				if k.Node.Start() == f.Node.Start() && k.Node.End() == f.Node.End() {
					continue next // the same finding twice
				}
				continue
			}
			if nests(k.Node, f.Node) {
				continue next
			}
			for _, covers := range [][]*Node{k.Covers, f.Covers} {
				for _, c := range covers {
					if nests(c, f.Node) || nests(c, k.Node) {
						continue next
					}
				}
			}
		}
		kept = append(kept, f)
	}
	return kept
}

func nests(a, b *Node) bool {
	return (a.Start() <= b.Start() && b.End() <= a.End()) || (b.Start() <= a.Start() && a.End() <= b.End())
}

// SortFindings orders findings by file, line, column and rule, so output and
// fingerprints are stable.
func SortFindings(fs []*Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File.RelPath != b.File.RelPath {
			return a.File.RelPath < b.File.RelPath
		}
		if a.Node.Start() != b.Node.Start() {
			return a.Node.Start() < b.Node.Start()
		}
		if a.Rule.ID != b.Rule.ID {
			return a.Rule.ID < b.Rule.ID
		}
		return a.Node.End() < b.Node.End()
	})
}
