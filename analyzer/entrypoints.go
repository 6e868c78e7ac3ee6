package analyzer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"unsafe"

	"gopkg.in/yaml.v3"
)

// EntryPoint is a method or delegate that Lambda invokes per request.
type EntryPoint struct {
	Method  *Method
	Handler string // the handler as declared, or Type.Method
	Source  string // which discovery source found it (see the Source* constants)
	Origin  string // where it was declared: "path:line"
}

// Entry-point discovery sources, as shown by `lmilint handlers`.
const (
	SourceToolsDefaults = "aws-lambda-tools-defaults.json"
	SourceServerless    = "serverless.template"
	SourceSAM           = "SAM template"
	SourceCDK           = "CDK handler string"
	SourceAnnotations   = "[LambdaFunction]"
	SourceBootstrap     = "LambdaBootstrapBuilder.Create"
	SourceController    = "ASP.NET Core controller action"
	SourceMinimalAPI    = "ASP.NET Core minimal API endpoint"
	SourceContextParam  = "ILambdaContext parameter"
	SourceConfig        = "lmilint config"
)

// Manifest is a deployment file that may name handlers.
type Manifest struct {
	Path    string
	RelPath string
	Data    []byte
	Project string // see File.Project
}

// IsManifestName reports whether a file name is one lmilint reads for handlers.
func IsManifestName(name string) bool {
	switch strings.ToLower(name) {
	case "aws-lambda-tools-defaults.json", "serverless.template", "template.yaml", "template.yml":
		return true
	}
	return false
}

var handlerString = regexp.MustCompile(`^[\w.\-]+::[\w.+]+::\w+$`)

func (p *Program) addEntry(ep *EntryPoint) {
	if p.entryMethods[ep.Method] {
		return // one entry per method; the first source found wins
	}
	if p.entryMethods == nil {
		p.entryMethods = map[*Method]bool{}
	}
	p.entryMethods[ep.Method] = true
	p.EntryPoints = append(p.EntryPoints, ep)
}

// discoverEntryPoints runs every discovery source of SPEC §1.
func (p *Program) discoverEntryPoints(manifests []Manifest) {
	for _, m := range manifests {
		p.readManifest(m)
	}
	for _, h := range p.Options.ExtraEntryPoints {
		p.resolveHandler(h, SourceConfig, ".lmilint.yaml", "")
	}
	// ASP.NET Core apps hosted in Lambda, by project.
	aspNetHosts := map[string]bool{}
	for _, t := range p.allTypes() {
		for _, base := range []string{"APIGatewayProxyFunction", "APIGatewayHttpApiV2ProxyFunction", "ApplicationLoadBalancerFunction"} {
			if p.DerivesFrom(t, base) {
				aspNetHosts[t.Project] = true
			}
		}
	}
	hostingCall := func(f *File, n *Node) bool {
		name, recv := CalleeName(n)
		return name == "AddAWSLambdaHosting" || name == "Create" && recv != nil && SimpleTypeName(recv.Text()) == "LambdaBootstrapBuilder"
	}
	p.eachMatch("hosting", KindInvocation, hostingCall, func(f *File, n *Node) {
		if name, _ := CalleeName(n); name == "Create" {
			p.bootstrapEntry(f, n)
		} else {
			aspNetHosts[f.Project] = true
		}
	})
	handlerLike := func(f *File, lit *Node) bool { return handlerString.MatchString(StringValue(lit)) }
	p.eachMatch("handler strings", KindStringLiteral, handlerLike, p.cdkHandler)
	p.eachMatch("handler verbatim strings", KindVerbatimStringLiteral, handlerLike, p.cdkHandler)
	for _, m := range p.Methods {
		switch {
		case m.HasAttribute("LambdaFunction"):
			p.addEntry(&EntryPoint{Method: m, Handler: m.DisplayName(), Source: SourceAnnotations, Origin: p.where(m.File, m.Decl)})
		case m.Kind == MethodOrdinary && m.Public && hasContextParam(m):
			p.contextCandidates = append(p.contextCandidates, m)
			m.contextCandidate = true
		}
	}
	if len(aspNetHosts) > 0 {
		p.aspNetEntries(aspNetHosts)
	}
}

