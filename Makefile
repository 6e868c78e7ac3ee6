# Conveniences; the README's two commands need none of this.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: build test bench lint fuzz docs
build:
	go build -ldflags "$(LDFLAGS)" -o lmilint ./cmd/lmilint

test:
	go test ./...

# Full scan vs bare parse on a generated corpus (LMILINT_BENCH_FILES files),
# or on any directory of C#: make bench LMILINT_BENCH_CORPUS=/path/to/repo
bench:
	go test ./analyzer -run '^$$' -bench . -benchtime 3x

lint:
	gofmt -l $$(git ls-files '*.go')
	go vet ./...

# Counts, not durations: a duration (-fuzztime 60s) can end in a spurious
# "context deadline exceeded" with no crasher on Go 1.26 (golang/go#75804).
# Each count is about a minute on 2 cores.
fuzz:
	go test ./analyzer -run '^$$' -fuzz FuzzParse -fuzztime 300000x -fuzzminimizetime 5s
	go test ./analyzer -run '^$$' -fuzz FuzzAnalyze -fuzztime 15000x -fuzzminimizetime 5s
	go test ./analyzer -run '^$$' -fuzz FuzzManifest -fuzztime 1000000x -fuzzminimizetime 5s
	go test ./analyzer -run '^$$' -fuzz FuzzCacheEntries -fuzztime 300000x -fuzzminimizetime 5s
	go test ./analyzer -run '^$$' -fuzz FuzzTreeEntries -fuzztime 1000000x -fuzzminimizetime 5s
	go test ./analyzer -run '^$$' -fuzz FuzzPackTables -fuzztime 1000000x -fuzzminimizetime 5s
	go test ./analyzer -run '^$$' -fuzz FuzzIgnoreRules -fuzztime 1000000x -fuzzminimizetime 5s
	go test ./analyzer -run '^$$' -fuzz FuzzGrammarGaps -fuzztime 1000000x -fuzzminimizetime 5s
	go test ./config -run '^$$' -fuzz FuzzConfig -fuzztime 80000x -fuzzminimizetime 5s

docs:
	go test ./rules -run RuleDocs -update
