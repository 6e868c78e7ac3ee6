package analyzer

import (
	"bytes"
	"iter"
)

// The bundled C# grammar predates some of the language. Where the gap is
// cheap to bridge, the parser is given a copy of the text rewritten so the
// grammar can read it: same length, so every byte offset in the tree holds,
// and the nodes read their text from the file's own source. Lines and
// columns are counted in the source too (File.lineStarts), so a line break
// may be taken where the grammar does not need it (maskBodylessTypes).

// maskGrammarGaps rewrites the parser's copy of a file's text in place.
func maskGrammarGaps(text []byte) {
	maskAppDirectives(text)
	maskAsyncNames(text)
	maskTrailingCommas(text)
	maskBodylessTypes(text)
	maskNullConditionalAssignments(text)
	maskEmptyCollections(text)
	maskAttributeTargetNames(text)
}

// maskTrailingCommas blanks each comma that only blanks separate from a `}`.
// C# allows one after the last member of an initializer, an enum or a switch
// expression, where it means nothing; the grammar refuses it in a `with`
// expression's initializer (`options with { Arn = arn, }`), which it then
// reads as an error with what surrounds it. Inside a literal or a comment a
// comma is content, and a blank there tokenizes the same.
func maskTrailingCommas(text []byte) {
	for i := range occurrences(text, ",") {
		j := i + 1
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

// C# 12 lets a class, struct, interface or enum end with `;` where its body
// would be (`internal sealed class Marker;`, `public class Fixture :
// ICollectionFixture<Env>;`, `class Derived(int x) : Base(x);`); the bundled
// grammar allows that only for records. It reads such a declaration as an
// error, and recovering from it took every declaration after it out of its
// namespace in a Powertools file.
//
// maskBodylessTypes gives each such declaration an empty body: its `;` and
// the byte after it become `{}`. That byte must be a blank or a line break:
// a blank is nothing to the grammar, and a line break taken joins the next
// line to this one, which only a directive (`#…`, whole lines) or a raw
// string's closing quotes (`"""` alone on its line) would notice, so a `;`
// before either is left alone. The head from the keyword to the `;` is read
// as names, blanks and the punctuation of type parameters, parameters, base
// types and constraints; anything else (a quote, a comment, a brace, an
// operator outside parentheses) leaves it alone. So does a `//` before the
// keyword on its line (the joined line would become comment) or a `$` (in
// an interpolated string, `{}` is not content).
//
// Each byte is read a bounded number of times, whatever the text (a file of
// nothing but `class class class…` on one line, say): a keyword inside a
// head already read is not read from again, and what precedes a keyword on
// its line is tracked as the scan moves on (linePrefix).
func maskBodylessTypes(text []byte) {
	for _, keyword := range []string{"class", "struct", "interface", "enum"} {
		line := linePrefix{text: text}
		read := 0 // the end of the last head read
		for i := range occurrences(text, keyword) {
			at := i + len(keyword)
			if i < read || i > 0 && (isNameByte(text[i-1]) || text[i-1] == '@') || at >= len(text) || !isBlank(text[at]) {
				continue
			}
			semi, end := bodylessHeadEnd(text, at)
			read = end
			if line.advance(i); semi < 0 || semi+1 >= len(text) || line.comment || line.dollar {
				continue
			}
			switch text[semi+1] {
			case ' ', '\t':
			case '\r', '\n':
				if nextLineKeepsItsStart(text, semi+1) {
					continue
				}
			default:
				continue
			}
			text[semi], text[semi+1] = '{', '}'
		}
	}
}

// bodylessHeadEnd returns the offset of the `;` that ends a type's head
// read from at, just after its keyword, or -1 when the head has a body or
// is not one this reads, and the offset where reading stopped. The head is a name other than `where` (the keyword
// may be a constraint: `where T : class`), then type parameters, parameters,
// a base list and constraints: names, blanks and `,.:?` between brackets.
// Inside brackets, a base type's arguments or a default value may also hold
// operators, braces, lambdas and plain string and character literals; a
// comment, a verbatim, raw or interpolated string, or a directive anywhere
// leaves the head unread.
func bodylessHeadEnd(text []byte, at int) (semi, end int) {
	k := skipBlanks(text, at)
	name := k
	for k < len(text) && isNameByte(text[k]) {
		k++
	}
	if k == name || string(text[name:k]) == "where" {
		return -1, k
	}
	depth := 0 // of parentheses, braces, angle and square brackets
	for limit := min(len(text), k+4096); k < limit; k++ {
		switch c := text[k]; {
		case isNameByte(c) || isBlank(c) || c == ',' || c == '.' || c == ':' || c == '?':
		case c == ';':
			if depth == 0 {
				return k, k
			}
			return -1, k
		case c == '@' || c == '$' || c == '#' || c == '/' && k+1 < len(text) && (text[k+1] == '/' || text[k+1] == '*'):
			return -1, k
		case c == '(' || c == '<' || c == '[':
			depth++
		case depth == 0:
			return -1, k // an operator, a brace or a literal outside brackets
		case c == '>' && text[k-1] == '=': // a lambda's `=>`
		case c == ')' || c == '>' || c == ']' || c == '}':
			depth--
		case c == '{':
			depth++
		case c == '"' || c == '\'':
			close := literalEnd(text, k)
			if close < 0 {
				return -1, k
			}
			k = close
		}
	}
	return -1, k
}

// literalEnd returns the offset of the quote that closes the plain string or
// character literal opened at text[open], or -1 when it does not close on
// its line.
func literalEnd(text []byte, open int) int {
	for k := open + 1; k < len(text); k++ {
		switch text[k] {
		case '\\':
			k++
		case text[open]:
			return k
		case '\r', '\n':
			return -1
		}
	}
	return -1
}

// linePrefix tells, for offsets visited left to right, whether a `//` or a
// `$` precedes the offset on its line: one pass over the text in all,
// where looking back from each offset to its line's start was quadratic on
// long lines.
type linePrefix struct {
	text            []byte
	at              int  // read up to here
	comment, dollar bool // seen on the line before at
}

// advance reads on to offset to.
func (l *linePrefix) advance(to int) {
	for ; l.at < to; l.at++ {
		switch l.text[l.at] {
		case '\r', '\n':
			l.comment, l.dollar = false, false
		case '$':
			l.dollar = true
		case '/':
			l.comment = l.comment || l.at+1 < to && l.text[l.at+1] == '/'
		}
	}
}

// nextLineKeepsItsStart reports whether taking the line break at offset at
// would join a line the grammar needs whole: one that starts, after blanks,
// with `#` (a directive) or `"` (a raw string's closing quotes). Taking the
// CR of a CRLF joins nothing.
func nextLineKeepsItsStart(text []byte, at int) bool {
	next := at + 1
	if text[at] == '\r' && next < len(text) && text[next] == '\n' {
		return false
	}
	for next < len(text) && (text[next] == ' ' || text[next] == '\t' || text[next] == '\f' || text[next] == '\v') {
		next++
	}
	return next < len(text) && (text[next] == '#' || text[next] == '"')
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

func skipBlanks(text []byte, at int) int {
	for at < len(text) && isBlank(text[at]) {
		at++
	}
	return at
}

// C# 14 lets a null-conditional access stand on the left of an assignment
// (`cache?.Value = v`, `values?[i] = v`, `a?.B ??= c`), which the bundled
// grammar reads as an error: the assignment, often a write to shared
// state, is lost.
//
// maskNullConditionalAssignments blanks the `?` of each `?.` and `?[` in
// an access chain that an assignment operator follows. The grammar then reads
// a plain member or element access being assigned, which is what the rules
// look for (the write happens when the target is not null). In a literal or a
// comment a blank for a `?` changes nothing.
//
// A `?` inside a chain already read is not read from again, so each byte is
// read a bounded number of times (`a?.b?.c?.d…` read from every `?` was
// quadratic).
func maskNullConditionalAssignments(text []byte) {
	var marks []int
	read := 0 // the end of the last chain read
	for i := range occurrences(text, "?") {
		if i < read || i == 0 || !(isNameByte(text[i-1]) || text[i-1] == ')' || text[i-1] == ']' || text[i-1] == '!') {
			continue
		}
		marks = marks[:0]
		end, stop := conditionalChainEnd(text, i, &marks)
		read = stop
		if end < 0 || !assignmentAt(text, skipBlanks(text, end)) {
			continue
		}
		for _, m := range marks {
			text[m] = ' '
		}
	}
}

// conditionalChainEnd reads the access chain that starts at text[at]: `.`
// and a name, `?.` and a name, brackets `[…]` or `?[…]`, arguments `(…)`,
// and `!`. It returns the offset after it, or -1 when it does not start with
// a conditional access, and the offset where reading stopped; it adds the
// offset of each conditional `?` to marks.
func conditionalChainEnd(text []byte, at int, marks *[]int) (end, stop int) {
	k := at
	for k < len(text) {
		c := text[k]
		if c == '?' && k+1 < len(text) && (text[k+1] == '.' || text[k+1] == '[') {
			*marks = append(*marks, k)
			k++
			c = text[k]
		} else if k == at {
			return -1, k
		}
		switch {
		case c == '.':
			name := k + 1
			for k = name; k < len(text) && isNameByte(text[k]); k++ {
			}
			if k == name || text[name] >= '0' && text[name] <= '9' {
				return -1, k // `c?.5 : 1` is a conditional expression
			}
		case c == '[' || c == '(':
			close, stop := bracketsEnd(text, k)
			if close < 0 {
				return -1, stop
			}
			k = close
		case c == '!' && (k+1 >= len(text) || text[k+1] != '='):
			k++
		default:
			return k, k
		}
	}
	return k, k
}

// bracketsEnd returns the offset after the bracket that closes the one at
// text[open], reading plain literals whole, or -1 when it does not close
// within a few lines' reach, and the offset where reading stopped.
func bracketsEnd(text []byte, open int) (end, stop int) {
	depth := 0
	k := open
	for ; k < len(text) && k < open+1024; k++ {
		switch text[k] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth--; depth == 0 {
				return k + 1, k + 1
			}
		case '"', '\'':
			if k > 0 && (text[k-1] == '@' || text[k-1] == '$') {
				return -1, k
			}
			close := literalEnd(text, k)
			if close < 0 {
				return -1, k
			}
			k = close
		case ';':
			return -1, k
		}
	}
	return -1, k
}

// assignmentAt reports whether an assignment operator starts at text[k]:
// `=` (not `==` or `=>`), or a compound one such as `+=`, `??=` or `>>=`.
func assignmentAt(text []byte, k int) bool {
	for _, op := range []string{"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "??=", "<<=", ">>=", ">>>="} {
		if bytes.HasPrefix(text[k:], []byte(op)) {
			end := k + len(op)
			return end >= len(text) || text[end] != '=' && text[end] != '>'
		}
	}
	return false
}

// C# 12's empty collection expression `[]` (`List<string> seen = [];`,
// `return [];`, `F([])`) is one the bundled grammar refuses: it reads a
// collection expression only with elements. maskEmptyCollections turns the
// brackets of each `[]` (blanks inside allowed) into braces, an empty
// initializer the grammar reads in the same places and the analysis reads
// as no elements, when what stands before it leaves no doubt that it is an
// expression: an assignment's `=`, `=>`, `(`, `,`, `[`, a conditional's `?`
// or `:`, `??`, `return` or `in`, with any block comment between passed
// over. An array type's `[]` follows a name, a `>`, or a `?` that follows
// one (`bool? []` in generated code). In a literal or a comment braces for
// brackets change nothing, except in an interpolated string, where `{}`
// would open an interpolation: a `$` before the brackets on their line
// leaves them alone.
// (An interpolated string over several lines may still hold a `[]` on a
// line without one; the braces then open an interpolation, and the file
// parses with an error there that it did not have. None of efcore's 524
// files and the real repositories' 10 that this rewrites does.)
func maskEmptyCollections(text []byte) {
	line := linePrefix{text: text}
	for i := range occurrences(text, "[") {
		close := skipBlanks(text, i+1)
		if close >= len(text) || text[close] != ']' || !expressionBefore(text, i) {
			continue
		}
		if line.advance(i); line.dollar {
			continue
		}
		text[i], text[close] = '{', '}'
	}
}

// expressionBefore reports whether what precedes text[i] makes a `[` there
// start an expression (see maskEmptyCollections).
func expressionBefore(text []byte, i int) bool {
	p := i - 1
	for {
		for p >= 0 && isBlank(text[p]) {
			p--
		}
		// A block comment between is passed over (`F(/* args: */ [])`),
		// if it is short: looking further back from every `[]` would be
		// quadratic in a text of `*/ []` repeated.
		if p < 1 || text[p] != '/' || text[p-1] != '*' {
			break
		}
		from := max(0, p-1-128)
		open := bytes.LastIndex(text[from:p-1], []byte("/*"))
		if open < 0 {
			return false
		}
		p = from + open - 1
	}
	if p < 0 {
		return false
	}
	blankBetween := p < i-1
	switch c := text[p]; {
	case c == '(' || c == ',' || c == '[' || c == ':':
		return true
	case c == '=':
		return p == 0 || !bytes.ContainsRune([]byte("=!<>"), rune(text[p-1]))
	case c == '>':
		return p > 0 && text[p-1] == '='
	case c == '?': // a conditional's ` ? ` or `??`, not a nullable type's `?`
		return blankBetween && p > 0 && (isBlank(text[p-1]) || text[p-1] == '?')
	case isNameByte(c):
		start := p
		for start > 0 && isNameByte(text[start-1]) {
			start--
		}
		word := string(text[start : p+1])
		return (word == "return" || word == "in") && (start == 0 || text[start-1] != '@' && text[start-1] != '.')
	}
	return false
}

// The bundled grammar reads a `[` followed by `property`, `type`, `field`,
// `method`, `param`, `typevar`, `assembly` or `module` as the start of an
// attribute with that target (`[property: JsonIgnore]`), even in an
// expression: `AddKey([property])`, `new Dictionary<Type, int> { [type] = 0
// }` and `values[field]` were errors. maskAttributeTargetNames spells the
// first letter of such a name `_` when no `:` follows it (an attribute target
// always has one); the identifier still reads its name from the source, and
// in a literal or a comment a letter for a letter changes nothing.
func maskAttributeTargetNames(text []byte) {
	for i := range occurrences(text, "[") {
		k := skipBlanks(text, i+1)
		end := k
		for end < len(text) && isNameByte(text[end]) {
			end++
		}
		switch string(text[k:end]) {
		case "property", "type", "field", "method", "param", "typevar", "assembly", "module":
			if next := skipBlanks(text, end); next < len(text) && text[next] != ':' {
				text[k] = '_'
			}
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

// occurrences yields the offset of each occurrence of sep in text, left to
// right. The masks rewrite text as they go; each search starts after the
// offset last yielded.
func occurrences(text []byte, sep string) iter.Seq[int] {
	return func(yield func(int) bool) {
		for at := 0; at < len(text); {
			i := bytes.Index(text[at:], []byte(sep))
			if i < 0 || !yield(at+i) {
				return
			}
			at += i + 1
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
	for i := range occurrences(text, word) {
		at := i + len(word)
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
