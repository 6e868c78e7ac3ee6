package analyzer

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The unit cache keeps, per file, what analyzeUnits found in its units: call
// sites with the units they may call, field accesses and lock regions. A
// file's entry is keyed by its content and by the program's global
// declaration digest, and stands while no name it depends on changed its
// declarations (names.go), so an edit inside some other file's method
// bodies, which is what most edits are, or to members the file does not
// name, re-walks only the edited file's bodies.
//
// What a file's units resolve to depends on the file itself and, outside it,
// only on declarations: types, members and their signatures, field and
// property initializers (a field's type may come from one), the files'
// projects and their references (not usings: types resolve by simple name
// within the visible projects). The digests cover all of it: the
// shape and tokens of each file's tree outside the bodies of its methods,
// constructors, accessors and top-level statements (comments left out),
// the units, the files and projects, the configured type lists and the
// binary. Calls refer to the units of other files by unitRef and accesses
// to fields by their type's ref (project and full name) and their name,
// which declarations under other names, new files and new types do not
// move.
//
// The same pack keeps two things that depend on a file's content alone:
// its share of the digests, and what discovery matched in it (eachMatch).

// unitCacheVersion changes whenever the entry layout or what analyzeUnits
// records changes; the tool fingerprint covers every other code change.
const unitCacheVersion = "units v10"

var unitCacheHits atomic.Int64 // files whose facts came from the cache (tests read it)

