package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestBoundHeapGrowth: a scan sets a finite soft memory limit of at least
// 256 MiB, 448 MiB for a re-scan, a re-scan's GOGC is off (the limit paces
// it) unless the user set GOGC, and both are left alone when the user set
// GOMEMLIMIT.
func TestBoundHeapGrowth(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer watchGeneration.Add(1) // stops the watch

	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	for _, c := range []struct {
		rescan, inHeap bool
		floor          int64
		gogc           int
	}{{false, false, 256 << 20, 100}, {true, false, 448 << 20, -1}, {true, true, 256 << 20, 100}, {false, true, 256 << 20, 100}} {
		debug.SetMemoryLimit(math.MaxInt64)
		debug.SetGCPercent(100)
		boundHeapGrowth(c.rescan, c.inHeap)
		if got := debug.SetMemoryLimit(-1); got == math.MaxInt64 || got < c.floor {
			t.Errorf("rescan %v, trees in heap %v: limit = %d, want a finite limit of at least %d MiB", c.rescan, c.inHeap, got, c.floor>>20)
		}
		if got := debug.SetGCPercent(100); got != c.gogc {
			t.Errorf("rescan %v, trees in heap %v: GOGC = %d, want %d", c.rescan, c.inHeap, got, c.gogc)
		}
	}
	t.Setenv("GOGC", "150") // the runtime read it at start; the scan only must not override it
	boundHeapGrowth(true, false)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC = %d with GOGC set, want it untouched", got)
	}

	t.Setenv("GOMEMLIMIT", "5GiB")
	t.Setenv("GOGC", "")
	debug.SetMemoryLimit(math.MaxInt64)
	boundHeapGrowth(true, false)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC = %d with GOMEMLIMIT set, want it untouched", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit = %d with GOMEMLIMIT set, want it untouched", got)
	}
}

// TestStartLimit: with the trees in the heap a scan starts at a smaller
// factor of the live heap and without the re-scan floor; otherwise at 1.8
// times it, at least 256 MiB, or 448 MiB for a re-scan.
func TestStartLimit(t *testing.T) {
	const live = 300 << 20
	for _, c := range []struct {
		rescan, inHeap bool
		want           int64
	}{
		{false, false, int64(startFactor * live)},
		{true, false, int64(startFactor * live)},
		{false, true, int64(treesInHeapFactor * live)},
		{true, true, int64(treesInHeapFactor * live)},
	} {
		if got := startLimit(live, c.rescan, c.inHeap); got != c.want {
			t.Errorf("rescan %v, trees in heap %v: %d MiB, want %d", c.rescan, c.inHeap, got>>20, c.want>>20)
		}
	}
	if got := startLimit(100<<20, true, false); got != rescanFloor {
		t.Errorf("a small re-scan: %d MiB, want the re-scan floor", got>>20)
	}
	if got := startLimit(100<<20, true, true); got != firstRunFloor {
		t.Errorf("a small re-scan with the trees in the heap: %d MiB, want the first-run floor", got>>20)
	}
	for _, c := range []struct {
		rescan, inHeap bool
		want           int64
	}{{false, false, minHeadroom}, {true, false, minHeadroom}, {true, true, minHeadroom}, {false, true, firstRunHeadroom}} {
		if got := headroomFor(c.rescan, c.inHeap); got != c.want {
			t.Errorf("rescan %v, trees in heap %v: headroom %d MiB, want %d", c.rescan, c.inHeap, got>>20, c.want>>20)
		}
	}
}

// TestLimitAfter: the limit never drops below where it started and leaves
// minHeadroom for objects beyond the live heap and the runtime's overhead
// once the facts outgrow the start.
func TestLimitAfter(t *testing.T) {
	const start = 500 << 20
	if got := limitAfter(start, 300<<20, 50<<20, minHeadroom); got != start {
		t.Errorf("live 300 MiB: limit %d MiB, want the start", got>>20)
	}
	if got := limitAfter(start, 480<<20, 50<<20, minHeadroom); got != 480<<20+50<<20+minHeadroom {
		t.Errorf("live 480 MiB: limit %d MiB, want %d", got>>20, (480<<20+50<<20+minHeadroom)>>20)
	}
	if o := runtimeOverhead(); o <= 0 || o > 1<<30 {
		t.Errorf("runtime overhead %d bytes, want some and not a gigabyte", o)
	}
}

// TestWatchCollectionsRaisesTheLimit: after a collection finds the live heap
// close to the limit, the limit rises to keep minHeadroom, so a scan whose
// facts grow past the start does not collect back to back.
func TestWatchCollectionsRaisesTheLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	defer watchGeneration.Add(1) // stops the watch

	runtime.GC()
	live, ok := liveHeap()
	if !ok {
		t.Skip("the runtime does not report the live heap")
	}
	start := int64(live) + 8<<20
	debug.SetMemoryLimit(start)
	watchCollections(start, minHeadroom)
	deadline := time.Now().Add(5 * time.Second)
	// start is 8 MiB above the live heap: once a collection has run, the
	// limit is minHeadroom above it (give or take what the test's own heap
	// shrank or grew by since).
	for debug.SetMemoryLimit(-1) < start+minHeadroom/2 {
		if time.Now().After(deadline) {
			t.Fatalf("limit still %d MiB with %d MiB live", debug.SetMemoryLimit(-1)>>20, live>>20)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}
