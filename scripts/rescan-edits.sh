#!/usr/bin/env bash
# Times re-scans of dotnet/efcore after one edit of each kind the README's
# re-scan table lists: a warm scan, the edit, a timed scan (the CLI writing
# JSON, LMILINT_TIMINGS on), the edit undone. The edited files are copied
# aside first and restored on exit.
#
#   scripts/rescan-edits.sh EFCORE_DIR [RUNS]     # RUNS per kind, default 3
#   LMILINT_VERIFY=1 scripts/rescan-edits.sh EFCORE_DIR 1
#
# Prints, per run: the kind, the seconds, the peak RSS in KiB, how many
# files' unit facts came from the cache, and the rules' milliseconds. With
# LMILINT_VERIFY=1 each timed scan's JSON is also compared with a scan of the
# same edited tree without the cache (about 15 s more a run), and the script
# fails if any differ. LMILINT_BIN runs a given build instead of building
# this checkout, and LMILINT_KINDS picks the kinds (space-separated). Each
# run of the script keeps its cache in a fresh directory.
set -euo pipefail
cd "$(dirname "$0")/.."
ef=$(cd "$1" && pwd)
runs=${2:-3}
if [ -n "${LMILINT_BIN:-}" ]; then
  bin=$(realpath "$LMILINT_BIN")
else
  go build -o .tools/lmilint ./cmd/lmilint
  bin=$PWD/.tools/lmilint
fi
cd "$ef"
ct=src/EFCore/ChangeTracking/ChangeTracker.cs
dir=src/EFCore/ChangeTracking
cosmos=src/EFCore.Cosmos/Extensions/CosmosServiceCollectionExtensions.cs
kept=$(mktemp -d)
for f in "$ct" "$dir/LocalView.cs" "$dir/CascadeTiming.cs" "$cosmos"; do
  [ -f "$f" ] || { echo "$f is missing: not an efcore checkout this script knows" >&2; exit 2; }
  mkdir -p "$kept/$(dirname "$f")" && cp "$f" "$kept/$f"
done
restore() {
  rm -f "$dir"/LmiAdded*.cs
  for f in "$ct" "$dir/LocalView.cs" "$dir/CascadeTiming.cs" "$cosmos"; do cp "$kept/$f" "$f"; done
}
trap restore EXIT
export LMILINT_CACHE_DIR=$kept/cache
scan() { "$bin" scan . --format json -o "$kept/out.json" --fail-on none -q; }
restore
scan
for kind in ${LMILINT_KINDS:-nothing comment body using field parameter overload libiface sealed attr progiface newfile newenum delete rename newcommon newdto registration}; do
  for i in $(seq 1 "$runs"); do
    restore
    scan
    r=$i$RANDOM
    before=$(cat "$ct" "$dir"/*.cs "$cosmos" | cksum)
    case $kind in
      nothing) ;;
      comment) echo "// a comment $r" >>"$ct" ;;
      body) sed -i "/public virtual void DetectChanges()/,/^    }/ s/^    {$/    {\n        var lmiEdit$r = StateManager;/" "$ct" ;;
      using) sed -i "1i using System.Collections.Concurrent;" "$ct" ;;
      field) sed -i "/^public class ChangeTracker/,/{/ s/{/{\n    public static int LmiDecl$r;/" "$ct" ;;
      parameter) sed -i "s/public virtual void DetectChanges()/public virtual void DetectChanges(int lmi$r = 0)/" "$ct" ;;
      overload) sed -i "/^public class ChangeTracker/,/{/ s/{/{\n    public void Clear(int lmi$r) { }/" "$ct" ;;
      libiface) sed -i "s/^public class ChangeTracker : IResettableService/public class ChangeTracker : IResettableService, ILmi$r/" "$ct" ;;
      sealed) sed -i "s/^public class ChangeTracker : IResettableService/public sealed class ChangeTracker : IResettableService/" "$ct" ;;
      attr) sed -i "s/^public class ChangeTracker : IResettableService/[Lmi$r]\npublic class ChangeTracker : IResettableService/" "$ct" ;;
      progiface) sed -i "s/^public class ChangeTracker : IResettableService/public class ChangeTracker : IResettableService, IDbContextDependencies/" "$ct" ;;
      newfile) printf 'namespace Microsoft.EntityFrameworkCore.ChangeTracking;\n\npublic class LmiAdded%s\n{\n    private int _count;\n    public void LmiRun%s() { _count++; }\n}\n' "$r" "$r" >"$dir/LmiAdded$r.cs" ;;
      newenum) printf 'namespace Microsoft.EntityFrameworkCore.ChangeTracking;\n\npublic enum LmiAdded%s\n{\n    One,\n    Two,\n}\n' "$r" >"$dir/LmiAdded$r.cs" ;;
      delete) rm "$dir/CascadeTiming.cs" ;;
      rename) sed -i "s/\bLocalView\b/LocalView$r/g" "$dir/LocalView.cs" ;;
      newcommon) printf 'namespace Microsoft.EntityFrameworkCore.ChangeTracking;\n\npublic class LmiAdded%s : System.IDisposable\n{\n    private int _count;\n    public void Dispose() { _count++; }\n    public override string ToString() => "x";\n}\n' "$r" >"$dir/LmiAdded$r.cs" ;;
      newdto) printf 'namespace Microsoft.EntityFrameworkCore.ChangeTracking;\n\npublic class LmiAdded%s\n{\n    public string Name { get; set; }\n    public int Count { get; set; }\n}\n' "$r" >"$dir/LmiAdded$r.cs" ;;
      registration) sed -i "0,/^\(\s*\)\.TryAddScoped</s//\1.TryAddScoped<ILmi$r, LmiOne>()\n\1.TryAddScoped</" "$cosmos" ;;
    esac
    if [ "$kind" != nothing ] && [ "$(cat "$ct" "$dir"/*.cs "$cosmos" 2>/dev/null | cksum)" = "$before" ]; then
      echo "$kind: the edit did not apply to this checkout" >&2
      continue
    fi
    out=$(LMILINT_TIMINGS=1 /usr/bin/time -f "TIME %e s %M KiB" "$bin" scan . --format json -o "$kept/out.json" --fail-on none -q 2>&1)
    line="$kind $i: $(grep -o 'TIME.*' <<<"$out" | cut -c6-), $(grep -o 'unit facts: [0-9]* of [0-9]*' <<<"$out"), rules $(grep -o 'rules *[0-9.]* ms' <<<"$out" | awk '{print $2}') ms"
    if [ "${LMILINT_VERIFY:-}" = 1 ]; then
      "$bin" scan . --no-cache --format json -o "$kept/fresh.json" --fail-on none -q
      if cmp -s "$kept/out.json" "$kept/fresh.json"; then
        line+=", same JSON as without the cache"
      else
        line+=", JSON DIFFERS from a scan without the cache"
        differ=1
      fi
    fi
    echo "$line"
  done
done
exit "${differ:-0}"