// addContextEntries makes the public methods taking an ILambdaContext entry
// points, except those that code of their own project calls: those are
// helpers handed the context (an intent processor, a logger), reached from the
// real handler, and their classes are not handler classes. Runs after the
// call graph is built.
func (p *Program) addContextEntries() {
	called := map[*Method]bool{}
	// Target lists are shared by many calls (see Call); one that holds no
	// candidate is looked through once, not once per call.
	noCandidate := map[*(*Method)]bool{}
	for _, m := range p.Methods {
		for _, c := range m.Calls {
			wide := len(c.targets) > 8
			list := unsafe.SliceData(c.targets)
			if wide && noCandidate[list] {
				continue
			}
			found := false
			for _, to := range c.targets {
				if to.contextCandidate {
					found = true
					if to != m && m.File != nil && to.File != nil && m.File.Project == to.File.Project {
						called[to] = true
					}
				}
			}
			if wide && !found {
				noCandidate[list] = true
			}
		}
	}
	for _, m := range p.contextCandidates {
		if !called[m] {
			p.addEntry(&EntryPoint{Method: m, Handler: m.DisplayName(), Source: SourceContextParam, Origin: p.where(m.File, m.Decl)})
		}
	}
}

func hasContextParam(m *Method) bool {
	for _, prm := range m.Params {
		if SimpleTypeName(prm.TypeName) == "ILambdaContext" {
			return true
		}
	}
	return false
}

func (p *Program) where(f *File, n *Node) string {
	return fmt.Sprintf("%s:%d", f.RelPath, f.Position(int(n.Start())).Line)
}

// readManifest reads handler strings from a deployment file.
func (p *Program) readManifest(m Manifest) {
	base := strings.ToLower(path.Base(m.RelPath))
	m.Data = bytes.TrimPrefix(m.Data, []byte{0xEF, 0xBB, 0xBF})
	scope := path.Dir(m.RelPath)
	switch base {
	case "aws-lambda-tools-defaults.json", "serverless.template":
		var doc any
		if err := json.Unmarshal(stripJSONComments(m.Data), &doc); err != nil {
			p.Diagnostics = append(p.Diagnostics, Diagnostic{Level: "warning", File: m.RelPath, Line: jsonErrorLine(m.Data, err), Message: fmt.Sprintf("cannot read handlers: invalid JSON: %v", err)})
			return
		}
		source := SourceToolsDefaults
		key := "function-handler"
		if base == "serverless.template" {
			source, key = SourceServerless, "Handler"
		}
		walkJSON(doc, func(k string, v any) {
			if s, ok := v.(string); ok && k == key {
				p.resolveHandler(s, source, fmt.Sprintf("%s:%d", m.RelPath, lineOf(m.Data, s)), scope)
			}
		})
	default:
		var doc yaml.Node
		if err := yaml.Unmarshal(m.Data, &doc); err != nil {
			p.Diagnostics = append(p.Diagnostics, Diagnostic{Level: "warning", File: m.RelPath, Line: yamlErrorLine(err), Message: fmt.Sprintf("cannot read handlers: invalid YAML: %v", err)})
			return
		}
		walkYAML(&doc, func(k, v *yaml.Node) {
			if k.Value == "Handler" && v.Kind == yaml.ScalarNode {
				p.resolveHandler(v.Value, SourceSAM, fmt.Sprintf("%s:%d", m.RelPath, v.Line), scope)
			}
		})
	}
}

// resolveHandler binds "Assembly::Ns.Type::Method" to project methods. A
// handler without "::" names an executable assembly, whose entry point is the
// bootstrap delegate found in code. When several projects declare the type,
// those below the manifest's directory (scope) are taken.
func (p *Program) resolveHandler(handler, source, origin, scope string) {
	parts := strings.Split(handler, "::")
	if len(parts) != 3 {
		return
	}
	typeName, method := parts[1], parts[2]
	// Amazon.Lambda.Annotations names the class its source generator writes at
	// build time (Functions_Add_Generated); the handler is Functions.Add.
	if strings.HasSuffix(typeName, "_"+method+"_Generated") && len(p.TypesByFullName[typeName]) == 0 {
		typeName = strings.TrimSuffix(typeName, "_"+method+"_Generated")
	}
	types := p.TypesByFullName[typeName]
	if len(types) == 0 {
		// Tolerate a namespace the index could not see (e.g. `using` aliases).
		if ts := p.TypesByName[SimpleTypeName(strings.ReplaceAll(typeName, "+", "."))]; len(ts) == 1 {
			types = ts
		}
	}
	if len(types) > 1 {
		var under []*Type
		for _, t := range types {
			for _, f := range t.Files {
				if scope == "." || scope == "" || strings.HasPrefix(f.RelPath, scope+"/") {
					under = append(under, t)
					break
				}
			}
		}
		if len(under) > 0 {
			types = under
		}
	}
	found := false
	for _, t := range types {
		for _, c := range p.TypeChainBases(t) {
			for _, m := range c.Methods {
				if m.Name == method && m.Kind == MethodOrdinary {
					p.addEntry(&EntryPoint{Method: m, Handler: handler, Source: source, Origin: origin})
					found = true
				}
			}
		}
	}
	if !found && len(types) > 0 && p.inheritsFromOutside(types) {
		// The method is inherited from a base class outside the scanned code,
		// e.g. APIGatewayProxyFunction.FunctionHandlerAsync: the app's own code
		// (controllers, endpoints) holds the entry points.
		return
	}
	if !found {
		file, line := splitOrigin(origin)
		what := "type " + typeName
		if len(types) > 0 {
			what = "method " + method + " on " + typeName
		}
		p.Diagnostics = append(p.Diagnostics, Diagnostic{Level: "warning", File: file, Line: line,
			Message: fmt.Sprintf("handler %q does not resolve: no %s in the scanned code", handler, what)})
	}
}

