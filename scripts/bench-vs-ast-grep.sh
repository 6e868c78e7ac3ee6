#!/usr/bin/env bash
# Times lmilint beside ast-grep (tree-sitter in Rust, the same C# grammar
# family) on the same directory of C#, in one run, and prints the ratio.
#
#   scripts/bench-vs-ast-grep.sh DIR          # e.g. a fetched public repository
#   scripts/bench-vs-ast-grep.sh              # a generated corpus of 10,000 files
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-}
if [ -z "$dir" ]; then
  dir=$(mktemp -d)/corpus
  go run ./internal/corpus/cmd -n 10000 -o "$dir" >/dev/null
fi
if [ ! -x .tools/node_modules/.bin/ast-grep ]; then
  npm install --prefix .tools --no-audit --no-fund --loglevel=error @ast-grep/cli >/dev/null
fi
astgrep=$PWD/.tools/node_modules/.bin/ast-grep
go build -o .tools/lmilint ./cmd/lmilint
rules=$(mktemp -d)
cat > "$rules/rules.yml" <<'YAML'
id: static-increment
language: csharp
severity: warning
rule:
  pattern: $X++
---
id: write-all-text
language: csharp
severity: warning
rule:
  pattern: File.WriteAllText($A, $B)
YAML
files=$(find "$dir" -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*' | wc -l)
mb=$(find "$dir" -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
t0=$(date +%s.%N)
"$astgrep" scan --rule "$rules/rules.yml" --threads "$(nproc)" "$dir" >/dev/null 2>&1 || true
t1=$(date +%s.%N)
.tools/lmilint scan "$dir" --fail-on none -q --no-cache >/dev/null 2>&1 || true
t2=$(date +%s.%N)
awk -v f="$files" -v b="$mb" -v a="$t0" -v m="$t1" -v z="$t2" 'BEGIN {
  ag = m - a; lm = z - m
  printf "corpus: %d files, %.1f MB\n", f, b / 1e6
  printf "ast-grep (2 pattern rules): %6.2f s  %7.0f files/s\n", ag, f / ag
  printf "lmilint (17 rules, index, call graph): %6.2f s  %7.0f files/s\n", lm, f / lm
  printf "lmilint / ast-grep: %.2f\n", lm / ag
}'
