package analyzer

import (
	"cmp"
	"encoding/binary"
	"math/bits"
	"runtime"
	"slices"
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
//   - the global digest: everything but the members of types and using
//     directives (types resolve by simple name, see declarationsOf) —
//     namespaces, type headers (kind, name, modifiers, type parameters,
//     bases, attributes, primary constructors), operators, indexers,
//     conversions and enums (no identifier names them at a use), the files,
//     projects and types in order, options and type lists. Entries are
//     keyed by it, as by the file's content. Type headers must stay here:
//     resolution climbs a type's bases and reaches its subtypes without
//     the file naming them (`GetD().x` looks for x along D's bases), so no
//     filter of names tells which files a base list reaches.
//   - one digest per name: the members declared under it, in program order
//     (their shape and tokens outside bodies, file by file), and the units
//     of that name.
//
// A cached entry keeps a filter of the names its file depends on: every
// identifier in the file and, because rules follow the initializers of the
// constants and static readonly fields named there into other declarations
// (a fixed path built from constants, see fixedPath), the identifiers of
// those initializers, transitively (depfilter.go). Each pack keeps the name
// digests of the run that wrote it, and every entry in it is valid for that
// state; an entry stands unless a name whose digest changed since may be in
// its filter.

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
	// Names are split into a shard per core by hash, digested in parallel,
	// each in program order (every shard reads all members: more shards
	// than cores only read them more often).
	shards := uint64(max(1, runtime.GOMAXPROCS(0)))
	out := make([][]nameDigest, shards)
	parallel(int(shards), func(shard int) {
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
