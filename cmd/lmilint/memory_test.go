package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestBoundHeapGrowth: a scan sets a finite soft memory limit of at least
// 256 MiB, and leaves the limit alone when the user set GOMEMLIMIT.
func TestBoundHeapGrowth(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)

	t.Setenv("GOMEMLIMIT", "")
	debug.SetMemoryLimit(math.MaxInt64)
	boundHeapGrowth()
	if got := debug.SetMemoryLimit(-1); got == math.MaxInt64 || got < 256<<20 {
		t.Errorf("limit = %d, want a finite limit of at least 256 MiB", got)
	}

	t.Setenv("GOMEMLIMIT", "5GiB")
	debug.SetMemoryLimit(math.MaxInt64)
	boundHeapGrowth()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit = %d with GOMEMLIMIT set, want it untouched", got)
	}
}
