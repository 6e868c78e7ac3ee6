package analyzer

import "bytes"

// The bundled C# grammar predates some of the language. Where the gap is
// cheap to bridge, the parser is given a copy of the text rewritten so the
// grammar can read it: same length, same line breaks, so every offset and
// position in the tree holds, and the nodes read their text from the file's
// own source.

// maskGrammarGaps rewrites the parser's copy of a file's text in place.
func maskGrammarGaps(text []byte) {
	maskAppDirectives(text)
	maskAsyncNames(text)
}

// maskAppDirectives blanks the directives of a file-based app (`#:package
// Amazon.Lambda.Core@2.8.0`, `#:property …`), which .NET 10 reads and the
// compiler skips: the grammar takes them for broken preprocessor lines (a
// `#!` line it knows). They may stand only at the top of the file, before any
// code, so the scan stops at the first line that is not blank, a line
// comment or a directive.
func maskAppDirectives(text []byte) {
	for at := 0; at < len(text); {
		end := bytes.IndexByte(text[at:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += at
		}
		line := bytes.TrimLeft(text[at:end], " \t\r\f\v")
		switch {
		case bytes.HasPrefix(line, []byte("#:")):
			for i := end - len(line); i < end && text[i] != '\r'; i++ {
				text[i] = ' '
			}
		case len(bytes.TrimSpace(line)) == 0, bytes.HasPrefix(line, []byte("//")), bytes.HasPrefix(line, []byte("#")):
		default:
			return // code: directives after it are the compiler's to reject
		}
		at = end + 1
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
// with a syntax error had no other, and those errors took a third of the
// whole parse time.
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
