package analyzer

import (
	"iter"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Call resolution is by name and must over-approximate (SPEC §1): a call binds
// to every project method of that name that accepts the arguments, on the
// receiver's declared type, its bases, its subtypes (overrides) and, for an
// interface, its implementations; an unknown receiver binds by name and arity
// across the project; a receiver of a known type outside the project only binds
// to project extension methods.

// ArgCount counts the arguments of an invocation or creation.
func ArgCount(call *Node) int {
	args := call.ChildByField("arguments")
	if args == nil {
		args = call.FirstOfKind(KindArgumentList)
	}
	n := 0
	if args != nil {
		for _, a := range args.Children() {
			if a.Kind() == KindArgument {
				n++
			}
		}
	}
	return n
}

// Arguments returns the argument nodes of an invocation or creation.
func Arguments(call *Node) []*Node {
	args := call.ChildByField("arguments")
	if args == nil {
		args = call.FirstOfKind(KindArgumentList)
	}
	if args == nil {
		return nil
	}
	var out []*Node
	for _, a := range args.Children() {
		if a.Kind() == KindArgument {
			out = append(out, a)
		}
	}
	return out
}

// ArgValue is the expression of an argument node (without `ref`/name: parts).
func ArgValue(arg *Node) *Node {
	for _, c := range arg.Children() {
		if c.Named() && c.Field() != "name" {
			return c
		}
	}
	return nil
}

// ArgName is the name of a named argument (`seed` in `seed: x`), or "".
func ArgName(arg *Node) string {
	if name := arg.ChildByField("name"); name != nil {
		return name.Text()
	}
	return ""
}

// CalleeName returns the called member's name and its receiver expression (nil
// for an unqualified call) for an invocation.
func CalleeName(call *Node) (name string, receiver *Node) {
	fn := call.ChildByField("function")
	if fn == nil {
		return "", nil
	}
	switch fn.Kind() {
	case KindIdentifier:
		return fn.Text(), nil
	case KindGenericName:
		return fn.FirstOfKind(KindIdentifier).Text(), nil
	case KindMemberAccess:
		return memberName(fn.ChildByField("name")), fn.ChildByField("expression")
	case KindConditionalAccess:
		if mb := fn.FirstOfKind(KindMemberBinding); mb != nil {
			return memberName(mb.ChildByField("name")), fn.ChildByField("condition")
		}
	}
	return "", nil
}

// typedUse is a name whose resolution stayed within one family of types,
// for the dependency filter: a call or a member access on a receiver of a
// known type, or on this or base, or a name found along the chain of the
// type it is written in (see noteTypedCall, fieldLookup). Such a name
// binds only to members of that family, or, on a type outside the project,
// to extension methods, so its file depends on those keys instead of the
// name (see familyKey): a new class with a property Name re-walked every
// file reading some other Name (1,783 of efcore's files).
type typedUse struct {
	name   uint32 // the name's identifier, by its index in the file
	call   bool   // a call's name: it binds to extension methods too
	family uint64 // Type.family of the type; 0 for one outside the project; untypedRead, untypedCall, lateCall, localUse
}

// noteTypedCall records call in m.typedUses when what it binds to depends
// on its name only within one family: on a receiver of a known type (recv),
// or on this, on base or unqualified in a type, whose chain (outer types
// included) is in its family (an unqualified call binds across the program
// when the chain has no method of the name: it did here unless every
// target is on the chain); or, on a receiver of no known type, on nothing
// (lateCall: bound late, see latecalls.go).
func (p *Program) noteTypedCall(m *Method, call *Node, targets []*Method, recv TypeRef, late bool) {
	site := typedUse{call: true}
	if late {
		site.family = lateCall
	} else if recv.Known() {
		if recv.Type != nil {
			site.family = recv.Type.family
		}
	} else {
		family, ok := p.untypedCallFamily(m, call, targets)
		if !ok {
			return
		}
		site.family = family
	}
	name := calleeNameNode(call)
	if name == nil {
		return
	}
	site.name = name.self()
	m.typedUses = append(m.typedUses, site)
}

// untypedCallFamily is where a call whose receiver has no known type binds
// (see noteTypedCall): in its type's family on this or base, or
// unqualified when every target is on its type's chain; to the methods of
// its name (untypedCall) on a receiver of no known type; across the
// program otherwise (false).
func (p *Program) untypedCallFamily(m *Method, call *Node, targets []*Method) (uint64, bool) {
	fn := call.ChildByField("function")
	if fn == nil {
		return 0, false
	}
	var recv *Node
	switch fn.Kind() {
	case KindMemberAccess:
		recv = fn.ChildByField("expression")
	case KindConditionalAccess:
		recv = fn.ChildByField("condition")
	}
	if recv != nil && recv.Kind() != KindThis && recv.Kind() != KindBase {
		return untypedCall, true
	}
	t := p.typeAt(call, resolving{unit: m})
	if t == nil {
		return 0, false
	}
	switch fn.Kind() {
	case KindMemberAccess, KindConditionalAccess:
		if recv == nil {
			return 0, false
		}
	case KindIdentifier, KindGenericName:
		if len(targets) == 0 {
			return 0, false
		}
		chain := p.TypeChain(t)
		for _, to := range targets {
			if !slices.Contains(chain, to.Owner) {
				return 0, false
			}
		}
	default:
		return 0, false
	}
	return t.family, true
}

// calleeNameNode is the identifier naming the method an invocation calls
// (`Name()`, `x.Name()`, `x?.Name<T>()`), or nil.
func calleeNameNode(call *Node) *Node {
	fn := call.ChildByField("function")
	if fn == nil {
		return nil
	}
	var name *Node
	switch fn.Kind() {
	case KindIdentifier, KindGenericName:
		name = fn
	case KindMemberAccess:
		name = fn.ChildByField("name")
	case KindConditionalAccess:
		if mb := fn.FirstOfKind(KindMemberBinding); mb != nil {
			name = mb.ChildByField("name")
		}
	}
	if name != nil && name.Kind() == KindGenericName {
		name = name.FirstOfKind(KindIdentifier)
	}
	if name == nil || name.Kind() != KindIdentifier {
		return nil
	}
	return name
}

func memberName(n *Node) string {
	if n == nil {
		return ""
	}
	if n.Kind() == KindGenericName {
		return n.FirstOfKind(KindIdentifier).Text()
	}
	return n.Text()
}

// Callees resolves an invocation or object creation to project units.
func (p *Program) Callees(call *Node) []*Method {
	ms, _ := p.callees(call)
	return ms
}

// callees also returns what is known of the receiver's type, so TypeOf does
// not evaluate the receiver twice (which is exponential on fluent chains).
func (p *Program) callees(call *Node) ([]*Method, TypeRef) { return p.calleesAt(call, resolving{}) }

// calleesAt is callees from where resolution stands (see resolving).
func (p *Program) calleesAt(call *Node, r resolving) ([]*Method, TypeRef) {
	switch call.Kind() {
	case KindObjectCreation:
		t := p.LookupTypeIn(call.ChildByField("type").Text(), p.projectAt(call, r))
		if t == nil {
			return nil, TypeRef{}
		}
		return p.ctorsOf(t, ArgCount(call)), TypeRef{}
	case KindInvocation:
	default:
		return nil, TypeRef{}
	}
	name, recv := CalleeName(call)
	if name == "" {
		return nil, TypeRef{}
	}
	argc := ArgCount(call)
	if recv == nil {
		fn := call.ChildByField("function")
		if fn.Kind() == KindIdentifier && p.isLocalAt(fn, r) {
			return nil, TypeRef{} // invoking a delegate held in a local
		}
		var out []*Method
		for _, t := range p.TypeChain(p.typeAt(call, r)) {
			out = appendCallable(out, slices.Values(t.Methods), name, argc, false)
		}
		if len(out) == 0 {
			out = p.visibleCallables(name, argc, p.projectAt(call, r)).ordinary
		}
		return out, TypeRef{}
	}
	if recv.Kind() == KindThis || recv.Kind() == KindBase {
		var out []*Method
		for _, t := range p.TypeChain(p.typeAt(call, r)) {
			out = appendCallable(out, slices.Values(t.Methods), name, argc, false)
		}
		return out, TypeRef{}
	}
	rt := p.typeOf(recv, r.deeper())
	var out []*Method
	switch {
	case rt.Type != nil:
		out = p.typedCallables(rt, name, argc, p.projectAt(call, r))
	case rt.Name != "":
		if !rt.TypeName {
			out = p.visibleCallables(name, argc, p.projectAt(call, r)).extensions
		}
	default:
		out = p.visibleCallables(name, argc, p.projectAt(call, r)).any
		if !r.edges {
			noteConsulted(call)
		}
	}
	return out, rt
}

// typedKey is what a call on a receiver of a project type resolves by.
type typedKey struct {
	t        *Type
	name     string
	argc     int
	typeName bool   // the receiver names the type (a static call): no extensions
	project  string // where extension methods are looked up from
}

// typedCallables returns what a call on a receiver of a project type binds
// to: the methods of the name in the type, its bases and its subtypes
// (virtual dispatch), then, on a value, the visible extension methods. That
// depends on nothing else, so each list is built once and shared (callers
// must not modify it): an interface with 4,000 implementations called in
// 8,000 places took 30 s when every call built its own list.
func (p *Program) typedCallables(rt TypeRef, name string, argc int, project string) []*Method {
	key := typedKey{t: rt.Type, name: name, argc: argc, typeName: rt.TypeName}
	if !rt.TypeName {
		key.project = project
	}
	if list, ok := p.typedLists.Load(key); ok {
		return list.([]*Method)
	}
	var out orderedSet[*Method]
	// Read, never appended to: the cached chains are shared by the
	// goroutines resolving calls (an append into their spare capacity was a
	// data race, found with -race on aws-lambda-dotnet).
	for _, types := range [][]*Type{p.TypeChainBases(rt.Type), p.Subtypes(rt.Type)} {
		for _, t := range types {
			for _, m := range t.Methods {
				if m.Name == name && m.Kind == MethodOrdinary && m.Accepts(argc, false) {
					out.add(m)
				}
			}
		}
	}
	if !rt.TypeName {
		for _, m := range p.visibleCallables(name, argc, project).extensions {
			out.add(m)
		}
	}
	list, _ := p.typedLists.LoadOrStore(key, slices.Clip(out.items))
	return list.([]*Method)
}

// callables are the visible methods a call with a name and an argument count
// can bind to when the receiver does not narrow them: as an ordinary method,
// as an extension method, and both (ordinary first).
type callables struct {
	ordinary, extensions, any []*Method
}

type callablesKey struct {
	project, name string
	argc          int
}

// visibleCallables returns the callables of a name and argument count seen
// from the call's project. They depend on nothing else, and calls on
// receivers of unknown type resolve to them by the thousand on a large
// project (efcore: a million edges), so each list is built once and shared;
// callers must not modify it.
func (p *Program) visibleCallables(name string, argc int, project string) *callables {
	key := callablesKey{project, name, argc}
	if c, ok := p.callableLists.Load(key); ok {
		return c.(*callables)
	}
	candidates := p.methodsVisibleFrom(name, project)
	c := &callables{}
	c.ordinary = slices.Clip(appendCallable(nil, candidates, name, argc, false))
	c.extensions = slices.Clip(appendExtensions(nil, candidates, argc))
	c.any = slices.Clip(appendExtensions(slices.Clone(c.ordinary), slices.Values(c.extensions), argc))
	got, _ := p.callableLists.LoadOrStore(key, c)
	return got.(*callables)
}

// methodsVisible returns the units with a name that the caller's project can
// see: its own, and those of the projects it references. Independent projects
// in one repository often reuse names (Function.FunctionHandler, Save, Invoke).
// The lists are visited in place, not concatenated: a call site resolves
// against them once, and copying them made most of a scan's garbage.
func (p *Program) methodsVisible(name string, at *Node) iter.Seq[*Method] {
	return p.methodsVisibleFrom(name, p.projectOf(at))
}

// methodsVisibleFrom is methodsVisible from a project.
func (p *Program) methodsVisibleFrom(name, project string) iter.Seq[*Method] {
	return func(yield func(*Method) bool) {
		if project == "" {
			for _, m := range p.methodsByName[name] {
				if !yield(m) {
					return
				}
			}
			return
		}
		if len(p.methodsByName[name]) == 0 {
			return // no unit of that name anywhere: no project to ask
		}
		in := func(project string) bool {
			for _, m := range p.methodsIn[project][name] {
				if !yield(m) {
					return false
				}
			}
			return true
		}
		if !in(project) {
			return
		}
		for _, v := range p.visibleFrom(project) {
			if !in(v) {
				return
			}
		}
	}
}

func (p *Program) ctorsOf(t *Type, argc int) []*Method {
	var out []*Method
	for _, m := range t.Methods {
		if m.Kind == MethodConstructor && m.Accepts(argc, false) {
			out = append(out, m)
		}
	}
	return out
}

// appendCallable adds the candidates a call can bind to. A candidate list
// holds each method once, so only what out held before is checked for
// duplicates: checking the whole of out made a call on an unknown receiver
// with a common name quadratic in the methods of that name.
func appendCallable(out []*Method, candidates iter.Seq[*Method], name string, argc int, ext bool) []*Method {
	before := out
	for m := range candidates {
		if m.Name == name && m.Kind == MethodOrdinary && m.Accepts(argc, ext) && !slices.Contains(before, m) {
			out = append(out, m)
		}
	}
	return out
}

func appendExtensions(out []*Method, candidates iter.Seq[*Method], argc int) []*Method {
	before := out
	for m := range candidates {
		if m.Kind == MethodOrdinary && m.IsExtension() && m.Accepts(argc, true) && !slices.Contains(before, m) {
			out = append(out, m)
		}
	}
	return out
}

// analyzeUnits walks every unit of code once, in parallel: it records the
// unit's outgoing calls (invocations, object creations, accessor calls through
// property accesses, method groups passed as delegates), its field accesses and
// its lock regions. Each worker writes only to the units it owns; the index
// they read is complete and no longer changes.
func (p *Program) analyzeUnits() {
	// With a unit cache, only files without a valid entry are walked.
	var stale []*File
	var cache *unitCache
	var unitsIn map[*File][]*Method
	steps := StartPhases() // the steps of the units phase, with a cache
	if p.cacheDir != "" {
		unitsIn = p.unitsByFile()
		cache = p.openUnitCache(unitsIn, steps)
		hit := make([]bool, len(p.Files))
		parallel(len(p.Files), func(i int) { hit[i] = cache.load(p.Files[i], unitsIn[p.Files[i]]) })
		steps.Done("  cached facts")
		for i, f := range p.Files {
			if hit[i] {
				unitCacheHits.Add(1)
			} else {
				stale = append(stale, f)
			}
		}
		if timings {
			noteTiming("unit facts: %d of %d files from the cache (%d names changed%s)", len(p.Files)-len(stale), len(p.Files), len(cache.stale.changed), p.spellNames(cache.stale.changed, 8))
		}
	}
	if cache == nil {
		parallel(len(p.Methods), func(i int) { p.walkUnit(p.Methods[i], nil) })
	} else {
		// File by file: a file's entry is stored as soon as its units are
		// walked, and the uses of names its filter needed (typedUse) are
		// dropped then: kept until every file was walked, they raised a
		// first run's peak on efcore by 16 MiB.
		parallel(len(unitsIn[nil]), func(i int) { p.walkUnit(unitsIn[nil][i], nil) })
		parallel(len(stale), func(i int) {
			f := stale[i]
			uses := useScratch.Get().(*[]typedUse)
			*uses = (*uses)[:0]
			consulted := collectConsulted(f)
			for _, m := range unitsIn[f] {
				p.walkUnit(m, uses)
			}
			*uses = consultedUses(*uses, f, consulted())
			p.fileUsesWalked(f, *uses)
			cache.store(f, unitsIn[f])
			for _, m := range unitsIn[f] {
				m.Calls = slices.DeleteFunc(m.Calls, Call.boundToNothing) // stored: no longer needed
			}
			useScratch.Put(uses)
		})
		steps.Done("  walk")
		cache.numbered.Clear()
		save := func() {
			cache.refs.save(cache.pack)
			cache.pack.saveAndRelease()
		}
		if len(stale) > len(p.Files)/4 {
			save() // a pack mostly new is written before the rules: the two at once raised the peak
		} else {
			// Nothing is put in the pack from here on: it is written
			// while the rules run (Run waits for it).
			p.saving.Add(1)
			go func() {
				defer p.saving.Done()
				save()
			}()
		}
	}
	p.facts = &facts{byField: map[*Field][]*Access{}}
	for _, m := range p.Methods {
		for _, a := range m.accesses {
			p.facts.accesses = append(p.facts.accesses, a)
			p.facts.byField[a.Field] = append(p.facts.byField[a.Field], a)
		}
	}
}

// walkUnit walks one unit of code (see analyzeUnits); each unit is walked
// by one goroutine, which writes only to it.
//
// With a cache, uses is the list of its file's typed uses (typedUse), which
// the walk appends to through m.typedUses; nil, they are dropped.
func (p *Program) walkUnit(m *Method, uses *[]typedUse) {
	// A unit's calls and accesses grow in a scratch list and are kept
	// copied to their size: appended to in place, they left 31 MB of
	// outgrown lists on efcore.
	calls, accesses := callScratch.Get().(*[]Call), accessScratch.Get().(*[]*Access)
	m.Calls, m.accesses = (*calls)[:0], (*accesses)[:0]
	if uses != nil {
		m.typedUses = *uses
	}
	defer func() {
		usedCalls, usedAccesses := m.Calls, m.accesses
		m.Calls, m.accesses = sized(usedCalls), sized(usedAccesses)
		if uses == nil { // no entry is stored: calls bound to nothing go
			m.Calls = slices.DeleteFunc(m.Calls, Call.boundToNothing)
		}
		clear(usedCalls) // what lies past them was cleared before
		clear(usedAccesses)
		*calls, *accesses = usedCalls[:0], usedAccesses[:0]
		callScratch.Put(calls)
		accessScratch.Put(accesses)
		if uses != nil {
			*uses = m.typedUses
		}
		m.typedUses = nil
	}()
	for _, b := range m.Bodies {
		unitAt := p.units.inFileOf(b)
		b.Walk(func(n *Node) bool {
			if u := unitAt.get(n); n != b && u != nil && u != m {
				return false // a nested unit (an entry-point delegate) is walked on its own
			}
			switch n.Kind() {
			case KindInvocation:
				p.addEdges(m, n, nil)
				p.noteRegion(m, n)
			case KindObjectCreation:
				p.addEdges(m, n, nil)
			case KindIdentifier, KindMemberAccess:
				// Both steps ask which field n names; it is resolved once.
				field := &fieldMemo{p: p, n: n, unit: m}
				p.addEdges(m, n, field)
				if a := p.classifyAccess(m, n, field); a != nil {
					m.accesses = append(m.accesses, a)
				}
				field.noteTypedAccess()
			}
			return true
		})
	}
}

var (
	callScratch   = sync.Pool{New: func() any { return new([]Call) }}
	accessScratch = sync.Pool{New: func() any { return new([]*Access) }}
	useScratch    = sync.Pool{New: func() any { return new([]typedUse) }}
)

// sized returns a copy of s that holds nothing more, or nil when s is empty.
func sized[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// parallelChunks runs fn(0..n-1) on all cores, handing out a thousand
// indexes at a time: for work too small to be handed out one by one.
func parallelChunks(n int, fn func(i int)) {
	const chunk = 1024
	parallel((n+chunk-1)/chunk, func(c int) {
		for i := c * chunk; i < min(n, (c+1)*chunk); i++ {
			fn(i)
		}
	})
}

// parallel runs fn(0..n-1) on all cores.
func parallel(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// CallsFrom yields the units m calls, each once, in the order they were
// found, with the first call site in m that leads to it.
func (p *Program) CallsFrom(m *Method) iter.Seq2[*Method, *Node] {
	return func(yield func(*Method, *Node) bool) {
		seen := map[*Method]bool{}
		for _, c := range m.Calls {
			for _, to := range c.targets {
				if !seen[to] {
					seen[to] = true
					if !yield(to, m.callSite(c)) {
						return
					}
				}
			}
		}
	}
}

// callSite returns the call site of one of m's calls.
func (m *Method) callSite(c Call) *Node { return m.Decl.at(c.site) }

// fieldMemo is FieldOf(n), resolved on first use.
type fieldMemo struct {
	p     *Program
	n     *Node
	unit  *Method // the unit n is in
	field *Field
	in    lookupScope
	done  bool
}

func (fm *fieldMemo) get() *Field {
	if !fm.done {
		fm.field, fm.in = fm.p.fieldLookup(fm.n, resolving{unit: fm.unit})
		fm.done = true
	}
	return fm.field
}

// noteTypedAccess records, for the dependency filter, a name whose lookup
// as a member stayed within one family (see fieldLookup): the name of a
// member access, or an identifier found along its type's chain.
func (fm *fieldMemo) noteTypedAccess() {
	if !fm.done || !fm.in.found || fm.p.cacheDir == "" {
		return
	}
	name := fm.n
	if fm.in.family == untypedRead && name.Field() == "function" {
		return // a call's name: what it binds to is noteTypedCall's
	}
	if name.Kind() == KindMemberAccess {
		name = name.ChildByField("name")
	}
	if name != nil && name.Kind() == KindIdentifier {
		fm.unit.typedUses = append(fm.unit.typedUses, typedUse{name: name.self(), family: fm.in.family})
	}
}

func (p *Program) addEdges(m *Method, n *Node, field *fieldMemo) {
	add := func(targets []*Method) {
		if len(targets) == 0 {
			return
		}
		if cap(targets) > len(targets) {
			targets = slices.Clone(targets) // a list built for this site: no spare room kept
		}
		m.Calls = append(m.Calls, Call{site: n.self(), targets: targets})
	}
	switch n.Kind() {
	case KindInvocation, KindObjectCreation:
		targets, recv := p.calleesAt(n, resolving{unit: m, edges: true})
		// Only entries need to know a call was bound late.
		late := p.cacheDir != "" && n.Kind() == KindInvocation && lateBound(n, recv)
		if late {
			// Kept with no target too: its entry looks them up again.
			m.Calls = append(m.Calls, Call{site: n.self(), late: true, targets: targets})
		} else {
			add(targets)
		}
		if p.cacheDir != "" && n.Kind() == KindInvocation {
			p.noteTypedCall(m, n, targets, recv, late)
		}
	case KindMemberAccess, KindIdentifier:
		if n.Parent() != nil && n.Parent().Kind() == KindMemberAccess && n.Field() == "name" {
			return // handled at the member access
		}
		if n.Field() == "function" {
			return
		}
		if n.Kind() == KindIdentifier && (n.Field() == "name" || n.Field() == "type") {
			return
		}
		if f := field.get(); f != nil && f.Property && !f.AutoProperty {
			setter := n.Field() == "left" && n.Parent().Kind() == KindAssignment
			var accessors []*Method
			for _, u := range f.Owner.Methods {
				if u.Field == f && ((u.Kind == MethodSetter) == setter) && (u.Kind == MethodGetter || u.Kind == MethodSetter) {
					accessors = append(accessors, u)
				}
			}
			add(accessors)
			return
		}
		// A method group passed as a delegate: Task.Run(DoWork), Create(Handler, …).
		if n.Parent() != nil && n.Parent().Kind() == KindArgument {
			name := n.Text()
			if n.Kind() == KindMemberAccess {
				if e := n.ChildByField("expression"); e.Kind() != KindThis && e.Kind() != KindBase {
					return
				}
				name = n.ChildByField("name").Text()
			} else if p.isLocalAt(n, resolving{unit: m}) {
				return
			}
			var group []*Method
			for _, t := range p.TypeChain(p.typeAt(n, resolving{unit: m})) {
				for _, u := range t.Methods {
					if u.Name == name && u.Kind == MethodOrdinary {
						group = append(group, u)
					}
				}
			}
			add(group)
		}
	}
}
