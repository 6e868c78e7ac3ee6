package analyzer

import (
	"cmp"
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"sync"
	"unsafe"
)

// Declarations by name. A declaration edit used to change the one
// declaration digest and so every file's cached facts and findings: adding
// a field to one class re-walked all of efcore. Most declaration edits
// concern members, and a file's units resolve against members only through
// the names written in the file: a call names its method, an access its
// field or property, `new T()` its type (constructors are filed under the
// type's name). So the declarations are digested in two parts:
//
//   - the global digest: everything but the members of types — usings,
//     namespaces, type headers (kind, name, modifiers, type parameters,
//     bases, attributes, primary constructors), operators, indexers,
//     conversions and enums (no identifier names them at a use), the files,
//     projects and types in order, options and type lists. Entries are
//     keyed by it, as by the file's content.
//   - one digest per name: the members declared under it, in program order
//     (their shape and tokens outside bodies, file by file), and the units
//     of that name.
//
// A cached entry keeps a filter of the names its file depends on: every
// identifier in the file and, because rules follow the initializers of the
// constants and static readonly fields named there into other declarations
// (a fixed path built from constants, see fixedPath), the identifiers of
// those initializers, transitively. Each pack keeps the
// name digests of the run that wrote it, and every entry in it is valid for
// that state; an entry stands unless a name whose digest changed since may
// be in its filter.

// splitMember reports whether a declaration is digested under its names:
// a member of a type, directly in the type's body, with no type inside it
// (error recovery can nest one; type headers stay global).
func splitMember(n *Node) bool {
	switch n.Kind() {
	case KindMethodDeclaration, KindConstructorDeclaration, KindDestructorDeclaration,
		KindFieldDeclaration, KindEventFieldDeclaration, KindPropertyDeclaration:
		return n.Parent() != nil && n.Parent().Kind() == KindDeclarationList
	}
	return false
}

