package analyzer

import "strings"

// Lifetime is a DI service lifetime.
type Lifetime string

// DI lifetimes.
const (
	Singleton Lifetime = "singleton"
	Scoped    Lifetime = "scoped"
	Transient Lifetime = "transient"
)

// Registration is one DI registration found in code.
type Registration struct {
	Lifetime Lifetime
	Service  string // the service type as written
	Impl     string // the implementation type as written, when known
	Node     *Node  // the invocation
	File     *File
	Method   string // AddSingleton, AddDbContext, …
}

var registrationLifetimes = map[string]Lifetime{
	"AddSingleton": Singleton, "TryAddSingleton": Singleton, "AddHostedService": Singleton,
	"AddScoped": Scoped, "TryAddScoped": Scoped,
	"AddTransient": Transient, "TryAddTransient": Transient,
	"AddHttpClient": Transient, "AddDbContext": Scoped,
}

// findRegistrations reads DI registrations: AddSingleton<T>(), AddSingleton<I, T>(),
// AddSingleton(instance), AddSingleton<I>(sp => new T()), AddSingleton(typeof(I), typeof(T)),
// AddHostedService<T>(), AddHttpClient<I, T>(), AddDbContext<T>(…, lifetime).
func (p *Program) findRegistrations() {
	isRegistration := func(f *File, n *Node) bool {
		name, recv := CalleeName(n)
		_, ok := registrationLifetimes[name]
		return ok && recv != nil
	}
	p.eachMatch("registrations", KindInvocation, isRegistration, func(f *File, n *Node) {
		{
			name, _ := CalleeName(n)
			lt := registrationLifetimes[name]
			r := &Registration{Lifetime: lt, Node: n, File: f, Method: name}
			if fn := n.ChildByField("function"); fn != nil {
				if g := fn.ChildByField("name"); g != nil && g.Kind() == KindGenericName {
					args := typeArgNodes(g)
					if len(args) > 0 {
						r.Service = args[0].Text()
						r.Impl = args[len(args)-1].Text()
					}
				}
			}
			args := Arguments(n)
			if r.Service == "" && len(args) > 0 {
				if v := Unparen(ArgValue(args[0])); v != nil && v.Kind() == KindTypeofExpression {
					r.Service = v.ChildByField("type").Text()
					r.Impl = r.Service
					if len(args) > 1 {
						if v2 := Unparen(ArgValue(args[1])); v2 != nil && v2.Kind() == KindTypeofExpression {
							r.Impl = v2.ChildByField("type").Text()
						}
					}
				}
			}
			// An instance or a factory decides the implementation.
			for _, a := range args {
				v := Unparen(ArgValue(a))
				if v == nil {
					continue
				}
				if name == "AddDbContext" && strings.Contains(v.Text(), "ServiceLifetime.Singleton") {
					r.Lifetime = Singleton
				}
				if created := createdType(v); created != "" && (r.Impl == "" || r.Impl == r.Service) {
					r.Impl = created
					if r.Service == "" {
						r.Service = created
					}
				}
			}
			if r.Service != "" {
				p.Registrations = append(p.Registrations, r)
			}
		}
	})
}

// createdType returns the type an instance argument or factory lambda creates.
func createdType(v *Node) string {
	switch v.Kind() {
	case KindObjectCreation:
		return v.ChildByField("type").Text()
	case KindLambda:
		body := v.ChildByField("body")
		if body == nil {
			return ""
		}
		if b := Unparen(body); b.Kind() == KindObjectCreation {
			return b.ChildByField("type").Text()
		}
		found := ""
		body.Walk(func(n *Node) bool {
			if n.Kind() == KindReturnStatement {
				if e := Unparen(n.FirstNamed()); e != nil && e.Kind() == KindObjectCreation {
					found = e.ChildByField("type").Text()
				}
			}
			return found == ""
		})
		return found
	}
	return ""
}

func typeArgNodes(g *Node) []*Node {
	if tal := g.FirstOfKind(KindTypeArgumentList); tal != nil {
		return tal.NamedChildren()
	}
	return nil
}

// RegisteredLifetime returns the lifetime a project type is registered with,
// as a service or an implementation, or "" when it is not registered.
func (p *Program) RegisteredLifetime(t *Type) Lifetime {
	var found Lifetime
	for _, r := range p.Registrations {
		if SimpleTypeName(r.Impl) == t.Name || SimpleTypeName(r.Service) == t.Name {
			if found == "" || r.Lifetime == Singleton {
				found = r.Lifetime
			}
		}
	}
	return found
}

// computeSharedTypes decides which classes are shared instances (SPEC §1):
// handler classes, DI singletons, and classes whose instances are kept in
// shared state (static fields, or fields of another shared instance), to a
// fixpoint.
func (p *Program) computeSharedTypes() {
	p.sharedTypes = map[*Type]string{}
	var queue []*Type
	mark := func(t *Type, why string) {
		if t == nil || t.Static {
			return
		}
		if _, ok := p.sharedTypes[t]; ok {
			return
		}
		p.sharedTypes[t] = why
		queue = append(queue, t)
		for _, sub := range p.Subtypes(t) {
			if _, ok := p.sharedTypes[sub]; !ok {
				p.sharedTypes[sub] = why
				queue = append(queue, sub)
			}
		}
	}
	for _, ep := range p.EntryPoints {
		// ASP.NET Core creates a controller per request: not a handler class.
		if ep.Source == SourceController || ep.Source == SourceMinimalAPI {
			continue
		}
		if ep.Method.Owner != nil && ep.Method.Kind != MethodDelegate && !ep.Method.Static {
			mark(ep.Method.Owner, "the handler class: Lambda creates one instance per environment")
		}
	}
	for _, r := range p.Registrations {
		if r.Lifetime == Singleton && r.Method != "AddDbContext" {
			impl := r.Impl
			if impl == "" {
				impl = r.Service
			}
			mark(p.LookupTypeIn(impl, r.File.Project), "registered as a DI singleton")
		}
	}
	// Objects held in static fields live for the whole process.
	for _, t := range p.allTypes() {
		for _, f := range t.FieldOrder {
			if f.Static && !f.Const && f.IsState() {
				mark(p.LookupTypeIn(f.ValueTypeName(), t.Project), "an instance is kept in static field "+f.Owner.Name+"."+f.Name)
			}
		}
	}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		if t.Kind == KindStruct {
			continue
		}
		for _, f := range t.FieldOrder {
			if !f.IsState() || f.Static {
				continue
			}
			mark(p.LookupTypeIn(f.ValueTypeName(), t.Project), "an instance is kept in "+t.Name+"."+f.Name+", which is shared")
		}
	}
}

// SharedType reports whether instances of t are shared between concurrent
// invocations, and why.
func (p *Program) SharedType(t *Type) (bool, string) {
	why, ok := p.sharedTypes[t]
	return ok, why
}

// IsSharedState reports whether a field is state shared between concurrent
// invocations: a static (not const) field or property, or an instance member of
// a shared instance. Computed properties are not state.
func (p *Program) IsSharedState(f *Field) bool {
	if f == nil || f.Const || !f.IsState() {
		return false
	}
	if f.Static {
		return true
	}
	ok, _ := p.SharedType(f.Owner)
	return ok
}