// toolFingerprint hashes the running binary: a rebuilt lmilint never trusts
// an older one's facts. Zero when the binary cannot be read, and then facts
// and findings are not cached at all (see hasToolFingerprint).
var toolFingerprint = sync.OnceValue(func() [32]byte {
	h := sha256.New()
	fmt.Fprintln(h, unitCacheVersion)
	exe, err := os.Executable()
	if err != nil {
		return [32]byte{}
	}
	f, err := os.Open(exe)
	if err != nil {
		return [32]byte{}
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return [32]byte{}
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
})

func hasToolFingerprint() bool { return toolFingerprint() != [32]byte{} }

// declarationDigest hashes everything outside a file that can change what
// its units resolve to, except the members of types, which it digests by
// name into p.names (see names.go). Files are hashed in parallel.
//
// A file's own part depends only on its content, so pack keeps it: only
// changed files are walked for it.
func (p *Program) declarationDigest(pack *entryPack, unitsIn map[*File][]*Method) [32]byte {
	perFile := make([]fileDeclarations, len(p.Files))
	declSums := make([][32]byte, len(p.Files))
	fp := toolFingerprint()
	parallel(len(p.Files), func(i int) {
		f := p.Files[i]
		if f.hash == [32]byte{} {
			f.hash = sha256.Sum256(f.Src) // a file not read by Load
		}
		key := sha256.Sum256(append(append([]byte("declarations by name v5\x00"), fp[:]...), f.hash[:]...))
		if got, ok := pack.get(key); ok {
			if decls, ok := decodeFileDeclarations(got); ok {
				perFile[i], declSums[i] = decls, sha256.Sum256(got)
				return
			}
		}
		perFile[i] = declarationsOf(f, unitsIn[f])
		encoded := perFile[i].encode()
		pack.put(key, encoded)
		declSums[i] = sha256.Sum256(encoded)
	})
	h := sha256.New()
	h.Write(fp[:])
	// Only the files with global declarations, by path: most files declare
	// namespaces, types and their members only, which the type refs and
	// the name digests hold, so a new file of that kind keeps this digest.
	for i, f := range p.Files {
		if perFile[i].global != ([32]byte{}) {
			fmt.Fprintf(h, "file %q %q\n", f.RelPath, f.Project)
			h.Write(perFile[i].global[:])
		}
	}
	for _, proj := range slices.Sorted(maps.Keys(p.visible)) {
		fmt.Fprintf(h, "sees %q %q\n", proj, p.visible[proj])
	}
	fmt.Fprintf(h, "options %q\n", p.Options.ExtraEntryPoints)
	for _, name := range slices.Sorted(maps.Keys(threadSafeTypes)) {
		fmt.Fprintf(h, "thread-safe %q\n", name)
	}
	for _, name := range slices.Sorted(maps.Keys(nonThreadSafeTypes)) {
		fmt.Fprintf(h, "not thread-safe %q\n", name)
	}
	for _, name := range slices.Sorted(maps.Keys(clientTypes)) {
		fmt.Fprintf(h, "client %q\n", name)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	p.names = p.namesReused(pack, sum, declSums, perFile)
	return sum
}

// namesKey keeps, in the unit pack, the fingerprint of what the name
// digests of the run that wrote the pack's name table were made from.
var namesKey = [32]byte{'n', 'a', 'm', 'e', 's', ' ', 'f', 'r', 'o', 'm'}

// namesReused returns the name digests: the pack's name table when they
// were made from the same declarations, index and units (most re-scans
// edit bodies only), made afresh otherwise. Digesting efcore's names took
// 70-90 ms a run.
func (p *Program) namesReused(pack *entryPack, global [32]byte, declSums [][32]byte, perFile []fileDeclarations) []nameDigest {
	from := p.namesFingerprint(global, declSums)
	if stored, ok := pack.get(namesKey); ok && bytes.Equal(stored, from[:]) {
		if table, ok := pack.get(nameTableKey); ok {
			if names, ok := decodeNameTable(table, global); ok {
				return names
			}
		}
	}
	pack.put(namesKey, from[:])
	return p.nameDigests(perFile)
}

// namesFingerprint digests everything nameDigests reads: the global
// digest, each file's path and declarations, and what of the index comes
// from more than one file's declarations or from none (the types' bases,
// kinds and asked attributes, the families, the units with those entry
// points discovery makes).
func (p *Program) namesFingerprint(global [32]byte, declSums [][32]byte) [32]byte {
	p.numberUnits()
	h := sha256.New()
	h.Write([]byte("names from v2\x00"))
	h.Write(global[:])
	buf := make([]byte, 0, 64*1024)
	flush := func() {
		h.Write(buf)
		buf = buf[:0]
	}
	for i := range p.Files {
		buf = binary.LittleEndian.AppendUint64(buf, p.fileRefs[i])
		buf = append(buf, declSums[i][:]...)
		if len(buf) > 60*1024 {
			flush()
		}
	}
	for _, t := range p.typeList {
		buf = binary.LittleEndian.AppendUint64(buf, t.ref)
		buf = binary.LittleEndian.AppendUint64(buf, t.placeRef())
		buf = binary.LittleEndian.AppendUint64(buf, t.family)
		buf = binary.LittleEndian.AppendUint64(buf, uint64(t.Kind))
		if t.Static {
			buf = append(buf, 's')
		}
		if t.Outer != nil {
			buf = binary.LittleEndian.AppendUint64(buf, t.Outer.ref)
		}
		for _, b := range t.BaseNames {
			buf = append(append(buf, b...), 0)
		}
		for _, a := range t.attributes {
			if askedAttributes[a.Name] {
				buf = append(append(buf, a.Name...), 1)
			}
		}
		buf = append(buf, 2)
		if len(buf) > 60*1024 {
			flush()
		}
	}
	flush()
	// The units, by far the most, in chunks hashed side by side.
	const chunk = 8192
	sums := make([][32]byte, (len(p.Methods)+chunk-1)/chunk)
	parallel(len(sums), func(c int) {
		buf := make([]byte, 0, chunk*48)
		for i := c * chunk; i < min(len(p.Methods), (c+1)*chunk); i++ {
			m := p.Methods[i]
			buf = binary.LittleEndian.AppendUint64(buf, p.unitBuckets[i])
			buf = append(buf, byte(m.Kind), byte(len(m.Params)))
			if m.IsExtension() {
				buf = append(buf, 'x')
			}
			buf = binary.LittleEndian.AppendUint32(buf, m.place)
			if at := p.unitFiles[i]; int(at) < len(p.Files) {
				buf = binary.LittleEndian.AppendUint64(buf, p.fileRefs[at])
			}
			if m.Owner != nil {
				buf = binary.LittleEndian.AppendUint64(buf, m.Owner.ref)
			}
			buf = append(buf, 3)
		}
		sums[c] = sha256.Sum256(buf)
	})
	for _, sum := range sums {
		h.Write(sum[:])
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

var skipScratch = sync.Pool{New: func() any { return new([]uint8) }}

// What declarationsOf does with a node (and its subtree).
const (
	declKeep     = 0 // digested
	declBody     = 1 // a unit's body: marked, not walked
	declDropped  = 2 // a comment or pragma
	declHoldType = 3 // digested, and a type declaration lies inside it
)

// declarationsOf digests a file's declarations: the shape and tokens of its
// syntax tree outside the bodies of its code units, its comments and its
// pragmas; each member of a type on its own, under its names, with the
// names its type mentions; each type's header on its own; the rest into the
// file's global part. A body containing a type declaration (error
// recovery can put one there) is kept, as are initializers, whose
// expression can type a field. Kinds and tokens rather than text, so that
// comments (suppressions are read afresh on every run), blank lines and
// indentation outside bodies keep the digests: adding a doc comment to a
// method is a common edit.
func declarationsOf(f *File, units []*Method) fileDeclarations {
	count := f.Root.data().count
	scratch := skipScratch.Get().(*[]uint8)
	defer skipScratch.Put(scratch)
	if uint32(cap(*scratch)) < count {
		*scratch = make([]uint8, count)
	}
	skip := (*scratch)[:count]
	clear(skip)
	for _, m := range units {
		if m.Kind == MethodInitializer || m.Kind == MethodDelegate {
			continue
		}
		for _, b := range m.Bodies {
			if i, ok := b.index(); ok && b.fileRoot() == f.Root {
				skip[i] = declBody
			}
		}
	}
	for _, k := range []Kind{KindClass, KindStruct, KindRecord, KindInterface} {
		for d := range f.NodesOf(k) {
			for up := d.Parent(); up != nil; up = up.Parent() {
				skip[up.self()] = declHoldType // a body with a type in it is declarations too
			}
		}
	}
	for _, k := range []Kind{KindComment, KindPreprocPragma} {
		for n := range f.NodesOf(k) {
			skip[n.self()] = declDropped
		}
	}
	var out fileDeclarations
	global, member := walkScratch.Get().(*declWalk), walkScratch.Get().(*declWalk)
	defer func() {
		global.f, global.skip, member.f, member.skip = nil, nil, nil, nil
		walkScratch.Put(global)
		walkScratch.Put(member)
	}()
	global.f, global.skip, member.f, member.skip = f, skip, f, skip
	memberHash := sha256.New()
	var names []string
	var sum [32]byte
	// digestMember digests n, a member or a primary constructor's
	// parameter, under names, with the names it mentions.
	digestNode := func(n *Node) uint64 {
		memberHash.Reset()
		member.digest(n.self(), memberHash, nil)
		memberHash.Sum(sum[:0])
		return binary.LittleEndian.Uint64(sum[:])
	}
	digestMember := func(n *Node, names []string) uint64 {
		digest := digestNode(n)
		member.mentions = typeMentions(n, skip, member.mentions[:0])
		slices.Sort(member.mentions)
		from := uint32(len(out.mentions))
		out.mentions = append(out.mentions, slices.Compact(member.mentions)...)
		decl := uint32(0)
		if t := enclosingTypeDecl(n); t != nil {
			decl = t.self() + 1
		}
		for _, name := range names {
			out.members = append(out.members, memberDigest{nameHash(name), digest, from, uint32(len(out.mentions)), decl, n.Kind() == KindMethodDeclaration})
		}
		return digest
	}
	lastDecl := ^uint32(0)
	globalHash := sha256.New()
	global.digest(0, globalHash, func(n *Node) walkStep {
		switch n.Kind() {
		case KindUsingDirective, KindPreprocRegion, KindPreprocEndRegion, KindPreprocNullable:
			// Usings are left out: types resolve by simple name within the
			// visible projects (typesNamed), so a file's usings change
			// nothing another file resolves to, and adding one is a common
			// edit. Should resolution ever read usings, they belong here
			// again. Regions and #nullable change nothing resolution reads.
			return walkTaken
		case KindCompilationUnit, KindNamespace, KindFileScopedNamespace, KindDeclarationList,
			KindClass, KindStruct, KindRecord, KindInterface:
			// Passed through: namespaces and type declarations are held by
			// the refs of the types in them (project and full name, see
			// hierarchyDigests), their headers and members by name; so a
			// file declaring only those has no global part, and a new file
			// like most changes no global digest.
			return walkThrough
		case KindEnumDeclaration, KindDelegateDeclaration:
			// Under their names: no other declaration reads them.
			if names = memberNames(n, names[:0]); len(names) > 0 {
				digestMember(n, names)
				return walkTaken
			}
		}
		if up := n.Parent(); up != nil && n.Field() == "name" && (up.Kind() == KindNamespace || n.Parent().Kind() == KindFileScopedNamespace) {
			return walkTaken // in the full names of the types (Type.ref)
		}
		if skip[n.self()] == declHoldType {
			return walkInto
		}
		if decl := n.Parent(); decl != nil && isTypeDecl(decl.Kind()) {
			if body := decl.ChildByField("body"); body != nil && body.self() == n.self() {
				return walkInto // a body that is not a declaration list (error recovery)
			}
			// A part of a type's header, digested under the type (see
			// nameDigests); a primary constructor's parameters are
			// members too (a record's are its properties).
			switch {
			case n.Kind() == KindBaseList:
				// Not digested as text: what resolution and rules read of
				// it — the program bases, the bases DerivesFrom asks
				// about, the subtypes — is digested from the hierarchy.
				return walkTaken
			case n.Kind() == KindAttributeList, n.Kind() == KindModifier && n.Text() != "static":
				// Read only through Type.HasAttribute, for the names the
				// hierarchy digests cover (askedAttributes), and Type.Static.
				return walkTaken
			}
			var part uint64
			if n.Kind() == KindParameterList {
				for _, prm := range n.Children() {
					if prm.Kind() != KindParameter {
						continue
					}
					names = names[:0]
					if name := prm.ChildByField("name").Text(); name != "" {
						names = append(names, name)
					}
					part = combine(part, digestMember(prm, names))
				}
			} else {
				part = digestNode(n)
			}
			if decl.self() != lastDecl {
				// Parts of one header come together, but for a part after
				// the body; two entries of one node are combined in order.
				out.headers = append(out.headers, typeHeader{node: decl.self(), sum: uint64(decl.Kind())})
				lastDecl = decl.self()
			}
			h := &out.headers[len(out.headers)-1]
			h.sum = combine(h.sum, part)
			return walkTaken
		}
		if !splitMember(n) {
			return walkInto
		}
		if names = memberNames(n, names[:0]); len(names) == 0 {
			return walkInto
		}
		digestMember(n, names)
		return walkTaken
	})
	if global.written > 0 {
		globalHash.Sum(out.global[:0])
	}
	return out
}

// enclosingTypeDecl is the type declaration n is a member of, or nil.
func enclosingTypeDecl(n *Node) *Node {
	for up := n.Parent(); up != nil; up = up.Parent() {
		switch k := up.Kind(); {
		case isTypeDecl(k):
			return up
		case k == KindNamespace, k == KindFileScopedNamespace, k == KindCompilationUnit:
			return nil
		}
	}
	return nil
}

// walkStep is what declWalk.digest does with a node.
type walkStep uint8

const (
	walkInto    walkStep = iota // written, and its children walked
	walkTaken                   // left out (digested elsewhere)
	walkThrough                 // not written, but its named children walked (a declaration's container)
)

// typeMentions appends the hashes of the identifiers in what a member's
// users read of its declaration: its type (a method's return type, a
// field's or property's type) and its initializers (a field's value may be
// typed by one). Parameter lists, type parameters and attributes are left
// out: callers bind by name and argument count, and read parameter types
// only as text, which the member's own digest holds.
func typeMentions(member *Node, skip []uint8, out []uint64) []uint64 {
	for _, c := range member.Children() {
		switch c.Kind() {
		case KindParameterList, KindTypeParameterList, KindAttributeList:
			continue
		}
		if c.Kind() == KindIdentifier && c.Field() == "name" {
			continue // the member's own name
		}
		c.Walk(func(n *Node) bool {
			if s := skip[n.self()]; s == declBody || s == declDropped {
				return false
			}
			if n.Kind() == KindIdentifier {
				out = append(out, nameHash(n.Text()))
			}
			return true
		})
	}
	return out
}

// declWalk serializes subtrees for declarationsOf.
type declWalk struct {
	f       *File
	skip    []uint8
	stack   []uint32
	buf     []byte
	written int // bytes the last digest wrote
	// mentions is typeMentions' scratch list.
	mentions []uint64
}

// The walks' buffers are reused: two fresh 64 KB buffers per file were
// 720 MB of garbage on a first run over efcore.
var walkScratch = sync.Pool{New: func() any { return new(declWalk) }}

// digest writes the subtree at top into h, doing with each node what split
// says (nil: walkInto), and returns h. Bodies are written as a mark, but
// under a node passed through (the statements of a program's top level),
// where they and anonymous tokens are left out.
func (w *declWalk) digest(top uint32, h hash.Hash, split func(n *Node) walkStep) hash.Hash {
	// The bytes are hashed as they come, a scratch buffer at a time: a
	// buffer of the whole file's was 40 MB of garbage for efcore.
	if w.buf == nil {
		w.buf = make([]byte, 0, 64<<10)
	}
	buf, src := w.buf[:0], w.f.Src
	w.written = 0
	// Preorder with an explicit stack (a field initializer can nest
	// thousands deep); ^i on the stack closes node i.
	stack := append(w.stack[:0], top)
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if int32(top) < 0 {
			buf = append(buf, ')')
			continue
		}
		if len(buf) >= 60<<10 {
			h.Write(buf)
			w.written += len(buf)
			buf = buf[:0]
		}
		n := w.f.Root.at(top)
		switch w.skip[top] {
		case declBody:
			buf = append(buf, 0xFF)
			continue
		case declDropped:
			continue
		}
		if split != nil {
			switch split(n) {
			case walkTaken:
				continue
			case walkThrough:
				// A type declaration's children are all parts of its header
				// (record class and record struct differ by a keyword).
				all := isTypeDecl(n.Kind())
				for i := n.first() + n.kidCount(); i > n.first(); i-- {
					if c := w.f.Root.at(i - 1); (all || c.Named()) && w.skip[i-1] != declBody {
						stack = append(stack, i-1)
					}
				}
				continue
			}
		}
		buf = binary.LittleEndian.AppendUint16(buf, uint16(n.Kind()))
		buf = append(buf, n.field())
		if n.kids() == 0 {
			buf = binary.AppendUvarint(buf, uint64(n.End()-n.Start()))
			buf = append(buf, src[n.Start():n.End()]...)
			continue
		}
		buf = append(buf, '(')
		stack = append(stack, ^top)
		for i := n.first() + n.kidCount(); i > n.first(); i-- {
			stack = append(stack, i-1)
		}
	}
	h.Write(buf)
	w.written += len(buf)
	w.buf, w.stack = buf[:0], stack
	return h
}

// unitsByFile lists each file's units in program order.
func (p *Program) unitsByFile() map[*File][]*Method {
	out := map[*File][]*Method{}
	for _, m := range p.Methods {
		out[m.File] = append(out[m.File], m)
	}
	return out
}

// unitCache reads and writes the entries of one program.
type unitCache struct {
	pack   *entryPack
	digest [32]byte
	prog   *Program
	stale  staleness
	refs   *refTable
	usable bool // the entries can be read with refs
	mu     sync.Mutex
	lists  map[string][]*Method // encoded target list → the list, shared as fresh lists are
	// numbered is what store wrote for a long target list (listKey →
	// []byte), which many files share.
	numbered sync.Map
	changed  map[uint64]bool // stale.changed
}

// callableChanged reports whether the methods of the name whose hash is
// given changed since the pack was written: what a call bound late on it
// binds to (see latecalls.go).
func (c *unitCache) callableChanged(name uint64) bool {
	return c.changed[callableKey(name)]
}

// shared returns the program's one copy of the target list an entry
// encodes as key, decoding it on first sight; nil when it does not resolve.
func (c *unitCache) shared(key []byte, n uint64) []*Method {
	c.mu.Lock()
	got, ok := c.lists[string(key)]
	c.mu.Unlock()
	if ok {
		return got
	}
	d := &decoder{buf: key}
	list := make([]*Method, n)
	for i := range list {
		at := d.uint()
		if d.err || at >= uint64(len(c.refs.unitAt)) || c.refs.unitAt[at] == nil {
			return nil
		}
		list[i] = c.refs.unitAt[at]
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lists == nil {
		c.lists = map[string][]*Method{}
	}
	if got, ok := c.lists[string(key)]; ok {
		return got
	}
	c.lists[string(key)] = list
	return list
}

// unitPack is the pack of unit facts, declaration hashes and discovery
// matches, read in the background from the start of NewProgram; nil
// without a cache.
func (p *Program) unitPack() *entryPack {
	if p.unitPackRead == nil {
		return nil
	}
	return p.unitPackRead()
}

func (p *Program) openUnitCache(unitsIn map[*File][]*Method, steps *Phases) *unitCache {
	pack := p.unitPack()
	steps.Done("  unit pack read")
	p.declDigest = p.declarationDigest(pack, unitsIn)
	steps.Done("  declarations, names")
	c := &unitCache{pack: pack, digest: p.declDigest, prog: p, stale: p.openNames(pack)}
	c.changed = make(map[uint64]bool, len(c.stale.changed))
	for _, h := range c.stale.changed {
		c.changed[h] = true
	}
	c.refs, c.usable = p.openRefTable(pack)
	steps.Done("  changes, refs")
	return c
}

func (c *unitCache) key(f *File) [32]byte {
	var buf [256]byte
	key := append(buf[:0], c.digest[:]...)
	key = append(key, f.hash[:]...) // set by declarationDigest
	key = appendKeyText(key, f.RelPath)
	return sha256.Sum256(appendKeyFlag(key, f.HadBOM))
}

// appendKeyText appends s to a cache key's bytes, its length first, so that
// no two lists of texts make the same bytes. Keys are made for every file on
// every run: fmt's %q took 16 ms of an efcore re-scan's CPU.
func appendKeyText(key []byte, s string) []byte {
	return append(binary.AppendUvarint(key, uint64(len(s))), s...)
}

func appendKeyFlag(key []byte, b bool) []byte {
	if b {
		return append(key, 1)
	}
	return append(key, 0)
}

const unitMagic = "LMIU"

// load applies a file's cached facts to its units; false when there is no
// usable entry (the units are then left untouched).
func (c *unitCache) load(f *File, units []*Method) bool {
	key := c.key(f)
	data, ok := c.pack.peek(key)
	if !ok || len(data) < 8 || string(data[:4]) != unitMagic ||
		crc32.ChecksumIEEE(data[8:]) != binary.LittleEndian.Uint32(data[4:]) {
		return false
	}
	d := &decoder{buf: data[8:]}
	filter := d.filter()
	if !c.usable || !c.stale.stands(filter) || d.err {
		return false
	}
	count := f.Root.data().count
	// Target lists first (units by their number in the table): the units
	// refer to them by number.
	nlists := d.uint()
	if nlists > uint64(len(d.buf)) {
		return false
	}
	lists := make([][]*Method, nlists)
	var late []bool // by list: bound late
	for i := range lists {
		n := d.uint()
		if n == 0 && !d.err { // no other list is empty
			if late == nil {
				late = make([]bool, nlists)
			}
			late[i] = true
			if lists[i] = c.lateList(d, f); d.err {
				return false
			}
			continue
		}
		if d.err || n > uint64(len(d.buf)) {
			return false
		}
		if lists[i] = c.numberedList(d, n); lists[i] == nil {
			return false
		}
	}
	if d.uint() != uint64(len(units)) || d.err {
		return false
	}
	type unitFacts struct {
		calls    []Call
		accesses []*Access
		regions  [][2]uint32
	}
	found := make([]unitFacts, len(units))
	node := func() *Node {
		at := d.uint()
		if at >= uint64(count) {
			d.err = true
			return f.Root
		}
		return f.Root.at(uint32(at))
	}
	for i, m := range units {
		u := &found[i]
		if n := d.uint(); n > 0 && !d.err {
			u.calls = make([]Call, 0, min(n, uint64(len(d.buf))))
			for range n {
				site, list := d.uint(), d.uint()
				if d.err || site >= uint64(count) || list >= uint64(len(lists)) {
					return false
				}
				call := Call{site: uint32(site), targets: lists[list], late: late != nil && late[list]}
				if !call.boundToNothing() {
					u.calls = append(u.calls, call)
				}
			}
		}
		for n := d.uint(); n > 0 && !d.err; n-- {
			a := &Access{Unit: m}
			a.Ref, a.Expr = node(), node()
			if at := d.uint(); at < uint64(len(c.refs.fieldAt)) && c.refs.fieldAt[at] != nil {
				a.Field = c.refs.fieldAt[at]
			} else {
				return false
			}
			a.Kind = AccessKind(d.uint())
			a.Op = d.string()
			if chain := d.uint(); chain > 0 && chain <= uint64(len(d.buf)) {
				a.Chain = make([]string, chain)
				for j := range a.Chain {
					a.Chain[j] = d.string()
				}
			}
			u.accesses = append(u.accesses, a)
		}
		for n := d.uint(); n > 0 && !d.err; n-- {
			u.regions = append(u.regions, [2]uint32{uint32(d.uint()), uint32(d.uint())})
		}
	}
	if d.err || len(d.buf) != 0 {
		return false
	}
	for i, m := range units {
		m.Calls, m.accesses, m.regions = found[i].calls, found[i].accesses, found[i].regions
	}
	c.pack.keep(key, data)
	c.prog.rememberFilter(f, filter)
	return true
}

// numberedList reads a list of n units by their numbers; nil when one
// does not resolve.
func (c *unitCache) numberedList(d *decoder, n uint64) []*Method {
	rest := d.buf
	for range n {
		d.uint()
	}
	if d.err {
		return nil
	}
	return c.shared(rest[:len(rest)-len(d.buf)], n)
}

// lateList reads the target list of a call bound late (see latecalls.go):
// its name and argument count, then its targets as written, which stand
// unless the name's methods changed or a unit they held no longer
// resolves (a type renamed); the targets are looked up again then.
func (c *unitCache) lateList(d *decoder, f *File) []*Method {
	name, argc, n := d.bytes(), d.uint(), d.uint()
	if d.err || argc > math.MaxInt32 || n > uint64(len(d.buf)) {
		d.err = true
		return nil
	}
	lookUp := func() []*Method { return c.prog.visibleCallables(string(name), int(argc), f.Project).any }
	if c.callableChanged(hashBytes(name)) {
		for range n {
			d.uint()
		}
		return lookUp()
	}
	if n == 0 {
		return nil
	}
	if list := c.numberedList(d, n); list != nil || d.err {
		return list
	}
	return lookUp()
}

// store writes a file's facts; failures only cost the next run a walk.
func (c *unitCache) store(f *File, units []*Method) {
	// The entry is built in pooled scratch space and copied out at its size
	// (grown in place per file, it was 40 MB of garbage on a first run).
	scratch := storeScratch.Get().(*storeSpace)
	defer storeScratch.Put(scratch)
	e, lists, listIDs, lateIDs := &scratch.entry, &scratch.lists, scratch.listIDs, scratch.lateIDs
	e.buf, lists.buf = e.buf[:0], lists.buf[:0]
	clear(listIDs)
	clear(lateIDs)
	// Each call's list by its number, in the order of the units' calls: a
	// call bound late refers to its name and argument count too (see
	// latecalls.go), which are read from its site once.
	callLists := scratch.callLists[:0]
	defer func() { scratch.callLists = callLists[:0] }()
	// number writes a list's length and its units' numbers.
	number := func(targets []*Method) bool {
		lists.uint(uint64(len(targets)))
		// Long lists are the shared ones (calls on receivers of unknown
		// type): numbered once per run, not once per file using them.
		k := listKey{unsafe.SliceData(targets), len(targets)}
		long := len(targets) >= 8
		if long {
			if done, ok := c.numbered.Load(k); ok {
				lists.buf = append(lists.buf, done.([]byte)...)
				return true
			}
		}
		start := len(lists.buf)
		for _, t := range targets {
			at, ok := c.refs.unitNumber(c.prog, t)
			if !ok {
				return false // not a unit of this program: nothing to refer to it by
			}
			lists.uint(at)
		}
		if long {
			c.numbered.Store(k, slices.Clone(lists.buf[start:]))
		}
		return true
	}
	for _, m := range units {
		for _, call := range m.Calls {
			if call.late {
				// Its name and argument count, then its targets, which
				// a load uses unless the name's methods changed.
				k := lateKeyOf(m.callSite(call))
				if id, ok := lateIDs[k]; ok {
					callLists = append(callLists, id)
					continue
				}
				lateIDs[k] = uint64(len(listIDs) + len(lateIDs))
				callLists = append(callLists, lateIDs[k])
				lists.uint(0) // no other list is empty
				lists.string(k.name)
				lists.uint(uint64(k.argc))
				if !number(call.targets) {
					return
				}
				continue
			}
			k := listKey{unsafe.SliceData(call.targets), len(call.targets)}
			if id, ok := listIDs[k]; ok {
				callLists = append(callLists, id)
				continue
			}
			listIDs[k] = uint64(len(listIDs) + len(lateIDs))
			callLists = append(callLists, listIDs[k])
			if !number(call.targets) {
				return
			}
		}
	}
	filter := c.prog.dependencyFilter(f)
	e.filter(filter)
	e.uint(uint64(len(listIDs) + len(lateIDs)))
	e.buf = append(e.buf, lists.buf...)
	e.uint(uint64(len(units)))
	next := 0
	for _, m := range units {
		e.uint(uint64(len(m.Calls)))
		for _, call := range m.Calls {
			e.uint(uint64(call.site))
			e.uint(callLists[next])
			next++
		}
		e.uint(uint64(len(m.accesses)))
		for _, a := range m.accesses {
			e.uint(uint64(a.Ref.self()))
			e.uint(uint64(a.Expr.self()))
			if a.Field == nil {
				return
			}
			at, ok := c.refs.fieldNumber(c.prog, a.Field)
			if !ok {
				return
			}
			e.uint(at)
			e.uint(uint64(a.Kind))
			e.string(a.Op)
			e.uint(uint64(len(a.Chain)))
			for _, s := range a.Chain {
				e.string(s)
			}
		}
		e.uint(uint64(len(m.regions)))
		for _, r := range m.regions {
			e.uint(uint64(r[0]))
			e.uint(uint64(r[1]))
		}
	}
	data := make([]byte, 8, 8+len(e.buf))
	copy(data, unitMagic)
	binary.LittleEndian.PutUint32(data[4:], crc32.ChecksumIEEE(e.buf))
	data = append(data, e.buf...)
	c.pack.put(c.key(f), data)
	// The filter follows the header and its length (see encoder.filter).
	at := 8 + uvarintLen(uint64(len(filter)))
	c.prog.rememberFilter(f, depFilter(data[at:at+len(filter):at+len(filter)]))
}

// uvarintLen is the length of v as a uvarint.
func uvarintLen(v uint64) int {
	var buf [binary.MaxVarintLen64]byte
	return binary.PutUvarint(buf[:], v)
}

// storeSpace is the scratch space of one store.
type storeSpace struct {
	entry, lists encoder
	listIDs      map[listKey]uint64
	lateIDs      map[lateKey]uint64 // numbered with listIDs
	callLists    []uint64           // each call's list, in order
}

var storeScratch = sync.Pool{New: func() any {
	return &storeSpace{listIDs: map[listKey]uint64{}, lateIDs: map[lateKey]uint64{}}
}}

type listKey struct {
	first **Method
	n     int
}

type encoder struct{ buf []byte }

func (e *encoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) string(s string) {
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// decoder reads what encoder wrote; any malformed input sets err.
type decoder struct {
	buf []byte
	err bool
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.err = true
		d.buf = nil
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

// filter writes a dependency filter.
func (e *encoder) filter(f depFilter) {
	e.uint(uint64(len(f)))
	e.buf = append(e.buf, f...)
}

func (d *decoder) filter() depFilter {
	n := d.uint()
	if n > uint64(len(d.buf)) || n&(n-1) != 0 {
		d.err = true
		d.buf = nil
		return nil
	}
	f := depFilter(d.buf[:n:n])
	d.buf = d.buf[n:]
	return f
}

// bytes reads what string wrote, without copying it.
func (d *decoder) bytes() []byte {
	n := d.uint()
	if n > uint64(len(d.buf)) {
		d.err = true
		d.buf = nil
		return nil
	}
	b := d.buf[:n:n]
	d.buf = d.buf[n:]
	return b
}

func (d *decoder) string() string {
	n := d.uint()
	if n > uint64(len(d.buf)) {
		d.err = true
		d.buf = nil
		return ""
	}
	s := string(d.buf[:n])
	d.buf = d.buf[n:]
	return s
}

// unitRef names a unit the way entries refer to the units of other files:
// by its file, its type declaration's place in that file (Method.place),
// its name and its place among the units of that file, declaration and
// name. Files are named by their paths (fileRef), and declarations under
// other names do not move the place, so a ref stands while its unit does:
// a place in Program.Methods moves with every member added above, a place
// in Files with every file. The owner is not named by its full name: a
// type renamed kept its units, but every file calling one of them by a
// name it shares with others (LocalView's Add, Clear…) lost its entry.
// What a place names may change (a type inserted above, an overload
// above); the units' places are in their names' digests (nameDigests),
// and an entry holding a unit depends on its name, so such an edit stales
// the entries that could hold a moved ref.
type unitRef struct {
	file uint64 // fileRef; 0 for none
	decl uint64 // Method.place
	name uint64 // nameHash of refName
	ord  uint32
}

// unitKey is a unitRef within its file.
type unitKey struct {
	decl uint64
	name uint64
	ord  uint32
}

// fileRef names a file in caches: its project and its path.
func fileRef(f *File) uint64 { return nameHash(f.Project + "\x00" + f.RelPath) }

// refName is the name a unit is referred to by: the lambdas entry-point
// discovery makes units are named after their line, which edits above move.
func refName(m *Method) string {
	if m.Kind == MethodDelegate && strings.HasPrefix(m.Name, delegateNamePrefix) {
		return delegateNamePrefix
	}
	return m.Name
}

// numberUnits works out every unit's ref, once; file by file, in parallel.
func (p *Program) numberUnits() {
	p.refsOnce.Do(func() {
		p.fileAt = make(map[*File]uint32, len(p.Files))
		p.fileRefs = make([]uint64, len(p.Files))
		p.fileByRef = make(map[uint64]uint32, len(p.Files))
		for i, f := range p.Files {
			p.fileAt[f] = uint32(i)
			p.fileRefs[i] = fileRef(f)
			if _, seen := p.fileByRef[p.fileRefs[i]]; seen {
				p.fileByRef[p.fileRefs[i]] = noFile // two paths of one hash (2⁻⁶⁴ likely): neither's units are cached by it
				continue
			}
			p.fileByRef[p.fileRefs[i]] = uint32(i)
		}
		p.typeByRef = make(map[uint64]*Type, len(p.typeList))
		for _, t := range p.typeList {
			if _, seen := p.typeByRef[t.ref]; seen {
				p.typeByRef[t.ref] = nil // two types of one ref: neither is cached by it
				continue
			}
			p.typeByRef[t.ref] = t
		}
		p.depFilters = make([]depFilter, len(p.Files))
		// Units by file, the units of no file last.
		byFile := make([][]*Method, len(p.Files)+1)
		p.unitFiles = make([]uint32, len(p.Methods))
		for i, m := range p.Methods {
			at, ok := p.fileAt[m.File]
			if !ok {
				at = uint32(len(p.Files))
			}
			byFile[at] = append(byFile[at], m)
			p.unitFiles[i] = at
		}
		p.unitBuckets = make([]uint64, len(p.Methods))
		parallelChunks(len(p.Methods), func(i int) { p.unitBuckets[i] = nameHash(unitBucket(p.Methods[i])) })
		p.unitsByRef = make([]fileUnits, len(byFile))
		parallel(len(byFile), func(file int) {
			fu := fileUnits{units: byFile[file], keys: make([]unitKey, 0, len(byFile[file]))}
			var next map[unitKey]uint32 // a big file's next ordinal per owner and name
			if len(fu.units) > smallFile {
				fu.index = make(map[unitKey]*Method, len(fu.units))
				next = map[unitKey]uint32{}
			}
			for _, m := range fu.units {
				key := unitKey{decl: uint64(m.place), name: nameHash(refName(m))}
				if next != nil {
					// Counted, not searched: a generated file with
					// thousands of overloads would probe quadratically.
					key.ord = next[key]
					next[unitKey{key.decl, key.name, 0}] = key.ord + 1
				} else {
					for fu.find(key) != nil {
						key.ord++
					}
				}
				m.ord = key.ord
				fu.keys = append(fu.keys, key)
				if fu.index != nil {
					fu.index[key] = m
				}
			}
			p.unitsByRef[file] = fu
		})
	})
}

// fileUnits are one file's units with their keys. Most files have a few
// units, searched in order; a map per file cost a re-scan of 50,000 files
// 50 ms.
type fileUnits struct {
	units []*Method
	keys  []unitKey
	index map[unitKey]*Method // for files of more than smallFile units
}

const smallFile = 32

// find is the unit of a key, or nil (while keys are being made, among
// those made so far).
func (fu *fileUnits) find(key unitKey) *Method {
	if fu.index != nil {
		return fu.index[key]
	}
	for i, k := range fu.keys {
		if k == key {
			return fu.units[i]
		}
	}
	return nil
}

// noFile marks, in Program.fileByRef, a ref two files share.
const noFile = ^uint32(0)

// unitByRef is the unit a ref names, or nil.
func (p *Program) unitByRef(ref unitRef) *Method {
	file := len(p.Files)
	if ref.file != 0 {
		at, ok := p.fileByRef[ref.file]
		if !ok || at == noFile {
			return nil
		}
		file = int(at)
	}
	if file >= len(p.unitsByRef) {
		return nil
	}
	return p.unitsByRef[file].find(unitKey{ref.decl, ref.name, ref.ord})
}

// refOf is m's ref; false for a unit of no file of this program, or one a
// ref does not name alone.
func (p *Program) refOf(m *Method) (unitRef, bool) {
	p.numberUnits()
	ref := unitRef{decl: uint64(m.place), name: nameHash(refName(m)), ord: m.ord}
	if at, ok := p.fileAt[m.File]; ok {
		ref.file = p.fileRefs[at]
	}
	return ref, p.unitByRef(ref) == m
}

func (e *encoder) unitRef(ref unitRef) {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, ref.file)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, ref.decl)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, ref.name)
	e.uint(uint64(ref.ord))
}

// fieldKeyOf is how entries refer to a field: its owner's ref and its
// name; false for a field that cannot be found so.
func (p *Program) fieldKeyOf(f *Field) (fieldKey, bool) {
	p.numberUnits()
	t := f.Owner
	if t == nil || p.typeByRef[t.ref] != t || t.Fields[f.Name] != f {
		return fieldKey{}, false
	}
	return fieldKey{t.ref, f.Name}, true
}

// fieldByKey is the field a key names, or nil.
func (p *Program) fieldByKey(k fieldKey) *Field {
	p.numberUnits()
	if t := p.typeByRef[k.owner]; t != nil {
		return t.Fields[k.name]
	}
	return nil
}

// fieldRef writes a field's fieldKeyOf; false when it has none.
func (e *encoder) fieldRef(p *Program, f *Field) bool {
	k, ok := p.fieldKeyOf(f)
	if ok {
		e.buf = binary.LittleEndian.AppendUint64(e.buf, k.owner)
		e.string(k.name)
	}
	return ok
}

func (d *decoder) field(p *Program) *Field {
	owner := d.uint64()
	name := d.bytes()
	if d.err {
		return nil
	}
	f := p.fieldByKey(fieldKey{owner, string(name)})
	if f == nil {
		d.err = true
	}
	return f
}

// uint64 reads eight bytes, little-endian.
func (d *decoder) uint64() uint64 {
	if len(d.buf) < 8 {
		d.err = true
		d.buf = nil
		return 0
	}
	v := binary.LittleEndian.Uint64(d.buf)
	d.buf = d.buf[8:]
	return v
}
