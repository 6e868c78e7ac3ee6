package analyzer

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDigestTableIsAMap: the table folds parts into the same digests as a
// map of digests does, for keys that share their high bits (one probe
// chain), key 0, and more keys than it was sized for (it grows).
func TestDigestTableIsAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []uint64{0, 1, 2, 1 << 32, 2 << 32, 3<<32 | 7}
	for range 5000 {
		keys = append(keys, rng.Uint64())
	}
	for _, sized := range []int{0, 10, len(keys)} {
		table := newDigestTable(sized)
		want := map[uint64]uint64{}
		for range 20000 {
			key, part := keys[rng.IntN(len(keys))], rng.Uint64()
			table.add(key, part)
			want[key] = combine(want[key], part)
		}
		got := table.list()
		slices.SortFunc(got, func(a, b nameDigest) int { return cmp.Compare(a.name, b.name) })
		if len(got) != len(want) {
			t.Fatalf("sized %d: %d keys, want %d", sized, len(got), len(want))
		}
		for _, d := range got {
			if w, ok := want[d.name]; !ok || w != d.digest {
				t.Fatalf("sized %d: key %x has digest %x, want %x (present %v)", sized, d.name, d.digest, w, ok)
			}
		}
	}
}
