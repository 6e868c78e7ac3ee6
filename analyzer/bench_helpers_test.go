package analyzer_test

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
)

func fmtSscan(s string, n *int) (int, error) { return fmt.Sscan(s, n) }

func itoa(i int) string { return strconv.Itoa(i) }

// resetPeakRSS restarts the kernel's count of this process's peak resident
// memory (Linux; elsewhere it does nothing).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS returns the process's peak resident memory in bytes since the last
// reset (VmHWM), or 0 where /proc is not available.
func peakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			var kb int
			fmt.Sscan(string(rest), &kb)
			return float64(kb) * 1024
		}
	}
	return 0
}