// inheritsFromOutside reports whether any of the types has a base class that
// is not declared in the scanned code.
func (p *Program) inheritsFromOutside(types []*Type) bool {
	for _, t := range types {
		for _, c := range p.TypeChainBases(t) {
			for _, b := range c.BaseNames {
				if len(p.typesNamed(b, c.Project)) == 0 && !strings.HasPrefix(b, "I") {
					return true
				}
			}
		}
	}
	return false
}

func splitOrigin(origin string) (string, int) {
	i := strings.LastIndexByte(origin, ':')
	if i < 0 {
		return origin, 0
	}
	line := 0
	fmt.Sscanf(origin[i+1:], "%d", &line)
	return origin[:i], line
}

// cdkHandler reads `Handler = "A::B::C"` and `handler: "A::B::C"` in C# code.
func (p *Program) cdkHandler(f *File, lit *Node) {
	s := StringValue(lit)
	if !handlerString.MatchString(s) {
		return
	}
	par := lit.Parent()
	if par != nil && par.Kind() == KindArgument {
		if name := par.ChildByField("name"); name != nil && strings.EqualFold(name.Text(), "handler") {
			p.resolveHandler(s, SourceCDK, p.where(f, lit), "")
		}
		return
	}
	if par != nil && par.Kind() == KindAssignment && par.ChildByField("left").Text() == "Handler" {
		p.resolveHandler(s, SourceCDK, p.where(f, lit), "")
	}
}

// bootstrapEntry makes the delegate given to LambdaBootstrapBuilder.Create an
// entry point: a lambda, a method group, or a local holding either.
func (p *Program) bootstrapEntry(f *File, call *Node) {
	args := Arguments(call)
	if len(args) == 0 {
		return
	}
	p.delegateEntry(f, ArgValue(args[0]), SourceBootstrap, call)
}

func (p *Program) delegateEntry(f *File, v *Node, source string, site *Node) {
	v = Unparen(v)
	if v == nil {
		return
	}
	switch v.Kind() {
	case KindLambda, KindAnonymousMethod:
		m := p.delegateUnit(f, v)
		p.addEntry(&EntryPoint{Method: m, Handler: m.Name, Source: source, Origin: p.where(f, v)})
	case KindIdentifier, KindMemberAccess, KindGenericName:
		name := v.Text()
		if v.Kind() == KindMemberAccess {
			name = v.ChildByField("name").Text()
		}
		unit := p.UnitOf(v)
		if v.Kind() == KindIdentifier && unit != nil {
			// A local holding a delegate: Func<…> handler = async (input, ctx) => …;
			if init := localInitializer(unit, name); init != nil {
				p.delegateEntry(f, init, source, site)
				return
			}
		}
		found := false
		for _, m := range p.methodGroup(v, name, unit) {
			p.addEntry(&EntryPoint{Method: m, Handler: m.DisplayName(), Source: source, Origin: p.where(f, site)})
			found = true
		}
		if !found {
			p.Diagnostics = append(p.Diagnostics, Diagnostic{Level: "note", File: f.RelPath, Line: f.Position(int(v.Start())).Line,
				Message: fmt.Sprintf("entry-point delegate %q passed to %s does not resolve to a method in the scanned code", v.Text(), source)})
		}
	}
}

