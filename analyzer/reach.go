package analyzer

// reachability holds the request path and init contexts (SPEC §1).
type reachability struct {
	request map[*Method]*step // units on the request path → how they are reached
	entries map[*Method][]int // unit → indexes into Program.EntryPoints reaching it
	init    map[*Method]bool  // init roots and units reachable only from them
	noEntry bool              // no entry point: all non-init code is request path
}

// step is the BFS predecessor of a unit on its shortest path from an entry point.
type step struct {
	from *Method
	site *Node
}

// PathStep is one hop of a call path from an entry point to a hazard.
type PathStep struct {
	Method *Method
	Site   *Node // the call in Method that leads to the next step, or nil at the end
}

func (p *Program) computeReachability() {
	r := &reachability{request: map[*Method]*step{}, entries: map[*Method][]int{}, init: map[*Method]bool{}}
	p.reach = r
	// Shortest paths from the nearest entry point (multi-source BFS).
	var queue []*Method
	for _, ep := range p.EntryPoints {
		if _, ok := r.request[ep.Method]; !ok {
			r.request[ep.Method] = &step{}
			queue = append(queue, ep.Method)
		}
	}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		for _, c := range m.Calls {
			for _, to := range c.targets {
				if r.request[to] == nil && !p.isInitRoot(to) {
					r.request[to] = &step{from: m, site: m.callSite(c)}
					queue = append(queue, to)
				}
			}
		}
	}
	// Which entry points reach each unit.
	for i, ep := range p.EntryPoints {
		seen := map[*Method]bool{ep.Method: true}
		queue = []*Method{ep.Method}
		for len(queue) > 0 {
			m := queue[0]
			queue = queue[1:]
			r.entries[m] = append(r.entries[m], i)
			for _, c := range m.Calls {
				for _, to := range c.targets {
					if !seen[to] && !p.isInitRoot(to) {
						seen[to] = true
						queue = append(queue, to)
					}
				}
			}
		}
	}
	// Init contexts: roots, and what they reach that the request path does not.
	queue = queue[:0]
	for _, m := range p.Methods {
		if p.isInitRoot(m) {
			r.init[m] = true
			queue = append(queue, m)
		}
	}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		for _, c := range m.Calls {
			for _, to := range c.targets {
				if !r.init[to] {
					if _, onRequest := r.request[to]; onRequest {
						continue
					}
					r.init[to] = true
					queue = append(queue, to)
				}
			}
		}
	}
	if len(p.EntryPoints) == 0 {
		r.noEntry = true
		for _, m := range p.Methods {
			if !r.init[m] {
				r.request[m] = &step{}
			}
		}
	}
}

// isInitRoot reports whether a unit runs once per environment, before requests:
// static constructors, initializers, constructors of shared instances, Main and
// top-level statements, and Startup / [LambdaStartup] configuration.
func (p *Program) isInitRoot(m *Method) bool {
	switch m.Kind {
	case MethodStaticConstructor, MethodInitializer, MethodTopLevel:
		return true
	case MethodConstructor:
		if shared, _ := p.SharedType(m.Owner); shared {
			return true
		}
	case MethodOrdinary:
		if m.Name == "Main" && m.Static {
			return true
		}
	}
	if m.Owner != nil && m.Kind != MethodDelegate {
		if m.Owner.HasAttribute("LambdaStartup") {
			return true
		}
		if m.Owner.Name == "Startup" && (m.Kind == MethodConstructor || m.Name == "ConfigureServices" || m.Name == "Configure") {
			return true
		}
	}
	return false
}

// OnRequestPath reports whether a unit runs during an invocation.
func (p *Program) OnRequestPath(m *Method) bool {
	if m == nil {
		return false
	}
	_, ok := p.reach.request[m]
	return ok
}

// InInitContext reports whether code runs only once per environment.
func (p *Program) InInitContext(n *Node) bool {
	m := p.UnitOf(n)
	if m == nil {
		return true // declarations, attributes
	}
	return p.reach.init[m] && !p.OnRequestPath(m)
}

// IsInitUnit reports whether the unit is an init context.
func (p *Program) IsInitUnit(m *Method) bool {
	return p.reach.init[m] && !p.OnRequestPath(m)
}

// HasEntryPoints reports whether any entry point was found.
func (p *Program) HasEntryPoints() bool { return !p.reach.noEntry }

// PathTo returns one shortest call path from an entry point to the unit; each
// step but the last carries the call site that leads to the next.
func (p *Program) PathTo(m *Method) []PathStep {
	chain := []PathStep{{Method: m}}
	seen := map[*Method]bool{m: true}
	for cur := m; ; {
		st := p.reach.request[cur]
		if st == nil || st.from == nil || seen[st.from] {
			break
		}
		seen[st.from] = true
		chain = append(chain, PathStep{Method: st.from, Site: st.site})
		cur = st.from
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// EntriesOf returns the entry points that reach the unit.
func (p *Program) EntriesOf(m *Method) []*EntryPoint {
	var out []*EntryPoint
	for _, i := range p.reach.entries[m] {
		out = append(out, p.EntryPoints[i])
	}
	return out
}
