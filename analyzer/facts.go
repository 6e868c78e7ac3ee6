package analyzer

import (
	"regexp"
	"slices"
	"strings"
)

// Diagnostic is a problem with the run itself (an unreadable file, a parse
// error, a manifest that does not resolve), never a rule finding.
type Diagnostic struct {
	Level   string // "error", "warning" or "note"
	File    string // relative path, or "" for the whole run
	Line    int    // 0 when unknown
	Message string
}

// AccessKind says how code uses a field.
type AccessKind int

// The ways a field is used.
const (
	Read            AccessKind = iota
	Assign                     // x = v
	CoalesceAssign             // x ??= v
	ReadModifyWrite            // x++, x += v, x = x + v
	RefArg                     // M(ref x), M(out x)
	Deconstruct                // (x, y) = …
	MemberCall                 // x.M(…), x.A.M(…)
	MemberAssign               // x.P = v, x[i] = v, x.A.P = v
	MemberRead                 // x.P
)

// Access is one use of a project field in code.
type Access struct {
	Field *Field
	Ref   *Node      // the identifier or member access naming the field
	Expr  *Node      // the whole flagged expression (assignment, ++, invocation, …)
	Unit  *Method    // the code unit it is in
	Kind  AccessKind // how the field is used
	Chain []string   // for member accesses: member names below the field ("DefaultRequestHeaders", "Add"); "[]" for an indexer
	Op    string     // the assignment or update operator
}

// IsWrite reports whether the access changes the field itself.
func (a *Access) IsWrite() bool {
	switch a.Kind {
	case Assign, CoalesceAssign, ReadModifyWrite, RefArg, Deconstruct:
		return true
	}
	return false
}

// facts are computed once per program and shared by every rule.
type facts struct {
	accesses []*Access
	byField  map[*Field][]*Access
}

// Accesses returns every use of a project field or property holding state, in
// file order.
func (p *Program) Accesses() []*Access {
	if p.scope != nil {
		return p.scopedAccesses
	}
	return p.facts.accesses
}

// AccessesOf returns the uses of one field, in file order.
func (p *Program) AccessesOf(f *Field) []*Access { return p.facts.byField[f] }

func (p *Program) classifyAccess(m *Method, n *Node, field *fieldMemo) *Access {
	par := n.Parent()
	if par == nil {
		return nil
	}
	// Only the head of a reference: not the `name` of a member access (unless
	// qualified by this/base or a value whose type we know, handled by FieldOf on
	// the member access itself), not declarations.
	if n.Kind() == KindIdentifier {
		if n.Field() != "" && !(n.Field() == "left" || n.Field() == "right" || n.Field() == "expression" || n.Field() == "condition" || n.Field() == "value" || n.Field() == "operand") {
			return nil
		}
		if par.Kind() == KindMemberAccess && n.Field() == "name" {
			return nil
		}
	}
	if isInitializerMember(n) {
		return nil // `new T { P = … }` names T's member, not ours
	}
	f := field.get()
	if f == nil || !f.IsState() || f.Const {
		return nil
	}
	a := &Access{Field: f, Ref: n, Unit: m, Kind: Read, Expr: n}
	cur := n
	for cur.Parent() != nil && cur.Parent().Kind() == KindParenthesizedExpression {
		cur = cur.Parent()
	}
	// Climb through member accesses below the field: x.A.B (as far as a
	// chain is typed: see maxTypingDepth).
	for len(a.Chain) <= maxTypingDepth {
		up := cur.Parent()
		if up == nil {
			break
		}
		switch {
		case up.Kind() == KindMemberAccess && cur.Field() == "expression":
			a.Chain = append(a.Chain, up.ChildByField("name").Text())
			cur = up
			continue
		case up.Kind() == KindElementAccess && cur.Field() == "expression":
			a.Chain = append(a.Chain, "[]")
			cur = up
			continue
		case up.Kind() == KindConditionalAccess && cur.Field() == "condition":
			if mb := up.FirstOfKind(KindMemberBinding); mb != nil {
				a.Chain = append(a.Chain, mb.ChildByField("name").Text())
			} else if up.FirstOfKind(KindElementBinding) != nil {
				a.Chain = append(a.Chain, "[]")
			}
			cur = up
			continue
		}
		break
	}
	up := cur.Parent()
	switch {
	case up != nil && up.Kind() == KindInvocation && cur.Field() == "function" && len(a.Chain) > 0:
		a.Kind, a.Expr = MemberCall, up
	case up != nil && up.Kind() == KindAssignment && cur.Field() == "left":
		op := up.ChildByField("operator").Text()
		a.Op, a.Expr = op, up
		switch {
		case len(a.Chain) > 0:
			a.Kind = MemberAssign
		case op == "=":
			a.Kind = Assign
			if isSelfUpdate(p, f, up.ChildByField("right")) {
				a.Kind = ReadModifyWrite
			}
		case op == "??=":
			a.Kind = CoalesceAssign
		default:
			a.Kind = ReadModifyWrite
		}
	case up != nil && (up.Kind() == KindPostfixUnary || up.Kind() == KindPrefixUnary) && (up.HasToken("++") || up.HasToken("--")):
		a.Expr = up
		if len(a.Chain) > 0 {
			a.Kind = MemberAssign
		} else {
			a.Kind = ReadModifyWrite
		}
		if up.HasToken("++") {
			a.Op = "++"
		} else {
			a.Op = "--"
		}
	case up != nil && up.Kind() == KindArgument && len(a.Chain) == 0 && (up.HasToken("ref") || up.HasToken("out")):
		a.Kind, a.Expr = RefArg, up
	case up != nil && up.Kind() == KindArgument && len(a.Chain) == 0 && up.Parent() != nil && up.Parent().Kind() == KindTupleExpression &&
		up.Parent().Field() == "left" && up.Parent().Parent().Kind() == KindAssignment:
		a.Kind, a.Expr = Deconstruct, cur
	case len(a.Chain) > 0:
		a.Kind = MemberRead
		a.Expr = cur
	}
	return a
}

