// Package gitdiff tells which lines changed since a git revision, for
// --new-from-rev (report only findings on changed lines, as golangci-lint does).
package gitdiff

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// Changes maps a file (slash path relative to the directory given to Since) to
// its changed line numbers; a file absent from git at rev maps to nil with
// AllLines set.
type Changes struct {
	lines    map[string]map[int]bool
	allLines map[string]bool
}

// Changed reports whether line of file changed.
func (c *Changes) Changed(file string, line int) bool {
	return c.allLines[file] || c.lines[file][line]
}

var hunk = regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@`)

// Since diffs the working tree in dir against rev (committed, staged and
// unstaged changes, plus untracked files).
func Since(dir, rev string) (*Changes, error) {
	if _, err := git(dir, "rev-parse", "--show-toplevel"); err != nil {
		return nil, fmt.Errorf("--new-from-rev needs a git repository: %w", err)
	}
	if _, err := git(dir, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, fmt.Errorf("--new-from-rev: unknown revision %q", rev)
	}
	out, err := git(dir, "diff", "--no-color", "--no-ext-diff", "-U0", "--relative", rev, "--")
	if err != nil {
		return nil, err
	}
	c := &Changes{lines: map[string]map[int]bool{}, allLines: map[string]bool{}}
	file := ""
	sc := bufio.NewScanner(bytes.NewReader([]byte(out)))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "+++ "):
			file = strings.TrimPrefix(strings.TrimPrefix(l, "+++ "), "b/")
		case strings.HasPrefix(l, "@@"):
			m := hunk.FindStringSubmatch(l)
			if m == nil || file == "" {
				continue
			}
			start, _ := strconv.Atoi(m[1])
			n := 1
			if m[2] != "" {
				n, _ = strconv.Atoi(m[2])
			}
			if c.lines[file] == nil {
				c.lines[file] = map[int]bool{}
			}
			for i := start; i < start+n; i++ {
				c.lines[file][i] = true
			}
		}
	}
	untracked, err := git(dir, "ls-files", "--others", "--exclude-standard")
	if err == nil {
		for _, f := range strings.Split(strings.TrimSpace(untracked), "\n") {
			if f != "" {
				c.allLines[f] = true
			}
		}
	}
	return c, nil
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}
