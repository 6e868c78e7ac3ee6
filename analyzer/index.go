package analyzer

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// buildIndex fills the symbol index from the parsed files: types (partial
// declarations merged), members, and every unit of code.
func (p *Program) buildIndex() {
	// What each file declares is read on all cores; merging partial
	// declarations and numbering units is done in file order, into maps
	// sized for what was read (growing them was half of merging).
	collected := make([]*fileDecls, len(p.Files))
	parallel(len(p.Files), func(i int) { collected[i] = collectFile(p.Files[i]) })
	types, units := 0, 0
	for _, fd := range collected {
		types += len(fd.types)
		for _, td := range fd.types {
			units += len(td.steps)
		}
	}
	p.Types = make(map[string]*Type, types)
	p.TypesByFullName = make(map[string][]*Type, types)
	p.TypesByName = make(map[string][]*Type, types)
	p.methodsByName = make(map[string][]*Method, units/2)
	p.Methods = make([]*Method, 0, units)
	p.typeList = make([]*Type, 0, types)
	p.units = newNodeMapSized[*Method](units)
	p.derived = map[*Type][]*Type{}
	p.declType = newNodeMapSized[*Type](types)
	p.typesIn = map[string]map[string][]*Type{}
	p.methodsIn = map[string]map[string][]*Method{}
	for i, f := range p.Files {
		p.mergeFile(f, collected[i])
	}
	// The by-name maps of types are filled from the list, side by side
	// with the methods' (merging, which runs in one goroutine, spent half
	// its time on them).
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, t := range p.typeList {
			p.TypesByName[t.Name] = append(p.TypesByName[t.Name], t)
			p.TypesByFullName[t.FullName] = append(p.TypesByFullName[t.FullName], t)
		}
	})
	wg.Go(func() {
		var project string
		var in map[string][]*Type
		for _, t := range p.typeList {
			if in == nil || t.Project != project {
				project, in = t.Project, p.typesIn[t.Project]
				if in == nil {
					in = map[string][]*Type{}
					p.typesIn[t.Project] = in
				}
			}
			in[t.Name] = append(in[t.Name], t)
		}
	})
	wg.Go(p.indexUnits)
	p.nameMethods()
	wg.Wait()
	for _, t := range p.allTypes() {
		for _, b := range t.BaseNames {
			for _, bt := range p.typesNamed(b, t.Project) {
				if bt != t {
					p.derived[bt] = append(p.derived[bt], t)
				}
			}
		}
	}
}

// allTypes returns the types in a stable order (first declaration's file order).
func (p *Program) allTypes() []*Type { return p.typeList }

func isTypeDecl(k Kind) bool {
	return k == KindClass || k == KindStruct || k == KindRecord || k == KindInterface
}

// fileDecls is what one file declares, read from its tree alone.
type fileDecls struct {
	topLevel *Method
	types    []*typeDecl
}

// typeDecl is one type declaration: its own facts, and its members as
// steps that mergeFile replays against the (possibly partial) type.
type typeDecl struct {
	decl, outer *Node // outer: the enclosing type declaration, or nil
	own         Type  // name, full name, kind, namespace, static, attributes, base names
	primary     []*Field
	steps       []declStep
	// made is the type as mergeType makes it when this declaration is
	// its first (nearly always: only partial types have more), made while
	// files are read in parallel; key is its key in Program.Types. Making
	// types, their field maps and member lists was most of merging, which
	// runs in one goroutine (75 ms of every efcore re-scan).
	made *Type
	key  string
}

// declStep adds a field or a unit, in the order the index lists them.
type declStep struct {
	field *Field
	unit  *Method
	// interfacePublic: the unit is public when its owner is an interface.
	interfacePublic bool
}

