package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// boundHeapGrowth sets a soft memory limit once the sources are parsed. A scan
// holds every file's syntax tree until the rules are done, so by then most
// of what it will ever hold is live; left alone, the Go runtime lets the heap
// grow to twice that before collecting, and keeps freed pages resident. The
// limit (the live heap plus 60%, at least 256 MiB) lets the analysis grow its
// facts while the collector and scavenger keep the rest near the live heap.
// GOMEMLIMIT, when set, wins.
func boundHeapGrowth() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	live := int64(sample[0].Value.Uint64())
	debug.SetMemoryLimit(max(live+live*3/5, 256<<20))
}
