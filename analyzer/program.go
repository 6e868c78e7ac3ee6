package analyzer

import (
	"crypto/sha256"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Program is the project-wide index every rule queries. It is built once per
// scan from all parsed files; rules never re-parse.
type Program struct {
	Files       []*File
	Types       map[string]*Type   // by project and full name (typeKey)
	TypesByName map[string][]*Type // by simple name
	// TypesByFullName lists the types with a full name ("Ns.Outer+Inner"), one
	// per project that declares it.
	TypesByFullName map[string][]*Type
	Methods         []*Method // every unit of code, in file order
	methodsByName   map[string][]*Method
	units           nodeMap[*Method]  // unit root node → unit
	derived         map[*Type][]*Type // direct subtypes and implementations
	declType        nodeMap[*Type]    // type declaration node → type
	fileByRoot      map[*Node]*File
	typeList        []*Type
	visible         map[string][]string             // project → other projects it sees
	typesIn         map[string]map[string][]*Type   // project → simple name → types
	methodsIn       map[string]map[string][]*Method // project → name → units

	EntryPoints       []*EntryPoint
	entryMethods      map[*Method]bool // the methods of EntryPoints
	contextCandidates []*Method        // public methods taking an ILambdaContext
	Diagnostics       []Diagnostic     // problems with the run itself, not findings

	Registrations []*Registration  // DI registrations found in code
	sharedTypes   map[*Type]string // shared instance classes → why
	reach         *reachability
	facts         *facts
	callableLists sync.Map          // callablesKey → *callables (see visibleCallables)
	typedLists    sync.Map          // typedKey → []*Method (see typedCallables)
	guardedMemo   sync.Map          // *Node → bool (see guardedAbove)
	cacheDir      string            // the cache's base directory, or "" (see ParseCache)
	unitPackRead  func() *entryPack // see unitPack
	root          string            // the scan root (Sources.Root)
	declDigest    [32]byte          // see declarationDigest; set with a unit cache
	names         []nameDigest      // the digest of each name's members and units (names.go)
	initsOnce     sync.Once
	initsByName   map[uint64][]*Node // see initializers
	initNames     depFilter          // the names of initsByName
	refsOnce      sync.Once
	unitsByRef    []fileUnits      // by place in Files, then the units of no file (see unitByRef)
	fileAt        map[*File]uint32 // place in Files
	fileRefs      []uint64         // by place in Files: fileRef
	unitBuckets   []uint64         // by place in Methods: nameHash(unitBucket(m))
	unitFiles     []uint32         // by place in Methods: m.File's place in Files, len(Files) for none
	fileByRef     map[uint64]uint32
	typeByRef     map[uint64]*Type // nil for a ref two types share
	depFilters    []depFilter      // by place in Files, made when an entry is stored
	saving        sync.WaitGroup   // packs being written (see analyzeUnits)
	// scope, while rules run over part of the program, is the files whose
	// accesses and nodes Accesses and Visit yield (nil: all).
	scope          map[*File]bool
	scopedAccesses []*Access
	Options        ProgramOptions
}

// ProgramOptions carry the configuration that changes what the index decides.
type ProgramOptions struct {
	ExtraEntryPoints []string // "Assembly::Ns.Type::Method"
	// ProjectRefs maps a project directory to the project directories its
	// .csproj references (<ProjectReference>). Name-based resolution stays
	// within a project and what it references.
	ProjectRefs map[string][]string
}

// Type is a class, struct, record or interface; partial declarations are merged.
type Type struct {
	Name      string // simple name, without type parameters
	FullName  string // Ns.Outer+Inner
	Project   string // see File.Project
	Namespace string
	Kind      Kind
	Decls     []*Node
	Files     []*File
	BaseNames []string // simple names from the base lists
	Outer     *Type
	Static    bool
	// attributes are read through HasAttribute, for askedAttributes only.
	attributes []*Attribute
	Fields     map[string]*Field // fields, properties, events, primary-constructor parameters
	FieldOrder []*Field
	Methods    []*Method // methods, constructors, accessors, initializers
	// Computed once the index is complete (see computeHierarchy).
	chain, bases, subtypes []*Type
	id                     uint32 // place in Program.typeList
	// ref names the type in caches, by its project and full name: a
	// place in the type list moves whenever a type is added above it.
	ref uint64
	// place is 1 + its first declaration's place among its file's type
	// declarations (see mergeType): with that file, a name for the type
	// that a rename leaves alone.
	place uint32
	// family names the types joined to it by program bases or nesting,
	// directly or not (the least placeRef among them): a call on a receiver
	// of the type binds only to members of its family, and extension
	// methods (see familyKey).
	family uint64
	placed uint64 // placeRef, once known
}

// placeRef names the type by its first declaration's file and place, which
// a rename leaves alone (ref changes with the name: the family of a type
// renamed took a new name when its ref had been the least, and every call
// on any type of the family was walked again). Worked out once, with the
// families.
func (t *Type) placeRef() uint64 {
	if t.placed == 0 {
		t.placed = mix(combine(fileRef(t.Files[0]), uint64(t.place)))
	}
	return t.placed
}

// IsInterface reports whether the type is an interface.
func (t *Type) IsInterface() bool { return t.Kind == KindInterface }

// HasAttribute reports whether any declaration carries the attribute (the
// "Attribute" suffix is optional). name must be one of askedAttributes:
// asking about another is a programming error, which would let cached
// results outlive an edit of a type's attributes.
func (t *Type) HasAttribute(name string) bool {
	if !askedAttributes[strings.TrimSuffix(name, "Attribute")] {
		panic("analyzer: Type.HasAttribute(" + name + "): add the name to askedAttributes, which the declaration digests cover")
	}
	return hasAttribute(t.attributes, name)
}

// askedAttributes are the attributes Type.HasAttribute may be asked about.
// A type's attributes and its modifiers but static are digested only
// through these names (see hierarchyDigests), so that marking a class
// [Serializable] or sealed re-walks no other file.
var askedAttributes = map[string]bool{
	"LambdaStartup": true, // the request path: the startup class's methods
	"ApiController": true, // entry points: MVC controllers
	"Controller":    true,
}

// Field is a field, property, event or captured primary-constructor parameter.
type Field struct {
	Name         string
	Owner        *Type
	TypeName     string // declared type as written, e.g. "Dictionary<string, int>"
	Static       bool
	Readonly     bool
	Const        bool
	Volatile     bool
	Property     bool
	AutoProperty bool // a property whose accessors have no bodies
	Event        bool
	PrimaryParam bool
	Init         *Node // initializer expression, or nil
	Decl         *Node // variable_declarator, property_declaration or parameter
	File         *File
	Attributes   []*Attribute
	num          atomic.Uint32 // number+1 in the unit pack's ref table (refTable.fieldNumber)
}

// IsState reports whether the member holds data (not a computed property).
func (f *Field) IsState() bool { return !f.Property || f.AutoProperty }

// HasAttribute reports whether the member carries the attribute.
func (f *Field) HasAttribute(name string) bool { return hasAttribute(f.Attributes, name) }

// ValueTypeName is the declared type, or for `var`-like and interface types the
// type created by the initializer (`IDictionary<K,V> d = new Dictionary<K,V>()`).
func (f *Field) ValueTypeName() string {
	if f.Init != nil {
		if n := Unparen(f.Init); n.Kind() == KindObjectCreation {
			if t := n.ChildByField("type"); t != nil {
				return t.Text()
			}
		}
	}
	return f.TypeName
}

// Attribute is one attribute application.
type Attribute struct {
	Name string // simple name without the "Attribute" suffix
	Node *Node
	Args []*Node // attribute_argument nodes
}

// MethodKind says what sort of code a Method unit is.
type MethodKind int

// The kinds of code units.
const (
	MethodOrdinary MethodKind = iota
	MethodConstructor
	MethodStaticConstructor
	MethodGetter
	MethodSetter
	MethodInitializer // a field or property initializer
	MethodTopLevel    // top-level statements of a program
	MethodDelegate    // a lambda or anonymous method that is itself an entry point
	MethodFinalizer
	MethodOperator
)

// Method is a unit of code: a method, constructor, accessor, initializer,
// top-level statements, or an entry-point delegate. Lambdas and local functions
// belong to their enclosing unit.
type Method struct {
	Name       string
	Owner      *Type // nil for top-level statements
	Kind       MethodKind
	Params     []Param
	Static     bool
	Async      bool
	Public     bool
	Returns    string
	Decl       *Node   // the declaration (or lambda, or initializer) node
	Bodies     []*Node // the code the unit runs
	File       *File
	Attributes []*Attribute
	Field      *Field // for initializers and accessors: the member
	Calls      []Call
	// contextCandidate marks a public method taking an ILambdaContext (see
	// addContextEntries).
	contextCandidate bool
	scope            atomic.Pointer[scope]      // locals and parameters (see scopeOf)
	locals           atomic.Pointer[unitLocals] // initializers and reassignments (see localsOf)
	regions          [][2]uint32                // Monitor/semaphore/rw-lock regions (byte ranges)
	accesses         []*Access                  // field uses in this unit
	typedUses        []typedUse                 // while its file is walked with a cache: the file's typed uses so far (walkUnit)
	id               uint32                     // place in Program.Methods
	ord              uint32                     // see unitRef
	place            uint32                     // 1 + its type declaration's place among its file's (see nameDigests); 0 for none
	num              atomic.Uint32              // number+1 in the unit pack's ref table (refTable.unitNumber)
}

// Param is one method parameter.
type Param struct {
	Name     string
	TypeName string
	Optional bool
	Params   bool // `params T[] xs`
	This     bool // first parameter of an extension method
	Modifier string
}

// Call is one call site of a unit with the units it may call, in the order
// resolution found them. Calls on receivers of unknown type share one target
// list per project, name and argument count (see visibleCallables), so a
// site costs the same whether it may reach one unit or ten thousand: as
// separate edges, a common method name called that way in thousands of units
// grew the graph with the square of the project.
type Call struct {
	site uint32 // the call site's index in the caller's node array
	// late is set, with a cache, for a call bound by its name alone (see
	// latecalls.go); such a call is kept even with no target until its
	// file's entry is stored.
	late    bool
	targets []*Method // shared: never modified
}

// HasAttribute reports whether the method carries the attribute.
func (m *Method) HasAttribute(name string) bool { return hasAttribute(m.Attributes, name) }

// DisplayName is Type.Method, as used in call paths.
func (m *Method) DisplayName() string {
	switch {
	case m.Owner == nil:
		return m.Name
	case m.Kind == MethodConstructor || m.Kind == MethodStaticConstructor:
		return m.Owner.Name + "." + m.Owner.Name
	}
	return m.Owner.Name + "." + m.Name
}

// Accepts reports whether a call with n arguments can bind to the method;
// asExtension means the receiver is the first argument.
func (m *Method) Accepts(n int, asExtension bool) bool {
	params := m.Params
	if asExtension {
		if len(params) == 0 || !params[0].This {
			return false
		}
		params = params[1:]
	}
	required, variadic := 0, false
	for _, p := range params {
		switch {
		case p.Params:
			variadic = true
		case !p.Optional:
			required++
		}
	}
	if n < required {
		return false
	}
	return variadic || n <= len(params)
}

// ParamFor returns the parameter that argument i of args binds to: the one
// of its name when the argument is named (`seed: …`), else the one at its
// position, counted after the receiver when asExtension, and the `params`
// array for every argument past it; nil when none does.
func (m *Method) ParamFor(args []*Node, i int, asExtension bool) *Param {
	if i < 0 || i >= len(args) {
		return nil
	}
	params := m.Params
	if asExtension && len(params) > 0 && params[0].This {
		params = params[1:]
	}
	if name := ArgName(args[i]); name != "" {
		for k := range params {
			if params[k].Name == name {
				return &params[k]
			}
		}
		return nil
	}
	switch {
	case i < len(params):
		return &params[i]
	case len(params) > 0 && params[len(params)-1].Params:
		return &params[len(params)-1]
	}
	return nil
}

// IsExtension reports whether the method is an extension method.
func (m *Method) IsExtension() bool { return len(m.Params) > 0 && m.Params[0].This }

func hasAttribute(attrs []*Attribute, name string) bool {
	name = strings.TrimSuffix(name, "Attribute")
	for _, a := range attrs {
		if a.Name == name {
			return true
		}
	}
	return false
}

// UnitOf returns the unit of code that contains n, or nil for code outside any
// unit (declarations).
func (p *Program) UnitOf(n *Node) *Method {
	return p.units.enclosing(n)
}

// TypeOfNode returns the type whose declaration encloses n.
func (p *Program) TypeOfNode(n *Node) *Type {
	return p.declType.enclosing(n)
}

// LookupType resolves a type as written ("List<int>", "Ns.Foo?", "Outer.Inner")
// to a type declared in the scanned code, from anywhere; it returns nil for
// types outside it. Analysis code resolves from a place with LookupTypeIn.
func (p *Program) LookupType(written string) *Type {
	ts := p.TypesByName[SimpleTypeName(written)]
	if len(ts) == 0 {
		return nil
	}
	return ts[0]
}

// LookupTypeIn resolves a written type as seen from a project: a type of that
// project wins over same-named types of other projects.
func (p *Program) LookupTypeIn(written, project string) *Type {
	ts := p.typesNamed(SimpleTypeName(written), project)
	if len(ts) == 0 {
		return nil
	}
	return ts[0]
}

// typesNamed returns the types with a simple name that the project can see:
// those of the project itself when it declares any, else those of the
// projects it references. Code outside any project sees every type.
func (p *Program) typesNamed(name, project string) []*Type {
	if project == "" {
		return p.TypesByName[name]
	}
	if own := p.typesIn[project][name]; len(own) > 0 {
		return own
	}
	// Most names asked about are not types anywhere (locals, members):
	// one lookup answers those instead of one per visible project.
	if len(p.TypesByName[name]) == 0 {
		return nil
	}
	var out []*Type
	for _, v := range p.visibleFrom(project) {
		out = append(out, p.typesIn[v][name]...)
	}
	return out
}

// visibleFrom lists the other projects code in project can use: those it
// references, transitively, and "" (code outside any project).
func (p *Program) visibleFrom(project string) []string {
	return p.visible[project]
}

// computeVisibility resolves the project references once, before any
// parallel work reads them.
func (p *Program) computeVisibility() {
	p.visible = map[string][]string{}
	projects := map[string]bool{}
	for _, f := range p.Files {
		projects[f.Project] = true
	}
	for proj := range p.Options.ProjectRefs {
		projects[proj] = true
	}
	for from := range projects {
		if from == "" {
			continue
		}
		seen := map[string]bool{from: true}
		queue := []string{from}
		var vis []string
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			for _, ref := range p.Options.ProjectRefs[cur] {
				if !seen[ref] {
					seen[ref] = true
					vis = append(vis, ref)
					queue = append(queue, ref)
				}
			}
		}
		sort.Strings(vis)
		p.visible[from] = append(vis, "")
	}
}

