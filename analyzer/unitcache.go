package analyzer

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The unit cache keeps, per file, what analyzeUnits found in its units: call
// sites with the units they may call, field accesses and lock regions. A
// file's entry is keyed by its content and by the program's declaration
// digest, so it stands while the edit is inside some other file's method
// bodies, which is what most edits are: a re-scan then walks only the
// edited file's bodies.
//
// What a file's units resolve to depends on the file itself and, outside it,
// only on declarations: types, members and their signatures, field and
// property initializers (a field's type may come from one), usings, the
// files' projects and their references, and the units that entry-point
// discovery made of lambdas (they are called by name like methods). The
// declaration digest covers all of it: the shape and tokens of each file's
// tree outside the bodies of its methods, constructors, accessors and
// top-level statements (comments left out), the list of units, the files
// and projects, the configured type lists and the binary. Calls and
// accesses are stored by position in the program's unit and field lists,
// which the digest fixes.
//
// The same pack keeps two things that depend on a file's content alone:
// its share of the digest, and what discovery matched in it (eachMatch).

// unitCacheVersion changes whenever the entry layout or what analyzeUnits
// records changes; the tool fingerprint covers every other code change.
const unitCacheVersion = "units v1"

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
// its units resolve to (see above). Files are hashed in parallel.
//
// A file's own part depends only on its content, so pack keeps it: only
// changed files are walked for it.
func (p *Program) declarationDigest(pack *entryPack, unitsIn map[*File][]*Method) [32]byte {
	perFile := make([][32]byte, len(p.Files))
	fp := toolFingerprint()
	parallel(len(p.Files), func(i int) {
		f := p.Files[i]
		if f.hash == [32]byte{} {
			f.hash = sha256.Sum256(f.Src) // a file not read by Load
		}
		key := sha256.Sum256(append(append([]byte("declarations\x00"), fp[:]...), f.hash[:]...))
		if got, ok := pack.get(key); ok && len(got) == 32 {
			copy(perFile[i][:], got)
			return
		}
		perFile[i] = declarationsOf(f, unitsIn[f])
		pack.put(key, perFile[i][:])
	})
	fileAt := make(map[*File]int, len(p.Files))
	for i, f := range p.Files {
		fileAt[f] = i
	}
	h := sha256.New()
	h.Write(fp[:])
	for i, f := range p.Files {
		fmt.Fprintf(h, "file %q %q\n", f.RelPath, f.Project)
		h.Write(perFile[i][:])
	}
	for _, proj := range slices.Sorted(maps.Keys(p.visible)) {
		fmt.Fprintf(h, "sees %q %q\n", proj, p.visible[proj])
	}
	// The unit list is long: encoded, not printed, and hashed a scratch
	// buffer at a time (as one buffer it grew through 22 MB on efcore).
	e := encoder{buf: make([]byte, 0, 64<<10)}
	flush := func() {
		if len(e.buf) >= 60<<10 {
			h.Write(e.buf)
			e.buf = e.buf[:0]
		}
	}
	for _, m := range p.Methods {
		flush()
		// A lambda made a unit by entry-point discovery is named after its
		// line, which an edit above it moves; calls never name it, and other
		// files refer to units by their place in this list, which the rest
		// of the entry fixes.
		if m.Kind == MethodDelegate && strings.HasPrefix(m.Name, delegateNamePrefix) {
			e.string(delegateNamePrefix)
		} else {
			e.string(m.Name)
		}
		e.uint(uint64(m.Kind))
		e.uint(uint64(len(m.Params)))
		e.string(m.Returns)
		if at, ok := fileAt[m.File]; ok {
			e.uint(uint64(at + 1))
		} else {
			e.uint(0)
		}
		if m.Static {
			e.uint(1)
		} else {
			e.uint(0)
		}
	}
	for _, t := range p.typeList {
		flush()
		e.string(t.Project)
		e.string(t.FullName)
		e.uint(uint64(len(t.FieldOrder)))
		e.uint(uint64(len(t.Methods)))
	}
	h.Write(e.buf)
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
	return sum
}

var skipScratch = sync.Pool{New: func() any { return new([]uint8) }}