// collectFile reads a file's declarations without touching the program, so
// files are read in parallel.
func collectFile(f *File) *fileDecls {
	fd := &fileDecls{}
	var topLevel []*Node
	for _, c := range f.Root.Children() {
		if c.Kind() == KindGlobalStatement {
			topLevel = append(topLevel, c)
		}
	}
	if len(topLevel) > 0 {
		fd.topLevel = &Method{Name: "<top-level statements>", Kind: MethodTopLevel, Static: true, Decl: topLevel[0], Bodies: topLevel, File: f}
	}
	// Outer types before inner ones: source order of all type declarations.
	var decls []*Node
	for _, k := range []Kind{KindClass, KindStruct, KindRecord, KindInterface} {
		decls = slices.AppendSeq(decls, f.NodesOf(k))
	}
	sort.Slice(decls, func(i, j int) bool { return decls[i].Start() < decls[j].Start() })
	names := fullNames{}
	for _, d := range decls {
		if d.ChildByField("name") != nil {
			td := collectType(f, d, names)
			td.makeType(f, uint32(len(fd.types))+1)
			fd.types = append(fd.types, td)
		}
	}
	return fd
}

// makeType makes td.made: the type of this declaration alone, as mergeType
// would make it on first sight (but for its outer type, id and by-name
// entries, which need the program); place is as mergeType's.
func (td *typeDecl) makeType(f *File, place uint32) {
	own := &td.own
	td.key = typeKey(f.Project, own.FullName)
	fields := len(td.primary)
	for _, step := range td.steps {
		if step.field != nil {
			fields++
		}
	}
	t := &Type{Name: own.Name, FullName: own.FullName, Project: f.Project, Namespace: own.Namespace, Kind: own.Kind,
		Fields: make(map[string]*Field, fields), Static: own.Static, attributes: own.attributes, BaseNames: own.BaseNames,
		Decls: []*Node{td.decl}, Files: []*File{f}}
	t.ref = nameHash(t.Project + "\x00" + t.FullName)
	t.place = place
	td.adoptMembers(t, place)
	td.made = t
}

// mergeFile adds a file's declarations to the index, merging partial types.
func (p *Program) mergeFile(f *File, fd *fileDecls) {
	if m := fd.topLevel; m != nil {
		p.listMethod(m) // its bodies are its nodes (indexUnits)
	}
	for i, td := range fd.types {
		p.mergeType(f, td, uint32(i)+1)
	}
}

// namespaceOf returns the namespace a declaration is in, block or file-scoped.
func namespaceOf(n *Node) string {
	var parts []string
	for cur := n.Parent(); cur != nil; cur = cur.Parent() {
		if cur.Kind() == KindNamespace {
			parts = append([]string{cur.ChildByField("name").Text()}, parts...)
		}
		if cur.Kind() == KindCompilationUnit {
			// A file-scoped namespace has no body: later declarations are its siblings.
			if fs := cur.FirstOfKind(KindFileScopedNamespace); fs != nil && fs.Start() < n.Start() {
				parts = append([]string{fs.ChildByField("name").Text()}, parts...)
			}
		}
	}
	return strings.Join(parts, ".")
}

// fullNames remembers the CLR-style names of a file's type declarations
// (Ns.Outer+Inner): a type nested n deep would otherwise name its outer
// types again, n² work per type (5,000 nested classes took 30 s).
type fullNames map[*Node]string

func (names fullNames) of(decl *Node) string {
	if full, ok := names[decl]; ok {
		return full
	}
	full := decl.ChildByField("name").Text()
	if outer := outerTypeDecl(decl); outer != nil {
		full = names.of(outer) + "+" + full
	} else if ns := namespaceOf(decl); ns != "" {
		full = ns + "." + full
	}
	names[decl] = full
	return full
}

// outerTypeDecl is the type declaration around decl, or nil.
func outerTypeDecl(decl *Node) *Node {
	for cur := decl.Parent(); cur != nil; cur = cur.Parent() {
		if isTypeDecl(cur.Kind()) {
			return cur
		}
	}
	return nil
}

// modifierSet is the modifiers the index records (a map per declaration
// was a third of indexing's cost).
type modifierSet struct{ static, constant, readonly, volatile, public, async bool }

func modifiers(n *Node) modifierSet {
	var m modifierSet
	for _, c := range n.Children() {
		if c.Kind() == KindModifier {
			switch c.Text() {
			case "static":
				m.static = true
			case "const":
				m.constant = true
			case "readonly":
				m.readonly = true
			case "volatile":
				m.volatile = true
			case "public":
				m.public = true
			case "async":
				m.async = true
			}
		}
	}
	return m
}