// methodGroup resolves a method group used as a delegate: `T.M` on type T; a
// bare `M` in the enclosing types, then among the unit's local functions
// (top-level programs), then by name in the same project.
func (p *Program) methodGroup(v *Node, name string, unit *Method) []*Method {
	var out []*Method
	if v.Kind() == KindMemberAccess {
		if t := p.TypeOf(v.ChildByField("expression")); t.Type != nil {
			for _, c := range p.TypeChainBases(t.Type) {
				out = appendNamed(out, slices.Values(c.Methods), name)
			}
			return out
		}
	}
	for _, t := range p.TypeChain(p.TypeOfNode(v)) {
		out = appendNamed(out, slices.Values(t.Methods), name)
	}
	if len(out) > 0 {
		return out
	}
	if unit != nil {
		for _, b := range unit.Bodies {
			b.Walk(func(n *Node) bool {
				if n.Kind() == KindLocalFunction && n.ChildByField("name").Text() == name {
					out = append(out, p.delegateUnit(p.fileOf(n), n))
				}
				return true
			})
		}
		if len(out) > 0 {
			return out
		}
	}
	return appendNamed(out, p.methodsVisible(name, v), name)
}

func appendNamed(out []*Method, ms iter.Seq[*Method], name string) []*Method {
	for m := range ms {
		if m.Name == name && m.Kind == MethodOrdinary && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// localInitializer finds the initializer of a local declared in the unit.
func localInitializer(m *Method, name string) *Node {
	return localsOf(m).inits[name]
}

// unitLocals are facts about a unit's locals, gathered in one walk.
type unitLocals struct {
	inits      map[string]*Node // the first initializer of each local name
	reassigned map[string]bool  // names assigned with `=` somewhere in the unit
}

// localsOf walks the unit once for its locals, on first use (like scopeOf).
func localsOf(m *Method) *unitLocals {
	if l := m.locals.Load(); l != nil {
		return l
	}
	l := &unitLocals{inits: map[string]*Node{}, reassigned: map[string]bool{}}
	for _, b := range m.Bodies {
		b.Walk(func(n *Node) bool {
			switch n.Kind() {
			case KindVariableDeclarator:
				name := n.ChildByField("name").Text()
				if _, ok := l.inits[name]; ok {
					return true
				}
				for _, c := range n.Children() {
					if c.Named() && c.Field() == "" {
						l.inits[name] = c
					}
				}
			case KindAssignment:
				if left := n.ChildByField("left"); left != nil && left.Kind() == KindIdentifier {
					l.reassigned[left.Text()] = true
				}
			}
			return true
		})
	}
	m.locals.CompareAndSwap(nil, l)
	return m.locals.Load()
}

// delegateNamePrefix starts the name of a lambda made a unit.
const delegateNamePrefix = "lambda at "

// delegateUnit registers a lambda as its own unit of code, so that it is
// request-path code even though it is written inside Main.
func (p *Program) delegateUnit(f *File, lambda *Node) *Method {
	if m := p.units.get(lambda); m != nil {
		return m
	}
	encl := p.UnitOf(lambda)
	m := &Method{Kind: MethodDelegate, Decl: lambda, File: f, Owner: p.TypeOfNode(lambda), Async: lambda.HasToken("async") || lambda.HasModifier("async")}
	if encl != nil && encl.Owner == m.Owner {
		m.place = encl.place // the declaration around the unit around it
	}
	m.Name = fmt.Sprintf(delegateNamePrefix+"%s:%d", f.RelPath, f.Position(int(lambda.Start())).Line)
	if lambda.Kind() == KindLocalFunction {
		m.Name = lambda.ChildByField("name").Text()
	}
	if prm := lambda.ChildByField("parameters"); prm != nil && prm.Kind() == KindParameterList {
		m.Params = parseParams(prm)
	} else if prm != nil {
		m.Params = []Param{{Name: prm.Text()}}
	}
	if body := lambda.ChildByField("body"); body != nil {
		m.Bodies = []*Node{body}
	}
	p.units.set(lambda, m)
	p.addMethod(m)
	// Locals of the enclosing unit stay visible (closures).
	if encl != nil {
		encl.scope.Store(nil)
		encl.locals.Store(nil)
	}
	return m
}

var endpointMethods = map[string]bool{"MapGet": true, "MapPost": true, "MapPut": true, "MapDelete": true, "MapPatch": true, "MapMethods": true, "Map": true, "MapFallback": true}

// aspNetEntries adds controller actions and minimal-API endpoint delegates of
// an ASP.NET Core app hosted in Lambda.
func (p *Program) aspNetEntries(hosts map[string]bool) {
	for _, t := range p.allTypes() {
		if !hosts[t.Project] || !p.isController(t) {
			continue
		}
		for _, m := range t.Methods {
			if m.Kind == MethodOrdinary && m.Public && !m.Static && !m.HasAttribute("NonAction") {
				p.addEntry(&EntryPoint{Method: m, Handler: m.DisplayName(), Source: SourceController, Origin: p.where(m.File, m.Decl)})
			}
		}
	}
	p.EachNode(KindInvocation, func(f *File, n *Node) {
		if !hosts[f.Project] {
			return
		}
		if name, _ := CalleeName(n); endpointMethods[name] {
			if args := Arguments(n); len(args) >= 2 {
				p.delegateEntry(f, ArgValue(args[len(args)-1]), SourceMinimalAPI, n)
			}
		}
	})
}

// isController reports whether t is an MVC controller.
func (p *Program) isController(t *Type) bool {
	if t.IsInterface() {
		return false
	}
	for _, c := range p.TypeChainBases(t) {
		if c.HasAttribute("ApiController") || c.HasAttribute("Controller") {
			return true
		}
		for _, b := range c.BaseNames {
			if b == "Controller" || b == "ControllerBase" {
				return true
			}
		}
	}
	return false
}

// StringValue returns the contents of a plain or verbatim string literal.
func StringValue(n *Node) string {
	switch n.Kind() {
	case KindStringLiteral:
		var b strings.Builder
		for _, c := range n.Children() {
			switch c.Kind() {
			case KindStringLiteralContent:
				b.WriteString(c.Text())
			case KindEscapeSequence:
				b.WriteString(unescape(c.Text()))
			}
		}
		return b.String()
	case KindVerbatimStringLiteral:
		s := n.Text()
		if len(s) >= 3 {
			return strings.ReplaceAll(s[2:len(s)-1], `""`, `"`)
		}
	case KindRawStringLiteral:
		return strings.Trim(n.Text(), `"`)
	}
	return ""
}

func unescape(s string) string {
	switch s {
	case `\\`:
		return `\`
	case `\"`:
		return `"`
	case `\n`:
		return "\n"
	case `\t`:
		return "\t"
	}
	return s
}

func walkJSON(v any, visit func(key string, value any)) {
	switch x := v.(type) {
	case map[string]any:
		// In key order: Go maps iterate at random, and the order handlers
		// are found in is the order entry points are listed in.
		for _, k := range slices.Sorted(maps.Keys(x)) {
			visit(k, x[k])
			walkJSON(x[k], visit)
		}
	case []any:
		for _, val := range x {
			walkJSON(val, visit)
		}
	}
}

func walkYAML(n *yaml.Node, visit func(k, v *yaml.Node)) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			visit(n.Content[i], n.Content[i+1])
		}
	}
	for _, c := range n.Content {
		walkYAML(c, visit)
	}
}

