package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// boundHeapGrowth sets a soft memory limit once the sources are parsed.
// Left alone, the Go runtime lets the heap grow to twice the live heap of
// each collection and keeps freed pages resident. What the analysis
// allocates after parsing is mostly facts it keeps (efcore, with the trees
// in the heap: 254 MiB live after parsing, 370 MiB at the end, 198 MiB
// allocated in between), so the limit starts at startFactor times the live
// heap and, after each collection, rises to leave minHeadroom for more
// objects (limitAfter): facts that outgrow the start (50k generated files
// end at 1.65 times their live heap after parsing) never leave the
// collector running back to back.
//
// startFactor trades peak memory for collections, each about 50 ms of a
// re-scan on efcore (docs/performance.md; medians of 7 re-scans after a body
// edit, peak RSS, with the trees in the heap): 1.6 → 1.00 s, 423 MiB;
// 1.8 → 0.94 s, 459 MiB; 2.0 → 0.77 s, 498 MiB. GOMEMLIMIT, when set, wins.
//
// The start is never below a floor. Since trees live in the mapped tree
// pack (a scan with a cache, on Linux), the heap after parsing is small
// (efcore: 90 MiB instead of 250), and 1.8 times it left a re-scan
// collecting every few megabytes as its cached facts came back (14
// collections, 383 ms of marking, against 6 and 197 ms with the trees in
// the heap). A re-scan allocates little beyond what it keeps, so its floor
// is higher: 448 MiB gave 10 collections and 67 ms of marking, 0.1 s off a
// warm efcore re-scan, and a peak of 367–378 MiB (the collector's own pace
// binds before the limit). A first run allocates all its facts, and with
// that floor peaked at 429–477 MiB, so it keeps 256 MiB (394–433).
//
// A re-scan is paced by that limit alone (GOGC=off) unless GOGC is set.
// With the trees and the sources in the mapped tree pack, its heap after
// loading is a few megabytes, and what it allocates next is mostly the facts
// it keeps, so at Go's default pace it marked them again at 20, 40, 77, 155
// and 218 MB: 0.1–0.15 s of CPU on an efcore re-scan after a declaration
// edit. At GOGC=400 it still marked 146 MB once (87 ms of CPU); with the
// limit alone an efcore re-scan allocates under the limit and never
// collects: 0.04–0.08 s faster after a declaration edit, with a peak RSS
// 20–25 MiB higher (438 MiB; 50,000 generated files 671–685 MiB).
//
// With the trees in the heap (off Linux, or with nowhere on disk to map a
// pack from: treesInHeap), the heap after loading is mostly trees, which
// stay, and a re-scan reads them into it too: the start is then a smaller
// factor of it, with no re-scan floor and GOGC left alone, and a first run
// keeps firstRunHeadroom rather than minHeadroom above its live heap.
// Measured on Linux with the mapping turned off (efcore, peak RSS): without
// a cache 480–487 → 457–458 MiB at about the same time; a first run with a
// cache 522–527 → 489–490 MiB, 0.3 s slower; warm 476–479 → 463–466 MiB,
// 0.08 s slower. A smaller headroom for re-scans too cost them 0.2–0.5 s
// (more collections with the trees' 250 MB live), and 16 MiB cost a first
// run 1.9 s.
func boundHeapGrowth(rescan, treesInHeap bool) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	runtime.GC()
	live, ok := liveHeap()
	if !ok {
		return
	}
	start := startLimit(int64(live), rescan, treesInHeap)
	debug.SetMemoryLimit(start)
	watchCollections(start, headroomFor(rescan, treesInHeap))
	if rescan && !treesInHeap && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(rescanGCPercent) // only with a limit in place
	}
}

// headroomFor is the room a scan's limit keeps above its live heap after
// each collection (see limitAfter).
func headroomFor(rescan, treesInHeap bool) int64 {
	if treesInHeap && !rescan {
		return firstRunHeadroom
	}
	return minHeadroom
}

// startLimit is the soft memory limit a scan starts with, after loading.
func startLimit(live int64, rescan, treesInHeap bool) int64 {
	switch {
	case treesInHeap:
		return max(int64(treesInHeapFactor*float64(live)), firstRunFloor)
	case rescan:
		return max(int64(startFactor*float64(live)), rescanFloor)
	}
	return max(int64(startFactor*float64(live)), firstRunFloor)
}

const (
	startFactor       = 1.8
	treesInHeapFactor = 1.5
	minHeadroom       = 64 << 20
	firstRunHeadroom  = 32 << 20 // with the trees in the heap
	firstRunFloor     = 256 << 20
	rescanFloor       = 448 << 20
	// rescanGCPercent is a re-scan's GOGC: off, the limit paces it.
	rescanGCPercent = -1
)

// limitAfter is the limit once a collection found live bytes still in use
// and the runtime holds overhead bytes besides the heap's objects and free
// pages (fragmentation, stacks, metadata; what the limit counts too): never
// below the start, and room for headroom (minHeadroom, see
// boundHeapGrowth) more objects. Without the
// overhead, the 50–60 MiB of it on 50,000 generated files left 6 MiB of
// room, and once the trees had left the heap the scan collected every few
// megabytes (54 collections instead of 31).
func limitAfter(start, live, overhead, headroom int64) int64 {
	return max(start, live+overhead+headroom)
}

// watchGeneration stops an older watch when boundHeapGrowth runs again.
var watchGeneration atomic.Int64

// watchCollections raises the limit after each collection (see limitAfter)
// until boundHeapGrowth runs again. A cleanup attached to a fresh object runs
// once a collection has found it unreachable, and arms the next one.
func watchCollections(start, headroom int64) {
	gen := watchGeneration.Add(1)
	var arm func()
	arm = func() {
		// Not a tiny object: those share a block, whose cleanups wait
		// until all of the block is garbage.
		runtime.AddCleanup(new([64]byte), func(int) {
			if watchGeneration.Load() != gen {
				return
			}
			if live, ok := liveHeap(); ok {
				if limit := limitAfter(start, int64(live), runtimeOverhead(), headroom); limit > debug.SetMemoryLimit(-1) {
					debug.SetMemoryLimit(limit)
				}
			}
			arm()
		}, 0)
	}
	arm()
}

// liveHeap is the heap the last collection found in use.
func liveHeap() (uint64, bool) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0, false
	}
	return sample[0].Value.Uint64(), true
}

// runtimeOverhead is the memory the limit counts beyond the heap's objects
// and its free pages: all the runtime holds and has not released, less
// those two.
func runtimeOverhead() int64 {
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(samples)
	var v [4]int64
	for i, s := range samples {
		if s.Value.Kind() != metrics.KindUint64 {
			return 0
		}
		v[i] = int64(s.Value.Uint64())
	}
	return max(0, v[0]-v[1]-v[2]-v[3])
}