// isInitializerMember reports whether n is the member name on the left of an
// object or with-expression initializer: `new T { P = v }`, `x with { P = v }`.
func isInitializerMember(n *Node) bool {
	par := n.Parent()
	if par == nil {
		return false
	}
	if par.Kind() == KindAssignment && n.Field() == "left" && par.Parent() != nil {
		switch par.Parent().Kind() {
		case KindInitializerExpression, KindWithInitializer, KindAnonymousObjectCreation:
			return true
		}
	}
	if par.Kind() == KindWithInitializer && par.FirstNamed() == n {
		return true
	}
	return false
}

// isSelfUpdate reports whether `x = x op …` reads the same field on the right.
func isSelfUpdate(p *Program, f *Field, right *Node) bool {
	right = Unparen(right)
	if right == nil || right.Kind() != KindBinary {
		return false
	}
	found := false
	for _, side := range []*Node{right.ChildByField("left"), right.ChildByField("right")} {
		if s := Unparen(side); s != nil && (s.Kind() == KindIdentifier || s.Kind() == KindMemberAccess) && p.FieldOf(s) == f {
			found = true
		}
	}
	return found
}

var lockishName = regexp.MustCompile(`(?i)sem|lock|mutex|gate|throttl|sync`)

// noteRegion records Monitor.Enter … Monitor.Exit, sem.Wait(Async) … sem.Release
// and rw.Enter*Lock … rw.Exit*Lock regions of a unit.
func (p *Program) noteRegion(m *Method, call *Node) {
	name, recv := CalleeName(call)
	if recv == nil {
		return
	}
	var key string
	var release []string
	switch {
	case SimpleTypeName(recv.Text()) == "Monitor" && (name == "Enter" || name == "TryEnter"):
		if args := Arguments(call); len(args) > 0 {
			key = "Monitor:" + ArgValue(args[0]).Text()
		}
		release = []string{"Exit"}
	case name == "Wait" || name == "WaitAsync":
		rt := p.TypeOf(recv)
		if SimpleTypeName(rt.Name) == "SemaphoreSlim" || SimpleTypeName(rt.Name) == "Semaphore" || (!rt.Known() && lockishName.MatchString(recv.Text())) {
			key = recv.Text()
			release = []string{"Release"}
		}
	case name == "WaitOne":
		key, release = recv.Text(), []string{"ReleaseMutex", "Release"}
	case strings.HasPrefix(name, "Enter") && strings.HasSuffix(name, "Lock"):
		key, release = recv.Text(), []string{"Exit" + strings.TrimPrefix(name, "Enter")}
	}
	if key == "" {
		return
	}
	start, end := call.End(), uint32(0)
	for _, b := range m.Bodies {
		if b.End() > end {
			end = b.End()
		}
		b.Walk(func(n *Node) bool {
			if n.Kind() != KindInvocation || n.Start() < start || n.Start() > end {
				return true
			}
			rn, rr := CalleeName(n)
			if rr == nil || !slices.Contains(release, rn) {
				return true
			}
			target := rr.Text()
			if strings.HasPrefix(key, "Monitor:") {
				if args := Arguments(n); len(args) > 0 {
					target = "Monitor:" + ArgValue(args[0]).Text()
				}
			}
			if target == key && n.Start() < end {
				end = n.Start()
			}
			return true
		})
	}
	m.regions = append(m.regions, [2]uint32{start, end})
}

