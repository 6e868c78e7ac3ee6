package analyzer_test

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lmilint/lmilint/analyzer"
)

// mappedScan is dumpScan with the trees kept in the mapped tree pack, as
// the CLI scans; it also returns how many files' trees were mapped, and
// how many files were taken from the pack unread (lastUnread).
func mappedScan(t *testing.T, dir string, cache *analyzer.ParseCache, collect bool) (dump string, mapped, files int) {
	t.Helper()
	src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir, Cache: cache, MapTrees: true})
	if err != nil {
		t.Fatal(err)
	}
	if collect {
		// The memory the trees moved out of is collected, and its cleanups
		// run: a registry id they freed would leave the mapped tree's
		// nodes without their source.
		for range 3 {
			runtime.GC()
			time.Sleep(10 * time.Millisecond)
		}
	}
	mapped, files, lastUnread = analyzer.MappedTrees(src), len(src.Files), analyzer.UnreadFiles(src)
	return dumpSources(t, src), mapped, files
}

// TestTreesMoveToTheWrittenPack: a first run with MapTrees streams every
// tree to the pack it writes while parsing and uses it from the mapping;
// once the memory the trees left is collected, the scan reports what a scan
// without a cache does. A second run in the same process reads the pack
// into memory (only a process's first pack is mapped in place, see
// TestMappedPackInAFreshProcess) and agrees too. After new files make the
// pack stale, a run writes it again at its end and moves every tree there.
func TestTreesMoveToTheWrittenPack(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "testdata", "projects"), dir)
	fresh, _ := dumpScan(t, dir, nil)
	cache, err := analyzer.OpenParseCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	linux := runtime.GOOS == "linux"
	first, mapped, files := mappedScan(t, dir, cache, true)
	if linux && (mapped != files || files < 20) {
		t.Fatalf("%d of %d trees streamed to the mapped pack", mapped, files)
	}
	if first != fresh {
		t.Fatalf("first run with mapped trees:\n%s\nwant\n%s", first, fresh)
	}
	if warm, _, _ := mappedScan(t, dir, cache, true); warm != fresh {
		t.Fatalf("second run:\n%s\nwant\n%s", warm, fresh)
	}
	// More than a tenth of the files new: the pack is stale (treePack.stale).
	for i := range files/9 + 1 {
		name := filepath.Join(dir, "orders-api", "Added"+strconv.Itoa(i)+".cs")
		if err := os.WriteFile(name, []byte("public class Added"+strconv.Itoa(i)+" { static int n; public void H() { n++; } }\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fresh, _ = dumpScan(t, dir, nil)
	stale, mapped, files := mappedScan(t, dir, cache, true)
	if linux && mapped != files {
		t.Fatalf("%d of %d trees moved to the rewritten pack", mapped, files)
	}
	if stale != fresh {
		t.Fatalf("run with a stale pack:\n%s\nwant\n%s", stale, fresh)
	}
}

// TestMappedPackInAFreshProcess runs scans in processes of their own, as
// the CLI does: the first streams its trees to the pack it writes, the
// second maps the pack with the trees' ids reserved, makes every tree in
// place and checks every entry (sealing the pack), the third trusts the
// seal, and after one entry is damaged the fourth checks them again, parses
// that file again and maps the rest; after an entry too short for a root is added, the
// fifth reads the pack into memory as before. Each compares its findings
// with a scan without cache.
func TestMappedPackInAFreshProcess(t *testing.T) {
	if phase := os.Getenv("LMILINT_MAPPED_PHASE"); phase != "" {
		mappedPhase(t, phase, os.Getenv("LMILINT_MAPPED_CACHE"))
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("packs are mapped on Linux only")
	}
	cacheDir := t.TempDir()
	run := func(phase string) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestMappedPackInAFreshProcess$", "-test.v")
		cmd.Env = append(os.Environ(), "LMILINT_MAPPED_PHASE="+phase, "LMILINT_MAPPED_CACHE="+cacheDir)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestMappedPackInAFreshProcess") {
			t.Fatalf("phase %s: %v\n%s", phase, err, out)
		}
	}
	run("write")
	run("map")
	run("sealed")
	packs, _ := filepath.Glob(filepath.Join(cacheDir, "packs", "trees-*.pack"))
	if len(packs) != 1 {
		t.Fatalf("tree packs: %v", packs)
	}
	damageFirstEntry(t, packs[0])
	run("damaged")
	appendShortEntry(t, packs[0])
	run("short")
}

// lastUnread is the count of files the last mappedScan took unread.
var lastUnread int

