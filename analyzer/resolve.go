package analyzer

import (
	"slices"
	"strings"
	"sync"
)

// TypeRef is what lmilint knows about an expression's type.
type TypeRef struct {
	Name     string // the type as written ("List<int>"), or "" when unknown
	Type     *Type  // the project type, when it is one
	TypeName bool   // the expression names a type (a static access), not a value
}

// Known reports whether anything is known about the type.
func (r TypeRef) Known() bool { return r.Name != "" || r.Type != nil }

// scopeOf returns the locals and parameters visible in a unit, name → declared
// type as written ("" when inferred and unknown). Lambda parameters and locals of
// nested functions are included: a name declared anywhere in the unit shadows a
// field of the same name, which over-approximates shadowing on the quiet side.
//
// Computed on first use by whichever goroutine asks first; two racing
// goroutines compute the same scope and one is kept.
func (p *Program) scopeOf(m *Method) scope {
	if s := m.scope.Load(); s != nil {
		return *s
	}
	// The entries grow in a scratch list (newScope keeps a sized copy).
	scratch := scopeScratch.Get().(*[]scopeEntry)
	entries := (*scratch)[:0]
	defer func() {
		clear(entries)
		*scratch = entries[:0]
		scopeScratch.Put(scratch)
	}()
	add := func(name, typ string) { entries = append(entries, scopeEntry{name, typ}) }
	// An entry-point delegate closes over the locals of the unit around it.
	if m.Kind == MethodDelegate && m.Decl.Parent() != nil {
		if outer := p.UnitOf(m.Decl.Parent()); outer != nil {
			entries = append(entries, p.scopeOf(outer)...)
		}
	}
	for _, prm := range m.Params {
		add(prm.Name, prm.TypeName)
	}
	if m.Kind == MethodSetter {
		add("value", m.Returns)
	}
	for _, b := range m.Bodies {
		b.Walk(func(n *Node) bool {
			switch n.Kind() {
			case KindVariableDeclarator:
				name := n.ChildByField("name")
				typ := ""
				if vd := n.Parent(); vd != nil && vd.Kind() == KindVariableDeclaration {
					typ = vd.ChildByField("type").Text()
				}
				if typ == "var" || typ == "" {
					typ = inferredType(n)
				}
				if name != nil {
					add(name.Text(), typ)
				}
			case KindParameter, KindDeclarationExpression, KindCatchDeclaration, KindDeclarationPattern, KindForeachStatement:
				name := n.ChildByField("name")
				if n.Kind() == KindForeachStatement {
					name = n.ChildByField("left")
				}
				if name != nil && name.Kind() == KindIdentifier {
					typ := n.ChildByField("type").Text()
					if typ == "var" {
						typ = ""
					}
					add(name.Text(), typ)
				}
			case KindImplicitParameter:
				add(n.Text(), "")
			case KindLambda:
				if prm := n.ChildByField("parameters"); prm != nil && prm.Kind() == KindIdentifier {
					add(prm.Text(), "")
				}
			}
			return true
		})
	}
	sc := newScope(entries)
	m.scope.CompareAndSwap(nil, &sc)
	return *m.scope.Load()
}

var scopeScratch = sync.Pool{New: func() any { return new([]scopeEntry) }}

// scope is a unit's locals and parameters with their declared types, sorted
// by name, one entry a name. Most units declare a few names, and a slice
// costs a third of a map for them (the scopes of efcore's 200,000 units
// took 22 MB as maps).
type scope []scopeEntry

type scopeEntry struct{ name, typ string }

// newScope makes a scope of entries in declaration order: of two entries
// with one name, the later is kept, as a later declaration shadows.
func newScope(entries []scopeEntry) scope {
	slices.SortStableFunc(entries, func(a, b scopeEntry) int { return strings.Compare(a.name, b.name) })
	out := entries[:0]
	for i, e := range entries {
		if i+1 < len(entries) && entries[i+1].name == e.name {
			continue
		}
		out = append(out, e)
	}
	return sized(out) // no spare room kept: every unit's scope stays
}

// lookup returns the declared type of name, and whether the unit declares it.
func (s scope) lookup(name string) (string, bool) {
	i, found := slices.BinarySearchFunc(s, name, func(e scopeEntry, name string) int { return strings.Compare(e.name, name) })
	if !found {
		return "", false
	}
	return s[i].typ, true
}

// inferredType reads the type of `var x = new T(...)` or `var x = (T)y`.
func inferredType(declarator *Node) string {
	for _, c := range declarator.Children() {
		if !c.Named() || c.Field() != "" {
			continue
		}
		switch v := Unparen(c); v.Kind() {
		case KindObjectCreation, KindCast:
			return v.ChildByField("type").Text()
		}
	}
	return ""
}