// projectOf returns the project of the file holding n.
func (p *Program) projectOf(n *Node) string {
	if f := p.fileOf(n); f != nil {
		return f.Project
	}
	return ""
}

func typeKey(project, full string) string { return project + "::" + full }

// SimpleTypeName strips namespaces, type arguments, nullability and array
// brackets: "System.Collections.Generic.List<int>?" → "List".
func SimpleTypeName(written string) string {
	s := strings.TrimSpace(written)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		s = s[:i]
	}
	// By hand: TrimRight and LastIndexAny build a set of their characters on
	// every call, and this runs for every name resolved.
	for len(s) > 0 {
		if c := s[len(s)-1]; c != '?' && c != '[' && c != ']' && c != ',' && c != ' ' {
			break
		}
		s = s[:len(s)-1]
	}
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' || s[i] == ':' {
			return s[i+1:]
		}
	}
	return s
}

// TypeChain returns t, its project base types (transitively) and its outer
// types, the places an unqualified member name may be found.
func (p *Program) TypeChain(t *Type) []*Type {
	if t != nil && t.chain != nil {
		return t.chain
	}
	return p.typeChain(t)
}

func (p *Program) typeChain(t *Type) []*Type {
	var out orderedSet[*Type]
	for cur := t; cur != nil; cur = cur.Outer {
		p.addWithBases(&out, cur)
	}
	return out.items
}

