package analyzer

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The cache would otherwise only grow: every version of every file leaves a
// tree entry, and every scan root its packs. Entries are kept fresh when
// used (their time is moved on when a read finds it older than a week,
// which costs a system call only then), and once a day a run deletes the
// entries nobody used for a month. A deleted entry that was still wanted
// only costs one parse.
const (
	pruneAge   = 30 * 24 * time.Hour
	touchAfter = 7 * 24 * time.Hour
	pruneEvery = 24 * time.Hour
	pruneMark  = ".pruned" // its time says when the cache was last pruned
)

// keepFresh moves an entry's time on when it is getting old.
func keepFresh(path string, mtime time.Time) {
	if now := time.Now(); now.Sub(mtime) > touchAfter {
		os.Chtimes(path, now, now)
	}
}

// prune deletes entries of the cache under base not used for pruneAge, at
// most once per pruneEvery (the first run only starts the clock).
// Temporary files left by interrupted writes go after an hour.
func prune(base string, now time.Time) {
	mark := filepath.Join(base, pruneMark)
	st, err := os.Stat(mark)
	if err != nil {
		os.WriteFile(mark, nil, 0o644)
		return
	}
	if now.Sub(st.ModTime()) < pruneEvery {
		return
	}
	os.Chtimes(mark, now, now)
	top, _ := os.ReadDir(base)
	for _, d := range top {
		switch {
		case d.IsDir() && strings.HasPrefix(d.Name(), "trees-"):
			shards, _ := os.ReadDir(filepath.Join(base, d.Name()))
			for _, shard := range shards {
				if shard.IsDir() {
					pruneDir(filepath.Join(base, d.Name(), shard.Name()), now)
				}
			}
		case d.IsDir() && d.Name() == "packs":
			pruneDir(filepath.Join(base, d.Name()), now)
		}
	}
}

func pruneDir(dir string, now time.Time) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || e.IsDir() {
			continue
		}
		age := now.Sub(info.ModTime())
		if age > pruneAge || strings.Contains(e.Name(), ".tmp-") && age > time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