// resolving is where typing and call resolution stand: how deep in a chain
// they are (see maxTypingDepth) and, when a walk over one unit's body asks,
// that unit. Knowing it saves walking up from every node to find the unit,
// its type and its project (a fifth of the call graph's time on efcore); the
// zero value finds them.
//
// edges is set only where a walk resolves a call site for its edges:
// there a call on a receiver of no known type is bound late (see
// latecalls.go); everywhere else, its resolution is noted as consulted.
type resolving struct {
	depth int
	unit  *Method
	edges bool
}

// deeper is one step down a chain: typing a receiver or a call's value,
// which is never resolving the site's edges.
func (r resolving) deeper() resolving { r.depth++; r.edges = false; return r }

func (p *Program) unitAt(n *Node, r resolving) *Method {
	if r.unit != nil {
		return r.unit
	}
	return p.UnitOf(n)
}

// typeAt is TypeOfNode: a unit's nodes all lie in its owner's declaration.
func (p *Program) typeAt(n *Node, r resolving) *Type {
	if r.unit != nil {
		return r.unit.Owner
	}
	return p.TypeOfNode(n)
}

func (p *Program) projectAt(n *Node, r resolving) string {
	if r.unit != nil && r.unit.File != nil {
		return r.unit.File.Project
	}
	return p.projectOf(n)
}

func (p *Program) isLocalAt(n *Node, r resolving) bool {
	_, ok := p.localTypeAt(n, r)
	return ok
}

func (p *Program) localTypeAt(n *Node, r resolving) (string, bool) {
	m := p.unitAt(n, r)
	if m == nil {
		return "", false
	}
	t, ok := p.scopeOf(m).lookup(n.Text())
	return t, ok
}

// LocalType returns the declared type of a local or parameter named by n.
func (p *Program) LocalType(n *Node) (string, bool) { return p.localTypeAt(n, resolving{}) }

// FieldOf returns the project field, property or event the expression names:
// `x`, `this.x`, `T.x`, `obj.x` with obj of a project type. It returns nil for
// locals, parameters and anything outside the project.
func (p *Program) FieldOf(n *Node) *Field { return p.fieldOf(n, resolving{}) }

// maxTypingDepth bounds how far down a chain of member accesses and calls
// (a.b.c(), x.M().M()…) an expression is typed. Every node of a chain is
// typed on its own, so without a bound a chain of n links costs n² (a
// 20,000-link chain ran for minutes); real chains are a few dozen links.
const maxTypingDepth = 200

func (p *Program) fieldOf(n *Node, r resolving) *Field {
	f, _ := p.fieldLookup(n, r)
	return f
}

// fieldLookup is fieldOf, with where the lookup stayed: within one family
// of types (Type.family), or 0 with found for a member of a receiver of a
// type outside the project, untypedRead for one of a receiver of no known
// type, or found false for a lookup that may depend on any declaration of
// the name (see typedUse). A name looked up along the
// chain of a type (outer types included), on this or base, or on a
// receiver of a known type stays in the family.
func (p *Program) fieldLookup(n *Node, r resolving) (f *Field, in lookupScope) {
	n = Unparen(n)
	if n == nil {
		return nil, lookupScope{}
	}
	along := func(t *Type, name string) (*Field, lookupScope) {
		f := p.FindField(t, name)
		if t == nil {
			return f, lookupScope{}
		}
		// An unqualified name not found on the chain may name a type too
		// (the filter notes its typeNameKey).
		return f, lookupScope{found: true, family: t.family}
	}
	switch n.Kind() {
	case KindIdentifier:
		if p.isLocalAt(n, r) {
			return nil, lookupScope{found: true, family: localUse}
		}
		return along(p.typeAt(n, r), n.Text())
	case KindMemberAccess:
		expr, name := n.ChildByField("expression"), n.ChildByField("name")
		if expr == nil || name == nil {
			return nil, lookupScope{}
		}
		switch expr.Kind() {
		case KindThis, KindBase:
			return along(p.typeAt(n, r), name.Text())
		}
		recv := p.typeOf(expr, r.deeper())
		f := p.memberField(recv, name.Text())
		if !recv.Known() {
			// Nothing is found on a receiver of no known type, whatever
			// is declared under the name.
			return f, lookupScope{found: true, family: untypedRead}
		}
		in := lookupScope{found: true}
		if recv.Type != nil {
			in.family = recv.Type.family
		}
		return f, in
	}
	return nil, lookupScope{}
}

// lookupScope is where a member lookup stayed (see fieldLookup).
type lookupScope struct {
	found  bool   // within a family, on a type outside the project, or a local
	family uint64 // 0 for a type outside the project, localUse for a local or parameter
}

