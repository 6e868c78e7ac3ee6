package analyzer

import (
	"path"
	"strings"
)

// tempDirValue stands for Path.GetTempPath() and $TMPDIR in evaluated paths:
// on Lambda both are /tmp.
const tempDirValue = "/tmp/"

// FixedPath evaluates a path expression. It returns the path and true when
// every part is fixed: literals, consts, static readonly strings with literal
// initializers, locals whose only value is fixed, and interpolation,
// concatenation, Path.Combine/Join and ?? of fixed parts, Path.GetTempPath()
// and Environment.GetEnvironmentVariable("TMPDIR"). Anything request-unique
// (Guid.NewGuid(), Path.GetRandomFileName(), a parameter, AwsRequestId) or
// unknown makes the path not fixed.
func (p *Program) FixedPath(n *Node) (string, bool) {
	return p.fixedPath(n, 0, nil)
}

// pathReads calls reads with every name fixedPath resolves while it
// evaluates n (identifiers and member accesses, through initializers
// too): the only names of n whose declarations its value depends on.
func (p *Program) pathReads(n *Node, reads func(*Node)) { p.fixedPath(n, 0, reads) }

// IsTempPath reports whether an evaluated fixed path lies in the temp directory.
func IsTempPath(s string) bool {
	return s == "/tmp" || strings.HasPrefix(s, "/tmp/")
}

func (p *Program) fixedPath(n *Node, depth int, reads func(*Node)) (string, bool) {
	n = Unparen(n)
	if n == nil || depth > 20 {
		return "", false
	}
	switch n.Kind() {
	case KindStringLiteral, KindVerbatimStringLiteral, KindRawStringLiteral:
		return StringValue(n), true
	case KindInterpolatedString:
		var b strings.Builder
		for _, c := range n.Children() {
			switch c.Kind() {
			case KindStringContent:
				b.WriteString(c.Text())
			case KindEscapeSequence:
				b.WriteString(unescape(c.Text()))
			case KindInterpolation:
				expr := c.FirstNamed()
				for _, k := range c.Children() {
					if k.Named() && k.Kind() != KindInterpolationBrace && k.Kind() != KindInterpolationFormatClause && k.Kind() != KindInterpolationAlignmentClause {
						expr = k
						break
					}
				}
				v, ok := p.fixedPath(expr, depth+1, reads)
				if !ok {
					return "", false
				}
				b.WriteString(v)
			}
		}
		return b.String(), true
	case KindBinary:
		op := n.ChildByField("operator").Text()
		l, lok := p.fixedPath(n.ChildByField("left"), depth+1, reads)
		r, rok := p.fixedPath(n.ChildByField("right"), depth+1, reads)
		switch op {
		case "+":
			return l + r, lok && rok
		case "??":
			if lok && rok {
				return l, true
			}
		}
		return "", false
	case KindInvocation:
		name, recv := CalleeName(n)
		if recv == nil {
			return "", false
		}
		owner := SimpleTypeName(recv.Text())
		switch {
		case owner == "Path" && name == "GetTempPath":
			return tempDirValue, true
		case owner == "Environment" && name == "GetEnvironmentVariable":
			if args := Arguments(n); len(args) == 1 {
				if v, ok := p.fixedPath(ArgValue(args[0]), depth+1, reads); ok && (v == "TMPDIR" || v == "TEMP" || v == "TMP") {
					return "/tmp", true
				}
			}
		case owner == "Path" && (name == "Combine" || name == "Join"):
			var parts []string
			for _, a := range Arguments(n) {
				v, ok := p.fixedPath(ArgValue(a), depth+1, reads)
				if !ok {
					return "", false
				}
				parts = append(parts, v)
			}
			if len(parts) == 0 {
				return "", false
			}
			out := parts[0]
			for _, part := range parts[1:] {
				if strings.HasPrefix(part, "/") && name == "Combine" {
					out = part
				} else {
					out = strings.TrimSuffix(out, "/") + "/" + part
				}
			}
			return path.Clean(out), true
		}
		return "", false
	case KindIdentifier, KindMemberAccess:
		if reads != nil {
			reads(n)
		}
		if f := p.FieldOf(n); f != nil {
			if followsInitializer(f) && f.Init != nil {
				return p.fixedPath(f.Init, depth+1, reads)
			}
			return "", false
		}
		if n.Kind() == KindIdentifier {
			if m := p.UnitOf(n); m != nil {
				if init := soleValue(m, n.Text()); init != nil {
					return p.fixedPath(init, depth+1, reads)
				}
			}
		}
	}
	return "", false
}

// followsInitializer reports whether fixedPath reads a field's value from
// its initializer: a constant's or a static readonly field's, which never
// change. Cached facts and findings depend on the names in those
// initializers (see Program.dependencies), so they go together.
func followsInitializer(f *Field) bool { return f.Const || f.Static && f.Readonly }

// soleValue returns the initializer of a local that is never assigned again in
// the unit, or nil.
func soleValue(m *Method, name string) *Node {
	for _, prm := range m.Params {
		if prm.Name == name {
			return nil
		}
	}
	locals := localsOf(m)
	if locals.reassigned[name] {
		return nil
	}
	return locals.inits[name]
}

// SoleValue is soleValue for rules: the only value a local ever holds.
func (p *Program) SoleValue(ident *Node) *Node {
	if ident.Kind() != KindIdentifier {
		return nil
	}
	m := p.UnitOf(ident)
	if m == nil {
		return nil
	}
	return soleValue(m, ident.Text())
}