// memberNames lists the names a member is declared under: a field
// declaration's variables, otherwise its name (a constructor's and a
// destructor's is the type's). None means the member is kept global.
func memberNames(n *Node, out []string) []string {
	switch n.Kind() {
	case KindFieldDeclaration, KindEventFieldDeclaration:
		for _, c := range n.Children() {
			if c.Kind() != KindVariableDeclaration {
				continue
			}
			for _, d := range c.Children() {
				if d.Kind() == KindVariableDeclarator {
					if name := d.ChildByField("name").Text(); name != "" {
						out = append(out, name)
					}
				}
			}
		}
	default:
		if name := n.ChildByField("name").Text(); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// memberDigest is one member's share of its names' digests.
type memberDigest struct {
	name uint64 // nameHash of the name
	sum  uint64
}

// fileDeclarations is a file's share of the declaration digests.
type fileDeclarations struct {
	global  [32]byte
	members []memberDigest // in source order
}

func (d *fileDeclarations) encode() []byte {
	e := encoder{buf: append(make([]byte, 0, 40+16*len(d.members)), d.global[:]...)}
	e.uint(uint64(len(d.members)))
	for _, m := range d.members {
		e.buf = binary.LittleEndian.AppendUint64(e.buf, m.name)
		e.buf = binary.LittleEndian.AppendUint64(e.buf, m.sum)
	}
	return e.buf
}

func decodeFileDeclarations(data []byte) (fileDeclarations, bool) {
	var out fileDeclarations
	if len(data) < 32 {
		return out, false
	}
	copy(out.global[:], data)
	d := &decoder{buf: data[32:]}
	n := d.uint()
	if d.err || n != uint64(len(d.buf))/16 || len(d.buf)%16 != 0 {
		return out, false
	}
	out.members = make([]memberDigest, n)
	for i := range out.members {
		out.members[i] = memberDigest{binary.LittleEndian.Uint64(d.buf[16*i:]), binary.LittleEndian.Uint64(d.buf[16*i+8:])}
	}
	return out, true
}

// mix is SplitMix64's finalizer: it spreads every input bit over the output.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// combine adds a part to an ordered digest.
func combine(digest, part uint64) uint64 { return mix(digest*0x9E3779B97F4A7C15 + mix(part)) }

// nameHash hashes a name (FNV-1a, then mixed) for filters and sets.
func nameHash(s string) uint64 { return hashBytes(unsafe.Slice(unsafe.StringData(s), len(s))) }

// hashBytes is nameHash of a name's bytes.
func hashBytes(b []byte) uint64 {
	// Eight bytes at a time: a byte at a time (FNV) was a third of working
	// out a file's dependencies.
	h := uint64(len(b)) * 0x9E3779B97F4A7C15
	for len(b) >= 8 {
		h = bits.RotateLeft64((h^binary.LittleEndian.Uint64(b))*0xbf58476d1ce4e5b9, 31)
		b = b[8:]
	}
	var tail uint64
	for i, c := range b {
		tail |= uint64(c) << (8 * i)
	}
	return mix(h ^ tail)
}

// unitBucket is the name a unit is digested under: constructors,
// destructors and static constructors under their type's, accessors and
// initializers under their member's, and the lambdas entry-point discovery
// makes units under one name no use can write.
func unitBucket(m *Method) string {
	switch {
	case m.Kind == MethodDelegate:
		return delegateNamePrefix
	case m.Field != nil:
		return m.Field.Name
	case (m.Kind == MethodConstructor || m.Kind == MethodStaticConstructor || m.Kind == MethodFinalizer) && m.Owner != nil:
		return m.Owner.Name
	}
	return m.Name
}

// nameDigest is the digest of one name's members and units.
type nameDigest struct{ name, digest uint64 } // name: its nameHash

// nameDigests digests the members and units of every name: perFile holds
// each file's share, in program order. The result is sorted by name hash.
// Names are known by their hashes: two names of one hash share a digest,
// which only makes their uses re-walked together.
func (p *Program) nameDigests(perFile []fileDeclarations) []nameDigest {
	fileAt := make(map[*File]uint64, len(p.Files))
	for i, f := range p.Files {
		fileAt[f] = uint64(i) + 1
	}
	buckets := make([]uint64, len(p.Methods))
	parts := make([]uint64, len(p.Methods))
	parallelChunks(len(p.Methods), func(i int) {
		// The units: their kinds and places (their signatures are in the
		// members' digests), and the lambdas discovery made units.
		m := p.Methods[i]
		buckets[i] = nameHash(unitBucket(m))
		parts[i] = combine(uint64(m.Kind), fileAt[m.File])
		if m.Owner != nil {
			parts[i] = combine(parts[i], uint64(m.Owner.id)+1)
		}
	})
	// Names are split into shards by hash, digested in parallel, each in
	// program order.
	const shards = 16
	out := make([][]nameDigest, shards)
	parallel(shards, func(shard int) {
		digests := map[uint64]uint64{}
		for i := range perFile {
			for _, m := range perFile[i].members {
				if m.name%shards == uint64(shard) {
					// The file's place and the member's own digest, in
					// order: a member moved within its file keeps the
					// digests, two swapped members of one name do not.
					digests[m.name] = combine(digests[m.name], combine(uint64(i)+1, m.sum))
				}
			}
		}
		for i, name := range buckets {
			if name%shards == uint64(shard) {
				digests[name] = combine(digests[name], parts[i])
			}
		}
		list := make([]nameDigest, 0, len(digests))
		for name, d := range digests {
			list = append(list, nameDigest{name, d})
		}
		out[shard] = list
	})
	all := slices.Concat(out...)
	slices.SortFunc(all, func(a, b nameDigest) int { return cmp.Compare(a.name, b.name) })
	return all
}

// changedNames lists the hashes of the names whose digests differ between
// two states (tables sorted by name).
func changedNames(before, now []nameDigest) []uint64 {
	var out []uint64
	i, j := 0, 0
	for i < len(before) || j < len(now) {
		switch {
		case j == len(now) || i < len(before) && before[i].name < now[j].name:
			out = append(out, before[i].name)
			i++
		case i == len(before) || now[j].name < before[i].name:
			out = append(out, now[j].name)
			j++
		default:
			if before[i].digest != now[j].digest {
				out = append(out, now[j].name)
			}
			i++
			j++
		}
	}
	return out
}

// The name digests of a run are kept in each pack under this key (no
// file's entry key starts with 32 zero bytes but with a hash).
var nameTableKey = [32]byte{'n', 'a', 'm', 'e', 's'}

const nameTableMagic = "LMIT"

func encodeNameTable(global [32]byte, digests []nameDigest) []byte {
	buf := make([]byte, 0, 4+32+16*len(digests))
	buf = append(append(buf, nameTableMagic...), global[:]...)
	for _, d := range digests {
		buf = binary.LittleEndian.AppendUint64(buf, d.name)
		buf = binary.LittleEndian.AppendUint64(buf, d.digest)
	}
	return buf
}

// decodeNameTable reads a table written for the global digest global; false
// when it is damaged or was written for another one.
func decodeNameTable(data []byte, global [32]byte) ([]nameDigest, bool) {
	if len(data) < 4+32 || string(data[:4]) != nameTableMagic || [32]byte(data[4:36]) != global || (len(data)-36)%16 != 0 {
		return nil, false
	}
	data = data[36:]
	out := make([]nameDigest, len(data)/16)
	for i := range out {
		out[i] = nameDigest{binary.LittleEndian.Uint64(data[16*i:]), binary.LittleEndian.Uint64(data[16*i+8:])}
		if i > 0 && out[i].name <= out[i-1].name {
			return nil, false // not sorted: not a table this tool wrote
		}
	}
	return out, true
}

// staleness is what a pack's entries are checked against: the names whose
// digests changed since the pack was written.
type staleness struct {
	known   bool     // the pack's table was read; without it no entry stands
	changed []uint64 // name hashes
}

// stands reports whether an entry with this filter is still valid.
func (s staleness) stands(filter depFilter) bool {
	if !s.known {
		return false
	}
	for _, h := range s.changed {
		if filter.mayHold(h) {
			return false
		}
	}
	return true
}

// openNames reads a pack's name table, works out what changed since, and
// puts this run's table in its place.
func (p *Program) openNames(pack *entryPack) staleness {
	var s staleness
	if data, ok := pack.old[nameTableKey]; ok {
		if before, ok := decodeNameTable(data, p.declDigest); ok {
			s = staleness{known: true, changed: changedNames(before, p.names)}
		}
	}
	if s.known && len(s.changed) == 0 {
		pack.get(nameTableKey) // kept as it is
	} else {
		pack.put(nameTableKey, encodeNameTable(p.declDigest, p.names))
	}
	return s
}

// dependencyFilter is dependencies(f), made once per run.
func (p *Program) dependencyFilter(f *File) depFilter {
	p.numberUnits()
	at, ok := p.fileAt[f]
	if !ok {
		return p.dependencies(f)
	}
	if p.depFilters[at] == nil {
		p.depFilters[at] = p.dependencies(f) // each file is stored by one goroutine at a time
	}
	return p.depFilters[at]
}

// depFilter is a Bloom filter of name hashes: a power-of-two count of bits,
// four probes per name. A false positive only costs a re-walk.
type depFilter []byte

const depProbes = 4

// newDepFilterSize is the size in bytes of a filter for names names: about
// ten bits a name.
func newDepFilterSize(names int) int { return max(8, 1<<bits.Len(uint(names*10/8))) }

func (f depFilter) probes(h uint64, each func(bit uint64) bool) bool {
	if len(f) == 0 {
		return true // an empty filter holds everything
	}
	mask, step := uint64(len(f))*8-1, h>>32|1
	for i := range uint64(depProbes) {
		if !each((h + i*step) & mask) {
			return false
		}
	}
	return true
}

func (f depFilter) add(h uint64) {
	f.probes(h, func(bit uint64) bool { f[bit/8] |= 1 << (bit % 8); return true })
}

func (f depFilter) mayHold(h uint64) bool {
	return f.probes(h, func(bit uint64) bool { return f[bit/8]&(1<<(bit%8)) != 0 })
}

// dependencies builds the filter of the names f depends on: its
// identifiers, and those of the initializers of the constants and static
// readonly fields and properties named by any of them, transitively.
//
// Names go straight into a filter sized for every identifier, which is then
// folded down to the size the names it holds need: no set of names is
// built (that was half the cost, and a re-walk of every file pays it for
// each).
func (p *Program) dependencies(f *File) depFilter {
	inits, mayHaveInit := p.initializers()
	scratch := depScratch.Get().(*depSpace)
	defer depScratch.Put(scratch)
	expanded := scratch.expanded
	clear(expanded)
	root := f.Root
	count := root.data().count
	identifiers := 0
	for i := range count {
		if root.at(i).Kind() == KindIdentifier {
			identifiers++
		}
	}
	// Room for twice the file's identifiers: initializers usually add a
	// few, and growing copies the filter.
	room, noted := 2*identifiers, 0
	filter := scratch.filter(room)
	queue := scratch.queue[:0]
	followed := scratch.followed
	clear(followed)
	note := func(n *Node) {
		noted++
		h := hashBytes(n.data().src[n.Start():n.End()])
		filter.add(h)
		if !mayHaveInit.mayHold(h) {
			return
		}
		if same := inits[h]; len(same) <= followEveryInit {
			if _, done := expanded[h]; !done {
				expanded[h] = struct{}{}
				queue = append(queue, same...)
			}
			return
		}
		// Many fields of that name (a generated service per project each
		// with its Cache): following all of them made the work quadratic
		// (50,000 generated files took a minute). Only the field the name
		// resolves to here is followed, as fixedPath would: a change to
		// what it resolves to is a change of a name in the filter.
		target := n
		if par := n.Parent(); par != nil && par.Kind() == KindMemberAccess && par.ChildByField("name") == n {
			target = par
		}
		if f := p.FieldOf(target); f != nil && f.Init != nil && followsInitializer(f) {
			if _, done := followed[f.Init]; !done {
				followed[f.Init] = struct{}{}
				queue = append(queue, f.Init)
			}
		}
	}
	for i := range count {
		if n := root.at(i); n.Kind() == KindIdentifier {
			note(n)
		}
	}
	for len(queue) > 0 {
		init := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		init.Walk(func(n *Node) bool {
			if n.Kind() == KindIdentifier {
				if noted >= room {
					// The initializers reach further than the file: the
					// filter is sized again for what it now holds.
					room *= 2
					filter = filter.grown(room, scratch)
				}
				note(n)
			}
			return true
		})
	}
	scratch.queue = queue[:0]
	return filter.folded()
}

// depSpace is the scratch space of one dependencies.
type depSpace struct {
	bits     depFilter
	queue    []*Node
	expanded map[uint64]struct{} // names whose every initializer was followed
	followed map[*Node]struct{}  // initializers followed one by one
}

var depScratch = sync.Pool{New: func() any {
	return &depSpace{expanded: map[uint64]struct{}{}, followed: map[*Node]struct{}{}}
}}

// followEveryInit is how many fields of one name dependencies follows
// without resolving the name: all of them, cheaply, when they are few.
const followEveryInit = 8

// filter returns a cleared filter with room for names names.
func (s *depSpace) filter(names int) depFilter {
	size := newDepFilterSize(names)
	if cap(s.bits) < size {
		s.bits = make(depFilter, size)
	}
	f := s.bits[:size]
	clear(f)
	return f
}

// grown is f with room for names names and the names f holds.
func (f depFilter) grown(names int, s *depSpace) depFilter {
	size := newDepFilterSize(names)
	if size <= len(f) {
		return f
	}
	bigger := make(depFilter, size)
	// A filter cannot be unfolded: its names are added again by the
	// caller's walk only from here on, so the smaller filter's bits are
	// kept, repeated, which holds every name it held at the bigger size.
	for at := 0; at < size; at += len(f) {
		copy(bigger[at:], f)
	}
	s.bits = bigger
	return bigger
}

// folded returns a copy of f halved (bits OR-ed) while the names it holds,
// as estimated from the bits set, fit about ten bits each. A folded filter
// answers as if it had been made at its size from the start, since probes
// take the hash modulo the size, a power of two.
func (f depFilter) folded() depFilter {
	set := 0
	for _, b := range f {
		set += bits.OnesCount8(b)
	}
	total := float64(len(f) * 8)
	names := len(f) * 8 // a full filter: no estimate, keep it
	if set < len(f)*8 {
		names = int(-total / depProbes * math.Log(1-float64(set)/total))
	}
	size := newDepFilterSize(names)
	for len(f) > size {
		half := len(f) / 2
		for i := range half {
			f[i] |= f[i+half]
		}
		f = f[:half]
	}
	return slices.Clone(f)
}

// initializers maps the hash of a name to the initializers of the constants
// and static readonly fields and properties of that name: the ones analysis
// follows from a use into the declaration (fixedPath). Following every
// field's made a file's dependencies most of efcore's names, and working
// them out cost more than the walk they save.
// The filter holds their names, so most identifiers are passed over with
// one probe instead of a map lookup.
func (p *Program) initializers() (map[uint64][]*Node, depFilter) {
	p.initsOnce.Do(func() {
		p.initsByName = map[uint64][]*Node{}
		for _, t := range p.typeList {
			for _, fld := range t.FieldOrder {
				if fld.Init != nil && followsInitializer(fld) {
					h := nameHash(fld.Name)
					p.initsByName[h] = append(p.initsByName[h], fld.Init)
				}
			}
		}
		p.initNames = make(depFilter, newDepFilterSize(len(p.initsByName)))
		for h := range p.initsByName {
			p.initNames.add(h)
		}
	})
	return p.initsByName, p.initNames
}
