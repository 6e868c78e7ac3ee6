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
		rescan bool
		floor  int64
		gogc   int
	}{{false, 256 << 20, 100}, {true, 448 << 20, -1}} {
		debug.SetMemoryLimit(math.MaxInt64)
		debug.SetGCPercent(100)
		boundHeapGrowth(c.rescan)
		if got := debug.SetMemoryLimit(-1); got == math.MaxInt64 || got < c.floor {
			t.Errorf("rescan %v: limit = %d, want a finite limit of at least %d MiB", c.rescan, got, c.floor>>20)
		}
		if got := debug.SetGCPercent(100); got != c.gogc {
			t.Errorf("rescan %v: GOGC = %d, want %d", c.rescan, got, c.gogc)
		}
	}
	t.Setenv("GOGC", "150") // the runtime read it at start; the scan only must not override it
	boundHeapGrowth(true)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC = %d with GOGC set, want it untouched", got)
	}

	t.Setenv("GOMEMLIMIT", "5GiB")
	t.Setenv("GOGC", "")
	debug.SetMemoryLimit(math.MaxInt64)
	boundHeapGrowth(true)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC = %d with GOMEMLIMIT set, want it untouched", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit = %d with GOMEMLIMIT set, want it untouched", got)
	}
}

// TestLimitAfter: the limit never drops below where it started and leaves
// minHeadroom for objects beyond the live heap and the runtime's overhead
// once the facts outgrow the start.
func TestLimitAfter(t *testing.T) {
	const start = 500 << 20
	if got := limitAfter(start, 300<<20, 50<<20); got != start {
		t.Errorf("live 300 MiB: limit %d MiB, want the start", got>>20)
	}
	if got := limitAfter(start, 480<<20, 50<<20); got != 480<<20+50<<20+minHeadroom {
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
	watchCollections(start)
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
