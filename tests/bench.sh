#!/usr/bin/env bash
# bench.sh — full-build wall time, peak RSS and per-phase timings of `enishi build`
# on synthetic corpora, optionally next to Hugo on the same corpus (issue 8).
#
#   tests/bench.sh [BENCH_DIR]
#
# BENCH_DIR holds gen_corpus.py (default: ../shared/bench relative to the repo).
# Environment:
#   SIZES="1000:2000 10000:33000 50000:33000"   docs:people per corpus
#   BIN=target/release/enishi   (default: built here with cargo build --release)
#   WORK=<dir>                  corpora and outputs (default: a new temp dir; kept, corpora are reused)
#   RUNS=1                      runs per size (the median wall/RSS is reported)
#   HUGO=0|1                    also time `hugo` on the same corpus in Hugo layout
#   NOW=2026-11-01  ENISHI_MEMBERS_PASSPHRASE=bench-passphrase
# Output: one table row per size (docs, people, wall s, peak RSS MB, µs/doc, Hugo wall/RSS,
# ratios) and the `--timings` phase line of the last run of each size.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${1:-$REPO/../shared/bench}
# A worktree under wt/ sits one level deeper than the main checkout.
[ -n "${1:-}" ] || [ -f "$BENCH/gen_corpus.py" ] || BENCH=$REPO/../../shared/bench
GEN=$BENCH/gen_corpus.py
SIZES=${SIZES:-"1000:2000 10000:33000 50000:33000"}
RUNS=${RUNS:-1}
HUGO=${HUGO:-0}
NOW=${NOW:-2026-11-01}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/enishi-bench.XXXXXX")}
export ENISHI_MEMBERS_PASSPHRASE=${ENISHI_MEMBERS_PASSPHRASE:-bench-passphrase}
TIME=/usr/bin/time

[ -f "$GEN" ] || { echo "error: $GEN not found; pass the directory of gen_corpus.py" >&2; exit 2; }
[ -x "$TIME" ] || { echo "error: needs GNU time at /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
if [ -z "${BIN:-}" ]; then
  (cd "$REPO" && cargo build --release --quiet)
  BIN=$REPO/target/release/enishi
fi
mkdir -p "$WORK"
echo "work dir: $WORK; binary: $BIN" >&2

# run NAME CMD... -> prints "wall_s rss_kb" (from /usr/bin/time -v)
run() {
  local name=$1; shift
  if ! "$TIME" -v -o "$WORK/$name.time" "$@" > "$WORK/$name.log" 2>&1; then
    echo "error: $name failed:" >&2; tail -20 "$WORK/$name.log" >&2; return 1
  fi
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%.2f %d\n", wall, rss }' "$WORK/$name.time"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '%-7s %-7s %9s %9s %8s %10s %10s %7s %7s\n' docs people wall_s rss_MB us/doc hugo_wall hugo_rssMB wall_x rss_x
for size in $SIZES; do
  docs=${size%%:*}; people=${size##*:}
  site=$WORK/enishi-$docs-$people
  [ -f "$site/site.yaml" ] || python3 "$GEN" --docs "$docs" --roster "$people" --now "$NOW" --out "$site" > /dev/null
  walls=(); rsss=()
  for r in $(seq 1 "$RUNS"); do
    rm -rf "$WORK/out-$docs"
    read -r w m < <(run "enishi-$docs-$r" "$BIN" build --root "$site" --output "$WORK/out-$docs" --now "$NOW" --timings)
    walls+=("$w"); rsss+=("$m")
  done
  wall=$(printf '%s\n' "${walls[@]}" | median); rss=$(printf '%s\n' "${rsss[@]}" | median)
  hw=-; hm=-; rw=-; rm_=-
  if [ "$HUGO" = 1 ] && command -v hugo > /dev/null; then
    hsite=$WORK/hugo-$docs-$people
    [ -f "$hsite/hugo.yaml" ] || python3 "$GEN" --docs "$docs" --roster "$people" --now "$NOW" --format hugo --out "$hsite" > /dev/null
    rm -rf "$WORK/hugo-out-$docs"
    read -r hw hk < <(run "hugo-$docs" hugo --source "$hsite" --destination "$WORK/hugo-out-$docs" --quiet)
    hm=$(awk -v k="$hk" 'BEGIN { printf "%.0f", k / 1024 }')
    rw=$(awk -v a="$wall" -v b="$hw" 'BEGIN { printf "%.2f", a / b }')
    rm_=$(awk -v a="$rss" -v b="$hk" 'BEGIN { printf "%.2f", a / b }')
  fi
  awk -v d="$docs" -v p="$people" -v w="$wall" -v m="$rss" -v hw="$hw" -v hm="$hm" -v rw="$rw" -v rm="$rm_" \
    'BEGIN { printf "%-7s %-7s %9.2f %9.0f %8.0f %10s %10s %7s %7s\n", d, p, w, m / 1024, w * 1e6 / d, hw, hm, rw, rm }'
  grep -h '^Timings' "$WORK/enishi-$docs-$RUNS.log" | sed "s/^/  $docs docs: /" >&2
done
