package analyzer

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"sync"
)

// Dependency filters: the names a file's cached facts and findings depend
// on (see names.go), kept with its entries as a Bloom filter.

// dependencyFilter is f's filter for this run: made from its walk
// (fileUsesWalked) or read with its cached facts (rememberFilter). A file
// with neither gets the empty filter, which holds every name: which of its
// names were looked up where is known only from a walk, and a filter of
// its names alone would leave out the family keys its fields' readers
// depend on (a class becoming shared, see sharedNames).
func (p *Program) dependencyFilter(f *File) depFilter {
	p.numberUnits()
	if at, ok := p.fileAt[f]; ok {
		return p.depFilters[at]
	}
	return nil
}

// fileUsesWalked works out f's dependency filter from the typed uses its
// walk noted (typedUse), which are not kept.
func (p *Program) fileUsesWalked(f *File, uses []typedUse) {
	p.numberUnits()
	if at, ok := p.fileAt[f]; ok {
		p.depFilters[at] = p.dependencies(f, uses) // each file is walked by one goroutine
	}
}

// rememberFilter makes filter, a view of an entry's bytes, f's dependency
// filter for the rest of the run: the finding cache stores the same one
// (with the keys of the calls bound late its rules consulted, see
// latecalls.go), and a copy per file was memory held through the rules.
func (p *Program) rememberFilter(f *File, filter depFilter) {
	if at, ok := p.fileAt[f]; ok {
		p.depFilters[at] = filter
	}
}

// depFilter is a Bloom filter of name hashes: a power-of-two count of bits,
// seven probes per name. A false positive only costs a re-walk, but a
// declaration edit changes several keys (the name, its family's, the
// callable and type keys), each checked against every file: with four
// probes (by double hashing) and 16-byte filters for small files, a new
// class of three fresh names re-walked 18 to 141 of efcore's files for
// nothing.
type depFilter []byte

const depProbes = 7

// newDepFilterSize is the size in bytes of a filter for names names: 16 to
// 32 bits a name, so that a key changed elsewhere falsely stales about one
// file in 1,400 or fewer (at ten bits a name and four probes it was one in
// 70: a hundred files of efcore redone for nothing).
func newDepFilterSize(names int) int { return max(minDepFilterSize, 1<<bits.Len(uint(names*2))) }

// minDepFilterSize is the smallest filter, in bytes. Small files share
// most of their names (their namespace's and usings' identifiers), so
// their filters share their bits, and a key that falsely hits one hits
// them all: at 16 bytes one key of a parameter edit re-walked 135 of
// efcore's small files for nothing. At 64 bytes a file of a dozen names
// sets a sixth of the bits, and false hits are rare enough not to come
// in herds (the packs grow by 0.1 MB).
const minDepFilterSize = 64

// Probe i is at mix(h + i·φ) modulo the size in bits (a power of two, so a
// filter folded to half answers as one made at that size). Probes at h,
// h+step, h+2·step… (double hashing) fell on the same few progressions in
// a small filter: a filter of five names falsely held one key in 500, forty
// times what its bits allow.
func probe(h, i uint64) uint64 { return mix(h + i*0x9E3779B97F4A7C15) }

func (f depFilter) add(h uint64) {
	if len(f) == 0 {
		return
	}
	mask := uint64(len(f))*8 - 1
	for i := range uint64(depProbes) {
		bit := probe(h, i) & mask
		f[bit/8] |= 1 << (bit % 8)
	}
}

func (f depFilter) mayHold(h uint64) bool {
	if len(f) == 0 {
		return true // an empty filter holds everything
	}
	mask := uint64(len(f))*8 - 1
	for i := range uint64(depProbes) {
		bit := probe(h, i) & mask
		if f[bit/8]&(1<<(bit%8)) == 0 {
			return false
		}
	}
	return true
}

