// Command lmilint finds thread-safety hazards in C# AWS Lambda code before a
// move to Lambda Managed Instances.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
)

func main() {
	// LMILINT_CPUPROFILE=file writes a pprof CPU profile of the run.
	if path := os.Getenv("LMILINT_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
			interrupted := make(chan os.Signal, 1)
			signal.Notify(interrupted, os.Interrupt)
			go func() {
				<-interrupted
				pprof.StopCPUProfile()
				os.Exit(130)
			}()
		}
	}
	err := newRootCommand().Execute()
	pprof.StopCPUProfile()
	// LMILINT_MEMPROFILE=file writes a pprof profile of the run's allocations
	// (go tool pprof -sample_index=alloc_space).
	if path := os.Getenv("LMILINT_MEMPROFILE"); path != "" {
		// The profile is as of the last collection, and a re-scan may
		// never have collected (GOGC off, see boundHeapGrowth).
		runtime.GC()
		if f, err := os.Create(path); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	os.Exit(exitCode(err))
}

// exitCode maps an error to lmilint's exit codes: 0 clean, 1 findings at or
// above --fail-on, 2 usage, config, input or internal errors.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ex *exitError
	if errors.As(err, &ex) {
		if ex.msg != "" {
			fmt.Fprintln(os.Stderr, "lmilint: "+ex.msg)
		}
		return ex.code
	}
	fmt.Fprintln(os.Stderr, "lmilint: "+err.Error())
	return 2
}

// exitError carries an exit code; a non-empty msg is printed on stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// errFindings is returned by scan when findings reach --fail-on.
var errFindings = &exitError{code: 1}
