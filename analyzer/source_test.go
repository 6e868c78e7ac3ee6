package analyzer

import (
	"testing"
	"unicode/utf8"
)

// TestPositionColumns: columns count UTF-16 code units from the line start,
// the way SARIF's utf16CodeUnits and GitHub read them. An ASCII file takes
// a shortcut (the column is the byte distance); every offset of each source
// is checked against counting the runes.
func TestPositionColumns(t *testing.T) {
	for _, src := range []string{
		"class A {\n  int x;\n}\n",
		"class Ä {\n  string s = \"né\"; int x;\n}\n",
		"// 😀 astral\nvar y = \"😀😀\"; x++;\n",
		"no newline at all",
		"",
	} {
		f := NewFile("F.cs", "F.cs", []byte(src), false)
		// Forwards, then backwards: a non-ASCII file counts on from the
		// last position when it can, and from the line start otherwise.
		offsets := []int{}
		for off := 0; off <= len(src); off++ {
			offsets = append(offsets, off)
		}
		for off := len(src); off >= 0; off-- {
			offsets = append(offsets, off)
		}
		for _, off := range offsets {
			want := Pos{Line: 1, Col: 1}
			for _, r := range src[:off] {
				if r == '\n' {
					want.Line, want.Col = want.Line+1, 1
					continue
				}
				want.Col++
				if r >= 0x10000 {
					want.Col++
				}
			}
			if !utf8.ValidString(src[:off]) {
				continue // inside a character: no position a finding can have
			}
			if got := f.Position(off); got != want {
				t.Fatalf("%q at %d: %+v, want %+v", src, off, got, want)
			}
		}
	}
}