var syncTypes = map[string]bool{"Interlocked": true, "Volatile": true, "ImmutableInterlocked": true, "LazyInitializer": true}

// Synchronized reports whether code at n runs under synchronization (SPEC §1):
// inside `lock` on something other than a fresh object, between Monitor.Enter
// and Exit or a semaphore's Wait and Release in the same unit, or as an
// argument of Interlocked.*, Volatile.*, ImmutableInterlocked.*, LazyInitializer.*.
func (p *Program) Synchronized(n *Node) bool {
	if p.guardedAbove(n) {
		return true
	}
	if m := p.UnitOf(n); m != nil {
		for _, r := range m.regions {
			if n.Start() >= r[0] && n.End() <= r[1] {
				return true
			}
		}
	}
	return false
}

// guardedAbove reports whether an ancestor of n below its unit guards it: a
// lock statement (n not being its target) or the arguments of a call on a
// synchronization type. Like nodeMap.enclosing, long walks remember their
// answer for the nodes they pass.
func (p *Program) guardedAbove(n *Node) bool {
	var passed []*Node
	guarded, steps := false, 0
	for cur := n; cur.Parent() != nil; cur = cur.Parent() {
		if p.units.get(cur) != nil {
			break
		}
		if steps++; steps > shallowWalk {
			if v, ok := p.guardedMemo.Load(cur); ok {
				guarded = v.(bool)
				break
			}
			passed = append(passed, cur)
		}
		if p.guardsChild(cur.Parent(), cur) {
			guarded = true
			break
		}
	}
	for _, x := range passed {
		p.guardedMemo.Store(x, guarded)
	}
	return guarded
}

// guardsChild reports whether par synchronizes its child cur.
func (p *Program) guardsChild(par, cur *Node) bool {
	switch par.Kind() {
	case KindLockStatement:
		target := LockTarget(par)
		return cur != target && !IsFreshObject(p, target)
	case KindArgumentList:
		if call := par.Parent(); call != nil && call.Kind() == KindInvocation {
			if _, recv := CalleeName(call); recv != nil && syncTypes[SimpleTypeName(recv.Text())] {
				return true
			}
		}
	}
	return false
}

// IsFreshObject reports whether a lock target is a newly created object (or a
// local whose only value is one), which excludes nothing.
func IsFreshObject(p *Program, target *Node) bool {
	target = Unparen(target)
	if target == nil {
		return false
	}
	switch target.Kind() {
	case KindObjectCreation, KindImplicitObjectCreation:
		return true
	case KindIdentifier:
		if m := p.UnitOf(target); m != nil {
			if init := localInitializer(m, target.Text()); init != nil {
				k := Unparen(init).Kind()
				return k == KindObjectCreation || k == KindImplicitObjectCreation
			}
		}
	}
	return false
}

// LockTarget returns the expression a lock statement locks on: what follows
// the `lock` keyword. (`this` is an anonymous token in the grammar, so the
// first named child will not do; parentheses are not in the tree.)
func LockTarget(lock *Node) *Node {
	for i, c := range lock.Children() {
		if i > 0 && c.Kind() != KindComment {
			return c
		}
	}
	return nil
}
