package analyzer

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"sync"
	"unsafe"
)

// A packStream writes a tree pack while the files are parsed (a first
// run's, or a scratch pack when there is no cache) and hands each tree back
// where it lies in the file, mapped: the run holds a tree in memory only
// while its file is parsed, instead of every tree until the last file is
// done (efcore: 157 MB of nodes). The file is mapped once, ahead of its
// writing, over packStreamRoom bytes: a page of a file mapped past its end
// becomes readable once written (Linux).
type packStream struct {
	mu        sync.Mutex
	file      *os.File
	tmp, path string
	mapped    []byte
	at        int64  // bytes written
	count     uint32 // entries written
	broken    bool   // a write failed: the file is dropped, trees stay in memory
}

// packStreamRoom bounds a streamed pack; trees past it stay in memory. It
// is address space, not memory: efcore's pack is 166 MB. (Less on 32-bit
// platforms, whose int cannot say 8 GiB.)
const packStreamRoom = min(8<<30, math.MaxInt)

// startPackStream starts writing the tree pack at path, or returns nil
// when it cannot (then the pack is written at the end, as before).
func startPackStream(path string) *packStream {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil
	}
	tmp := tempName(path)
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil
	}
	s := newPackStream(f)
	if s == nil {
		os.Remove(tmp)
		return nil
	}
	s.tmp, s.path = tmp, path
	return s
}

// startScratchStream starts a pack of trees for a scan without a cache: an
// unlinked file, which no run reads again, in the temporary directory or,
// when that is in memory (tmpfs, as /tmp is on many systems), in the user's
// cache directory (only if it exists). It returns nil when neither is on
// disk: in memory its pages would be memory still, only no longer counted
// as the scan's.
func startScratchStream() *packStream {
	for _, dir := range scratchDirs() {
		if inMemoryFS(dir) {
			continue
		}
		f, err := os.CreateTemp(dir, ".lmilint-trees-*")
		if err != nil {
			continue
		}
		os.Remove(f.Name()) // the file lives while the mapping does
		return newPackStream(f)
	}
	return nil
}

// scratchDirs are where a scratch pack may go, in order.
func scratchDirs() []string {
	dirs := []string{os.TempDir()}
	if cache, err := os.UserCacheDir(); err == nil {
		if st, err := os.Stat(cache); err == nil && st.IsDir() {
			dirs = append(dirs, cache)
		}
	}
	return dirs
}

// newPackStream maps f ahead of its writing and writes the pack's header
// (the count is written when the stream is finished); nil, with f closed,
// when either fails.
func newPackStream(f *os.File) *packStream {
	var head [16]byte
	copy(head[:], treePackMagic)
	startPager()
	mapped, err := mapAhead(f, packStreamRoom)
	if err != nil {
		f.Close()
		return nil
	}
	if _, err := f.Write(head[:]); err != nil {
		unmapFile(mapped)
		f.Close()
		return nil
	}
	addMapping(mapped)
	return &packStream{file: f, mapped: mapped, at: int64(len(head))}
}

// entryBuffers hold encoded entries on their way to the file.
var entryBuffers = sync.Pool{New: func() any { return new([]byte) }}

// add appends the entry of tree, keyed by its file's hash, with the file's
// text (nil for none), and returns the tree's nodes and the text where they
// now lie in the mapping; false when the stream is broken or full.
func (s *packStream) add(key [32]byte, tree *Tree, text []byte) ([]Node, []byte, bool) {
	buf := entryBuffers.Get().(*[]byte)
	defer entryBuffers.Put(buf)
	*buf = appendTree(*buf, tree)
	entry := *buf
	lead := appendLead(make([]byte, 0, packLead), key, len(entry), text)
	pad := textPadding(len(text))
	size := int64(len(lead) + len(entry) + len(text) + len(pad))
	// The place is taken under the lock, the writing done outside it: the
	// parsers write their entries side by side.
	s.mu.Lock()
	if s.broken || s.at+size > packStreamRoom {
		s.mu.Unlock()
		return nil, nil, false
	}
	at := s.at
	s.at += size
	s.count++
	s.mu.Unlock()
	err := s.writeAt(at, lead, entry, text, pad)
	if err != nil {
		s.mu.Lock()
		s.broken = true // a hole in the file: it is dropped, and this tree stays
		s.mu.Unlock()
		return nil, nil, false
	}
	nodesAt := at + int64(len(lead)) + cacheHeader
	textAt := at + int64(len(lead)+len(entry))
	return unsafe.Slice((*Node)(unsafe.Pointer(&s.mapped[nodesAt])), tree.Root.data().count),
		s.mapped[textAt : textAt+int64(len(text)) : textAt+int64(len(text))], true
}

// writeAt writes parts one after another from offset at.
func (s *packStream) writeAt(at int64, parts ...[]byte) error {
	for _, part := range parts {
		if len(part) == 0 {
			continue
		}
		if _, err := s.file.WriteAt(part, at); err != nil {
			return err
		}
		at += int64(len(part))
	}
	return nil
}

// finish writes the entry count and puts the pack in place, or drops it if
// a write failed. The trees handed out stay where they are: the mapping
// keeps the file's data even if it is removed.
func (s *packStream) finish() {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := !s.broken
	if ok {
		var count [4]byte
		binary.LittleEndian.PutUint32(count[:], s.count)
		_, err := s.file.WriteAt(count[:], 4)
		ok = err == nil
	}
	if err := s.file.Close(); err != nil {
		ok = false
	}
	if s.path == "" {
		return // a scratch pack, already unlinked
	}
	if !ok || os.Rename(s.tmp, s.path) != nil {
		os.Remove(s.tmp)
	}
}
