package analyzer

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"sync/atomic"
)

// The finding cache keeps, per file, what the rules reported there before
// the request-path filter: a re-scan runs the rules only over files whose
// entry does not stand, and recomputes the request path, overlaps,
// suppressions and levels for all findings as before.
//
// Every rule reports at the item it visits (a field access, a node of a
// visited kind, a method, a registration), in that item's file, and decides
// from that file's code and from program-wide facts that come either from
// declarations (the declaration digest, see unitcache.go) or from these
// facts drawn from method bodies, each read only where it says:
//
//   - entry points: whether a unit of the file is one (LMI001);
//   - DI registrations: all of them, at a registration (LMI009);
//   - the classes whose instances are shared: through the fields of those
//     classes (IsSharedState), which a file names wherever it reads them.
//
// An entry is therefore keyed by the file's content, the global declaration
// digest, the rules that ran, the file's entry points and, for a file that
// registers services, every registration; a class becoming shared or not is
// digested under its fields' family keys, with the names' declarations
// (names.go), and an entry stands while no name the file depends on
// changed. So a service registered in Startup.cs or a new handler re-runs
// the rules on the files that depend on it, not on every file. A rule that
// reads these facts otherwise must widen this key; TestCachesSeeEditsElsewhere
// is where to prove it. The call graph and the request path are not in the
// key: rules do not read them, and the filter that does runs on every scan.

const findingCacheVersion = "findings v10"

var findingCacheHits atomic.Int64 // files whose findings came from the cache (tests read it)

// findingCache reads and writes the entries of one run.
type findingCache struct {
	pack  *entryPack
	base  [32]byte // the key of everything but the file
	prog  *Program
	rules []*Rule
	stale staleness
	// facts is each file's share of the body facts: its entry points and,
	// if it registers services, all registrations (see above).
	facts map[*File][32]byte
}

func (p *Program) openFindingCache(rules []*Rule) *findingCache {
	c := &findingCache{pack: openPack(p.packDir(), "findings", p.root), prog: p, rules: rules}
	p.numberUnits()
	c.stale = p.openNameTable(c.pack, p.sharedNames())
	h := sha256.New()
	fmt.Fprintln(h, findingCacheVersion)
	h.Write(p.declDigest[:])
	for _, r := range rules {
		fmt.Fprintf(h, "rule %s\n", r.ID)
	}
	h.Sum(c.base[:0])
	entries := map[*File][]string{}
	for _, ep := range p.EntryPoints {
		ref, _ := p.refOf(ep.Method)
		entries[ep.Method.File] = append(entries[ep.Method.File], fmt.Sprintf("entry %v %q\n", ref, ep.Source))
	}
	registering := map[*File]bool{}
	registrations := sha256.New()
	for _, r := range p.Registrations {
		fmt.Fprintf(registrations, "registration %q %q %q %q %q\n", r.File.RelPath, r.Lifetime, r.Method, r.Service, r.Impl)
		registering[r.File] = true
	}
	all := registrations.Sum(nil)
	c.facts = make(map[*File][32]byte, len(entries)+len(registering))
	share := func(f *File) {
		h := sha256.New()
		for _, line := range entries[f] {
			io.WriteString(h, line)
		}
		if registering[f] {
			h.Write(all)
		}
		var sum [32]byte
		h.Sum(sum[:0])
		c.facts[f] = sum
	}
	for f := range entries {
		share(f)
	}
	for f := range registering {
		share(f)
	}
	return c
}

// sharedNames is the name table findings are checked against: the
// declarations' (p.names), with each shared class, and why it is shared,
// added to the digests of its fields' family keys. A class is named by its first
// declaration's file and place, not its full name: renaming a shared class
// whose fields have common names (Count, IsReadOnly) re-ran the rules on a
// thousand files of efcore. A finding that names the class does so through
// its field (Finding.Field), which an entry holds by the class's full name,
// so such an entry does not outlive the rename.
func (p *Program) sharedNames() []nameDigest {
	added := map[uint64]uint64{}
	for t, why := range p.sharedTypes {
		part := mix(combine(t.placeRef(), nameHash(why)))
		for _, f := range t.FieldOrder {
			// A set: the order does not count. Under the family's key
			// only: a lookup finds a field only within a family (see
			// fieldLookup), so a file reading it depends on that key; a
			// class with fields named Count or _logger becoming shared
			// re-ran the rules on every file naming those.
			added[familyKey(t.family, nameHash(f.Name))] += part
		}
	}
	out := slices.Clone(p.names)
	for i := range out {
		if part, ok := added[out[i].name]; ok {
			out[i].digest = combine(out[i].digest, part)
			delete(added, out[i].name)
		}
	}
	if len(added) == 0 {
		return out
	}
	for name, part := range added { // a field's family key is a member's: none is left
		out = append(out, nameDigest{name, combine(0, part)})
	}
	slices.SortFunc(out, func(a, b nameDigest) int { return cmp.Compare(a.name, b.name) })
	return out
}

func (c *findingCache) key(f *File) [32]byte {
	if f.hash == [32]byte{} {
		f.hash = sha256.Sum256(f.Src) // a file not read by Load
	}
	var buf [320]byte
	key := append(buf[:0], c.base[:]...)
	key = append(key, f.hash[:]...)
	key = appendKeyText(key, f.RelPath)
	key = appendKeyText(key, f.Project)
	key = appendKeyFlag(key, f.HadBOM)
	if facts, ok := c.facts[f]; ok {
		key = append(key, facts[:]...) // last, and of a fixed size
	}
	return sha256.Sum256(key)
}

