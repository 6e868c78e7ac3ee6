package analyzer

// This is the one file that touches tree-sitter. It parses a file in C, walks
// the whole tree once in C with a TSTreeCursor, and hands Go a flat array of
// nodes, so the rest of lmilint never pays a cgo call per node and never holds
// C memory: the C tree is deleted before Parse returns.

/*
#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

// lmi_release_freed hands memory the parsers freed back to the system. glibc
// keeps freed blocks in its per-thread arenas, so after a parallel parse of
// thousands of files a scan would otherwise hold a hundred MB it no longer uses.
static void lmi_release_freed(void) {
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

// Declarations from tree-sitter's api.h (v0.22, as vendored by
// github.com/smacker/go-tree-sitter, whose cgo code provides the definitions).
typedef uint16_t TSSymbol;
typedef uint16_t TSFieldId;
typedef struct TSLanguage TSLanguage;
typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef struct { uint32_t row; uint32_t column; } TSPoint;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;

TSParser *ts_parser_new(void);
void ts_parser_delete(TSParser *self);
bool ts_parser_set_language(TSParser *self, const TSLanguage *language);
void ts_parser_set_timeout_micros(TSParser *self, uint64_t timeout_micros);
void ts_parser_reset(TSParser *self);
TSTree *ts_parser_parse_string(TSParser *self, const TSTree *old_tree, const char *string, uint32_t length);
void ts_tree_delete(TSTree *self);
TSNode ts_tree_root_node(const TSTree *self);
TSSymbol ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
bool ts_node_is_named(TSNode self);
bool ts_node_is_missing(TSNode self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
TSFieldId ts_tree_cursor_current_field_id(const TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
uint32_t ts_language_symbol_count(const TSLanguage *self);
const char *ts_language_symbol_name(const TSLanguage *self, TSSymbol symbol);
uint32_t ts_language_field_count(const TSLanguage *self);
const char *ts_language_field_name_for_id(const TSLanguage *self, TSFieldId id);
const TSLanguage *tree_sitter_c_sharp(void);

typedef struct {
	uint32_t start, end, parent;
	uint16_t symbol, field;
	uint8_t flags;
} lmi_node;

enum { LMI_NAMED = 1, LMI_MISSING = 2 };

// lmi_parse parses src and flattens the tree in preorder. It returns the node
// count (0 when the parse timed out or memory ran out); *out must be freed.
// A parse that timed out is dropped: left alone, the parser would resume it
// on the next call, with the next file's text.
static uint32_t lmi_parse(TSParser *p, const char *src, uint32_t len, lmi_node **out) {
	*out = NULL;
	TSTree *tree = ts_parser_parse_string(p, NULL, src, len);
	if (!tree) {
		ts_parser_reset(p);
		return 0;
	}
	uint32_t cap = 1024, n = 0;
	lmi_node *buf = malloc(cap * sizeof(lmi_node));
	uint32_t stackcap = 256, depth = 0;
	uint32_t *stack = malloc(stackcap * sizeof(uint32_t));
	if (!buf || !stack) { free(buf); free(stack); ts_tree_delete(tree); return 0; }
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	for (;;) {
		if (n == cap) {
			cap *= 2;
			lmi_node *nb = realloc(buf, cap * sizeof(lmi_node));
			if (!nb) { n = 0; break; }
			buf = nb;
		}
		TSNode node = ts_tree_cursor_current_node(&c);
		lmi_node *o = &buf[n];
		o->start = ts_node_start_byte(node);
		o->end = ts_node_end_byte(node);
		o->parent = depth ? stack[depth-1] : UINT32_MAX;
		o->symbol = ts_node_symbol(node);
		o->field = ts_tree_cursor_current_field_id(&c);
		o->flags = (ts_node_is_named(node) ? LMI_NAMED : 0) | (ts_node_is_missing(node) ? LMI_MISSING : 0);
		uint32_t self = n++;
		if (ts_tree_cursor_goto_first_child(&c)) {
			if (depth == stackcap) {
				stackcap *= 2;
				uint32_t *ns = realloc(stack, stackcap * sizeof(uint32_t));
				if (!ns) { n = 0; break; }
				stack = ns;
			}
			stack[depth++] = self;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (depth == 0 || !ts_tree_cursor_goto_parent(&c)) goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	ts_tree_delete(tree);
	free(stack);
	if (n == 0) { free(buf); return 0; }
	*out = buf;
	return n;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"

	"github.com/dustin/go-humanize"

	// The C runtime and the C# grammar are linked from these packages; this
	// file calls their C symbols directly.
	_ "github.com/smacker/go-tree-sitter"
	_ "github.com/smacker/go-tree-sitter/csharp"
)

// ParseTimeout bounds the parse of one file, plus a second per MiB of source
// (a 50 MB generated file takes about 17 s here); a pathological file becomes
// a run diagnostic instead of a hang.
var ParseTimeout = 20 * time.Second

// parseBudget is the time one file of n bytes may take to parse.
func parseBudget(n int) time.Duration {
	return ParseTimeout + time.Duration(n>>20)*time.Second
}

// ErrParseTimeout is returned when a file takes longer than its parse budget.
var ErrParseTimeout = errors.New("parse did not finish in time")

var grammar struct {
	once    sync.Once
	symbols []Kind
	fields  []string
	slots   []int8 // symbol → slot in a file's kind index, or -1
	dropped []bool // symbol → punctuation left out of Go trees
}

// droppedTokens are punctuation tokens no analysis looks at. Leaving them out
// of the Go tree (when they are not held under a field, as a binary
// operator is) saves a third of the nodes; their text stays in the source
// spans of the nodes around them.
var droppedTokens = map[string]bool{
	";": true, ",": true, ".": true, ":": true, "=>": true, `"`: true,
	"{": true, "}": true, "(": true, ")": true, "[": true, "]": true, "<": true, ">": true,
}

// IndexedKinds are the node kinds each file indexes while its tree is built,
// so that rules visit only the nodes they look at instead of walking every
// file again.
var IndexedKinds = []Kind{
	KindInvocation, KindObjectCreation, KindAssignment, KindIfStatement, KindLockStatement,
	KindLambda, KindAnonymousMethod, KindLocalFunction, KindMemberAccess, KindComment,
	KindPreprocPragma, KindAttribute, KindStringLiteral, KindVerbatimStringLiteral,
	KindClass, KindStruct, KindRecord, KindInterface,
}

func kindSlot(k Kind) int {
	for i, x := range IndexedKinds {
		if x == k {
			return i
		}
	}
	return -1
}

func loadGrammar() {
	grammar.once.Do(func() {
		lang := C.tree_sitter_c_sharp()
		n := int(C.ts_language_symbol_count(lang))
		grammar.symbols = make([]Kind, n)
		for i := 0; i < n; i++ {
			grammar.symbols[i] = internKind(C.GoString(C.ts_language_symbol_name(lang, C.TSSymbol(i))))
		}
		if len(kindTable.names) > maxKinds {
			panic("analyzer: the grammar has more kinds than a node can number")
		}
		f := int(C.ts_language_field_count(lang))
		if f > fieldID {
			panic("analyzer: the grammar has more fields than Node.field can number")
		}
		grammar.fields = make([]string, f+1)
		for i := 1; i <= f; i++ {
			grammar.fields[i] = C.GoString(C.ts_language_field_name_for_id(lang, C.TSFieldId(i)))
		}
		grammar.slots = make([]int8, n)
		grammar.dropped = make([]bool, n)
		for i, k := range grammar.symbols {
			grammar.slots[i] = int8(kindSlot(k))
			grammar.dropped[i] = droppedTokens[k.String()]
		}
	})
}

// GrammarKinds lists every node kind of the bundled C# grammar; a test checks
// that each kind constant lmilint uses is one of them.
func GrammarKinds() map[Kind]bool {
	loadGrammar()
	m := make(map[Kind]bool, len(grammar.symbols))
	for _, k := range grammar.symbols {
		m[k] = true
	}
	m[KindError] = true
	return m
}

// Parser parses C# source. A Parser is not safe for concurrent use: give each
// worker its own (a tree-sitter parser shared by goroutines corrupts memory).
type Parser struct {
	p *C.TSParser
}

// NewParser returns a parser for C#; Close it when done.
func NewParser() *Parser {
	loadGrammar()
	p := C.ts_parser_new()
	C.ts_parser_set_language(p, C.tree_sitter_c_sharp())
	return &Parser{p: p}
}

// releaseFreedMemory returns C memory that closed parsers freed to the system.
func releaseFreedMemory() { C.lmi_release_freed() }

// Close frees the parser's C memory.
func (p *Parser) Close() {
	if p.p != nil {
		C.ts_parser_delete(p.p)
		p.p = nil
	}
}

// Tree is a parsed file: its root, the nodes of IndexedKinds in source order,
// and the first ERROR or MISSING node (nil when the file parsed cleanly).
type Tree struct {
	Root       *Node
	FirstError *Node
	// FirstBranches says the tree holds only the first branch of each `#if`:
	// the grammar could not read the file with all of them (see
	// keepFirstBranches), and could without the others.
	FirstBranches bool
	index         [][]uint32 // by slot: the nodes' indexes in the array, in source order
}

// parseFlat parses src and returns its flattened tree, which lives in C
// memory (no copy into the Go heap, which would double the garbage a scan
// makes); call free once done with it. A file with a syntax error is parsed
// again with rewrites that may remove it, last with only the first branch of
// each `#if` (firstBranches); a tree without error is taken.
func (p *Parser) parseFlat(src []byte) (flat []flatNode, firstBranches bool, free func(), err error) {
	if uint64(len(src)) >= 1<<32 {
		return nil, false, nil, errors.New("over 4 GiB, more than the parser can address")
	}
	var csrc *C.char
	if len(src) > 0 {
		csrc = (*C.char)(C.CBytes(src))
	} else {
		csrc = C.CString("")
	}
	defer C.free(unsafe.Pointer(csrc))
	text := unsafe.Slice((*byte)(unsafe.Pointer(csrc)), len(src))
	maskGrammarGaps(text)
	budget := parseBudget(len(src))
	start := time.Now()
	C.ts_parser_set_timeout_micros(p.p, C.uint64_t(budget/time.Microsecond))
	flat, ok := p.parseText(text)
	if !ok {
		return nil, false, nil, ErrParseTimeout
	}
	// A file with an error is parsed again with the rewrites that are safe
	// only where they make it parse (see retryRewrites), the lighter first,
	// and the first clean tree is taken. The retries have what is left of
	// the file's budget, so a file takes no longer than its budget in all.
	if flatHasError(flat) {
		for _, branches := range []bool{false, true} {
			left := budget - time.Since(start)
			if left <= time.Millisecond {
				break
			}
			copy(text, src)
			maskGrammarGaps(text)
			if !retryRewrites(text, branches) {
				continue
			}
			C.ts_parser_set_timeout_micros(p.p, C.uint64_t(left/time.Microsecond))
			if retry, ok := p.parseText(text); ok && !flatHasError(retry) {
				freeFlat(flat)
				flat, firstBranches = retry, branches
				break
			} else if ok {
				freeFlat(retry)
			}
		}
	}
	return flat, firstBranches, func() { freeFlat(flat) }, nil
}

// parseText parses text, which lies in C memory; false when the parse timed
// out or memory ran out.
func (p *Parser) parseText(text []byte) ([]flatNode, bool) {
	var cbuf *C.lmi_node
	n := C.lmi_parse(p.p, (*C.char)(unsafe.Pointer(unsafe.SliceData(text))), C.uint32_t(len(text)), &cbuf)
	if n == 0 {
		return nil, false
	}
	// flatNode has lmi_node's layout.
	return unsafe.Slice((*flatNode)(unsafe.Pointer(cbuf)), int(n)), true
}

func freeFlat(flat []flatNode) { C.free(unsafe.Pointer(unsafe.SliceData(flat))) }

// flatHasError reports whether a flattened tree holds an ERROR or MISSING
// node, as buildTree reads them.
func flatHasError(flat []flatNode) bool {
	for i := range flat {
		f := &flat[i]
		if f.flags&flagMissing != 0 || int(f.symbol) >= len(grammar.symbols) || grammar.symbols[f.symbol] == KindError {
			return true
		}
	}
	return false
}

// Parse parses UTF-8 source (already decoded, BOM removed) into a pure-Go tree.
func (p *Parser) Parse(src []byte) (*Tree, error) {
	flat, firstBranches, free, err := p.parseFlat(src)
	if err != nil {
		return nil, err
	}
	defer free()
	tree, err := buildTree(flat, src)
	if tree != nil {
		tree.FirstBranches = firstBranches
	}
	return tree, err
}

// flatNode is one node of a flattened tree, in preorder: the layout of the C
// struct lmi_node, and what the parse cache stores.
type flatNode struct {
	start, end, parent uint32
	symbol, field      uint16
	flags              uint8
	_                  uint8
}

const (
	flagNamed    = 1 // C.LMI_NAMED
	flagMissing  = 2 // C.LMI_MISSING
	flatNoParent = ^uint32(0)
)

func init() {
	if unsafe.Sizeof(flatNode{}) != unsafe.Sizeof(C.lmi_node{}) {
		panic("analyzer: flatNode does not match lmi_node")
	}
}

// treeNodeLimit and sourceSizeLimit are maxTreeNodes and maxSourceSize;
// tests lower them.
var (
	treeNodeLimit   int = maxTreeNodes
	sourceSizeLimit int = maxSourceSize
)

// buildTree turns the flat preorder array into Go nodes held in one arena
// and indexes the nodes of IndexedKinds on the way. The arena is laid out so
// that each node's children sit next to each other (a node is placed when its
// parent is, its children after everything placed before them): children are
// then a slice of the arena, and no table of child pointers (8 bytes a node)
// is needed.
func buildTree(flat []flatNode, src []byte) (*Tree, error) {
	tree := &Tree{index: make([][]uint32, len(IndexedKinds))}
	// Number the kept nodes and count each one's kept children. Only leaves
	// are dropped (in preorder a leaf is not followed by its own child).
	at := make([]int32, len(flat))
	kept := 0
	for i := range flat {
		f := &flat[i]
		leaf := i+1 == len(flat) || flat[i+1].parent != uint32(i)
		if i > 0 && leaf && f.field == 0 && f.flags&flagNamed == 0 && int(f.symbol) < len(grammar.dropped) && grammar.dropped[f.symbol] {
			at[i] = -1
			continue
		}
		at[i] = 0
		kept++
		if par := f.parent; par != flatNoParent {
			at[par]++ // counts for now; becomes the position below
		}
	}
	counts := make([]uint32, len(flat))
	for i, c := range at {
		if c > 0 {
			counts[i] = uint32(c)
		}
	}
	if len(src) > sourceSizeLimit {
		return nil, fmt.Errorf("%s of source; lmilint analyzes at most %s in one file, whatever --max-file-size allows", humanize.IBytes(uint64(len(src))), humanize.IBytes(uint64(sourceSizeLimit)))
	}
	if kept > treeNodeLimit {
		return nil, fmt.Errorf("%s syntax nodes; lmilint analyzes at most %s in one file", humanize.Comma(int64(kept)), humanize.Comma(int64(treeNodeLimit)))
	}
	nodes := newNodeArray(kept, src, nil)
	id := nodes[0].parentIndex()
	// Preorder visits a parent before its children and the children in
	// order, so a node's place is known when it is visited.
	next := uint32(1)
	at[0] = 0
	for i := range flat {
		f := &flat[i]
		if i > 0 {
			if at[i] < 0 {
				continue
			}
			// counts[parent] now counts the children placed so far.
			at[i] = int32(nodes[at[f.parent]].first() + counts[f.parent])
			counts[f.parent]++
		}
		n := &nodes[at[i]]
		kind := KindError // tree-sitter's builtin error symbol is 0xFFFF
		if int(f.symbol) < len(grammar.symbols) {
			kind = grammar.symbols[f.symbol]
			if slot := grammar.slots[f.symbol]; slot >= 0 {
				tree.index[slot] = append(tree.index[slot], uint32(at[i]))
			}
		}
		field := uint8(f.field)
		if f.flags&flagMissing != 0 {
			field |= fieldMissing
		}
		if f.flags&flagNamed != 0 {
			field |= fieldNamed
		}
		parent := id
		if i > 0 {
			parent = uint32(at[f.parent])
		}
		n.place(uint32(at[i]), parent, next, kind, field)
		n.setKids(counts[i])
		next += counts[i]
		counts[i] = 0
		if tree.FirstError == nil && n.IsError() {
			tree.FirstError = n
		}
		n.setSpan(f.start, f.end)
	}
	tree.Root = &nodes[0]
	tree.Root.data().sortLongEnds()
	return tree, nil
}
