package analyzer

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestDepFilterHoldsWhatWasAdded: a filter folded down or grown still holds
// every name added to it, and folding keeps false positives near the one in
// a hundred its ten bits a name allow.
func TestDepFilterHoldsWhatWasAdded(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 100, 5000} {
		for _, room := range []int{n, 4 * n, 64*n + 100} {
			space := &depSpace{}
			f := space.filter(room)
			var added []uint64
			for range n {
				h := rng.Uint64()
				added = append(added, h)
				f.add(h)
			}
			if n > 0 {
				f = f.grown(2*room, space)
			}
			for range n / 2 { // names added after growing
				h := rng.Uint64()
				added = append(added, h)
				f.add(h)
			}
			folded := f.folded()
			if len(folded) > len(f) || len(folded) > newDepFilterSize(2*len(added))*2 {
				t.Errorf("%d names, room %d: folded to %d bytes (from %d)", n, room, len(folded), len(f))
			}
			for _, h := range added {
				if !folded.mayHold(h) {
					t.Fatalf("%d names, room %d: a name added is not in the folded filter", n, room)
				}
			}
			if len(added) >= 1000 {
				hits := 0
				for range 100000 {
					if folded.mayHold(rng.Uint64()) {
						hits++
					}
				}
				if rate := float64(hits) / 100000; rate > 0.03 {
					t.Errorf("%d names, room %d: %.3f false positives", n, room, rate)
				}
			}
		}
	}
}

// TestNameHash: names hash apart, whatever their length, and a string and
// its bytes hash alike (entries are checked with both).
func TestNameHash(t *testing.T) {
	seen := map[uint64]string{}
	for i := range 200000 {
		name := fmt.Sprintf("Name%d", i)
		if i%3 == 0 {
			name = fmt.Sprintf("AVeryLongIdentifierOfAServiceClass%dWithSuffix", i)
		}
		h := nameHash(name)
		if other, ok := seen[h]; ok {
			t.Fatalf("%q and %q hash alike", name, other)
		}
		seen[h] = name
		if hashBytes([]byte(name)) != h {
			t.Fatalf("%q hashes apart as a string and as bytes", name)
		}
	}
	for _, pair := range [][2]string{{"", "\x00"}, {"a", "a\x00"}, {"abcdefgh", "abcdefgh\x00"}} {
		if nameHash(pair[0]) == nameHash(pair[1]) {
			t.Errorf("%q and %q hash alike", pair[0], pair[1])
		}
	}
}
