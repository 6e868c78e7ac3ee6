package analyzer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// ignoreRules are the patterns of every .gitignore file from the repository
// root down to the directory being walked, matched with go-git's patterns,
// which follow git's rules (a pattern applies below its own file's directory,
// later and deeper patterns win, "!" re-includes, "dir/" matches directories
// only).
//
// Visual Studio's .gitignore, which most .NET repositories carry, has about
// 350 patterns; trying each on every path made efcore's walk take 2 s. A
// pattern's literal tail (".suo" in "*.suo", "ebug" in "[Dd]ebug") must end
// one of the path's components for the pattern to match it, so only the
// patterns whose tail ends one are tried, and likewise for the literal head
// of patterns that end in a wildcard ("_ReSharper*"): a few map look-ups per
// component instead of 350 matches.
type ignoreRules struct {
	base     string // the directory paths are split relative to
	patterns []gitignore.Pattern
	byTail   literalIndex    // patterns by the text their last component ends with
	byHead   literalIndex    // the others by the text it starts with ("_ReSharper*")
	always   []int           // patterns with neither ("[Tt]est[Rr]esult*"): always tried
	problems []ignoreProblem // .gitignore files not read, for the scan's diagnostics
}

// ignoreProblem is a .gitignore file that was not read, and why.
type ignoreProblem struct {
	path, level, message string
}

// literalIndex finds the patterns whose literal ends (or starts) a name.
type literalIndex struct {
	patterns map[string][]int // literal → indexes into patterns, ascending
	lens     []int            // the distinct lengths of the literals
}

func (x *literalIndex) add(literal string, pattern int) {
	if x.patterns == nil {
		x.patterns = map[string][]int{}
	}
	if _, ok := x.patterns[literal]; !ok && !slices.Contains(x.lens, len(literal)) {
		x.lens = append(x.lens, len(literal))
	}
	x.patterns[literal] = append(x.patterns[literal], pattern)
}

// appendCandidates appends the patterns whose literal ends name (atEnd) or
// starts it.
func (x *literalIndex) appendCandidates(to []int, name string, atEnd bool) []int {
	for _, n := range x.lens {
		if n > len(name) {
			continue
		}
		if atEnd {
			to = append(to, x.patterns[name[len(name)-n:]]...)
		} else {
			to = append(to, x.patterns[name[:n]]...)
		}
	}
	return to
}

// newIgnoreRules reads the .gitignore files of dir and of its parents up to
// the repository's root (the first directory holding .git), outermost first.
func newIgnoreRules(dir string) *ignoreRules {
	var dirs []string
	for cur := dir; ; {
		dirs = append(dirs, cur)
		if _, err := os.Stat(filepath.Join(cur, ".git")); err == nil {
			break
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			break
		}
		cur = parent
	}
	r := &ignoreRules{base: dirs[len(dirs)-1]}
	for i := len(dirs) - 1; i >= 0; i-- {
		r.add(dirs[i])
	}
	return r
}

// maxIgnoreFile bounds the .gitignore files read (git's own is 100 MiB).
const maxIgnoreFile = 16 << 20

// add reads dir's .gitignore, if it has one; its patterns take precedence
// over those added before (dir must lie below the others).
func (r *ignoreRules) add(dir string) {
	path := filepath.Join(dir, ".gitignore")
	st, err := os.Lstat(path)
	if err != nil {
		return // most directories have none
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		// As git does: a link could name a file outside the repository, or
		// a device that never ends (/dev/zero).
		r.problems = append(r.problems, ignoreProblem{path, "note", "symlinked .gitignore not followed (git does not follow it either)"})
		return
	}
	data, _, err := readWhole(path, maxIgnoreFile, nil) // regular files only: a FIFO would block
	if err != nil {
		if errors.Is(err, errTooLarge) {
			err = fmt.Errorf("over %d MiB", maxIgnoreFile>>20)
		}
		r.problems = append(r.problems, ignoreProblem{path, "warning", fmt.Sprintf("cannot read: %v; its patterns are not applied", Cause(err))})
		return
	}
	var domain []string
	if rel, err := filepath.Rel(r.base, dir); err == nil && rel != "." {
		domain = strings.Split(filepath.ToSlash(rel), "/")
	}
	r.addPatterns(data, domain)
}

// addPatterns adds the patterns of a .gitignore file's text, applying below
// domain (the path of its directory relative to r.base).
func (r *ignoreRules) addPatterns(data []byte, domain []string) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	for _, line := range strings.Split(string(data), "\n") {
		// go-git leaves a CRLF file's "\r" on each pattern, which then
		// matches nothing.
		line = strings.TrimSuffix(line, "\r")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		i := len(r.patterns)
		r.patterns = append(r.patterns, gitignore.ParsePattern(line, domain))
		if head, tail := literalEnds(line); tail != "" {
			r.byTail.add(tail, i)
		} else if head != "" {
			r.byHead.add(head, i)
		} else {
			r.always = append(r.always, i)
		}
	}
}

// literalEnds are the texts a pattern's last component must start and end
// with: the characters before its first and after its last wildcard, class or
// backslash (an escaped character is literal too, but stopping there is
// simpler and still true). Either is empty when the component starts or ends
// with one, as a bare "**" does.
func literalEnds(line string) (head, tail string) {
	p := strings.TrimPrefix(line, "!")
	if !strings.HasSuffix(p, `\ `) {
		p = strings.TrimRight(p, " ")
	}
	p = strings.TrimSuffix(p, "/")
	p = p[strings.LastIndexByte(p, '/')+1:]
	const special = `*?[]\`
	first := strings.IndexAny(p, special)
	if first < 0 {
		return p, p
	}
	return p[:first], p[strings.LastIndexAny(p, special)+1:]
}

// ignored reports whether path (below r.base) is ignored; isDir says whether
// it is a directory, for "dir/" patterns.
func (r *ignoreRules) ignored(path string, isDir bool) bool {
	if len(r.patterns) == 0 {
		return false
	}
	const sep = string(filepath.Separator)
	rel, ok := strings.CutPrefix(path, r.base)
	if ok && !strings.HasSuffix(r.base, sep) {
		rel, ok = strings.CutPrefix(rel, sep)
	}
	if !ok || rel == "" {
		var err error // not plainly below base: let filepath say
		if rel, err = filepath.Rel(r.base, path); err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			return false
		}
	}
	rel = filepath.ToSlash(rel)
	var buf [32]int
	tried := append(buf[:0], r.always...)
	for part := range strings.SplitSeq(rel, "/") {
		tried = r.byTail.appendCandidates(tried, part, true)
		tried = r.byHead.appendCandidates(tried, part, false)
	}
	if len(tried) == 0 {
		return false // most paths: no pattern could match
	}
	parts := strings.Split(rel, "/")
	// The last pattern that matches decides, as in go-git's Matcher.
	slices.Sort(tried)
	for i := len(tried) - 1; i >= 0; i-- {
		if i+1 < len(tried) && tried[i] == tried[i+1] {
			continue
		}
		switch r.patterns[tried[i]].Match(parts, isDir) {
		case gitignore.Exclude:
			return true
		case gitignore.Include:
			return false
		}
	}
	return false
}