// basesOf is t and its project base types, depth first, once each.
func (p *Program) basesOf(t *Type) []*Type {
	var out orderedSet[*Type]
	p.addWithBases(&out, t)
	return out.items
}

// addWithBases appends t and its project base types, depth first, once each.
func (p *Program) addWithBases(out *orderedSet[*Type], t *Type) {
	if t == nil || !out.add(t) {
		return
	}
	for _, b := range t.BaseNames {
		for _, bt := range p.typesNamed(b, t.Project) {
			p.addWithBases(out, bt)
		}
	}
}

// Subtypes returns every project type that derives from or implements t,
// transitively.
func (p *Program) Subtypes(t *Type) []*Type {
	if t.chain != nil { // computed: subtypes may legitimately be empty
		return t.subtypes
	}
	return p.subtypes(t)
}

func (p *Program) subtypes(t *Type) []*Type {
	seen := orderedSet[*Type]{items: []*Type{t}}
	for next := 0; next < len(seen.items); next++ {
		for _, d := range p.derived[seen.items[next]] {
			seen.add(d)
		}
	}
	return seen.items[1:]
}

// askedBases are the names DerivesFrom may be asked about. The cached facts
// and findings depend on a type's base list only through its program bases
// and these names (see hierarchyDigests), so that adding any other base —
// an interface of a library, IDisposable — re-walks no other file.
var askedBases = map[string]bool{
	"DbContext":                        true, // LMI008, LMI009
	"APIGatewayProxyFunction":          true, // entry points: ASP.NET Core hosted in Lambda
	"APIGatewayHttpApiV2ProxyFunction": true,
	"ApplicationLoadBalancerFunction":  true,
}