func attributes(n *Node) []*Attribute {
	var out []*Attribute
	for _, c := range n.Children() {
		if c.Kind() != KindAttributeList {
			continue
		}
		for _, a := range c.Children() {
			if a.Kind() != KindAttribute {
				continue
			}
			attr := &Attribute{Name: strings.TrimSuffix(SimpleTypeName(a.ChildByField("name").Text()), "Attribute"), Node: a}
			if args := a.FirstOfKind(KindAttributeArgumentList); args != nil {
				for _, arg := range args.Children() {
					if arg.Kind() == KindAttributeArgument {
						attr.Args = append(attr.Args, arg)
					}
				}
			}
			out = append(out, attr)
		}
	}
	return out
}

func collectType(f *File, decl *Node, names fullNames) *typeDecl {
	td := &typeDecl{decl: decl, outer: outerTypeDecl(decl)}
	t := &td.own
	t.Name, t.FullName, t.Project = decl.ChildByField("name").Text(), names.of(decl), f.Project
	t.Namespace, t.Kind = namespaceOf(decl), decl.Kind()
	t.Static = modifiers(decl).static
	t.attributes = attributes(decl)
	if bl := decl.FirstOfKind(KindBaseList); bl != nil {
		for _, b := range bl.NamedChildren() {
			if b.Kind() == KindArgumentList {
				continue
			}
			name := SimpleTypeName(b.Text())
			if b.Kind() == KindPrimaryConstructorBase {
				name = SimpleTypeName(b.FirstNamed().Text())
			}
			t.BaseNames = append(t.BaseNames, name)
		}
	}
	// Primary-constructor parameters are captured state of the instance.
	if pl := decl.FirstOfKind(KindParameterList); pl != nil {
		for _, prm := range parseParams(pl) {
			fld := &Field{Name: prm.Name, TypeName: prm.TypeName, PrimaryParam: true, File: f}
			fld.Decl = findParamNode(pl, prm.Name)
			// Records expose positional parameters as init-only properties.
			fld.Property = decl.Kind() == KindRecord
			fld.AutoProperty = fld.Property
			td.primary = append(td.primary, fld)
		}
	}
	body := decl.ChildByField("body")
	if body == nil {
		return td
	}
	for _, m := range body.Children() {
		switch m.Kind() {
		case KindFieldDeclaration, KindEventFieldDeclaration:
			td.collectFieldDecl(f, m)
		case KindPropertyDeclaration:
			td.collectProperty(f, m)
		case KindMethodDeclaration, KindConstructorDeclaration, KindDestructorDeclaration,
			KindOperatorDeclaration, KindConversionOperator:
			td.collectMethod(f, m)
		}
	}
	return td
}

// mergeType adds one declaration to its type, made on first sight; place
// is 1 + its place among the file's type declarations.
func (p *Program) mergeType(f *File, td *typeDecl, place uint32) {
	own := &td.own
	t := p.Types[td.key]
	if t == nil {
		// The declaration's own type (makeType) becomes the program's.
		t = td.made
		if td.outer != nil {
			t.Outer = p.declType.get(td.outer)
		}
		p.Types[td.key] = t
		t.id = uint32(len(p.typeList))
		p.typeList = append(p.typeList, t) // and by name once all are merged (buildIndex)
	} else {
		// A further part of a partial type: its members move to the type.
		t.Decls = append(t.Decls, td.decl)
		t.Files = append(t.Files, f)
		t.Static = t.Static || own.Static
		t.attributes = append(t.attributes, own.attributes...)
		t.BaseNames = append(t.BaseNames, own.BaseNames...)
		td.adoptMembers(t, place)
	}
	p.declType.set(td.decl, t)
	for _, step := range td.steps {
		if m := step.unit; m != nil {
			if step.interfacePublic {
				m.Public = m.Public || t.IsInterface()
			}
			p.listMethod(m)
		}
	}
}

// adoptMembers makes t the owner of the declaration's fields and units, in
// their order: fields into its map (a primary-constructor parameter only
// when t has no field of its name), units onto its list of methods.
func (td *typeDecl) adoptMembers(t *Type, place uint32) {
	for _, fld := range td.primary {
		if t.Fields[fld.Name] != nil {
			fld.Owner = nil // in no type, as makeType may have left it in its own
			continue
		}
		fld.Owner = t
		t.addField(fld)
	}
	for _, step := range td.steps {
		if step.field != nil {
			step.field.Owner = t
			t.addField(step.field)
			continue
		}
		m := step.unit
		m.Owner, m.place = t, place
		t.Methods = append(t.Methods, m)
	}
}