func mappedPhase(t *testing.T, phase, cacheDir string) {
	defer analyzer.SetRacyWindow(0)() // a checkout may be this recent
	dir := filepath.Join("..", "testdata", "projects")
	cache, err := analyzer.OpenParseCache(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	// The cached scan first: the registry of trees is fresh only then.
	got, mapped, files := mappedScan(t, dir, cache, true)
	// A pack holding an entry too short for a root is not mapped at all.
	want := map[string]int{"write": files, "map": files, "sealed": files, "damaged": files - 1, "short": 0}[phase]
	if mapped != want {
		t.Fatalf("%s: %d of %d trees mapped, want %d", phase, mapped, files, want)
	}
	// Every file is taken unread from the mapped pack, text and tree, but
	// the one whose tree was damaged (parsed, and read since).
	wantUnread := map[string]int{"write": 0, "map": files, "sealed": files, "damaged": files - 1, "short": files - 1}[phase]
	if lastUnread != wantUnread {
		t.Fatalf("%s: %d of %d files unread, want %d", phase, lastUnread, files, wantUnread)
	}
	// The second run checks every entry of the pack the first wrote, and
	// seals it; the third trusts the seal and checks none; after the pack
	// is damaged in place (its times change, its inode does not), every
	// entry is checked again and the damaged one fails.
	wantChecked := map[string]int{"write": 0, "map": files, "sealed": 0, "damaged": files - 1}
	if want, ok := wantChecked[phase]; ok && analyzer.CheckedEntries() != want {
		t.Fatalf("%s: %d tree entries checked, want %d", phase, analyzer.CheckedEntries(), want)
	}
	if fresh, _ := dumpScan(t, dir, nil); got != fresh {
		t.Fatalf("%s:\n%s\nwant\n%s", phase, got, fresh)
	}
}

// appendShortEntry adds an entry of two words, too short to hold a root,
// to the pack and counts it in its header.
func appendShortEntry(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	binary.LittleEndian.PutUint32(data[4:], binary.LittleEndian.Uint32(data[4:])+1)
	entry := make([]byte, 32+4+4+4+8) // key, length in words, text length, text CRC, the entry
	entry[0] = 0xAB
	binary.LittleEndian.PutUint32(entry[32:], 2)
	if err := os.WriteFile(path, append(data, entry...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// damageFirstEntry moves the start of a node of the pack's first entry by a
// byte, damage only the checksum finds (layout in treepack.go: a 16-byte
// header, then per entry a 32-byte key, its length in words, its text's
// length and checksum, and the entry, whose nodes follow a 16-byte header;
// a node's start is its third word).
func damageFirstEntry(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	entry := 16 + 44
	nodes := int(binary.LittleEndian.Uint32(data[entry+4:]))
	if nodes < 4 {
		t.Fatalf("first entry has %d nodes", nodes)
	}
	at := entry + 16 + 16*2 + 8 // the third node's start
	data[at] ^= 1
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestScratchPackWithoutCache: without a cache, MapTrees streams the trees
// to an unlinked file in the temporary directory, with the findings of a
// scan that keeps them in memory; with the temporary directory held in
// memory (tmpfs, /dev/shm) the file goes to the user's cache directory, and
// with that in memory too the trees stay in memory, since mapping would only
// hide that memory from the scan's count.
func TestScratchPackWithoutCache(t *testing.T) {
	dir := filepath.Join("..", "testdata", "projects")
	fresh, _ := dumpScan(t, dir, nil)
	scan := func() (string, int, int) {
		src, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{Root: dir, MapTrees: true})
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			runtime.GC()
			time.Sleep(10 * time.Millisecond)
		}
		if mapped := analyzer.MappedTrees(src); src.TreesInMemory() != (mapped == 0) {
			t.Errorf("TreesInMemory %v with %d trees mapped", src.TreesInMemory(), mapped)
		}
		return dumpSources(t, src), analyzer.MappedTrees(src), len(src.Files)
	}
	t.Setenv("TMPDIR", t.TempDir())
	got, mapped, files := scan()
	if got != fresh {
		t.Fatalf("with a scratch pack:\n%s\nwant\n%s", got, fresh)
	}
	if runtime.GOOS == "linux" && !analyzer.InMemoryFS(os.TempDir()) && mapped != files {
		t.Fatalf("%d of %d trees in the scratch pack", mapped, files)
	}
	if leftover, _ := filepath.Glob(filepath.Join(os.TempDir(), ".lmilint-trees-*")); len(leftover) > 0 {
		t.Fatalf("scratch pack left behind: %v", leftover)
	}
	if st, err := os.Stat("/dev/shm"); err != nil || !st.IsDir() || !analyzer.InMemoryFS("/dev/shm") {
		t.Skip("no tmpfs at /dev/shm to check that a scratch pack is not made in memory")
	}
	t.Setenv("TMPDIR", "/dev/shm")
	cacheOnDisk := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cacheOnDisk)
	if got, mapped, _ = scan(); got != fresh || mapped != files {
		t.Fatalf("TMPDIR on tmpfs, the cache directory on disk: %d of %d trees mapped, findings equal: %v", mapped, files, got == fresh)
	}
	if leftover, _ := filepath.Glob(filepath.Join(cacheOnDisk, ".lmilint-trees-*")); len(leftover) > 0 {
		t.Fatalf("scratch pack left behind: %v", leftover)
	}
	cacheInMemory, err := os.MkdirTemp("/dev/shm", "lmilint-test-cache-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(cacheInMemory)
	t.Setenv("XDG_CACHE_HOME", cacheInMemory)
	if got, mapped, _ = scan(); got != fresh || mapped != 0 {
		t.Fatalf("TMPDIR and the cache directory on tmpfs: %d trees mapped, findings equal: %v", mapped, got == fresh)
	}
	t.Setenv("XDG_CACHE_HOME", filepath.Join(cacheOnDisk, "missing"))
	if _, mapped, _ = scan(); mapped != 0 {
		t.Fatalf("a cache directory that does not exist was used: %d trees mapped", mapped)
	}
}
