package analyzer

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strings"
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
//   - the global digest: what is left of the files' declarations once the
//     members of types, enums and delegates, the headers of types, using
//     directives (types resolve by simple name, see declarationsOf) and
//     the namespaces and type declarations around them (held by the types'
//     refs, see hierarchyDigests) are taken out — operators, indexers and
//     conversions (no identifier names them at a use), assembly attributes,
//     declarations outside types — by file, with the projects, options and
//     type lists. A file declaring only types has no part in it, so a new
//     one changes it not. Entries are keyed by it, as by the file's content.
//   - one digest per name: the members declared under it, in program order
//     (their shape and tokens outside bodies, file by file), and the units
//     of that name (files and types by path and full name, not by place,
//     which a new one shifts); for a type's name, its hierarchy digest (see
//     hierarchyDigests): resolution climbs a type's bases and reaches its
//     subtypes without the file naming them (`GetD().x` looks for x along
//     D's bases), so the hierarchy is digested under the type and folded
//     into every member whose type mentions it.
//
// Besides its name, each member and unit of a type is digested under its
// family's key for that name (familyKey: the types joined by program bases)
// and, in a type that may hold extension methods, under the name's
// extension key: a name whose lookup stayed within one family (a call or a
// member access on a receiver of a known type, or on this or base, or a
// name found along its type's chain: typedUse) depends on those keys
// rather than on every declaration of the name. Methods are also digested
// under the name's callable key, which a call on a receiver of no known
// type depends on; a member read on such a receiver finds nothing, and
// depends on no declaration of its name.
//
// A cached entry keeps a filter of the names its file depends on: every
// identifier in the file — under its family's and extension keys where its
// lookup stayed in a family, not at all where it declares a member, local
// or parameter or uses a local — and, because rules follow the
// initializers of the constants and static readonly fields named there
// into other declarations (a fixed path built from constants, see
// fixedPath), the names fixedPath resolves in those initializers,
// transitively (depfilter.go). Each pack keeps the name digests of the run that wrote
// it, and every entry in it is valid for that state; an entry stands
// unless a name whose digest changed since may be in its filter.

// splitMember reports whether a declaration is digested under its names:
// a member of a type, directly in the type's body, with no type inside it
// (error recovery can nest one; type headers are digested on their own).
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
	// from and to delimit, in fileDeclarations.mentions, the names the
	// member's declaration mentions (its type, its parameters' types, its
	// owner type): their types' hierarchies are part of its digest.
	from, to uint32
	// decl is 1 + the index in the file's tree of the type declaration
	// the member is in, 0 for none: its type's share of the typed digests
	// (see familyKey).
	decl uint32
	// method marks a method declaration: what a call on a receiver of no
	// known type may bind to (see callableKey).
	method bool
}

// typeHeader is one type declaration's header: everything of it but its
// body (attributes, modifiers, name, type parameters, primary constructor,
// bases, constraints).
type typeHeader struct {
	node uint32 // the declaration's index in its file's tree
	sum  uint64
}

// fileDeclarations is a file's share of the declaration digests.
type fileDeclarations struct {
	global   [32]byte
	members  []memberDigest // in source order
	mentions []uint64       // name hashes, sorted within each member's range
	headers  []typeHeader   // in source order
}

