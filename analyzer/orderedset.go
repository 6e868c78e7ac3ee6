package analyzer

import "slices"

// orderedSet collects values once each, in the order they come. Most sets
// here hold a handful of values (a type's bases, a call's targets), so it
// looks through its slice until it grows past a few and keeps a map only
// then: a map per type made most of computeHierarchy's time, and a slice scan
// per value made resolving a call on an interface with thousands of
// implementations quadratic in them.
type orderedSet[T comparable] struct {
	items []T
	set   map[T]bool
}

const orderedSetScan = 16

// add appends v unless it is there, and reports whether it was added.
func (s *orderedSet[T]) add(v T) bool {
	switch {
	case s.set != nil:
		if s.set[v] {
			return false
		}
		s.set[v] = true
	case slices.Contains(s.items, v):
		return false
	case len(s.items) >= orderedSetScan:
		s.set = make(map[T]bool, 2*len(s.items))
		for _, x := range s.items {
			s.set[x] = true
		}
		s.set[v] = true
	}
	s.items = append(s.items, v)
	return true
}
