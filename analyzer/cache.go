package analyzer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"unsafe"
)

// ParseCache keeps each file's flattened syntax tree on disk, keyed by the
// hash of its content, so a re-scan parses only files that changed. Entries
// depend only on the grammar (the directory name carries a fingerprint of it),
// are written atomically (safe under concurrent runs), and an entry that does
// not check out is ignored and rewritten.
type ParseCache struct {
	dir string
}

const cacheMagic = "LMIC"

// DefaultCacheDir is $LMILINT_CACHE_DIR, else lmilint/ in the user cache
// directory (~/.cache on Linux).
func DefaultCacheDir() string {
	if d := os.Getenv("LMILINT_CACHE_DIR"); d != "" {
		return d
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "lmilint-cache")
	}
	return filepath.Join(base, "lmilint")
}

// OpenParseCache opens (creating) the cache for the bundled grammar under base.
func OpenParseCache(base string) (*ParseCache, error) {
	loadGrammar()
	h := sha256.New()
	fmt.Fprintf(h, "v1 %s %d\n", runtime.GOARCH, unsafe.Sizeof(flatNode{}))
	for _, k := range grammar.symbols {
		fmt.Fprintln(h, k)
	}
	for _, f := range grammar.fields {
		fmt.Fprintln(h, f)
	}
	dir := filepath.Join(base, "trees-"+hex.EncodeToString(h.Sum(nil))[:16])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &ParseCache{dir: dir}, nil
}

func (c *ParseCache) path(key [32]byte) string {
	k := hex.EncodeToString(key[:])
	return filepath.Join(c.dir, k[:2], k[2:])
}

func flatBytes(flat []flatNode) []byte {
	if len(flat) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&flat[0])), len(flat)*int(unsafe.Sizeof(flatNode{})))
}

// get returns the cached tree of a source, or false when there is none or the
// entry is damaged.
func (c *ParseCache) get(key [32]byte, srcLen int) ([]flatNode, bool) {
	data, err := os.ReadFile(c.path(key))
	if err != nil || len(data) < 12 || string(data[:4]) != cacheMagic {
		return nil, false
	}
	n := int(binary.LittleEndian.Uint32(data[4:8]))
	size := int(unsafe.Sizeof(flatNode{}))
	body := data[8 : len(data)-4]
	if n <= 0 || len(body) != n*size || crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, false
	}
	// The body is used in place when aligned for flatNode's uint32 fields
	// (ReadFile's buffers are), saving a copy of every cached tree.
	if uintptr(unsafe.Pointer(&body[0]))%unsafe.Alignof(flatNode{}) != 0 {
		body = append(make([]byte, 0, len(body)+8), body...)
	}
	flat := unsafe.Slice((*flatNode)(unsafe.Pointer(&body[0])), n)
	for i := range flat {
		f := &flat[i]
		if int(f.end) > srcLen || f.start > f.end || (i == 0) != (f.parent == ^uint32(0)) || (i > 0 && int(f.parent) >= i) {
			return nil, false
		}
	}
	return flat, true
}

// put stores a tree; failures only cost the next run a parse.
func (c *ParseCache) put(key [32]byte, flat []flatNode) {
	path := c.path(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	body := flatBytes(flat)
	data := make([]byte, 8, 12+len(body))
	copy(data, cacheMagic)
	binary.LittleEndian.PutUint32(data[4:], uint32(len(flat)))
	data = append(data, body...)
	data = binary.LittleEndian.AppendUint32(data, crc32.ChecksumIEEE(body))
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
}

// Dir is where the cache keeps its entries.
func (c *ParseCache) Dir() string { return c.dir }

// parseCached parses src, or takes its tree from the cache.
func parseCached(p *Parser, c *ParseCache, src []byte) (*Tree, error) {
	if c == nil {
		return p.Parse(src)
	}
	key := sha256.Sum256(src)
	if flat, ok := c.get(key, len(src)); ok {
		return buildTree(flat, src), nil
	}
	flat, free, err := p.parseFlat(src)
	if err != nil {
		return nil, err
	}
	defer free()
	c.put(key, flat)
	return buildTree(flat, src), nil
}
