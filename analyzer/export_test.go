package analyzer

// UnitCacheHits counts, for tests, the files whose unit facts came from the
// cache since the process started.
func UnitCacheHits() int { return int(unitCacheHits.Load()) }
