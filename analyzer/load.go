package analyzer

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/dustin/go-humanize"
)

// LoadOptions control which files a scan reads.
type LoadOptions struct {
	Jobs    int      // parallel parsers; 0 means one per core
	Exclude []string // doublestar globs over slash paths relative to the root
	Root    string   // the directory output paths are relative to; default: cwd
	// Cache, when set, supplies unchanged files' trees without parsing them.
	Cache *ParseCache
	// MaxFileSize skips larger files with a diagnostic; 0 means
	// DefaultMaxFileSize, a negative value no limit.
	MaxFileSize int64
	// Progress, when set, is told the number of files found (total, done=0)
	// and then called after each file is parsed; it must be safe for
	// concurrent use.
	Progress func(done, total int)
	// MapTrees keeps the syntax trees in a file mapped from disk rather than
	// in memory (on Linux): with a Cache, the scan root's tree pack (a first
	// run writes each tree there as its file is parsed); without, an
	// unlinked scratch pack in the temporary directory, unless that is in
	// memory (tmpfs). The pages read are dropped whenever they pass a budget
	// (pageTrees). The mappings are never undone, so it suits a process
	// that scans once, as the CLI does.
	MapTrees bool
}

// Sources are the parsed inputs of a scan.
type Sources struct {
	Root        string // absolute
	Files       []*File
	Manifests   []Manifest
	Diagnostics []Diagnostic
	// ReportOnly, when non-nil, limits reporting to these relative paths (the
	// pre-commit case: files were named, the project around them is indexed).
	ReportOnly map[string]bool
	// ProjectRefs maps each project directory to those its .csproj references.
	ProjectRefs map[string][]string
	csprojs     []string
	// The directories the walk listed, and those of them holding a
	// .csproj: projectFinder need not list them again.
	listedDirs, projectDirs map[string]bool

	cache       *ParseCache
	treePack    *treePack    // the scan root's, while parsing with a cache
	stream      *packStream  // the pack a first run writes while parsing (MapTrees)
	stats       *fileStats   // the last run's table of files, while parsing with a cache
	started     time.Time    // when parsing started
	unread      atomic.Int32 // files taken from the tree pack as the table describes them
	maxFileSize int64
	mapTrees    bool
}

// skippedDirs are never scanned: build output and tool folders.
var skippedDirs = map[string]bool{"bin": true, "obj": true, ".git": true, "node_modules": true, ".vs": true, ".idea": true}

// ErrNoInput is returned when a named path does not exist.
var ErrNoInput = errors.New("no readable input")

// Load finds and parses the C# files and handler manifests under paths. A path
// that is a file makes its project (nearest directory holding a .sln or .git,
// else a .csproj) the indexed tree while only that file is reported.
func Load(paths []string, opts LoadOptions) (*Sources, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	root := opts.Root
	if root == "" {
		root, _ = os.Getwd()
	}
	root, _ = filepath.Abs(root)
	src := &Sources{Root: root}
	var dirs []string
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("%w: %s does not exist or cannot be read", ErrNoInput, p)
		}
		if st.IsDir() {
			dirs = append(dirs, abs)
			continue
		}
		if src.ReportOnly == nil {
			src.ReportOnly = map[string]bool{}
		}
		src.ReportOnly[relPath(root, abs)] = true
		dirs = append(dirs, projectRoot(filepath.Dir(abs)))
	}
	if !withinAny(root, dirs) {
		// Paths outside the working directory are shown relative to the first one.
		src.Root = dirs[0]
		if src.ReportOnly != nil {
			only := map[string]bool{}
			for _, p := range paths {
				abs, _ := filepath.Abs(p)
				only[relPath(src.Root, abs)] = true
			}
			src.ReportOnly = only
		}
	}
	var csFiles []string
	seen := map[string]bool{}
	for _, d := range dedupeDirs(dirs) {
		if err := src.walk(d, opts.Exclude, seen, &csFiles); err != nil {
			return nil, err
		}
	}
	if len(csFiles) == 0 && len(src.Manifests) == 0 {
		src.Diagnostics = append(src.Diagnostics, Diagnostic{Level: "warning", Message: "no C# files found under " + strings.Join(paths, ", ")})
	}
	src.cache = opts.Cache
	src.maxFileSize, src.mapTrees = opts.MaxFileSize, opts.MapTrees
	if src.maxFileSize == 0 {
		src.maxFileSize = DefaultMaxFileSize
	}
	src.parseAll(csFiles, opts.Jobs, opts.Progress)
	releaseFreedMemory()
	projects := projectFinder{root: src.Root, known: map[string]string{}, listed: src.listedDirs, projects: src.projectDirs}
	for _, f := range src.Files {
		f.Project = projects.of(filepath.Dir(f.Path))
	}
	for i := range src.Manifests {
		src.Manifests[i].Project = projects.of(filepath.Dir(src.Manifests[i].Path))
	}
	src.ProjectRefs = readProjectRefs(src.Root, src.csprojs)
	return src, nil
}

