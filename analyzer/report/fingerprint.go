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
	out := map[int]string{}

	outputHash := func() {
		counts[hash]++
		out[lineNumbers[index]] = fmt.Sprintf("%x:%d", hash, counts[hash])
		lineNumbers[index] = -1
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
	for _, u := range utf16.Encode([]rune(text)) {
		process(uint64(u))
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