// stripJSONComments removes // and /* */ comments, which the .NET tooling
// accepts in aws-lambda-tools-defaults.json.
func stripJSONComments(data []byte) []byte {
	var out bytes.Buffer
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString:
			out.WriteByte(c)
			if c == '\\' && i+1 < len(data) {
				i++
				out.WriteByte(data[i])
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
			out.WriteByte(c)
		case c == '/' && i+1 < len(data) && data[i+1] == '/':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			out.WriteByte('\n')
		case c == '/' && i+1 < len(data) && data[i+1] == '*':
			i += 2
			for i+1 < len(data) && !(data[i] == '*' && data[i+1] == '/') {
				if data[i] == '\n' {
					out.WriteByte('\n')
				}
				i++
			}
			i++
		default:
			out.WriteByte(c)
		}
	}
	return out.Bytes()
}

func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

func jsonErrorLine(data []byte, err error) int {
	var se *json.SyntaxError
	if ok := asSyntaxError(err, &se); ok {
		return bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")) + 1
	}
	return 0
}

func asSyntaxError(err error, target **json.SyntaxError) bool {
	se, ok := err.(*json.SyntaxError)
	if ok {
		*target = se
	}
	return ok
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlErrorLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	line := 0
	fmt.Sscanf(m[1], "%d", &line)
	return line
}