func findParamNode(pl *Node, name string) *Node {
	for _, c := range pl.Children() {
		if c.Kind() == KindParameter && c.ChildByField("name").Text() == name {
			return c
		}
	}
	return pl
}

func (t *Type) addField(f *Field) {
	t.Fields[f.Name] = f
	t.FieldOrder = append(t.FieldOrder, f)
}

func (td *typeDecl) collectFieldDecl(f *File, decl *Node) {
	mods := modifiers(decl)
	attrs := attributes(decl)
	vd := decl.FirstOfKind(KindVariableDeclaration)
	if vd == nil {
		return
	}
	typeName := vd.ChildByField("type").Text()
	for _, d := range vd.Children() {
		if d.Kind() != KindVariableDeclarator {
			continue
		}
		fld := &Field{
			Name:       d.ChildByField("name").Text(),
			TypeName:   typeName,
			Static:     mods.static || mods.constant,
			Readonly:   mods.readonly,
			Const:      mods.constant,
			Volatile:   mods.volatile,
			Event:      decl.Kind() == KindEventFieldDeclaration,
			Decl:       d,
			File:       f,
			Attributes: attrs,
		}
		// The initializer is a direct child of the declarator, under no field.
		for _, c := range d.Children() {
			if c.Named() && c.Field() == "" {
				fld.Init = c
			}
		}
		td.steps = append(td.steps, declStep{field: fld})
		if fld.Init != nil {
			td.steps = append(td.steps, declStep{unit: &Method{Name: fld.Name, Kind: MethodInitializer, Static: fld.Static, Decl: fld.Init, Bodies: []*Node{fld.Init}, File: f, Field: fld}})
		}
	}
}

func (td *typeDecl) collectProperty(f *File, decl *Node) {
	mods := modifiers(decl)
	fld := &Field{
		Name:       decl.ChildByField("name").Text(),
		TypeName:   decl.ChildByField("type").Text(),
		Static:     mods.static,
		Property:   true,
		Decl:       decl,
		File:       f,
		Attributes: attributes(decl),
	}
	value := decl.ChildByField("value")
	accessors := decl.ChildByField("accessors")
	if accessors != nil {
		fld.AutoProperty = true
		for _, a := range accessors.Children() {
			if a.Kind() != KindAccessorDeclaration {
				continue
			}
			body := a.ChildByField("body")
			if body == nil {
				continue
			}
			fld.AutoProperty = false
			kind := MethodGetter
			if name := a.ChildByField("name"); name != nil && name.Text() != "get" {
				kind = MethodSetter
			}
			td.steps = append(td.steps, declStep{unit: &Method{Name: accessorName(kind, fld.Name), Kind: kind, Static: fld.Static, Public: mods.public, Decl: a, Bodies: []*Node{body}, File: f, Field: fld, Returns: fld.TypeName, Attributes: fld.Attributes}})
		}
	}
	if value != nil {
		if value.Kind() == KindArrowExpressionClause {
			// `int P => expr;` is a computed getter, not state.
			td.steps = append(td.steps, declStep{unit: &Method{Name: accessorName(MethodGetter, fld.Name), Kind: MethodGetter, Static: fld.Static, Public: mods.public, Decl: value, Bodies: []*Node{value}, File: f, Field: fld, Returns: fld.TypeName}})
		} else {
			fld.Init = value
			td.steps = append(td.steps, declStep{unit: &Method{Name: fld.Name, Kind: MethodInitializer, Static: fld.Static, Decl: value, Bodies: []*Node{value}, File: f, Field: fld}})
		}
	}
	td.steps = append(td.steps, declStep{field: fld})
}

func accessorName(kind MethodKind, prop string) string {
	if kind == MethodSetter {
		return "set_" + prop
	}
	return "get_" + prop
}