// declarationsOf hashes a file's declarations: the shape and tokens of its
// syntax tree outside the bodies of its code units, its comments and its
// pragmas. A body containing a type declaration (error recovery can put one
// there) is kept, as are initializers, whose expression can type a field.
// Kinds and tokens rather than text, so that comments (suppressions are read
// afresh on every run), blank lines and indentation outside bodies keep the
// digest: adding a doc comment to a method is a common edit.
func declarationsOf(f *File, units []*Method) [32]byte {
	count := f.Root.data().count
	scratch := skipScratch.Get().(*[]uint8)
	defer skipScratch.Put(scratch)
	if uint32(cap(*scratch)) < count {
		*scratch = make([]uint8, count)
	}
	skip := (*scratch)[:count] // 1: a body (marked), 2: a comment or pragma (dropped)
	clear(skip)
	for _, m := range units {
		if m.Kind == MethodInitializer || m.Kind == MethodDelegate {
			continue
		}
		for _, b := range m.Bodies {
			if i, ok := b.index(); ok && b.fileRoot() == f.Root {
				skip[i] = 1
			}
		}
	}
	for _, k := range []Kind{KindClass, KindStruct, KindRecord, KindInterface} {
		for d := range f.NodesOf(k) {
			for up := d.Parent(); up != nil; up = up.Parent() {
				skip[up.self()] = 0 // a body with a type in it is declarations too
			}
		}
	}
	for _, k := range []Kind{KindComment, KindPreprocPragma} {
		for n := range f.NodesOf(k) {
			skip[n.self()] = 2
		}
	}
	// The bytes are hashed as they come, a scratch buffer at a time: a
	// buffer of the whole file's was 40 MB of garbage for efcore.
	hash := sha256.New()
	buf := make([]byte, 0, 64<<10)
	// Preorder with an explicit stack (a field initializer can nest
	// thousands deep); ^i on the stack closes node i.
	stack := []uint32{0}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if int32(top) < 0 {
			buf = append(buf, ')')
			continue
		}
		if len(buf) >= 60<<10 {
			hash.Write(buf)
			buf = buf[:0]
		}
		n := f.Root.at(top)
		switch skip[top] {
		case 1:
			buf = append(buf, 0xFF)
			continue
		case 2:
			continue
		}
		buf = binary.LittleEndian.AppendUint16(buf, uint16(n.Kind()))
		buf = append(buf, n.field())
		if n.kids() == 0 {
			buf = binary.AppendUvarint(buf, uint64(n.End()-n.Start()))
			buf = append(buf, f.Src[n.Start():n.End()]...)
			continue
		}
		buf = append(buf, '(')
		stack = append(stack, ^top)
		for i := n.first() + n.kidCount(); i > n.first(); i-- {
			stack = append(stack, i-1)
		}
	}
	hash.Write(buf)
	var sum [32]byte
	hash.Sum(sum[:0])
	return sum
}

// unitsByFile lists each file's units in program order.
func (p *Program) unitsByFile() map[*File][]*Method {
	out := map[*File][]*Method{}
	for _, m := range p.Methods {
		out[m.File] = append(out[m.File], m)
	}
	return out
}

// numberFields lists every field, type by type, numbering them; the
// declaration digest fixes the list.
func (p *Program) numberFields() []*Field {
	if p.fieldList == nil {
		p.fieldList = []*Field{}
		for _, t := range p.typeList {
			for _, f := range t.FieldOrder {
				f.id = uint32(len(p.fieldList))
				p.fieldList = append(p.fieldList, f)
			}
		}
	}
	return p.fieldList
}

// isUnit and isField tell whether m and f belong to this program (their
// numbers say where they would be).
func (p *Program) isUnit(m *Method) bool {
	return int(m.id) < len(p.Methods) && p.Methods[m.id] == m
}

func (p *Program) isField(f *Field) bool {
	return f != nil && int(f.id) < len(p.fieldList) && p.fieldList[f.id] == f
}

