package analyzer

import (
	"bytes"
	"iter"
)

// The bundled C# grammar predates some of the language. Where the gap is
// cheap to bridge, the parser is given a copy of the text rewritten so the
// grammar can read it: same length, same line breaks, so every offset and
// position in the tree holds, and the nodes read their text from the file's
// own source.

// maskGrammarGaps rewrites the parser's copy of a file's text in place.
func maskGrammarGaps(text []byte) {
	maskAppDirectives(text)
	maskAsyncNames(text)
	maskTrailingCommas(text)
}

// maskTrailingCommas blanks each comma that only blanks separate from a `}`.
// C# allows one after the last member of an initializer, an enum or a switch
// expression, where it means nothing; the grammar refuses it in a `with`
// expression's initializer (`options with { Arn = arn, }`), which it then
// reads as an error with what surrounds it. Inside a literal or a comment a
// comma is content, and a blank there tokenizes the same.
func maskTrailingCommas(text []byte) {
	for at := 0; ; {
		i := bytes.IndexByte(text[at:], ',')
		if i < 0 {
			return
		}
		i += at
		at = i + 1
		j := at
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n') {
			j++
		}
		if j < len(text) && text[j] == '}' {
			text[i] = ' '
		}
	}
}

// maskAppDirectives blanks the directives of a file-based app (`#:package
// Amazon.Lambda.Core@2.8.0`, `#:property …`), which .NET 10 reads and the
// compiler skips: the grammar takes them for broken preprocessor lines (a
// `#!` line it knows). They may stand only at the top of the file, before any
// code, so the scan stops at the first line that is not blank, a line
// comment or a directive.
func maskAppDirectives(text []byte) {
	for start, end := range lineSpans(text) {
		line := bytes.TrimLeft(text[start:end], " \t\f\v")
		switch {
		case bytes.HasPrefix(line, []byte("#:")):
			blank(text, start, end)
		case len(line) == 0, bytes.HasPrefix(line, []byte("//")), bytes.HasPrefix(line, []byte("#")):
		default:
			return // code: directives after it are the compiler's to reject
		}
	}
}

// lineSpans yields the start and end of each line of text, without its
// break: C# ends a line at a carriage return, a line feed or both (a CRLF
// yields an empty line between them).
func lineSpans(text []byte) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for at := 0; at < len(text); {
			end := len(text)
			if i := bytes.IndexAny(text[at:], "\r\n"); i >= 0 {
				end = at + i
			}
			if !yield(at, end) {
				return
			}
			at = end + 1
		}
	}
}

// blank turns text[from:to], part of one line, into spaces.
func blank(text []byte, from, to int) {
	for i := from; i < to; i++ {
		text[i] = ' '
	}
}

// The bundled C# grammar reads `async` as the modifier wherever it can begin
// an expression, although C# makes it a keyword only before a method, a
// lambda or an anonymous method. Code that names a parameter or a local
// `async` (`bool async` is the convention of EF Core's and many other test
// suites) then fails to parse: the statement around each use becomes an ERROR
// node, rules lose what it held (a fixed temp path written under
// `if (async)` went unreported), and the parser's error recovery costs
// several times a clean parse. On the efcore corpus, 359 of the 1,195 files
// with a syntax error had no other, and those errors took nearly a third of
// the whole parse time.
//
// maskAsyncNames rewrites each `async` that stands where the modifier cannot
// (right before `)`, `,`, `;`, `:`, `?`, `]`, `}`, `.`, `|`, `&`, `!` or an
// `=` that is not `=>`) to `_sync`, a name the grammar accepts; the
// identifier still reads `async` from the source. Inside strings and comments
// the change is invisible: a letter of a literal's or a comment's content
// never changes how it is tokenized.
func maskAsyncNames(text []byte) {
	const word = "async"
	for at := 0; ; {
		i := bytes.Index(text[at:], []byte(word))
		if i < 0 {
			return
		}
		i += at
		at = i + len(word)
		if i > 0 && (isNameByte(text[i-1]) || text[i-1] == '@') {
			continue // part of a longer name, or @async, which parses already
		}
		if at < len(text) && isNameByte(text[at]) {
			continue
		}
		if nameFollows(text[at:]) {
			text[i] = '_'
		}
	}
}

// nameFollows reports whether rest, the text after an `async`, shows it to be
// a name: its next character, after blanks, is one that cannot follow the
// modifier.
func nameFollows(rest []byte) bool {
	for k, c := range rest {
		switch c {
		case ' ', '\t', '\r', '\n', '\v', '\f':
			continue
		case ')', ',', ';', ':', '?', ']', '}', '.', '|', '&', '!':
			return true
		case '=':
			return k+1 >= len(rest) || rest[k+1] != '>' // `async => …` is a lambda's parameter
		default:
			return false
		}
	}
	return false
}