func (td *typeDecl) collectMethod(f *File, decl *Node) {
	mods := modifiers(decl)
	m := &Method{
		Static:     mods.static,
		Async:      mods.async,
		Public:     mods.public, // or an interface member: see mergeType
		Decl:       decl,
		File:       f,
		Attributes: attributes(decl),
	}
	switch decl.Kind() {
	case KindMethodDeclaration:
		m.Name = decl.ChildByField("name").Text()
		m.Returns = decl.ChildByField("returns").Text()
	case KindConstructorDeclaration:
		m.Name = ".ctor"
		m.Kind = MethodConstructor
		if m.Static {
			m.Name, m.Kind = ".cctor", MethodStaticConstructor
		}
	case KindDestructorDeclaration:
		m.Name, m.Kind = "Finalize", MethodFinalizer
	default:
		m.Name, m.Kind = "op", MethodOperator
	}
	if pl := decl.ChildByField("parameters"); pl != nil {
		m.Params = parseParams(pl)
	}
	if body := decl.ChildByField("body"); body != nil {
		m.Bodies = []*Node{body}
	}
	// A constructor's `: this(...)`/`: base(...)` call runs as part of it.
	if init := decl.FirstOfKind(KindConstructorInitializer); init != nil {
		m.Bodies = append(m.Bodies, init)
	}
	td.steps = append(td.steps, declStep{unit: m, interfacePublic: true})
}

// indexUnits maps each unit's declaration to it (top-level statements: each
// statement), in list order as merging used to while it listed them.
func (p *Program) indexUnits() {
	for _, m := range p.Methods {
		if m.Kind == MethodTopLevel {
			for _, s := range m.Bodies {
				p.units.set(s, m)
			}
			continue
		}
		p.units.set(m.Decl, m)
	}
}

// listMethod numbers a unit and appends it to the program's list; while the
// index is built, the by-name maps are filled afterwards (nameMethods).
func (p *Program) listMethod(m *Method) {
	m.id = uint32(len(p.Methods))
	p.Methods = append(p.Methods, m)
}

// addMethod lists a unit made after the index (an entry-point lambda) and
// files it by name.
func (p *Program) addMethod(m *Method) {
	p.listMethod(m)
	p.methodsByName[m.Name] = append(p.methodsByName[m.Name], m)
	if m.File != nil {
		in := p.methodsInProject(m.File.Project)
		in[m.Name] = append(in[m.Name], m)
	}
}

func (p *Program) methodsInProject(project string) map[string][]*Method {
	in := p.methodsIn[project]
	if in == nil {
		in = map[string][]*Method{}
		p.methodsIn[project] = in
	}
	return in
}

// nameMethods files the indexed units by name, program-wide and per
// project, in list order; the two maps are filled side by side (filling
// them one unit at a time while merging was half of merging's time).
func (p *Program) nameMethods() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, m := range p.Methods {
			p.methodsByName[m.Name] = append(p.methodsByName[m.Name], m)
		}
	}()
	var project string
	var in map[string][]*Method
	for _, m := range p.Methods {
		if m.File == nil {
			continue
		}
		if in == nil || m.File.Project != project {
			project, in = m.File.Project, p.methodsInProject(m.File.Project)
		}
		in[m.Name] = append(in[m.Name], m)
	}
	wg.Wait()
}

// parseParams reads a parameter_list. The grammar puts a `params T[] xs`
// parameter's type and name directly in the list, not in a parameter node.
func parseParams(pl *Node) []Param {
	var out []Param
	for _, c := range pl.Children() {
		switch {
		case c.Kind() == KindParameter:
			prm := Param{Name: c.ChildByField("name").Text()}
			if t := c.ChildByField("type"); t != nil {
				prm.TypeName = t.Text()
			}
			for _, k := range c.Children() {
				switch {
				case k.Kind() == KindModifier && k.Text() == "this":
					prm.This = true
				case k.Kind() == KindModifier:
					prm.Modifier = k.Text()
				case k.Named() && k.Field() == "" && k.Kind() != KindAttributeList:
					prm.Optional = true // a default value
				}
			}
			out = append(out, prm)
		case c.Field() == "name":
			prm := Param{Name: c.Text(), Params: true}
			for _, k := range pl.Children() {
				if k.Field() == "type" {
					prm.TypeName = k.Text()
				}
			}
			out = append(out, prm)
		}
	}
	return out
}
