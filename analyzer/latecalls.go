package analyzer

import "sync"

// Calls bound late. A call on a receiver of no known type binds to every
// method of its name, visible from its project, that accepts its arguments
// (visibleCallables). Its file's cached facts used to depend on the name's
// callable key for that (see callableKey): a new class with Dispose and
// ToString re-walked 189 of efcore's files, 8.7 MB of code, because calls
// like `entry.Dispose()` now had one more target. Those targets depend on
// nothing but the call's name, argument count and project, so an entry
// keeps such a call's edges as those three (unitCache.store) and a load
// looks the targets up again in the run's index: the file's unit facts
// depend on no declaration of the name for them (lateCall in its filter).
//
// What such a call binds to can matter elsewhere: typing its value (the
// return type of Make in `x.Make().Count++` decides which Count is
// written), or a rule asking for its callees (is the async lambda passed to
// `x.Each(…)` an Action? LMI012). Every such resolution goes through
// calleesAt without resolving.edges, and notes the call in its file's sink
// while the file is walked with a cache or its rules run
// (collectConsulted): notes from the walk put the name back under its
// callable key in the unit filter (consultedUses), notes from the rules in
// the findings' filter only (findingCache.store).

// lateBound reports whether calleesAt bound call, an invocation whose
// receiver it typed as rt, by its name alone (to visibleCallables' any).
func lateBound(call *Node, rt TypeRef) bool {
	name, recv := CalleeName(call)
	return name != "" && recv != nil && recv.Kind() != KindThis && recv.Kind() != KindBase && !rt.Known()
}

// boundToNothing reports whether c is a call bound late that found no
// target: kept only until its file's entry is stored.
func (c Call) boundToNothing() bool { return len(c.targets) == 0 }

// lateKey is what the targets of a call bound late are looked up by, with
// the project of its file.
type lateKey struct {
	name string
	argc int
}

// lateKeyOf is the lateKey of a call site bound late.
func lateKeyOf(call *Node) lateKey {
	name, _ := CalleeName(call)
	return lateKey{name, ArgCount(call)}
}

// callSink collects the calls bound late, by their index in the file,
// whose resolution was consulted while it was open.
type callSink struct {
	mu    sync.Mutex
	sites []uint32
}

// noteConsulted notes call in its file's sink, if one is open.
func noteConsulted(call *Node) {
	sink := call.data().consulted.Load()
	if sink == nil {
		return
	}
	if i, ok := call.index(); ok {
		sink.mu.Lock()
		sink.sites = append(sink.sites, i)
		sink.mu.Unlock()
	}
}

// collectConsulted opens f's sink; the function returned closes it and
// returns what it collected. Other goroutines may note into it while it is
// open (a rule typing a node of another file), hence the lock.
func collectConsulted(f *File) (closeSink func() []uint32) {
	sink := &callSink{}
	d := f.Root.data()
	d.consulted.Store(sink)
	return func() []uint32 {
		d.consulted.CompareAndSwap(sink, nil)
		sink.mu.Lock()
		defer sink.mu.Unlock()
		return sink.sites
	}
}

// consultedUses appends to uses the names of the calls at sites: looked
// up by name, under their callable key (untypedCall).
func consultedUses(uses []typedUse, f *File, sites []uint32) []typedUse {
	count := f.Root.data().count
	for _, at := range sites {
		if at >= count {
			continue
		}
		if name := calleeNameNode(f.Root.at(at)); name != nil {
			uses = append(uses, typedUse{name: name.self(), call: true, family: untypedCall})
		}
	}
	return uses
}

// consultedKeys returns the callable keys of the names of the calls at
// sites, for the findings' filter.
func consultedKeys(f *File, sites []uint32) []uint64 {
	count := f.Root.data().count
	src := f.Root.data().src
	var keys []uint64
	for _, at := range sites {
		if at >= count {
			continue
		}
		if name := calleeNameNode(f.Root.at(at)); name != nil {
			keys = append(keys, callableKey(hashBytes(src[name.Start():name.End()])))
		}
	}
	return keys
}
