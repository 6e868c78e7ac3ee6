package analyzer_test

import (
	"fmt"
	"strconv"
)

func fmtSscan(s string, n *int) (int, error) { return fmt.Sscan(s, n) }

func itoa(i int) string { return strconv.Itoa(i) }