// dependencies builds the filter of the names f depends on: its
// identifiers (but those that declare a name; under their family's keys
// where uses, the typed uses its walk noted, says their lookups stayed in
// one), and those fixedPath resolves in the initializers of the constants
// and static readonly fields and properties named by any of them,
// transitively.
//
// Names go straight into a filter sized for every identifier, which is then
// folded down to the size the names it holds need: no set of names is
// built (that was half the cost, and a re-walk of every file pays it for
// each).
func (p *Program) dependencies(f *File, uses []typedUse) depFilter {
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
	// Where a name's lookups stayed in one family (typedUse), that family,
	// by the name's place: its name is noted under the family's and the
	// extension keys instead (see familyKey).
	used, calls := scratch.uses(count)
	sites := 0
	for _, u := range uses {
		if u.name >= count {
			continue
		}
		family := u.family
		if family == 0 {
			family = libraryUse
		}
		switch was := used[u.name]; {
		case was == 0:
			used[u.name] = family
			sites++
		case was == family:
		case was == untypedRead: // a read needs no key: the other lookup's stand
			used[u.name] = family
		case family == untypedRead:
		case was == lateCall && family == untypedCall: // the value typed too: the key stands
			used[u.name] = family
		case was == untypedCall && family == lateCall:
		default:
			used[u.name] = mixedUse // looked up in two families: noted as a name
		}
		if u.call {
			calls[u.name] = true
		}
	}
	// Room for twice the file's identifiers: initializers usually add a
	// few, and growing copies the filter.
	room, noted := 2*(identifiers+3*sites), 0 // a site notes up to four keys
	filter := scratch.filter(room)
	queue := scratch.queue[:0]
	followed := scratch.followed
	clear(followed)
	// note adds n's name: nothing for a local's or a parameter's use
	// (locals shadow members, and are the file's own); under the family its
	// lookups stayed in (used); as a name otherwise.
	note := func(n *Node, src []byte, family uint64, call bool) {
		noted++
		h := hashBytes(src[n.Start():n.End()])
		if family == 0 || family == mixedUse {
			filter.add(h) // the name's key holds its types too
		} else {
			// Whatever its lookup found, a name may be read as a type's
			// name: rules ask whether the project declares the type a
			// receiver's text names (System.IO.File.WriteAllText: is
			// File the project's?), and an unqualified name that is no
			// member may name a type.
			filter.add(typeNameKey(h))
		}
		switch family {
		case untypedCall:
			filter.add(callableKey(h))
		case 0, mixedUse, localUse, untypedRead, lateCall:
		default:
			if family != libraryUse {
				filter.add(familyKey(family, h))
				filter.add(familyKey(family, familyMembers))
			}
			if call {
				filter.add(extensionKey(h)) // a member of a type outside the project has no other
			}
		}
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
	src := root.data().src
	for i := range count {
		if n := root.at(i); n.Kind() == KindIdentifier && !declaresName(n) && !p.namesAttributeProperty(n) {
			family := used[i]
			if family == 0 && conditionalRead(n) {
				family = untypedRead
			}
			note(n, src, family, calls[i])
		}
	}
	// An initializer's value matters only as fixedPath evaluates it, so
	// only the names it resolves on the way are noted (a MemberInfo
	// initialized with `GetRuntimeProperty(nameof(X.Count))` tied every
	// file naming Count to the name through nameof's argument).
	for len(queue) > 0 {
		init := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		initSrc := init.data().src
		p.pathReads(init, func(read *Node) {
			named := read
			if read.Kind() == KindMemberAccess {
				named = read.ChildByField("name")
			}
			family := uint64(0)
			if _, in := p.fieldLookup(read, resolving{}); in.found {
				family = cmp.Or(in.family, libraryUse)
			}
			read.Walk(func(n *Node) bool {
				if n.Kind() == KindIdentifier {
					if noted >= room {
						// The initializers reach further than the file: the
						// filter is sized again for what it now holds.
						room *= 2
						filter = filter.grown(room, scratch)
					}
					if n == named {
						note(n, initSrc, family, false)
					} else {
						note(n, initSrc, 0, false)
					}
				}
				return true
			})
		})
	}
	scratch.queue = queue[:0]
	return filter.folded()
}

// declaresName reports whether n is the name a declaration declares: of a
// method, a property, a field, a local or a parameter. No fact or rule
// resolves it against other declarations (entry points, which do, are in
// the keys), and declaring Dispose or a property Name must not tie a file
// to every other of that name. Types' names are kept: the file's code
// resolves along its own types' hierarchies.
func declaresName(n *Node) bool {
	if n.Field() != "name" {
		return false
	}
	switch n.Parent().Kind() {
	case KindMethodDeclaration, KindPropertyDeclaration, KindVariableDeclarator, KindParameter,
		KindEnumMember, KindLocalFunction,
		// The names of a tuple's elements, in a type or a deconstruction,
		// and of a named argument (`Find(name: x)`, `(Name: 1, Count: 2)`):
		// nothing looks them up.
		KindTupleElement, KindTuplePattern, KindArgument:
		return true
	}
	return false
}

// namesAttributeProperty reports whether n names a property set by an
// attribute outside every unit's body (`[UnsafeAccessor(…, Name = "…")]`):
// the walk never reaches it, and rules read attributes by their text, so
// it depends on no declaration of its name. Such names tied 106 of efcore's
// files to every declaration named Name.
func (p *Program) namesAttributeProperty(n *Node) bool {
	assign := n.Parent()
	if n.Field() != "left" || assign == nil || assign.Kind() != KindAssignment ||
		assign.Parent() == nil || assign.Parent().Kind() != KindAttributeArgument {
		return false
	}
	if u := p.UnitOf(n); u != nil {
		for _, b := range u.Bodies {
			if b.Start() <= n.Start() && n.End() <= b.End() {
				return false // an attribute in a body (a local function's): walked
			}
		}
	}
	return true
}

// conditionalRead reports whether n is the name of a member read through
// `?.` (`x?.Name`, the `A` of `x?.A.B`): facts and rules never look it up
// as a member (a conditional access is neither typed nor a field's
// reference), so it depends on no member's declaration, only, as any
// name, on the types of its name. The name of a call through `?.`
// (`x?.Run()`) binds to methods, and noteTypedCall notes it.
func conditionalRead(n *Node) bool {
	binding := n.Parent()
	if n.Field() != "name" || binding == nil || binding.Kind() != KindMemberBinding {
		return false
	}
	access := binding.Parent()
	if access == nil || access.Kind() != KindConditionalAccess {
		return false
	}
	call := access.Parent()
	return access.Field() != "function" || call == nil || call.Kind() != KindInvocation
}

// depSpace is the scratch space of one dependencies.
type depSpace struct {
	bits     depFilter
	queue    []*Node
	used     []uint64            // by node: the family a name's lookups stayed in (see dependencies)
	calls    []bool              // by node: a call's name
	expanded map[uint64]struct{} // names whose every initializer was followed
	followed map[*Node]struct{}  // initializers followed one by one
}

var depScratch = sync.Pool{New: func() any {
	return &depSpace{expanded: map[uint64]struct{}{}, followed: map[*Node]struct{}{}}
}}

// followEveryInit is how many fields of one name dependencies follows
// without resolving the name: all of them, cheaply, when they are few.
const followEveryInit = 8

// uses returns cleared arrays of a family and a call mark per node of a
// file of count nodes.
func (s *depSpace) uses(count uint32) ([]uint64, []bool) {
	if uint32(cap(s.used)) < count {
		s.used, s.calls = make([]uint64, count), make([]bool, count)
	}
	s.used, s.calls = s.used[:count], s.calls[:count]
	clear(s.used)
	clear(s.calls)
	return s.used, s.calls
}

// Families that stand for no family in dependencies' array of uses: a
// type outside the project, and two families at one name.
const (
	libraryUse = ^uint64(0) - 1
	mixedUse   = ^uint64(0) - 2
)

// Families that stand for a lookup on a receiver of no known type: a
// member read, which finds nothing whatever the program declares (the
// receiver's own names decide whether it stays untyped); a call whose
// resolution was consulted (its value typed), which binds to the methods
// of its name only (callableKey); and a call only its edges resolved, bound
// late (latecalls.go), which depends on no declaration.
const (
	untypedRead = ^uint64(0) - 3
	untypedCall = ^uint64(0) - 4
	lateCall    = ^uint64(0) - 5
)

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
// as estimated from the bits set, fit newDepFilterSize. A folded filter
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