// DerivesFrom reports whether t has a base named base anywhere in its project
// hierarchy (the base itself may be outside the project). base must be one
// of askedBases: asking about another name is a programming error, which
// would let cached results outlive an edit of a base list.
func (p *Program) DerivesFrom(t *Type, base string) bool {
	if !askedBases[base] {
		panic("analyzer: DerivesFrom(" + base + "): add the name to askedBases, which the declaration digests cover")
	}
	for _, c := range p.TypeChainBases(t) {
		for _, b := range c.BaseNames {
			if b == base {
				return true
			}
		}
	}
	return false
}

// TypeChainBases is t and its project base types, without outer types.
func (p *Program) TypeChainBases(t *Type) []*Type {
	if t != nil && t.bases != nil {
		return t.bases
	}
	return p.basesOf(t)
}

// computeHierarchy caches every type's chains and subtypes, which call
// resolution asks for on every call; after it the hierarchy is read-only.
func (p *Program) computeHierarchy() {
	parallel(len(p.typeList), func(i int) {
		t := p.typeList[i]
		// Clipped, so that an append by a reader copies instead of writing
		// into memory other goroutines read.
		t.chain = slices.Clip(p.typeChain(t))
		if t.Outer == nil {
			t.bases = t.chain // the same list: no outer types to add
		} else {
			t.bases = slices.Clip(p.basesOf(t))
		}
		t.subtypes = slices.Clip(p.subtypes(t))
	})
	p.computeFamilies()
}

