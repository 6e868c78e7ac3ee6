package analyzer

import "testing"

// TestKindsExistInGrammar checks each kind constant's name against the
// bundled grammar.
func TestKindsExistInGrammar(t *testing.T) {
	known := GrammarKinds()
	for k, name := range kindNames {
		if Kind(k) == KindSpan {
			continue
		}
		if name == "" {
			t.Errorf("kind constant %d has no name in kindNames", k)
		} else if !known[Kind(k)] {
			t.Errorf("%q is not a node kind of the bundled C# grammar", name)
		}
	}
	if len(kindNames) < 50 {
		t.Fatalf("only %d kind constants", len(kindNames))
	}
	// Every grammar symbol has a kind whose name round-trips.
	for i, k := range grammar.symbols {
		if int(k) >= len(kindTable.names) {
			t.Errorf("grammar symbol %d has no kind name", i)
		}
	}
}