var projectReference = regexp.MustCompile(`<ProjectReference\s+Include\s*=\s*"([^"]+)"`)

// readProjectRefs reads the <ProjectReference> items of each .csproj.
func readProjectRefs(root string, csprojs []string) map[string][]string {
	refs := map[string][]string{}
	for _, path := range csprojs {
		data, _, err := readWhole(path, DefaultMaxFileSize, nil) // a FIFO named X.csproj must not block
		if err != nil {
			continue
		}
		from := relPath(root, filepath.Dir(path))
		if _, ok := refs[from]; !ok {
			refs[from] = []string{} // a project with no references still has an entry
		}
		for _, m := range projectReference.FindAllSubmatch(data, -1) {
			target := filepath.Join(filepath.Dir(path), filepath.FromSlash(strings.ReplaceAll(string(m[1]), `\`, "/")))
			refs[from] = append(refs[from], relPath(root, filepath.Dir(target)))
		}
	}
	return refs
}

// projectFinder maps directories to the project (nearest .csproj directory,
// relative to the root) they belong to, caching each directory it reads.
// It reads only directories the walk did not list (listed): for those, the
// walk noted which hold a .csproj (projects). Listing every directory again
// took a quarter of loading 50,000 files.
type projectFinder struct {
	root             string
	known            map[string]string
	listed, projects map[string]bool
}

func (pf *projectFinder) of(dir string) string {
	if p, ok := pf.known[dir]; ok {
		return p
	}
	project := ""
	if pf.listed[dir] {
		if pf.projects[dir] {
			project = relPath(pf.root, dir)
		}
	} else {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".csproj") {
				project = relPath(pf.root, dir)
				break
			}
		}
	}
	if project == "" && dir != pf.root && strings.HasPrefix(dir, pf.root) {
		if parent := filepath.Dir(dir); parent != dir {
			project = pf.of(parent)
		}
	}
	pf.known[dir] = project
	return project
}

func withinAny(root string, dirs []string) bool {
	for _, d := range dirs {
		if d != root && !strings.HasPrefix(d, root+string(filepath.Separator)) {
			return false
		}
	}
	return true
}

func dedupeDirs(dirs []string) []string {
	sort.Strings(dirs)
	var out []string
	for _, d := range dirs {
		if len(out) > 0 && (d == out[len(out)-1] || strings.HasPrefix(d, out[len(out)-1]+string(filepath.Separator))) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// projectRoot walks up from dir to the nearest directory with a .sln or .git;
// failing that, the nearest with a .csproj; failing that, dir itself.
func projectRoot(dir string) string {
	csproj := ""
	for cur := dir; ; {
		entries, _ := os.ReadDir(cur)
		for _, e := range entries {
			name := e.Name()
			switch {
			case name == ".git" || strings.HasSuffix(name, ".sln") || strings.HasSuffix(name, ".slnx"):
				return cur
			case strings.HasSuffix(name, ".csproj") && csproj == "":
				csproj = cur
			}
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			break
		}
		cur = parent
	}
	if csproj != "" {
		return csproj
	}
	return dir
}

func relPath(root, abs string) string {
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// walk collects .cs files and manifests below dir, honouring .gitignore files
// (each relative to its own directory) and --exclude globs. Symlinked
// directories are not followed, so a symlink loop or a link out of the tree
// cannot be walked; symlinked files are read only when they stay inside it.
func (s *Sources) walk(dir string, exclude []string, seen map[string]bool, out *[]string) error {
	rules := newIgnoreRules(dir)
	noteIgnoreProblems := func() {
		for _, p := range rules.problems {
			s.Diagnostics = append(s.Diagnostics, Diagnostic{Level: p.level, File: relPath(s.Root, p.path), Message: p.message})
		}
		rules.problems = rules.problems[:0]
	}
	noteIgnoreProblems()
	ignored := func(path string, isDir bool) bool {
		if rules.ignored(path, isDir) {
			return true
		}
		if len(exclude) == 0 {
			return false
		}
		rel := relPath(s.Root, path)
		for _, g := range exclude {
			if ok, _ := doublestar.Match(g, rel); ok {
				return true
			}
			if isDir {
				if ok, _ := doublestar.Match(strings.TrimSuffix(g, "/**"), rel); ok {
					return true
				}
			}
		}
		return false
	}
	if s.listedDirs == nil {
		s.listedDirs, s.projectDirs = map[string]bool{}, map[string]bool{}
	}
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			s.Diagnostics = append(s.Diagnostics, Diagnostic{Level: "warning", File: relPath(s.Root, path), Message: fmt.Sprintf("cannot read: %v", Cause(err))})
			delete(s.listedDirs, path) // its listing failed: what it holds is not known
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".csproj") {
			s.projectDirs[filepath.Dir(path)] = true
		}
		if d.IsDir() {
			if path != dir && (skippedDirs[d.Name()] || ignored(path, true)) {
				return fs.SkipDir
			}
			s.listedDirs[path] = true // WalkDir lists it next
			if path != dir {
				rules.add(path)
				noteIgnoreProblems()
			}
			return nil
		}
		name := d.Name()
		if strings.HasSuffix(name, ".csproj") {
			s.csprojs = append(s.csprojs, path)
			return nil
		}
		isCS := strings.HasSuffix(strings.ToLower(name), ".cs")
		if !isCS && !IsManifestName(name) {
			return nil
		}
		if ignored(path, false) || seen[path] {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(path)
			if err != nil || !strings.HasPrefix(target, s.Root+string(filepath.Separator)) {
				s.Diagnostics = append(s.Diagnostics, Diagnostic{Level: "note", File: relPath(s.Root, path), Message: "symlink not followed: it points outside the scanned tree or nowhere"})
				return nil
			}
			if seen[target] {
				return nil
			}
			seen[target] = true
		}
		seen[path] = true
		if isCS {
			*out = append(*out, path)
			return nil
		}
		data, _, err := readWhole(path, DefaultMaxFileSize, nil) // regular files only: a FIFO would block
		if errors.Is(err, errTooLarge) {
			s.Diagnostics = append(s.Diagnostics, Diagnostic{Level: "warning", File: relPath(s.Root, path), Message: fmt.Sprintf("not read: a manifest over %s", humanize.IBytes(uint64(DefaultMaxFileSize)))})
			return nil
		}
		if err != nil {
			s.Diagnostics = append(s.Diagnostics, Diagnostic{Level: "warning", File: relPath(s.Root, path), Message: fmt.Sprintf("cannot read: %v", Cause(err))})
			return nil
		}
		s.Manifests = append(s.Manifests, Manifest{Path: path, RelPath: relPath(s.Root, path), Data: data})
		return nil
	})
}

// Cause strips the operation and path from a file-system error, leaving the
// reason ("permission denied"), for messages that name the file already.
func Cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// bigParse is the size of source after whose parse the C memory the parser
// freed is handed back at once: tree-sitter takes about 70 bytes a byte of
// source (18 MB for 256 KB), which glibc otherwise keeps until the parse
// ends, on top of the trees that are still growing (efcore's 35 such files
// raised the peak during parsing from 436 to 489 MB).
const bigParse = 256 << 10

// parseAll reads, decodes and parses files on jobs workers, one parser each.
func (s *Sources) parseAll(paths []string, jobs int, progress func(done, total int)) {
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	sort.Strings(paths)
	files := make([]*File, len(paths))
	diags := make([][]Diagnostic, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	var done atomic.Int64
	if progress != nil {
		progress(0, len(paths))
	}
	switch {
	case s.cache != nil:
		s.started = time.Now() // before any file is looked at (see writeFileStats)
		s.stats = readFileStats(s.cache.fileStatsPath(s.Root))
		s.treePack = s.cache.openTreePack(s.Root, s.mapTrees)
		if s.treePack.trusted = s.stats.seals(s.treePack); s.treePack.trusted {
			noteTiming("tree pack: sealed by an earlier run, its entries taken unchecked")
		}
		if s.mapTrees && s.treePack.count == 0 {
			s.stream = startPackStream(s.treePack.path) // a first run: every tree goes to the pack
		}
	case s.mapTrees:
		s.stream = startScratchStream()
	}
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parser := NewParser()
			defer parser.Close()
			for i := range next {
				files[i], diags[i] = s.parseOne(parser, paths[i])
				if f := files[i]; f != nil && len(f.Src) >= bigParse {
					releaseFreedMemory()
				}
				if progress != nil {
					progress(int(done.Add(1)), len(paths))
				}
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	for i := range paths {
		if files[i] != nil {
			s.Files = append(s.Files, files[i])
		}
		s.Diagnostics = append(s.Diagnostics, diags[i]...)
	}
	if s.cache != nil {
		noteTiming("files: %d of %d unchanged since the last run, taken from the tree pack unread", s.unread.Load(), len(paths))
		s.storeTrees()
	} else if s.stream != nil {
		s.stream.finish()
		s.stream = nil
	}
}

// Rescan reports whether most files' trees came from the cache: a re-scan,
// whose files are mostly as the cache last saw them.
func (s *Sources) Rescan() bool {
	cached := 0
	for _, f := range s.Files {
		if f.treeOrigin != parsedNow {
			cached++
		}
	}
	return len(s.Files) > 0 && cached >= len(s.Files)/2
}

// TreesInMemory reports whether the files' syntax trees are held in the
// heap rather than in a mapped pack (off Linux, or with nowhere on disk to
// map one from): the heap after loading is then mostly trees.
func (s *Sources) TreesInMemory() bool {
	for _, f := range s.Files {
		if f.mappedBytes > 0 {
			return false
		}
	}
	return len(s.Files) > 0
}

// storeTrees writes the trees parsed in this run: all of them as a new tree
// pack when the old one is stale, else each new one as its own entry. Then
// it writes the table of the files whose tree and text the pack holds.
func (s *Sources) storeTrees() {
	var inPack []*File
	var seal *fileStat // the pack's, when it is kept (not rewritten) and vouched for
	defer func() {
		if inPack != nil {
			writeFileStats(s.cache.fileStatsPath(s.Root), s.stats, s.started, inPack, int(s.unread.Load()), seal)
		}
		s.stats = nil
	}()
	if s.stream != nil {
		for _, f := range s.Files {
			if f.tree == nil { // streamed
				inPack = append(inPack, f)
			}
		}
		s.stream.finish()
		s.stream = nil
		parallel(len(s.Files), func(i int) {
			if f := s.Files[i]; f.tree != nil { // the stream broke or filled up
				s.cache.put(f.hash, f.tree)
				f.tree = nil
			}
		})
		s.treePack = nil
		return
	}
	trees := make([]*Tree, len(s.Files))
	inPack = []*File{}
	for i, f := range s.Files {
		trees[i] = f.tree
		if f.treeOrigin == fromTreePack {
			inPack = append(inPack, f)
		}
	}
	if s.treePack.stale(len(inPack), len(s.Files)) {
		placed := s.treePack.write(s.Files, trees)
		if s.mapTrees && placed != nil {
			s.moveTreesToPack(trees, placed)
		}
		inPack = inPack[:0]
		for i, f := range s.Files {
			if placed != nil && placed.nodes[i] >= 0 {
				inPack = append(inPack, f)
			}
		}
	} else {
		seal = s.treePack.seal(s.started)
		parallel(len(s.Files), func(i int) {
			if f := s.Files[i]; f.treeOrigin == parsedNow {
				s.cache.put(f.hash, f.tree)
			}
		})
	}
	for _, f := range s.Files {
		f.tree = nil // only needed until now
	}
	s.treePack.release()
	s.treePack.dropPages() // read while checking entries
	s.treePack = nil
}

// moveTreesToPack maps the tree pack just written and moves each file's
// tree there from memory, so that the rest of the scan reads trees from the
// mapping and the memory they took is collected. A moved tree keeps its
// registry id, data and kind index (the pack holds the same nodes, the root
// the same id), so only the file's root changes; nothing else points into a
// tree yet. The file mapped must be the one written (another run may have
// renamed its own pack over it since): then each tree lies where the write
// put it, and nothing of the pack is read to move it.
func (s *Sources) moveTreesToPack(trees []*Tree, placed *packWrite) {
	startPager()
	mapped, file, err := mapFile(s.treePack.path)
	if err != nil {
		return
	}
	if file.dev != placed.file.dev || file.ino != placed.file.ino || file.size != placed.file.size || file.dev == 0 && file.ino == 0 {
		unmapFile(mapped)
		return
	}
	addMapping(mapped)
	moved := map[uint32]bool{}
	for i, f := range s.Files {
		at, tree := placed.nodes[i], trees[i]
		if tree == nil || at < 0 {
			continue
		}
		count := int64(tree.Root.data().count)
		if at+count*int64(nodeSize) > int64(len(mapped)) {
			continue // cannot happen for the file written, but never read past it
		}
		nodes := unsafe.Slice((*Node)(unsafe.Pointer(&mapped[at])), count)
		index := tree.index
		if f.treeOrigin == fromTreePack && !s.treePack.isMapped() {
			// The lists lie in the old pack's buffer, which would stay.
			index = make([][]uint32, len(tree.index))
			for slot, list := range tree.index {
				index[slot] = sized(list)
			}
		}
		f.SetTree(&Tree{Root: &nodes[0], index: index})
		f.mappedBytes = int(count) * nodeSize
		// The memory the tree leaves must not free its id: a tree parsed
		// now would release it when collected, one read into memory from
		// the old pack with the old pack's buffer.
		tree.Root.data().cleanup.Stop() // none for a tree of a pack
		moved[tree.Root.parentIndex()] = true
	}
	s.treePack.ids = slices.DeleteFunc(s.treePack.ids, func(id uint32) bool { return moved[id] })
	noteTiming("tree pack: %d of %d trees moved there", len(moved), len(s.Files))
}

func (s *Sources) parseOne(parser *Parser, path string) (f *File, diags []Diagnostic) {
	rel := relPath(s.Root, path)
	defer func() {
		if r := recover(); r != nil {
			f = nil
			diags = append(diags, Diagnostic{Level: "error", File: rel, Message: fmt.Sprintf("internal error while parsing: %v", r)})
		}
	}()
	if f := s.unchangedFile(path, rel); f != nil {
		return f, syntaxNote(f, f.tree)
	}
	raw, info, err := readWhole(path, s.maxFileSize, nil)
	if errors.Is(err, errTooLarge) {
		return nil, []Diagnostic{{Level: "warning", File: rel, Message: fmt.Sprintf("skipped: %s is over the %s limit for one file (--max-file-size)",
			humanize.IBytes(uint64(info.size)), humanize.IBytes(uint64(s.maxFileSize)))}}
	}
	if err != nil {
		return nil, []Diagnostic{{Level: "warning", File: rel, Message: fmt.Sprintf("cannot read: %v", Cause(err))}}
	}
	text, bom, err := DecodeSource(raw)
	if err != nil {
		return nil, []Diagnostic{{Level: "warning", File: rel, Message: "skipped: " + err.Error()}}
	}
	f = NewFile(path, rel, text, bom)
	f.UTF16 = len(raw) >= 2 && (raw[0] == 0xFF && raw[1] == 0xFE || raw[0] == 0xFE && raw[1] == 0xFF)
	if s.cache != nil {
		f.hash, f.stat = sha256.Sum256(text), info
	}
	tree, origin, err := parseCached(parser, s.cache, s.treePack, text, f.hash)
	if err != nil {
		return nil, []Diagnostic{{Level: "warning", File: rel, Message: "skipped: " + err.Error()}}
	}
	s.setTree(f, tree, origin)
	diags = syntaxNote(f, tree)
	if s.stream != nil {
		s.streamTree(f, tree)
	}
	return f, diags
}

// unchangedFile is the file at path as the tree pack holds it, text and
// tree, when the last run's table says the file is as that run saw it
// (filestats.go); nil when it cannot say so, and the file is read.
func (s *Sources) unchangedFile(path, rel string) *File {
	if s.stats == nil {
		return nil
	}
	e, ok := s.stats.byPath[path]
	if !ok {
		return nil
	}
	info, ok := statFile(path)
	if !ok || !s.stats.trusts(e, info) || s.maxFileSize > 0 && info.size > s.maxFileSize {
		return nil
	}
	tree, text := s.treePack.treeAndText(e.hash)
	if tree == nil {
		return nil
	}
	f := NewFile(path, rel, text, e.flags&statBOM != 0)
	f.UTF16 = e.flags&statUTF16 != 0
	f.hash, f.stat = e.hash, info
	s.setTree(f, tree, fromTreePack)
	s.unread.Add(1)
	return f
}

// setTree gives a loaded file its tree, which came from origin.
func (s *Sources) setTree(f *File, tree *Tree, origin treeOrigin) {
	f.SetTree(tree)
	f.treeOrigin, f.tree = origin, tree
	if origin == fromTreePack && s.treePack.isMapped() {
		f.mappedBytes = int(tree.Root.data().count) * nodeSize
	}
}

// syntaxNote is the note for a file whose syntax the grammar does not
// recognise somewhere, if it has any.
func syntaxNote(f *File, tree *Tree) []Diagnostic {
	bad := tree.FirstError
	if tree.FirstBranches {
		return firstBranchesNote(f)
	}
	if bad == nil {
		return nil
	}
	// Its line by counting, not from the file's table of lines: 806 of
	// efcore's files have such syntax, and their tables took 13 ms of a
	// re-scan's CPU.
	line := 1 + bytes.Count(f.Src[:min(int(bad.Start()), len(f.Src))], []byte{'\n'})
	return []Diagnostic{{Level: "note", File: f.RelPath, Line: line,
		Message: "syntax the C# grammar does not recognise; the rest of the file was analyzed"}}
}

// firstBranchesNote names the first `#elif` or `#else` branch left out of a
// tree parsed with the first branch of each `#if`; none when every group had
// one branch only.
func firstBranchesNote(f *File) []Diagnostic {
	dropped, _ := keepFirstBranches(bytes.Clone(f.Src))
	if dropped < 0 {
		return nil
	}
	line := 1 + bytes.Count(f.Src[:dropped], []byte{'\n'})
	return []Diagnostic{{Level: "note", File: f.RelPath, Line: line,
		Message: "conditional code the C# grammar cannot read with all its branches: the first branch of each #if was analyzed, not this #elif/#else branch or later ones"}}
}

// streamTree writes a first run's tree to the pack being streamed and
// moves the file's tree there (see moveTreesToPack: the same tree, id and
// kind index, its nodes read from the mapping); the nodes in memory are
// collected once this file is done. With a cache the text goes too, and
// the file reads it from the mapping: efcore's 77 MB of text no longer
// accumulate in memory while the other files are parsed. A first run has
// no tree from a pack, so every tree here frees its id when collected,
// which it must not.
func (s *Sources) streamTree(f *File, tree *Tree) {
	var text []byte // a scratch pack is read by no other run
	if s.cache != nil {
		text = f.Src
	}
	nodes, mappedText, ok := s.stream.add(f.hash, tree, text)
	if !ok {
		return // stays in memory, and is written as an entry of its own
	}
	data := tree.Root.data()
	data.cleanup.Stop()
	if len(text) > 0 {
		// Nothing else has read the file yet: its text can move.
		data.src, f.Src = mappedText, mappedText
	}
	f.SetTree(&Tree{Root: &nodes[0], index: tree.index})
	f.mappedBytes = len(nodes) * nodeSize
	f.tree = nil
}