// computeFamilies names each type's family: the types joined by program
// bases and by nesting, found by union-find over every type's chain of
// bases and its outer type.
func (p *Program) computeFamilies() {
	parent := make([]uint32, len(p.typeList))
	for i := range parent {
		parent[i] = uint32(i)
	}
	root := func(i uint32) uint32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	join := func(t, u *Type) {
		if a, c := root(t.id), root(u.id); a != c {
			parent[max(a, c)] = min(a, c)
		}
	}
	for _, t := range p.typeList {
		for _, b := range t.bases {
			join(t, b)
		}
		// A nested type's lookups climb to its outer types' chains
		// (TypeChain): one family holds them all.
		if t.Outer != nil {
			join(t, t.Outer)
		}
	}
	least := make([]uint64, len(p.typeList))
	for i := range least {
		least[i] = math.MaxUint64
	}
	for _, t := range p.typeList {
		r := root(t.id)
		least[r] = min(least[r], t.placeRef())
	}
	for _, t := range p.typeList {
		t.family = least[root(t.id)]
	}
}

// FindField looks a member name up along the type's chain.
func (p *Program) FindField(t *Type, name string) *Field {
	for _, c := range p.TypeChain(t) {
		if f := c.Fields[name]; f != nil {
			return f
		}
	}
	return nil
}