// isNameByte reports whether c can be part of a C# name; every byte of a
// multi-byte UTF-8 character counts, since names may hold letters of any
// script.
func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// retryRewrites rewrites text, already through maskGrammarGaps, for a parse
// after one that found an error: escaped quotes that the grammar takes for a
// raw string's delimiter (maskVerbatimQuoteRuns) and, with branches, every
// `#if` cut to its first branch (keepFirstBranches). These would be wrong
// in some text that parses, so their tree is taken only when it is clean
// (Parser.parseFlat). It reports whether anything was rewritten.
func retryRewrites(text []byte, branches bool) bool {
	changed := maskVerbatimQuoteRuns(text)
	if branches {
		_, found := keepFirstBranches(text)
		return found
	}
	return changed
}

// maskVerbatimQuoteRuns turns the escaped pair of a `"""` into two
// apostrophes: the last two quotes after `@$` or `$@` (`@$"""{x}`), the
// first two after `}` (`{x}"""`). In a verbatim interpolated string, `""` is
// an escaped quote, so `@$"""{x}` opens one with a quote and `{x}"""` ends
// one with a quote, but the grammar reads either `"""` as a raw string's
// delimiter and loses the file from there (aws-lambda-dotnet's
// ComplexCalculator.cs, an Annotations handler, was one error node).
// `{x}"""` also ends a raw interpolated string, which this would break:
// hence a retry, taken only when clean. Only runs of exactly three quotes
// are touched.
func maskVerbatimQuoteRuns(text []byte) bool {
	changed := false
	for at := 0; ; {
		i := bytes.Index(text[at:], []byte(`"""`))
		if i < 0 {
			return changed
		}
		i += at
		end := i + 3
		for end < len(text) && text[end] == '"' {
			end++
		}
		at = end
		if end-i != 3 || i > 0 && text[i-1] == '"' {
			continue
		}
		switch {
		case i >= 1 && text[i-1] == '}':
			text[i], text[i+1] = '\'', '\''
			changed = true
		case i >= 2 && (text[i-2] == '@' && text[i-1] == '$' || text[i-2] == '$' && text[i-1] == '@'):
			text[i+1], text[i+2] = '\'', '\''
			changed = true
		}
	}
}

// The grammar reads `#if … #elif … #else … #endif` as a node whose branches
// must each hold whole syntax: members, statements, or expressions. Code
// that splits a declaration or an expression across branches (an attribute
// under `#if` above its method, a call's arguments differing by target
// framework) parses as an error, with what surrounds it. Such a file is
// parsed again as one build of it would be compiled: keepFirstBranches
// blanks every conditional directive and every branch after the first of
// each group, and that tree is taken when it is free of errors
// (Parser.parseFlat). The branches left out are named in a note.

// keepFirstBranches rewrites text to the first branch of each conditional
// group, line breaks kept. It returns the offset of the first `#elif` or
// `#else` whose branch was blanked (-1 when none was), and whether the text
// has a conditional directive at all.
func keepFirstBranches(text []byte) (firstDropped int, found bool) {
	firstDropped = -1
	var kept []bool // per open group: still in its first branch
	dropping := 0   // open groups past their first branch
	for start, end := range lineSpans(text) {
		switch conditionalDirective(text[start:end]) {
		case "if":
			found = true
			kept = append(kept, true)
			blank(text, start, end)
		case "elif", "else":
			found = true
			if k := len(kept) - 1; k >= 0 && kept[k] {
				kept[k] = false
				dropping++
				if firstDropped < 0 {
					firstDropped = start
				}
			}
			blank(text, start, end)
		case "endif":
			found = true
			if k := len(kept) - 1; k >= 0 {
				if !kept[k] {
					dropping--
				}
				kept = kept[:k]
			}
			blank(text, start, end)
		default:
			if dropping > 0 {
				blank(text, start, end)
			}
		}
	}
	return firstDropped, found
}

// conditionalDirective returns "if", "elif", "else" or "endif" for a line
// holding that directive, "" for any other line.
func conditionalDirective(line []byte) string {
	line = bytes.TrimLeft(line, " \t\f\v")
	if len(line) == 0 || line[0] != '#' {
		return ""
	}
	line = bytes.TrimLeft(line[1:], " \t")
	for _, word := range []string{"if", "elif", "else", "endif"} {
		if bytes.HasPrefix(line, []byte(word)) && (len(line) == len(word) || !isNameByte(line[len(word)])) {
			return word
		}
	}
	return ""
}