// unitCache reads and writes the entries of one program.
type unitCache struct {
	pack   *entryPack
	digest [32]byte
	prog   *Program
	// Positions in the program's lists, which the digest fixes.
	fields []*Field
	lists  sync.Map // encoded target list → []*Method, shared as fresh lists are
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

func (p *Program) openUnitCache(unitsIn map[*File][]*Method) *unitCache {
	pack := p.unitPack()
	p.declDigest = p.declarationDigest(pack, unitsIn)
	return &unitCache{pack: pack, digest: p.declDigest, prog: p, fields: p.numberFields()}
}

func (c *unitCache) key(f *File) [32]byte {
	h := sha256.New()
	h.Write(c.digest[:])
	h.Write(f.hash[:]) // set by declarationDigest
	fmt.Fprintf(h, "%q %v", f.RelPath, f.HadBOM)
	var key [32]byte
	h.Sum(key[:0])
	return key
}

const unitMagic = "LMIU"

// load applies a file's cached facts to its units; false when there is no
// usable entry (the units are then left untouched).
func (c *unitCache) load(f *File, units []*Method) bool {
	data, ok := c.pack.get(c.key(f))
	if !ok || len(data) < 8 || string(data[:4]) != unitMagic ||
		crc32.ChecksumIEEE(data[8:]) != binary.LittleEndian.Uint32(data[4:]) {
		return false
	}
	d := &decoder{buf: data[8:]}
	count := f.Root.data().count
	// Target lists first: the units refer to them by number.
	nlists := d.uint()
	if nlists > uint64(len(d.buf)) {
		return false
	}
	lists := make([][]*Method, nlists)
	for i := range lists {
		n := d.uint()
		if d.err || n == 0 || n > uint64(len(c.prog.Methods)) {
			return false
		}
		key := d.bytesFor(func() {
			for range n {
				d.uint()
			}
		})
		if v, ok := c.lists.Load(string(key)); ok {
			lists[i] = v.([]*Method)
			continue
		}
		sub := &decoder{buf: key}
		list := make([]*Method, n)
		for j := range list {
			at := sub.uint()
			if at >= uint64(len(c.prog.Methods)) {
				return false
			}
			list[j] = c.prog.Methods[at]
		}
		v, _ := c.lists.LoadOrStore(string(key), list)
		lists[i] = v.([]*Method)
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
				u.calls = append(u.calls, Call{site: uint32(site), targets: lists[list]})
			}
		}
		for n := d.uint(); n > 0 && !d.err; n-- {
			a := &Access{Unit: m}
			a.Ref, a.Expr = node(), node()
			field := d.uint()
			if field >= uint64(len(c.fields)) {
				return false
			}
			a.Field = c.fields[field]
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
	return true
}

// store writes a file's facts; failures only cost the next run a walk.
func (c *unitCache) store(f *File, units []*Method) {
	for _, m := range units {
		for _, call := range m.Calls {
			for _, t := range call.targets {
				if !c.prog.isUnit(t) {
					return // not a unit of this program: nothing to number it by
				}
			}
		}
		for _, a := range m.accesses {
			if !c.prog.isField(a.Field) {
				return
			}
		}
	}
	// The entry is built in pooled scratch space and copied out at its size
	// (grown in place per file, it was 40 MB of garbage on a first run).
	scratch := storeScratch.Get().(*storeSpace)
	defer storeScratch.Put(scratch)
	e, lists, listIDs := &scratch.entry, &scratch.lists, scratch.listIDs
	e.buf, lists.buf = e.buf[:0], lists.buf[:0]
	clear(listIDs)
	for _, m := range units {
		for _, call := range m.Calls {
			k := listKey{unsafe.SliceData(call.targets), len(call.targets)}
			if _, ok := listIDs[k]; !ok {
				listIDs[k] = uint64(len(listIDs))
				lists.uint(uint64(len(call.targets)))
				for _, t := range call.targets {
					lists.uint(uint64(t.id))
				}
			}
		}
	}
	e.uint(uint64(len(listIDs)))
	e.buf = append(e.buf, lists.buf...)
	e.uint(uint64(len(units)))
	for _, m := range units {
		e.uint(uint64(len(m.Calls)))
		for _, call := range m.Calls {
			e.uint(uint64(call.site))
			e.uint(listIDs[listKey{unsafe.SliceData(call.targets), len(call.targets)}])
		}
		e.uint(uint64(len(m.accesses)))
		for _, a := range m.accesses {
			e.uint(uint64(a.Ref.self()))
			e.uint(uint64(a.Expr.self()))
			e.uint(uint64(a.Field.id))
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
	c.pack.put(c.key(f), append(data, e.buf...))
}

// storeSpace is the scratch space of one store.
type storeSpace struct {
	entry, lists encoder
	listIDs      map[listKey]uint64
}

var storeScratch = sync.Pool{New: func() any { return &storeSpace{listIDs: map[listKey]uint64{}} }}

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

// bytesFor returns the bytes read consumes.
func (d *decoder) bytesFor(read func()) []byte {
	start := d.buf
	read()
	if d.err {
		return nil
	}
	return start[:len(start)-len(d.buf)]
}