// localUse stands, as a family, for a name that is a local or a parameter
// of its unit, which no declaration elsewhere changes.
const localUse = ^uint64(0)

// memberField returns the project member `name` of a receiver's type.
func (p *Program) memberField(recv TypeRef, name string) *Field {
	if recv.Type == nil {
		return nil
	}
	for _, t := range p.TypeChainBases(recv.Type) {
		if f := t.Fields[name]; f != nil {
			return f
		}
	}
	return nil
}

// TypeOf returns what is known of an expression's type.
func (p *Program) TypeOf(n *Node) TypeRef { return p.typeOf(n, resolving{}) }

func (p *Program) typeOf(n *Node, r resolving) TypeRef {
	n = Unparen(n)
	if n == nil || r.depth > maxTypingDepth {
		return TypeRef{}
	}
	switch n.Kind() {
	case KindThis, KindBase:
		t := p.typeAt(n, r)
		if t == nil {
			return TypeRef{}
		}
		return TypeRef{Name: t.Name, Type: t}
	case KindIdentifier, KindGenericName:
		if n.Kind() == KindIdentifier {
			if typ, ok := p.localTypeAt(n, r); ok {
				return p.ref(typ, n, r)
			}
			if f := p.FindField(p.typeAt(n, r), n.Text()); f != nil {
				return p.ref(f.ValueTypeName(), n, r)
			}
		}
		if t := p.LookupTypeIn(n.Text(), p.projectAt(n, r)); t != nil {
			return TypeRef{Name: t.Name, Type: t, TypeName: true}
		}
		if looksLikeTypeName(n.Text()) {
			return TypeRef{Name: n.Text(), TypeName: true}
		}
	case KindPredefinedType:
		return TypeRef{Name: n.Text(), TypeName: true}
	case KindMemberAccess:
		// The receiver is typed once: typing it for the member and again for
		// the fallbacks below doubled the work at every level of a.b.c.d.
		expr, name := n.ChildByField("expression"), n.ChildByField("name").Text()
		var left TypeRef
		var f *Field
		if expr != nil && (expr.Kind() == KindThis || expr.Kind() == KindBase) {
			f = p.FindField(p.typeAt(n, r), name)
		} else {
			left = p.typeOf(expr, r.deeper())
			if n.ChildByField("name") != nil {
				f = p.memberField(left, name)
			}
		}
		if f != nil {
			return p.ref(f.ValueTypeName(), n, r)
		}
		if expr != nil && (expr.Kind() == KindThis || expr.Kind() == KindBase) {
			left = p.typeOf(expr, r.deeper())
		}
		// A namespace-qualified type: System.IO.File.
		if left.TypeName && left.Type == nil && looksLikeTypeName(name) && isNamespaceLike(n.ChildByField("expression")) {
			return TypeRef{Name: name, TypeName: true}
		}
		// A member of a type outside the project has a type outside the
		// project (context.Logger, Console.Out, response.Body).
		if left.Known() && left.Type == nil {
			return externalRef
		}
	case KindQualifiedName:
		return p.ref(n.Text(), n, r)
	case KindObjectCreation, KindCast:
		return p.ref(n.ChildByField("type").Text(), n, r)
	case KindInvocation:
		callees, recv := p.calleesAt(n, r.deeper())
		if len(callees) == 0 {
			// What a method of an outside type returns is outside the project.
			if recv.Known() && recv.Type == nil {
				return externalRef
			}
			return TypeRef{}
		}
		var ret string
		for _, c := range callees {
			if ret != "" && c.Returns != ret {
				return TypeRef{}
			}
			ret = c.Returns
		}
		return p.ref(ret, n, r)
	}
	return TypeRef{}
}

// externalRef stands for a value known to be of some type outside the project.
var externalRef = TypeRef{Name: "?"}

func (p *Program) ref(written string, at *Node, r resolving) TypeRef {
	if written == "" || written == "var" {
		return TypeRef{}
	}
	return TypeRef{Name: written, Type: p.LookupTypeIn(written, p.projectAt(at, r))}
}

// looksLikeTypeName is the heuristic for names that are neither locals nor
// fields: C# types are PascalCase; fields and locals conventionally are not.
func looksLikeTypeName(s string) bool {
	return s != "" && s[0] >= 'A' && s[0] <= 'Z'
}

// isNamespaceLike reports whether an expression is a dotted chain of PascalCase
// names, like System.IO.
func isNamespaceLike(n *Node) bool {
	for _, part := range strings.Split(n.Text(), ".") {
		if !looksLikeTypeName(strings.TrimSpace(part)) {
			return false
		}
	}
	return true
}
