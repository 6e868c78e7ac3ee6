package report

import (
	"fmt"
	"unicode/utf16"
)

// LineHashes computes GitHub's primaryLocationLineHash for every line of a
// file, exactly as github/codeql-action's upload-sarif does (src/fingerprints.ts):
// a rolling hash (base 37, 64-bit wrapping) over the next 100 characters that
// are not spaces or tabs, starting at each line; CR and CRLF count as LF; the
// input is UTF-16 code units of the file read as UTF-8 (a BOM included); an
// end-of-file marker 65535 follows the text; a repeated hash gets a count
// suffix ":N". The result maps 1-based line numbers to "hash:N".
func LineHashes(text string) map[int]string {
	out := map[int]string{}
	for line, h := range lineHashes(text, false, 0) {
		if h.count > 0 {
			out[line] = h.String()
		}
	}
	return out
}

// lineHash is one line's hash and how many lines before it had the same.
type lineHash struct {
	hash  uint64
	count int // 0: no hash for this line
}

func (h lineHash) String() string { return fmt.Sprintf("%x:%d", h.hash, h.count) }

// lineHashes is LineHashes indexed by line number, unformatted: a report
// needs a handful of a file's lines, and formatting every line was most of
// the cost. With upTo over 0 it stops once line upTo is hashed: a line's
// hash and count depend only on the text from its start on and the lines
// before it, and hashing whole files was a twentieth of a re-scan. bom
// stands for a byte order mark before text, hashed as GitHub reads it.
func lineHashes(text string, bom bool, upTo int) []lineHash {
	const blockSize = 100
	const mod = uint64(37)
	firstMod := uint64(1)
	for i := 0; i < blockSize; i++ {
		firstMod *= mod
	}
	var window [blockSize]uint64
	var lineNumbers [blockSize]int
	for i := range lineNumbers {
		lineNumbers[i] = -1
	}
	var hash uint64
	index, lineNumber := 0, 0
	lineStart, prevCR := true, false
	counts := map[uint64]int{}
	lines := 1 + len(text)/32 // a guess: most lines are longer
	if upTo > 0 {
		lines = min(lines, upTo+2)
	}
	out := make([]lineHash, 1, lines)
	done := false

	outputHash := func() {
		counts[hash]++
		line := lineNumbers[index]
		for len(out) <= line {
			out = append(out, lineHash{})
		}
		out[line] = lineHash{hash, counts[hash]}
		lineNumbers[index] = -1
		done = upTo > 0 && line >= upTo
	}
	updateHash := func(current uint64) {
		begin := window[index]
		window[index] = current
		hash = mod*hash + current - firstMod*begin
		index = (index + 1) % blockSize
	}
	process := func(current uint64) {
		if current == ' ' || current == '\t' || (prevCR && current == '\n') {
			prevCR = false
			return
		}
		if current == '\r' {
			current = '\n'
			prevCR = true
		} else {
			prevCR = false
		}
		if lineNumbers[index] != -1 {
			outputHash()
		}
		if lineStart {
			lineStart = false
			lineNumber++
			lineNumbers[index] = lineNumber
		}
		if current == '\n' {
			lineStart = true
		}
		updateHash(current)
	}
	if bom {
		process(0xFEFF)
	}
	for _, r := range text { // invalid UTF-8 reads as U+FFFD, as []rune(text) does
		if done {
			return out
		}
		if r >= 0x10000 { // a surrogate pair (a string never yields a lone surrogate)
			r1, r2 := utf16.EncodeRune(r)
			process(uint64(r1))
			process(uint64(r2))
		} else {
			process(uint64(r))
		}
	}
	process(65535)
	for i := 0; i < blockSize; i++ {
		if lineNumbers[index] != -1 {
			outputHash()
		}
		updateHash(0)
	}
	return out
}
