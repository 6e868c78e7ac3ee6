package analyzer

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDepFilterHoldsWhatWasAdded: a filter folded down or grown still holds
// every name added to it, and folding keeps false positives near the one in
// several hundred its 16 to 32 bits a name allow.
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
				if rate := float64(hits) / 100000; rate > 0.006 {
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

// TestPackTablesGateEntries: a unit pack's entries are read only with the
// tables the run that wrote them kept beside them. Without its name table
// (no way to tell which names changed since) or with a ref table grown past
// its bound, no entry stands and the scan is still the same.
func TestPackTablesGateEntries(t *testing.T) {
	dir := t.TempDir()
	src := `using Amazon.Lambda.Core;
public class Function {
    private static int _count;
    private readonly Helper _h = new Helper();
    public void Handler(string input, ILambdaContext context) { _count++; _h.Run(input); }
}
`
	helper := "public class Helper { private static int _runs; public void Run(string s) { _runs++; } }\n"
	os.WriteFile(filepath.Join(dir, "Function.cs"), []byte(src), 0o644)
	os.WriteFile(filepath.Join(dir, "Helper.cs"), []byte(helper), 0o644)
	cache, err := OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	scan := func() (string, int, *Program) {
		t.Helper()
		s, err := Load([]string{dir}, LoadOptions{Root: dir, Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		before := unitCacheHits.Load()
		p := NewProgram(s, ProgramOptions{})
		var out strings.Builder
		for _, f := range Run(p, []*Rule{testRule()}, Options{}).Findings {
			fmt.Fprintf(&out, "%s %d %s\n", f.File.RelPath, f.Node.Start(), f.Message)
		}
		return out.String(), int(unitCacheHits.Load() - before), p
	}
	want, _, _ := scan()
	if got, hits, _ := scan(); got != want || hits != 2 {
		t.Fatalf("a warm scan: %d of 2 files from the cache, findings\n%s\nwant\n%s", hits, got, want)
	}
	edit := func(change func(pack *entryPack)) {
		_, _, p := scan()
		pack := openPack(p.packDir(), "units", p.root)
		change(pack)
		pack.next, pack.changed = pack.old, true
		pack.save()
	}
	edit(func(pack *entryPack) { delete(pack.old, nameTableKey) })
	if got, hits, _ := scan(); got != want || hits != 0 {
		t.Errorf("without a name table: %d files from the cache (want none), findings\n%s\nwant\n%s", hits, got, want)
	}
	edit(func(pack *entryPack) {
		var table refTable
		if !table.decode(pack.old[refTableKey]) {
			t.Fatal("no ref table in the pack")
		}
		for i := range 10000 {
			table.units = append(table.units, unitRef{file: 1, name: uint64(i)})
		}
		pack.old[refTableKey] = table.encode()
	})
	if got, hits, _ := scan(); got != want || hits != 0 {
		t.Errorf("with an overgrown ref table: %d files from the cache (want none), findings\n%s\nwant\n%s", hits, got, want)
	}
	if _, hits, _ := scan(); hits != 2 {
		t.Errorf("after the table started again: %d of 2 files from the cache", hits)
	}
}

// testRule reports every field access, with the field.
func testRule() *Rule {
	return &Rule{ID: "LMI900", Run: func(p *Pass) {
		for _, a := range p.Prog.Accesses() {
			p.ReportField(a.Field, a.Expr, "access to %s", a.Field.Name)
		}
	}}
}

// TestSpellNames: LMILINT_TIMINGS spells the changed names it can find
// among the program's types, members and units, and counts the rest.
func TestSpellNames(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "A.cs"), []byte("public class Store { private int _count; public void Save() { } }\npublic enum Mode { On }\n"), 0o644)
	s, err := Load([]string{dir}, LoadOptions{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	p := NewProgram(s, ProgramOptions{})
	var hashes []uint64
	for _, name := range []string{"Save", "Store", "_count", "Mode", "Gone"} {
		hashes = append(hashes, nameHash(name))
	}
	if got, want := p.spellNames(hashes, 8), ": Save, Store, _count; 2 gone, or enums or delegates"; got != want {
		t.Errorf("spellNames = %q, want %q", got, want)
	}
	if got, want := p.spellNames(hashes[:3], 2), ": Save, Store, and 1 more"; got != want {
		t.Errorf("spellNames, two at most = %q, want %q", got, want)
	}
	if got := p.spellNames(nil, 8); got != "" {
		t.Errorf("spellNames of nothing = %q, want nothing", got)
	}
}

// TestSmallFiltersRarelyHitFalsely: the filters of small files, which
// share most of their names and so their bits, falsely hold about one
// random key in a million, not one in five thousand: a key that hits one
// of them hits them all.
func TestSmallFiltersRarelyHitFalsely(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	space := &depSpace{}
	f := space.filter(2 * 12)
	for range 12 { // a small file's names: its namespace's, usings', type's
		f.add(rng.Uint64())
	}
	f = f.folded()
	hits := 0
	for range 200000 {
		if f.mayHold(rng.Uint64()) {
			hits++
		}
	}
	if hits > 3 {
		t.Errorf("a filter of 12 names (%d bytes) falsely held %d of 200,000 keys", len(f), hits)
	}
}
