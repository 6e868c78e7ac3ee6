package analyzer

import "testing"

// A scope keeps one entry a name, the later declaration's (as a map filled
// in declaration order did), and finds names whichever order they came in.
func TestScopeKeepsTheLaterDeclaration(t *testing.T) {
	s := newScope([]scopeEntry{{"x", "Outer"}, {"b", "int"}, {"x", "Inner"}, {"a", ""}, {"c", "string"}})
	for name, want := range map[string]string{"x": "Inner", "a": "", "b": "int", "c": "string"} {
		if got, ok := s.lookup(name); !ok || got != want {
			t.Errorf("lookup(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	if _, ok := s.lookup("d"); ok {
		t.Error("a name never declared was found")
	}
	if len(s) != 4 || cap(s) != 4 {
		t.Errorf("scope has %d entries and room for %d, want 4 and 4", len(s), cap(s))
	}
	if newScope(nil) != nil {
		t.Error("an empty scope holds memory")
	}
}

// TestSimpleTypeName: the simple name of a type as written, without
// namespace, alias qualifier, type arguments, nullability or array ranks.
func TestSimpleTypeName(t *testing.T) {
	for written, want := range map[string]string{
		"int": "int", "List<int>": "List", "Foo.Bar": "Bar", "global::System.String": "String",
		"int?": "int", "int[]": "int", "int[,]": "int", "Foo?[]": "Foo", " Foo ": "Foo",
		"Dictionary<string, int>": "Dictionary", "A.B<C.D>": "B", "": "", "a::": "",
		"(int, string)": "(int, string)", "Ns.Ünïcode": "Ünïcode",
	} {
		if got := SimpleTypeName(written); got != want {
			t.Errorf("SimpleTypeName(%q) = %q, want %q", written, got, want)
		}
	}
}
