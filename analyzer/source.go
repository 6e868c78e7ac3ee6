package analyzer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"sort"
	"sync"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"
)

// File is one parsed C# source file.
type File struct {
	Path    string // as found on disk
	RelPath string // slash-separated, relative to the scan root
	Src     []byte // decoded UTF-8, without a byte-order mark
	HadBOM  bool   // the file began with a byte-order mark (it counts for fingerprints)
	UTF16   bool   // the file is UTF-16 on disk (fixes are not written back to it)
	// Project is the directory (relative to the root) of the nearest .csproj
	// above the file, or "". Names resolve within a project first, so the many
	// independent projects of one repository do not bleed into each other.
	Project string
	Root    *Node
	index   [][]uint32 // indexes of the nodes of IndexedKinds, by slot, in source order
	// mappedBytes is the size of the tree's nodes when they lie in a mapped
	// tree pack, else 0 (see notePagesRead); readSince is one more than the
	// count of page drops when they were last counted as read.
	mappedBytes int
	readSince   atomic.Uint32
	hash        [32]byte // SHA-256 of Src, when loaded with a cache: the key of its entries
	// While loading with a cache: the tree and where it came from (see
	// storeTrees), and what stat said of the file when it was read
	// (filestats.go).
	tree       *Tree
	treeOrigin treeOrigin
	stat       fileInfo
	// lines holds the byte offset of each line start, made on first use:
	// only files with something to report need it.
	lines     []uint32
	ascii     bool // no byte above 0x7F: columns are byte offsets (set with lines)
	linesOnce sync.Once
	lastPos   struct { // the last position counted in a non-ASCII file
		sync.Mutex
		line, off, col int
	}
}

// DefaultMaxFileSize is the largest source file a scan analyzes unless told
// otherwise (LoadOptions.MaxFileSize, --max-file-size); larger files are
// reported as run diagnostics. Such files are generated code or data checked
// in by mistake, and tree-sitter needs about 70 bytes of memory per byte of
// source while it parses one (3.7 GB for a 50 MB file).
const DefaultMaxFileSize = 8 << 20

// DecodeSource turns raw file bytes into UTF-8 without a BOM. UTF-16 files
// (with a BOM) are converted; binary or otherwise undecodable content is an error.
func DecodeSource(raw []byte) (src []byte, hadBOM bool, err error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw, hadBOM = raw[3:], true
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return decodeUTF16(raw)
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return nil, false, errors.New("binary file (contains NUL bytes)")
	}
	if !utf8.Valid(raw) {
		return nil, false, errors.New("not valid UTF-8 or UTF-16 text")
	}
	return raw, hadBOM, nil
}

func decodeUTF16(raw []byte) ([]byte, bool, error) {
	bigEndian := raw[0] == 0xFE
	body := raw[2:]
	if len(body)%2 != 0 {
		return nil, false, errors.New("UTF-16 file has an odd number of bytes")
	}
	units := make([]uint16, len(body)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(body[2*i])<<8 | uint16(body[2*i+1])
		} else {
			units[i] = uint16(body[2*i+1])<<8 | uint16(body[2*i])
		}
	}
	out := []byte(string(utf16.Decode(units)))
	if bytes.IndexByte(out, 0) >= 0 {
		return nil, false, errors.New("binary file (contains NUL characters)")
	}
	return out, true, nil
}

// NewFile wraps decoded source; Root is set once the file is parsed.
func NewFile(path, rel string, src []byte, hadBOM bool) *File {
	return &File{Path: path, RelPath: rel, Src: src, HadBOM: hadBOM}
}

// lineStarts returns the byte offset of each line start.
func (f *File) lineStarts() []uint32 {
	f.linesOnce.Do(func() {
		// IndexByte and the word-wise ASCII test are several times faster
		// than a loop over bytes, and every file with a finding, a syntax
		// error or a suppression needs its lines.
		lines := make([]uint32, 1, bytes.Count(f.Src, []byte{'\n'})+1)
		for at := 0; ; {
			i := bytes.IndexByte(f.Src[at:], '\n')
			if i < 0 {
				break
			}
			at += i + 1
			lines = append(lines, uint32(at))
		}
		f.lines, f.ascii = lines, isASCII(f.Src)
	})
	return f.lines
}

// isASCII reports whether no byte of b is above 0x7F, eight bytes at a time.
func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// SetTree attaches a parsed tree to the file.
func (f *File) SetTree(t *Tree) {
	f.Root = t.Root
	f.index = t.index
}

// NodesOf yields the file's nodes of an indexed kind, in source order. It
// panics for a kind that is not in IndexedKinds: that is a programming error.
func (f *File) NodesOf(k Kind) iter.Seq[*Node] {
	slot := kindSlot(k)
	if slot < 0 {
		panic("analyzer: kind " + k.String() + " is not indexed; add it to IndexedKinds")
	}
	return func(yield func(*Node) bool) {
		if f.index == nil {
			return
		}
		if f.mappedBytes > 0 && len(f.index[slot]) > 0 {
			// Counted once between two drops of pages: rules visit a
			// file once per kind, and counting each visit dropped the
			// pages of 50,000 small files every few hundred files.
			if since := pageDrops.Load() + 1; f.readSince.Load() != since { // +1: a file starts at 0
				f.readSince.Store(since)
				notePagesRead(f.mappedBytes)
			}
		}
		for _, i := range f.index[slot] {
			if !yield(f.Root.at(i)) {
				return
			}
		}
	}
}

// Pos is a 1-based line and column; columns count UTF-16 code units, as SARIF's
// utf16CodeUnits column kind and GitHub do.
type Pos struct {
	Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Position converts a byte offset in Src into a line and UTF-16 column.
func (f *File) Position(off int) Pos {
	lines := f.lineStarts()
	line := sort.Search(len(lines), func(i int) bool { return int(lines[i]) > off }) - 1
	if line < 0 {
		line = 0
	}
	start := int(lines[line])
	if off > len(f.Src) {
		off = len(f.Src)
	}
	if f.ascii {
		// A byte per UTF-16 unit: no need to read the line (a minified
		// line with thousands of findings read it once per finding).
		return Pos{Line: line + 1, Col: off - start + 1}
	}
	// Otherwise count from the line start, or from the last position asked
	// for when it lies before off on the same line: reports ask in order, so
	// a long line is read once, not once per finding on it.
	f.lastPos.Lock()
	defer f.lastPos.Unlock()
	from, col := start, 1
	if last := &f.lastPos; last.line == line+1 && last.off >= start && last.off <= off {
		from, col = last.off, last.col
	}
	for _, r := range string(f.Src[from:off]) {
		col++
		if r >= 0x10000 {
			col++ // a surrogate pair is two UTF-16 code units
		}
	}
	if off == len(f.Src) || utf8.RuneStart(f.Src[off]) {
		f.lastPos.line, f.lastPos.off, f.lastPos.col = line+1, off, col
	}
	return Pos{Line: line + 1, Col: col}
}

// LineText returns the text of a 1-based line without its line break.
func (f *File) LineText(line int) string {
	lines := f.lineStarts()
	if line < 1 || line > len(lines) {
		return ""
	}
	start := int(lines[line-1])
	end := len(f.Src)
	if line < len(lines) {
		end = int(lines[line]) - 1
	}
	return string(bytes.TrimRight(f.Src[start:end], "\r"))
}
