package analyzer

import "time"

// UnitCacheHits counts, for tests, the files whose unit facts came from the
// cache since the process started.
func UnitCacheHits() int { return int(unitCacheHits.Load()) }

func FindingCacheHits() int { return int(findingCacheHits.Load()) }

// RulesInScope runs rules as a re-scan does when only the files in scope
// are analyzed (see runRules), returning the findings located in them.
func RulesInScope(p *Program, rules []*Rule, scope []*File) []*Finding {
	defer p.limitTo(scope)()
	var out []*Finding
	for _, r := range rules {
		var diags []Diagnostic
		for _, f := range runRule(p, r, &diags) {
			if p.scope[f.File] {
				out = append(out, f)
			}
		}
	}
	return out
}

// RulesUnscoped runs rules over the whole program, without caches.
func RulesUnscoped(p *Program, rules []*Rule) []*Finding {
	var out []*Finding
	for _, r := range rules {
		var diags []Diagnostic
		out = append(out, runRule(p, r, &diags)...)
	}
	return out
}

// TreesFromPack counts the files whose tree came from the scan root's tree pack.
func TreesFromPack(src *Sources) int {
	n := 0
	for _, f := range src.Files {
		if f.treeOrigin == fromTreePack {
			n++
		}
	}
	return n
}

// setSelf and setFirst rewrite a node's own and first child's indexes, for
// tests that damage trees or check the packing (buildTree writes them once,
// see Node.place).
func (n *Node) setSelf(self uint32) { n.own = n.own&^idxMask | self }

func (n *Node) setFirst(first uint32) {
	n.rest = n.rest&^0xFFFF | first&0xFFFF
	n.own = n.own&^(7<<highShift) | (first>>16&7)<<highShift
	n.up = n.up&^(7<<highShift) | (first>>19&7)<<highShift
}

// MappedTrees counts the files whose tree lies in a mapped tree pack.
func MappedTrees(src *Sources) int {
	n := 0
	for _, f := range src.Files {
		if f.mappedBytes > 0 {
			n++
		}
	}
	return n
}

// InMemoryFS is inMemoryFS, for tests that need a directory on disk.
func InMemoryFS(dir string) bool { return inMemoryFS(dir) }

// UnreadFiles counts the files a load took from the tree pack unread, as
// the last run's table of file stats described them.
func UnreadFiles(src *Sources) int { return int(src.unread.Load()) }

// SetRacyWindow sets racyWindow until the returned function puts it back.
func SetRacyWindow(d time.Duration) (restore func()) {
	old := racyWindow
	racyWindow = d
	return func() { racyWindow = old }
}

// CheckedEntries counts the tree entries checked in full (checksums and
// nodes) so far in this process.
func CheckedEntries() int { return int(checkedEntries.Load()) }
