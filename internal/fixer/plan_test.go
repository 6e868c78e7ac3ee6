package fixer_test

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lmilint/lmilint/analyzer"
	"github.com/lmilint/lmilint/internal/fixer"
)

// TestPlanMatchesPairwise checks the planner against the definition it
// replaced: each fix is compared with every edit planned so far, an
// overlapping fix is skipped whole, an identical edit is made once, and the
// edits are made from the end of the file backwards (at one offset, the
// replacement first, so an insertion there lands before it); a fix whose own
// edits overlap is skipped too. Random fixes of one or two edits, many seeds.
func TestPlanMatchesPairwise(t *testing.T) {
	src := strings.Repeat("abcdefghij", 8)
	for seed := range 400 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		file := analyzer.NewFile("F.cs", "F.cs", []byte(src), false)
		var findings []*analyzer.Finding
		for range 1 + rng.IntN(30) {
			fix := &analyzer.Fix{}
			for range 1 + rng.IntN(2) {
				start := rng.IntN(len(src))
				end := start + rng.IntN(4) // an insertion a quarter of the time
				fix.Edits = append(fix.Edits, analyzer.Edit{File: file, Start: start, End: min(end, len(src)), NewText: string(rune('A' + rng.IntN(3)))})
			}
			findings = append(findings, &analyzer.Finding{Fix: fix})
		}
		got := fixer.Make(findings)
		want, wantApplied, wantSkipped := pairwise(findings)
		if got.Applied != wantApplied || got.Skipped != wantSkipped {
			t.Fatalf("seed %d: applied %d skipped %d, want %d and %d", seed, got.Applied, got.Skipped, wantApplied, wantSkipped)
		}
		if out := string(got.Apply(file)); out != want(src) {
			t.Fatalf("seed %d:\n got %q\nwant %q", seed, out, want(src))
		}
	}
}

// pairwise is the quadratic planner, kept as the reference.
func pairwise(findings []*analyzer.Finding) (apply func(string) string, applied, skipped int) {
	var planned []analyzer.Edit
	for _, f := range findings {
		ok := true
		var fresh []analyzer.Edit
		for _, e := range f.Fix.Edits {
			dup := false
			for _, have := range planned {
				if have == e {
					dup = true
					break
				}
				if overlap(have, e) {
					ok = false
				}
			}
			for _, other := range fresh {
				if other != e && overlap(other, e) {
					ok = false
				}
			}
			if !dup && !slices.Contains(fresh, e) {
				fresh = append(fresh, e)
			}
		}
		if !ok {
			skipped++
			continue
		}
		planned = append(planned, fresh...)
		applied++
	}
	return func(src string) string {
		edits := append([]analyzer.Edit(nil), planned...)
		sort.SliceStable(edits, func(i, j int) bool {
			if edits[i].Start != edits[j].Start {
				return edits[i].Start > edits[j].Start
			}
			return edits[i].End > edits[j].End // the replacement before the insertion
		})
		for _, e := range edits {
			src = src[:e.Start] + e.NewText + src[e.End:]
		}
		return src
	}, applied, skipped
}

func overlap(a, b analyzer.Edit) bool {
	if a.Start == a.End && b.Start == b.End {
		return a.Start == b.Start
	}
	return a.Start < b.End && b.Start < a.End || (a.Start == a.End && a.Start > b.Start && a.Start < b.End) || (b.Start == b.End && b.Start > a.Start && b.Start < a.End)
}