// MethodsNamed returns every unit with this name.
func (p *Program) MethodsNamed(name string) []*Method { return p.methodsByName[name] }

// EachNode calls fn for every node of an indexed kind in every file, in file
// and source order.
func (p *Program) EachNode(k Kind, fn func(f *File, n *Node)) {
	for _, f := range p.Files {
		for n := range f.NodesOf(k) {
			fn(f, n)
		}
	}
}

// eachMatch calls apply, in file order, for the nodes of kind k that match.
// match runs on all cores and must only read the node and its file, so
// that with a cache the matches of unchanged files are remembered under
// name; apply may change the program. Discovery looks at every call and
// string of a project to keep a few.
func (p *Program) eachMatch(name string, k Kind, match func(f *File, n *Node) bool, apply func(f *File, n *Node)) {
	hits := make([][]*Node, len(p.Files))
	pack := p.unitPack()
	fp := toolFingerprint
	parallel(len(p.Files), func(i int) {
		f := p.Files[i]
		var key [32]byte
		if pack != nil && f.hash != [32]byte{} {
			sum := fp()
			key = sha256.Sum256(append(append([]byte("match\x00"+name+"\x00"), sum[:]...), f.hash[:]...))
			if got, ok := pack.get(key); ok {
				if nodes, ok := decodeMatches(f, k, got); ok {
					hits[i] = nodes
					return
				}
			}
		}
		for n := range f.NodesOf(k) {
			if match(f, n) {
				hits[i] = append(hits[i], n)
			}
		}
		if pack != nil && f.hash != [32]byte{} {
			var e encoder
			for _, n := range hits[i] {
				e.uint(uint64(n.self()))
			}
			pack.put(key, e.buf)
		}
	})
	for i, f := range p.Files {
		for _, n := range hits[i] {
			apply(f, n)
		}
	}
}

// decodeMatches reads remembered matches: node indexes of kind k in f.
func decodeMatches(f *File, k Kind, data []byte) ([]*Node, bool) {
	d := &decoder{buf: data}
	var out []*Node
	count := f.Root.data().count
	for len(d.buf) > 0 {
		at := d.uint()
		if d.err || at >= uint64(count) || f.Root.at(uint32(at)).Kind() != k {
			return nil, false
		}
		out = append(out, f.Root.at(uint32(at)))
	}
	return out, true
}

// Describe names the member for messages: "static field `Function._count`".
func (f *Field) Describe() string {
	kind := "field"
	switch {
	case f.PrimaryParam && !f.Property:
		kind = "captured primary-constructor parameter"
	case f.Event:
		kind = "event"
	case f.Property:
		kind = "property"
	}
	if f.Static && !f.Const {
		kind = "static " + kind
	}
	return kind + " `" + f.QualifiedName() + "`"
}

// QualifiedName is Type.Member.
func (f *Field) QualifiedName() string { return f.Owner.Name + "." + f.Name }

// packDir is where the unit and finding caches keep their packs.
func (p *Program) packDir() string { return filepath.Join(p.cacheDir, "packs") }

// Visit calls fn for every node of the indexed kinds, file by file; fn's
// result is ignored (it matches Node.Walk's visitor, so a rule can switch
// between the two). While rules run over part of the program (see
// runRules), only the files being analyzed are visited.
func (p *Program) Visit(kinds []Kind, fn func(n *Node) bool) {
	for _, f := range p.Files {
		if p.scope != nil && !p.scope[f] {
			continue
		}
		for _, k := range kinds {
			for n := range f.NodesOf(k) {
				fn(n)
			}
		}
	}
}