func (d *fileDeclarations) encode() []byte {
	e := encoder{buf: append(make([]byte, 0, 48+20*len(d.members)+8*len(d.mentions)+12*len(d.headers)), d.global[:]...)}
	e.uint(uint64(len(d.members)))
	for _, m := range d.members {
		e.buf = binary.LittleEndian.AppendUint64(e.buf, m.name)
		e.buf = binary.LittleEndian.AppendUint64(e.buf, m.sum)
		e.uint(uint64(m.from))
		e.uint(uint64(m.to - m.from))
		method := uint64(0)
		if m.method {
			method = 1
		}
		e.uint(uint64(m.decl)<<1 | method)
	}
	e.uint(uint64(len(d.mentions)))
	for _, h := range d.mentions {
		e.buf = binary.LittleEndian.AppendUint64(e.buf, h)
	}
	e.uint(uint64(len(d.headers)))
	for _, h := range d.headers {
		e.uint(uint64(h.node))
		e.buf = binary.LittleEndian.AppendUint64(e.buf, h.sum)
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
	if d.err || n > uint64(len(d.buf))/18 {
		return out, false
	}
	out.members = make([]memberDigest, n)
	for i := range out.members {
		m := &out.members[i]
		m.name, m.sum = d.uint64(), d.uint64()
		from, count := d.uint(), d.uint()
		if from > math.MaxUint32 || count > math.MaxUint32-from {
			return out, false
		}
		m.from, m.to = uint32(from), uint32(from+count)
		decl := d.uint()
		if decl>>1 > idxMask+1 {
			return out, false
		}
		m.decl, m.method = uint32(decl>>1), decl&1 == 1
	}
	n = d.uint()
	if d.err || n > uint64(len(d.buf))/8 {
		return out, false
	}
	out.mentions = make([]uint64, n)
	for i := range out.mentions {
		out.mentions[i] = d.uint64()
	}
	for _, m := range out.members {
		if m.to > uint32(len(out.mentions)) {
			return out, false
		}
	}
	n = d.uint()
	if d.err || n > uint64(len(d.buf))/9 {
		return out, false
	}
	out.headers = make([]typeHeader, n)
	for i := range out.headers {
		node := d.uint()
		out.headers[i] = typeHeader{uint32(node), d.uint64()}
		if node > idxMask {
			return out, false
		}
	}
	if d.err || len(d.buf) != 0 {
		return out, false
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

// familyKey is the key a name's members and units in one family of types
// (Type.family) are digested under, besides the name: a call on a receiver
// of a project type binds only to the methods of that name along the
// type's bases and subtypes, all in its family, and to extension methods
// (extensionKey), so the file depends on those keys rather than the name
// (see typedUse). A new Dispose in an unrelated class changes the name's
// digest, which the files calling Dispose on receivers of no known type
// depend on, and not the keys of the families the other calls bind in.
//
// A family's types are digested under familyKey(family, familyMembers),
// which a call site depends on too: when two families join, the key of the
// name in the family that lost its name holds nothing before and after.
func familyKey(family, name uint64) uint64 { return mix(combine(family^0x74797065644b6579, name)) }

// familyMembers stands for the name in familyKey under which a family's
// members are digested (no name hashes to it but by chance).
const familyMembers = 1

// typeNameKey is the key the types of a name are digested under (their
// hierarchy digests, and enums and delegates outside types), besides the
// name: an unqualified name that is no local and no member along its type's
// chain may still name a type, and depends on this key and its family's
// instead of the name (an initializer's `Name = …`, a static call's
// `Widget.Make()`).
func typeNameKey(name uint64) uint64 { return mix(combine(name, 0x747970656e616d65)) }

// extensionKey is the key the members and units of a name in types that
// may hold extension methods (static ones, and any that declares one) are
// digested under: what a call on a receiver of a known type binds to
// outside the type's family.
func extensionKey(name uint64) uint64 { return mix(combine(name, 0x657874656e73696f)) }

// callableKey is the key the method declarations and method units of a
// name are digested under, besides the name: a call on a receiver of no
// known type binds by name and argument count to methods only, so it
// depends on this key rather than the name (a new class with a property
// Count changes nothing `items.Count()` binds to).
func callableKey(name uint64) uint64 { return mix(combine(name, 0x63616c6c61626c65)) }

// nameDigest is the digest of one name's members and units.
type nameDigest struct{ name, digest uint64 } // name: its nameHash

// nameDigests digests the members and units of every name: perFile holds
// each file's share, in program order. The result is sorted by name hash.
// Names are known by their hashes: two names of one hash share a digest,
// which only makes their uses re-walked together.
func (p *Program) nameDigests(perFile []fileDeclarations) []nameDigest {
	p.numberUnits()
	hierarchies, chainParts := p.hierarchyDigests(perFile)
	// Types that may hold extension methods: their members are also
	// digested under extensionKey.
	holdsExtensions := make([]bool, len(p.typeList))
	for _, t := range p.typeList {
		holdsExtensions[t.id] = t.Static
	}
	for _, m := range p.Methods {
		if m.Owner != nil && m.IsExtension() {
			holdsExtensions[m.Owner.id] = true
		}
	}
	// Each member's part (its file, its digest and the hierarchies of the
	// types it mentions) and its type, once: every shard reads them.
	memberParts := make([][]uint64, len(perFile))
	memberTypes := make([][]*Type, len(perFile))
	parallel(len(perFile), func(i int) {
		decls := &perFile[i]
		root := p.Files[i].Root
		count := root.data().count
		memberParts[i] = make([]uint64, len(decls.members))
		memberTypes[i] = make([]*Type, len(decls.members))
		for j, m := range decls.members {
			// In order: a member moved within its file keeps the
			// digests, two swapped members of one name do not. Files by
			// their paths, so that a new file changes only the digests of
			// the names it declares.
			sum := m.sum
			for _, name := range decls.mentions[m.from:m.to] {
				if h, ok := hierarchies[name]; ok {
					sum = combine(sum, h)
				}
			}
			memberParts[i][j] = combine(p.fileRefs[i], sum)
			switch {
			case m.decl == 0 || m.decl-1 >= count:
			case j > 0 && decls.members[j-1].decl == m.decl:
				memberTypes[i][j] = memberTypes[i][j-1] // a type's members come together
			default:
				memberTypes[i][j] = p.declType.get(root.at(m.decl - 1))
			}
		}
	})
	buckets := p.unitBuckets
	parts := make([]uint64, len(p.Methods))
	parallelChunks(len(p.Methods), func(i int) {
		// The units: their kinds and places (their signatures are in the
		// members' digests), and the lambdas discovery made units. A
		// unit's owner is digested by its declaration's place among its
		// file's type declarations, not by the type's ref: a unit moved to
		// another type changes its names' digests, but a type renamed
		// changes only its name's (who resolves to its units names it,
		// or a member whose type mentions it, or holds them by refs that
		// no longer resolve).
		m := p.Methods[i]
		parts[i] = uint64(m.Kind)
		if at := p.unitFiles[i]; int(at) < len(p.Files) {
			parts[i] = combine(combine(parts[i], p.fileRefs[at]), uint64(m.place))
		}
	})
	// Names are split into a shard per core by hash, digested in parallel,
	// each in program order (every shard reads all members: more shards
	// than cores only read them more often).
	shards := uint64(max(1, runtime.GOMAXPROCS(0)))
	out := make([][]nameDigest, shards)
	// Sized for about a key per member and unit: growing the maps was a
	// third of the digesting.
	keys := len(p.Methods)
	for i := range perFile {
		keys += len(perFile[i].members)
	}
	parallel(int(shards), func(shard int) {
		digests := newDigestTable(keys / int(shards))
		add := func(key, part uint64) {
			if key%shards == uint64(shard) {
				digests.add(key, part)
			}
		}
		for i := range perFile {
			for j, m := range perFile[i].members {
				part := memberParts[i][j]
				add(m.name, part)
				if m.decl == 0 { // an enum or a delegate outside types
					add(typeNameKey(m.name), part)
				}
				if m.method {
					add(callableKey(m.name), part)
				}
				if t := memberTypes[i][j]; t != nil {
					add(familyKey(t.family, m.name), part)
					if holdsExtensions[t.id] {
						add(extensionKey(m.name), part)
					}
				}
			}
		}
		for _, t := range p.typeList {
			add(familyKey(t.family, familyMembers), t.placeRef())
		}
		for i, name := range buckets {
			add(name, parts[i])
			if p.Methods[i].Kind == MethodOrdinary {
				add(callableKey(name), parts[i])
			}
			if m := p.Methods[i]; m.Owner != nil {
				add(familyKey(m.Owner.family, name), parts[i])
				if holdsExtensions[m.Owner.id] || m.IsExtension() {
					add(extensionKey(name), combine(parts[i], uint64(len(m.Params))))
				}
			}
		}
		for name, h := range hierarchies {
			add(name, h)
			add(typeNameKey(name), h)
		}
		for name, part := range chainParts {
			add(name, part)
		}
		list := digests.list()
		slices.SortFunc(list, func(a, b nameDigest) int { return cmp.Compare(a.name, b.name) })
		out[shard] = list
	})
	return mergeSorted(out)
}

// mergeSorted merges lists sorted by name, whose names are distinct, into
// one sorted list.
func mergeSorted(lists [][]nameDigest) []nameDigest {
	total := 0
	for _, l := range lists {
		total += len(l)
	}
	all := make([]nameDigest, 0, total)
	for {
		least := -1
		for i, l := range lists {
			if len(l) > 0 && (least < 0 || l[0].name < lists[least][0].name) {
				least = i
			}
		}
		if least < 0 {
			return all
		}
		all = append(all, lists[least][0])
		lists[least] = lists[least][1:]
	}
}

// hierarchyDigests digests, for each type name, what resolution and rules
// read of the types of that name: their headers but for the base lists, the
// bases DerivesFrom may ask about (askedBases) and the attributes
// HasAttribute may (askedAttributes) along their chains, and which types
// derive from them (where calls dispatch). A type's name digest holds its
// hierarchy digest, so files naming the type are walked again when it
// changes, and so does the digest of every member whose type or initializer
// mentions the type (a field of that type, a method returning it), because
// an expression gets a program type only from a name written in its file or
// from the declaration of a member named there (typeMentions). Resolution
// and rules read a member's owner's header only through global facts (entry
// points, shared types, DI), which the finding cache's key holds, so a
// member's digest does not hold its owner's.
//
// A type's bases are not in its digest: a lookup along them finds a member
// by the name the file writes, so each base's place on the chain is added
// to the digests of that base's member names instead (chainParts, by name).
// Adding a base to a class the whole program uses re-walks the files naming
// a member of that base, not every file naming the class. Outer types are
// left out: lookups climb to them only from code inside the declaration,
// whose files name what they find there.
func (p *Program) hierarchyDigests(perFile []fileDeclarations) (digests, chainParts map[uint64]uint64) {
	// A type's own headers, its declarations' in program order. Once
	// through every file's headers: searching each file's list for each of
	// its types is quadratic in a file of thousands of classes.
	own := make([]uint64, len(p.typeList))
	for i, f := range p.Files {
		for _, h := range perFile[i].headers {
			if h.node >= f.Root.data().count {
				continue
			}
			if t := p.declType.get(f.Root.at(h.node)); t != nil {
				own[t.id] = combine(own[t.id], combine(p.fileRefs[i], h.sum))
			}
		}
	}
	typeDigests := make([]uint64, len(p.typeList))
	// onChain[i] lists, for type i, the bases on its chain with their
	// places' parts; summed per base below.
	type onChain struct {
		base uint32
		part uint64
	}
	onChains := make([][]onChain, len(p.typeList))
	parallel(len(p.typeList), func(i int) {
		t := p.typeList[i]
		// By its ref, with its kind: a type added or renamed changes the
		// digests of its name and of its bases' (subtypes) names.
		up := combine(t.ref, combine(uint64(t.Kind), own[t.id]))
		for _, c := range p.TypeChain(t) {
			for _, b := range c.BaseNames {
				if askedBases[b] {
					up = combine(up, nameHash(b))
				}
			}
			for _, a := range c.attributes {
				if askedAttributes[a.Name] {
					up = combine(up, nameHash("["+a.Name+"]"))
				}
			}
		}
		for at, c := range p.TypeChainBases(t) {
			if at > 0 { // t's own members: their names' digests hold them
				// The place counts: the first base declaring a name is
				// the one a field lookup finds.
				onChains[i] = append(onChains[i], onChain{c.id, mix(combine(t.ref, combine(c.ref, uint64(at))))})
			}
		}
		// The subtypes: a call on t dispatches to their overrides, which
		// the caller names only by the method's name (TestSubtypeJoiningReachesCallers).
		var down uint64
		for _, s := range p.Subtypes(t) {
			down += mix(combine(s.ref, uint64(s.Kind))) // a set: the order does not count
		}
		typeDigests[i] = combine(up, down)
	})
	// Each base's places, summed (a set of (type, base, place): the order
	// does not count), go to each of its member names once.
	placed := make([]uint64, len(p.typeList))
	for _, list := range onChains {
		for _, c := range list {
			placed[c.base] += c.part
		}
	}
	chainParts = make(map[uint64]uint64, 2*len(p.typeList))
	for i, sum := range placed {
		if sum == 0 {
			continue
		}
		// Under the names and the family's typed keys: a base joining a
		// chain changes what a call on the family binds to.
		t := p.typeList[i]
		add := func(name uint64) {
			chainParts[name] += sum
			chainParts[familyKey(t.family, name)] += sum
		}
		for _, f := range t.FieldOrder {
			add(nameHash(f.Name))
		}
		for _, m := range t.Methods {
			add(nameHash(unitBucket(m)))
		}
	}
	digests = make(map[uint64]uint64, len(p.TypesByName))
	for i, t := range p.typeList {
		name := nameHash(t.Name)
		digests[name] = combine(digests[name], typeDigests[i])
	}
	return digests, chainParts
}

// spellNames lists, for LMILINT_TIMINGS, up to max of the names whose
// hashes are given, as the program's types, members and units spell them
// (": a, b, …"); a name no longer declared, an enum's or a delegate's is
// only counted.
func (p *Program) spellNames(hashes []uint64, max int) string {
	if len(hashes) == 0 {
		return ""
	}
	wanted := make(map[uint64]bool, len(hashes))
	for _, h := range hashes {
		wanted[h] = true
	}
	found := map[string]bool{}
	see := func(name string) {
		if wanted[nameHash(name)] {
			found[name] = true
		}
	}
	for _, t := range p.typeList {
		see(t.Name)
		for _, f := range t.FieldOrder {
			see(f.Name)
		}
	}
	for _, m := range p.Methods {
		see(unitBucket(m))
	}
	names := slices.Sorted(maps.Keys(found))
	out := ": " + strings.Join(names[:min(len(names), max)], ", ")
	if len(names) > max {
		out += fmt.Sprintf(", and %d more", len(names)-max)
	}
	if gone := len(hashes) - len(names); gone > 0 {
		out += fmt.Sprintf("; %d gone, or enums or delegates", gone)
	}
	return out
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
func (p *Program) openNames(pack *entryPack) staleness { return p.openNameTable(pack, p.names) }

// openNameTable is openNames with a table of the caller's (sorted by name).
func (p *Program) openNameTable(pack *entryPack, names []nameDigest) staleness {
	var s staleness
	if data, ok := pack.old[nameTableKey]; ok {
		if before, ok := decodeNameTable(data, p.declDigest); ok {
			s = staleness{known: true, changed: changedNames(before, names)}
		}
	}
	if s.known && len(s.changed) == 0 {
		pack.get(nameTableKey) // kept as it is
	} else {
		pack.put(nameTableKey, encodeNameTable(p.declDigest, names))
	}
	return s
}
