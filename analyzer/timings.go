package analyzer

import (
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

// LMILINT_TIMINGS=1 prints how long each phase of a scan takes to stderr: a
// developer's aid for performance work (README, Performance), cheaper to
// read than a profile when the question is which phase grew.
// LMILINT_TIMINGS=heap adds the live heap after each phase, measured after a
// forced collection (which the times then include).
var timings, heapTimings = os.Getenv("LMILINT_TIMINGS") != "", os.Getenv("LMILINT_TIMINGS") == "heap"

// Phases times consecutive phases of work.
type Phases struct{ last time.Time }

// allocatedBefore is the heap allocated before the last phase ended (see
// Done), so each phase reports what it allocated, garbage included.
var allocatedBefore atomic.Uint64

// StartPhases starts timing.
func StartPhases() *Phases { return &Phases{last: time.Now()} }

// Done ends the phase called name and starts the next.
func (p *Phases) Done(name string) {
	if !timings {
		return
	}
	now := time.Now()
	heap := ""
	if heapTimings {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		heap = fmt.Sprintf("  %4d MB live  %5d MB allocated", m.HeapAlloc>>20, (m.TotalAlloc-allocatedBefore.Swap(m.TotalAlloc))>>20)
	}
	fmt.Fprintf(os.Stderr, "lmilint: %-22s %7.1f ms%s\n", name, float64(now.Sub(p.last).Microseconds())/1000, heap)
	p.last = now
}

// noteTiming prints a detail of the phase under way with the timings: what
// the caches gave, which explains most differences between two re-scans.
func noteTiming(format string, args ...any) {
	if timings {
		fmt.Fprintf(os.Stderr, "lmilint:   "+format+"\n", args...)
	}
}
