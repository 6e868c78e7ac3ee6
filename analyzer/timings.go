package analyzer

import (
	"fmt"
	"os"
	"time"
)

// LMILINT_TIMINGS=1 prints how long each phase of a scan takes to stderr: a
// developer's aid for performance work (README, Performance), cheaper to
// read than a profile when the question is which phase grew.
var timings = os.Getenv("LMILINT_TIMINGS") != ""

// Phases times consecutive phases of work.
type Phases struct{ last time.Time }

// StartPhases starts timing.
func StartPhases() *Phases { return &Phases{last: time.Now()} }

// Done ends the phase called name and starts the next.
func (p *Phases) Done(name string) {
	if !timings {
		return
	}
	now := time.Now()
	fmt.Fprintf(os.Stderr, "lmilint: %-22s %7.1f ms\n", name, float64(now.Sub(p.last).Microseconds())/1000)
	p.last = now
}
