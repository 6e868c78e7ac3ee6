package main

import (
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressDelay is how long a scan runs before the progress bar appears;
// shorter scans never show one. LMILINT_PROGRESS_DELAY overrides it (tests).
var progressDelay = time.Second

// progress shows a bar on stderr for scans longer than progressDelay, only
// when stderr is a terminal and not in CI.
type progress struct {
	mu      sync.Mutex
	start   time.Time
	total   int
	bar     *progressbar.ProgressBar
	enabled bool
}

func newProgress(quiet bool) *progress {
	p := &progress{start: time.Now()}
	if d, err := time.ParseDuration(os.Getenv("LMILINT_PROGRESS_DELAY")); err == nil {
		progressDelay = d
	}
	p.enabled = !quiet && os.Getenv("CI") == "" && isTerminal(os.Stderr)
	return p
}

// update is LoadOptions.Progress.
func (p *progress) update(done, total int) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total = total
	if p.bar == nil {
		if time.Since(p.start) < progressDelay || done == total {
			return
		}
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription("parsing"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	p.bar.Set(done)
}

// finish clears the bar.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
		os.Stderr.WriteString("\r\033[K")
	}
}