const findingMagic = "LMIF"

// encodeNode writes a reference to a node of f: its index, or for a span
// (HeaderNode) the node it was cut from and its offsets. False for a node
// outside f.
func encodeNode(e *encoder, f *File, n *Node) bool {
	if n == nil || n.fileRoot() != f.Root {
		return false
	}
	if i, ok := n.index(); ok {
		e.uint(0)
		e.uint(uint64(i))
		return true
	}
	outer := n.data().outer
	if outer == nil {
		return false
	}
	i, ok := outer.index()
	if !ok {
		return false
	}
	e.uint(1)
	e.uint(uint64(i))
	e.uint(uint64(n.Start()))
	e.uint(uint64(n.End()))
	return true
}

func decodeNode(d *decoder, f *File) *Node {
	kind, at := d.uint(), d.uint()
	count := f.Root.data().count
	if d.err || at >= uint64(count) {
		d.err = true
		return nil
	}
	n := f.Root.at(uint32(at))
	switch kind {
	case 0:
		return n
	case 1:
		start, end := d.uint(), d.uint()
		if start > end || end > uint64(len(f.Src)) {
			d.err = true
			return nil
		}
		return spanNode(n, uint32(start), uint32(end))
	}
	d.err = true
	return nil
}

// store writes the findings of one file; a finding the entry cannot hold
// (a node or edit in another file) means no entry, so the next run
// recomputes the file. The entry's filter is the file's, with the keys of
// the calls bound late whose resolution the rules consulted (see
// latecalls.go).
func (c *findingCache) store(f *File, fs []*Finding, consulted []uint64) {
	var e encoder
	filter := c.prog.dependencyFilter(f)
	if len(consulted) > 0 && len(filter) > 0 {
		filter = slices.Clone(filter) // a view of a unit entry, or the file's own
		for _, key := range consulted {
			filter.add(key)
		}
	}
	e.filter(filter)
	e.uint(uint64(len(fs)))
	for _, x := range fs {
		rule := slices.Index(c.rules, x.Rule)
		if rule < 0 {
			return
		}
		e.uint(uint64(rule))
		e.string(string(x.Level))
		if !encodeNode(&e, f, x.Node) {
			return
		}
		e.string(x.Message)
		if x.Field == nil {
			e.uint(0)
		} else {
			e.uint(1)
			if !e.fieldRef(c.prog, x.Field) {
				return
			}
		}
		e.uint(uint64(len(x.Covers)))
		for _, n := range x.Covers {
			if !encodeNode(&e, f, n) {
				return
			}
		}
		if x.Fix == nil {
			e.uint(0)
		} else {
			e.uint(1)
			e.string(x.Fix.Description)
			e.uint(uint64(len(x.Fix.Edits)))
			for _, ed := range x.Fix.Edits {
				if ed.File != f || ed.Start < 0 || ed.End < ed.Start {
					return
				}
				e.uint(uint64(ed.Start))
				e.uint(uint64(ed.End))
				e.string(ed.NewText)
			}
		}
	}
	data := make([]byte, 8, 8+len(e.buf))
	copy(data, findingMagic)
	binary.LittleEndian.PutUint32(data[4:], crc32.ChecksumIEEE(e.buf))
	c.pack.put(c.key(f), append(data, e.buf...))
}

// load reads the findings of one file; false when there is no usable entry.
func (c *findingCache) load(f *File) ([]*Finding, bool) {
	key := c.key(f)
	data, ok := c.pack.peek(key)
	if !ok || len(data) < 8 || string(data[:4]) != findingMagic ||
		crc32.ChecksumIEEE(data[8:]) != binary.LittleEndian.Uint32(data[4:]) {
		return nil, false
	}
	d := &decoder{buf: data[8:]}
	if !c.stale.stands(d.filter()) || d.err {
		return nil, false
	}
	n := d.uint()
	if n > uint64(len(d.buf)) {
		return nil, false
	}
	out := make([]*Finding, 0, n)
	for range n {
		rule := d.uint()
		if d.err || rule >= uint64(len(c.rules)) {
			return nil, false
		}
		x := &Finding{Rule: c.rules[rule], File: f}
		x.Level = Level(d.string())
		x.Node = decodeNode(d, f)
		x.Message = d.string()
		if d.uint() == 1 {
			if x.Field = d.field(c.prog); d.err {
				return nil, false
			}
		}
		for covers := d.uint(); covers > 0 && !d.err; covers-- {
			x.Covers = append(x.Covers, decodeNode(d, f))
		}
		if d.uint() == 1 {
			x.Fix = &Fix{Description: d.string()}
			for edits := d.uint(); edits > 0 && !d.err; edits-- {
				ed := Edit{File: f, Start: int(d.uint()), End: int(d.uint())}
				ed.NewText = d.string()
				if ed.End < ed.Start || ed.End > len(f.Src) {
					return nil, false
				}
				x.Fix.Edits = append(x.Fix.Edits, ed)
			}
		}
		if d.err {
			return nil, false
		}
		x.Unit = c.prog.UnitOf(x.Node)
		out = append(out, x)
	}
	if d.err || len(d.buf) != 0 {
		return nil, false
	}
	c.pack.keep(key, data)
	findingCacheHits.Add(1)
	return out, true
}
