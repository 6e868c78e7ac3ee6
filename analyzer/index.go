package analyzer

import (
	"sort"
	"strings"
)

// buildIndex fills the symbol index from the parsed files: types (partial
// declarations merged), members, and every unit of code.
func (p *Program) buildIndex() {
	p.Types = map[string]*Type{}
	p.TypesByFullName = map[string][]*Type{}
	p.TypesByName = map[string][]*Type{}
	p.methodsByName = map[string][]*Method{}
	p.units = newNodeMap[*Method]()
	p.derived = map[*Type][]*Type{}
	p.declType = newNodeMap[*Type]()
	p.typesIn = map[string]map[string][]*Type{}
	p.methodsIn = map[string]map[string][]*Method{}
	for _, f := range p.Files {
		p.indexFile(f)
	}
	p.fullNames = nil // only indexing names declarations
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

func (p *Program) indexFile(f *File) {
	var topLevel []*Node
	for _, c := range f.Root.Children() {
		if c.Kind == KindGlobalStatement {
			topLevel = append(topLevel, c)
		}
	}
	if len(topLevel) > 0 {
		m := &Method{Name: "<top-level statements>", Kind: MethodTopLevel, Static: true, Decl: topLevel[0], Bodies: topLevel, File: f}
		for _, s := range topLevel {
			p.units.set(s, m)
		}
		p.addMethod(m)
	}
	// Outer types before inner ones: source order of all type declarations.
	var decls []*Node
	for _, k := range []Kind{KindClass, KindStruct, KindRecord, KindInterface} {
		decls = append(decls, f.NodesOf(k)...)
	}
	sort.Slice(decls, func(i, j int) bool { return decls[i].Start < decls[j].Start })
	for _, d := range decls {
		if d.ChildByField("name") != nil {
			p.indexType(f, d)
		}
	}
}

// namespaceOf returns the namespace a declaration is in, block or file-scoped.
func namespaceOf(n *Node) string {
	var parts []string
	for cur := n.Parent(); cur != nil; cur = cur.Parent() {
		if cur.Kind == KindNamespace {
			parts = append([]string{cur.ChildByField("name").Text()}, parts...)
		}
		if cur.Kind == KindCompilationUnit {
			// A file-scoped namespace has no body: later declarations are its siblings.
			if fs := cur.FirstOfKind(KindFileScopedNamespace); fs != nil && fs.Start < n.Start {
				parts = append([]string{fs.ChildByField("name").Text()}, parts...)
			}
		}
	}
	return strings.Join(parts, ".")
}

// fullNameOf is the CLR-style name of a type declaration: Ns.Outer+Inner.
// Names are remembered: a type nested n deep would otherwise name its outer
// types again, n² work per type (5,000 nested classes took 30 s).
func (p *Program) fullNameOf(decl *Node) string {
	if full, ok := p.fullNames[decl]; ok {
		return full
	}
	full := p.computeFullName(decl)
	if p.fullNames == nil {
		p.fullNames = map[*Node]string{}
	}
	p.fullNames[decl] = full
	return full
}

func (p *Program) computeFullName(decl *Node) string {
	name := decl.ChildByField("name").Text()
	for cur := decl.Parent(); cur != nil; cur = cur.Parent() {
		if isTypeDecl(cur.Kind) {
			return p.fullNameOf(cur) + "+" + name
		}
	}
	if ns := namespaceOf(decl); ns != "" {
		return ns + "." + name
	}
	return name
}

// modifierSet is the modifiers the index records (a map per declaration
// was a third of indexing's cost).
type modifierSet struct{ static, constant, readonly, volatile, public, async bool }

func modifiers(n *Node) modifierSet {
	var m modifierSet
	for _, c := range n.Children() {
		if c.Kind == KindModifier {
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
		if c.Kind != KindAttributeList {
			continue
		}
		for _, a := range c.Children() {
			if a.Kind != KindAttribute {
				continue
			}
			attr := &Attribute{Name: strings.TrimSuffix(SimpleTypeName(a.ChildByField("name").Text()), "Attribute"), Node: a}
			if args := a.FirstOfKind(KindAttributeArgumentList); args != nil {
				for _, arg := range args.Children() {
					if arg.Kind == KindAttributeArgument {
						attr.Args = append(attr.Args, arg)
					}
				}
			}
			out = append(out, attr)
		}
	}
	return out
}

func (p *Program) indexType(f *File, decl *Node) {
	full := p.fullNameOf(decl)
	t := p.Types[typeKey(f.Project, full)]
	if t == nil {
		t = &Type{
			Name:      decl.ChildByField("name").Text(),
			FullName:  full,
			Project:   f.Project,
			Namespace: namespaceOf(decl),
			Kind:      decl.Kind,
			Fields:    map[string]*Field{},
		}
		for cur := decl.Parent(); cur != nil; cur = cur.Parent() {
			if isTypeDecl(cur.Kind) {
				t.Outer = p.declType.get(cur)
				break
			}
		}
		p.Types[typeKey(f.Project, full)] = t
		p.typeList = append(p.typeList, t)
		p.TypesByName[t.Name] = append(p.TypesByName[t.Name], t)
		if p.typesIn[t.Project] == nil {
			p.typesIn[t.Project] = map[string][]*Type{}
		}
		p.typesIn[t.Project][t.Name] = append(p.typesIn[t.Project][t.Name], t)
		p.TypesByFullName[full] = append(p.TypesByFullName[full], t)
	}
	p.declType.set(decl, t)
	t.Decls = append(t.Decls, decl)
	t.Files = append(t.Files, f)
	mods := modifiers(decl)
	t.Static = t.Static || mods.static
	t.Attributes = append(t.Attributes, attributes(decl)...)
	if bl := decl.FirstOfKind(KindBaseList); bl != nil {
		for _, b := range bl.NamedChildren() {
			if b.Kind == KindArgumentList {
				continue
			}
			name := SimpleTypeName(b.Text())
			if b.Kind == KindPrimaryConstructorBase {
				name = SimpleTypeName(b.FirstNamed().Text())
			}
			t.BaseNames = append(t.BaseNames, name)
		}
	}
	// Primary-constructor parameters are captured state of the instance.
	if pl := decl.FirstOfKind(KindParameterList); pl != nil {
		for _, prm := range parseParams(pl) {
			if t.Fields[prm.Name] != nil {
				continue
			}
			fld := &Field{Name: prm.Name, Owner: t, TypeName: prm.TypeName, PrimaryParam: true, File: f}
			fld.Decl = findParamNode(pl, prm.Name)
			// Records expose positional parameters as init-only properties.
			fld.Property = decl.Kind == KindRecord
			fld.AutoProperty = fld.Property
			t.addField(fld)
		}
	}
	body := decl.ChildByField("body")
	if body == nil {
		return
	}
	for _, m := range body.Children() {
		switch m.Kind {
		case KindFieldDeclaration, KindEventFieldDeclaration:
			p.indexFieldDecl(f, t, m)
		case KindPropertyDeclaration:
			p.indexProperty(f, t, m)
		case KindMethodDeclaration, KindConstructorDeclaration, KindDestructorDeclaration,
			KindOperatorDeclaration, KindConversionOperator:
			p.indexMethod(f, t, m)
		}
	}
}

func findParamNode(pl *Node, name string) *Node {
	for _, c := range pl.Children() {
		if c.Kind == KindParameter && c.ChildByField("name").Text() == name {
			return c
		}
	}
	return pl
}

func (t *Type) addField(f *Field) {
	t.Fields[f.Name] = f
	t.FieldOrder = append(t.FieldOrder, f)
}

func (p *Program) indexFieldDecl(f *File, t *Type, decl *Node) {
	mods := modifiers(decl)
	attrs := attributes(decl)
	vd := decl.FirstOfKind(KindVariableDeclaration)
	if vd == nil {
		return
	}
	typeName := vd.ChildByField("type").Text()
	for _, d := range vd.Children() {
		if d.Kind != KindVariableDeclarator {
			continue
		}
		fld := &Field{
			Name:       d.ChildByField("name").Text(),
			Owner:      t,
			TypeName:   typeName,
			Static:     mods.static || mods.constant,
			Readonly:   mods.readonly,
			Const:      mods.constant,
			Volatile:   mods.volatile,
			Event:      decl.Kind == KindEventFieldDeclaration,
			Decl:       d,
			File:       f,
			Attributes: attrs,
		}
		// The initializer is a direct child of the declarator (no field name).
		// The initializer is a direct child of the declarator, under no field.
		for _, c := range d.Children() {
			if c.Named && c.Field() == "" {
				fld.Init = c
			}
		}
		t.addField(fld)
		if fld.Init != nil {
			p.addUnit(&Method{Name: fld.Name, Owner: t, Kind: MethodInitializer, Static: fld.Static, Decl: fld.Init, Bodies: []*Node{fld.Init}, File: f, Field: fld})
		}
	}
}

func (p *Program) indexProperty(f *File, t *Type, decl *Node) {
	mods := modifiers(decl)
	fld := &Field{
		Name:       decl.ChildByField("name").Text(),
		Owner:      t,
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
			if a.Kind != KindAccessorDeclaration {
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
			p.addUnit(&Method{Name: accessorName(kind, fld.Name), Owner: t, Kind: kind, Static: fld.Static, Public: mods.public, Decl: a, Bodies: []*Node{body}, File: f, Field: fld, Returns: fld.TypeName, Attributes: fld.Attributes})
		}
	}
	if value != nil {
		if value.Kind == KindArrowExpressionClause {
			// `int P => expr;` is a computed getter, not state.
			p.addUnit(&Method{Name: accessorName(MethodGetter, fld.Name), Owner: t, Kind: MethodGetter, Static: fld.Static, Public: mods.public, Decl: value, Bodies: []*Node{value}, File: f, Field: fld, Returns: fld.TypeName})
		} else {
			fld.Init = value
			p.addUnit(&Method{Name: fld.Name, Owner: t, Kind: MethodInitializer, Static: fld.Static, Decl: value, Bodies: []*Node{value}, File: f, Field: fld})
		}
	}
	t.addField(fld)
}

func accessorName(kind MethodKind, prop string) string {
	if kind == MethodSetter {
		return "set_" + prop
	}
	return "get_" + prop
}

func (p *Program) indexMethod(f *File, t *Type, decl *Node) {
	mods := modifiers(decl)
	m := &Method{
		Owner:      t,
		Static:     mods.static,
		Async:      mods.async,
		Public:     mods.public || t.IsInterface(),
		Decl:       decl,
		File:       f,
		Attributes: attributes(decl),
	}
	switch decl.Kind {
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
	p.addUnit(m)
}

func (p *Program) addUnit(m *Method) {
	p.units.set(m.Decl, m)
	if m.Owner != nil {
		m.Owner.Methods = append(m.Owner.Methods, m)
	}
	p.addMethod(m)
}

func (p *Program) addMethod(m *Method) {
	p.Methods = append(p.Methods, m)
	p.methodsByName[m.Name] = append(p.methodsByName[m.Name], m)
	if m.File != nil {
		if p.methodsIn[m.File.Project] == nil {
			p.methodsIn[m.File.Project] = map[string][]*Method{}
		}
		p.methodsIn[m.File.Project][m.Name] = append(p.methodsIn[m.File.Project][m.Name], m)
	}
}

// parseParams reads a parameter_list. The grammar puts a `params T[] xs`
// parameter's type and name directly in the list, not in a parameter node.
func parseParams(pl *Node) []Param {
	var out []Param
	for _, c := range pl.Children() {
		switch {
		case c.Kind == KindParameter:
			prm := Param{Name: c.ChildByField("name").Text()}
			if t := c.ChildByField("type"); t != nil {
				prm.TypeName = t.Text()
			}
			for _, k := range c.Children() {
				switch {
				case k.Kind == KindModifier && k.Text() == "this":
					prm.This = true
				case k.Kind == KindModifier:
					prm.Modifier = k.Text()
				case k.Named && k.Field() == "" && k.Kind != KindAttributeList:
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
