package analyzer

// digestTable folds parts into digests by key, for nameDigests: a map from
// uint64 keys that are hashes already, with open addressing. Go's map
// hashed each key again and, to combine a part into a digest, looked it up
// twice; that was half of digesting the names (70 ms of CPU on an efcore
// re-scan after a declaration edit).
type digestTable struct {
	slots []digestSlot // key 0 marks a free slot
	used  int
	// The digest of key 0, which cannot have a slot.
	zeroUsed bool
	zero     uint64
}

// digestSlot keeps a key beside its digest: one cache line a probe.
type digestSlot struct{ key, digest uint64 }

// newDigestTable makes a table with room for about n keys.
func newDigestTable(n int) *digestTable {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return &digestTable{slots: make([]digestSlot, size)}
}

// add combines part into the digest of key (a new key's digest starts at
// zero, as a missing map entry does).
func (t *digestTable) add(key, part uint64) {
	if key == 0 {
		t.zero, t.zeroUsed = combine(t.zero, part), true
		return
	}
	mask := uint64(len(t.slots) - 1)
	// The high bits: callers shard keys by their low bits.
	for i := key >> 32 & mask; ; i = (i + 1) & mask {
		slot := &t.slots[i]
		switch slot.key {
		case key:
			slot.digest = combine(slot.digest, part)
			return
		case 0:
			if 2*(t.used+1) > len(t.slots) {
				t.grow()
				t.add(key, part)
				return
			}
			*slot = digestSlot{key, combine(0, part)}
			t.used++
			return
		}
	}
}

// grow doubles the table.
func (t *digestTable) grow() {
	old := t.slots
	t.slots = make([]digestSlot, 2*len(old))
	mask := uint64(len(t.slots) - 1)
	for _, slot := range old {
		if slot.key == 0 {
			continue
		}
		i := slot.key >> 32 & mask
		for t.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = slot
	}
}

// list is the table's keys and digests, in no order.
func (t *digestTable) list() []nameDigest {
	out := make([]nameDigest, 0, t.used+1)
	if t.zeroUsed {
		out = append(out, nameDigest{0, t.zero})
	}
	for _, slot := range t.slots {
		if slot.key != 0 {
			out = append(out, nameDigest{slot.key, slot.digest})
		}
	}
	return out
}
