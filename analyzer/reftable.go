package analyzer

import (
	"encoding/binary"
	"hash/crc32"
	"sync"
)

// refTable numbers the units and fields that a unit pack's entries refer
// to, for as long as the pack lives: a number is a unitRef or a field's
// (type, name), written once in the table, so an entry holds small numbers
// and a run resolves each number once instead of once per entry that uses
// it (resolving refs entry by entry cost a body-edit re-scan of efcore
// 40 ms). Numbers are only added; a unit that is gone resolves to nil, and
// an entry that needs it does not stand (its names changed anyway). When
// gone units outnumber the program's, the table starts again, and with it
// every entry.
type refTable struct {
	mu      sync.Mutex
	units   []unitRef
	unitAt  []*Method // this run's unit of each number, or nil
	fields  []fieldKey
	fieldAt []*Field
	changed bool
}

type fieldKey struct {
	owner uint64 // Type.ref
	name  string
}

var refTableKey = [32]byte{'r', 'e', 'f', 's'}

const refTableMagic = "LMIR"

// openRefTable reads the pack's table and resolves its numbers; usable is
// false when the pack's entries cannot be read with it (no table, a
// damaged one, or one started again).
func (p *Program) openRefTable(pack *entryPack) (t *refTable, usable bool) {
	p.numberUnits()
	t = &refTable{}
	data, ok := pack.old[refTableKey]
	if ok && t.decode(data) && len(t.units) <= 2*len(p.Methods)+4096 && len(t.fields) <= 2*p.fieldCount()+4096 {
		usable = true
	} else {
		*t = refTable{changed: true}
	}
	// Distinct refs name distinct units and fields, so each number is
	// stored once.
	t.unitAt = make([]*Method, len(t.units))
	parallelChunks(len(t.units), func(i int) {
		if m := p.unitByRef(t.units[i]); m != nil {
			t.unitAt[i] = m
			m.num.Store(uint32(i + 1))
		}
	})
	t.fieldAt = make([]*Field, len(t.fields))
	for i, k := range t.fields {
		if f := p.fieldByKey(k); f != nil && f.num.Load() == 0 {
			t.fieldAt[i] = f
			f.num.Store(uint32(i + 1))
		}
	}
	return t, usable
}

// fieldCount counts the program's fields (for the table's bound).
func (p *Program) fieldCount() int {
	n := 0
	for _, t := range p.typeList {
		n += len(t.FieldOrder)
	}
	return n
}

func (t *refTable) decode(data []byte) bool {
	if len(data) < 8 || string(data[:4]) != refTableMagic || crc32.ChecksumIEEE(data[8:]) != binary.LittleEndian.Uint32(data[4:]) {
		return false
	}
	d := &decoder{buf: data[8:]}
	n := d.uint()
	if n > uint64(len(d.buf)) {
		return false
	}
	t.units = make([]unitRef, 0, n)
	for range n {
		ref := unitRef{file: d.uint64(), decl: d.uint64(), name: d.uint64()}
		ref.ord = uint32(d.uint())
		t.units = append(t.units, ref)
	}
	n = d.uint()
	if d.err || n > uint64(len(d.buf)) {
		return false
	}
	t.fields = make([]fieldKey, 0, n)
	for range n {
		owner := d.uint64()
		t.fields = append(t.fields, fieldKey{owner, d.string()})
	}
	return !d.err && len(d.buf) == 0
}

func (t *refTable) encode() []byte {
	e := encoder{buf: make([]byte, 8, 8+28*len(t.units)+16*len(t.fields))}
	e.uint(uint64(len(t.units)))
	for _, ref := range t.units {
		e.unitRef(ref)
	}
	e.uint(uint64(len(t.fields)))
	for _, k := range t.fields {
		e.buf = binary.LittleEndian.AppendUint64(e.buf, k.owner)
		e.string(k.name)
	}
	copy(e.buf, refTableMagic)
	binary.LittleEndian.PutUint32(e.buf[4:], crc32.ChecksumIEEE(e.buf[8:]))
	return e.buf
}

// save keeps the table in the pack for the next run, with the numbers this
// run added.
func (t *refTable) save(pack *entryPack) {
	if t.changed {
		pack.put(refTableKey, t.encode())
	} else {
		pack.get(refTableKey)
	}
}

// unitNumber numbers m, adding it when new; false for a unit of no file
// of this program. A unit keeps its number (Method.num), so most calls take
// no lock (a map from unit to number cost every re-scan 30 ms to build).
func (t *refTable) unitNumber(p *Program, m *Method) (uint64, bool) {
	if n := m.num.Load(); n > 0 {
		return uint64(n - 1), true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := m.num.Load(); n > 0 {
		return uint64(n - 1), true
	}
	ref, ok := p.refOf(m)
	if !ok {
		return 0, false
	}
	n := uint64(len(t.units))
	t.units, t.unitAt = append(t.units, ref), append(t.unitAt, m)
	m.num.Store(uint32(n + 1))
	t.changed = true
	return n, true
}

// fieldNumber numbers f like unitNumber.
func (t *refTable) fieldNumber(p *Program, f *Field) (uint64, bool) {
	if n := f.num.Load(); n > 0 {
		return uint64(n - 1), true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := f.num.Load(); n > 0 {
		return uint64(n - 1), true
	}
	k, ok := p.fieldKeyOf(f)
	if !ok {
		return 0, false
	}
	n := uint64(len(t.fields))
	t.fields, t.fieldAt = append(t.fields, k), append(t.fieldAt, f)
	f.num.Store(uint32(n + 1))
	t.changed = true
	return n, true
}
