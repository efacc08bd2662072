#!/usr/bin/env bash
# bench_images.sh — photo processing (issue 20): N photos of 4032x3024, each
# used by one interview, built cold (no .enishi/cache/) and warm (cache kept,
# nothing changed), wall time and peak RSS from /usr/bin/time -v; next to
# Hugo's image processing of the same photos for the same outputs when
# `hugo` (extended: WebP) is installed: each photo resized to 480, 960 and
# 1600 wide as WebP and JPEG (Lanczos, quality 80) plus a 1200x630 fill.
#
#   tests/bench_images.sh            (N=200; WORK=<dir> to keep the files)
#
# Environment: N=200  WORK=<dir>  BIN=target/release/enishi (built here by
# default)  HUGO=hugo.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-200}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/enishi-bench-images.XXXXXX")}
HUGO=${HUGO:-hugo}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "error: needs GNU time at /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
if [ -z "${BIN:-}" ]; then
  (cd "$REPO" && cargo build --release --quiet --bin enishi --example example_photos)
  BIN=$REPO/target/release/enishi
fi
GEN=${GEN:-$REPO/target/release/examples/example_photos}
echo "work dir: $WORK; binary: $BIN; $N photos of 4032x3024" >&2

# The photos, once.
PHOTOS=$WORK/photos
if [ "$(ls "$PHOTOS" 2>/dev/null | wc -l)" -ne "$N" ]; then
  rm -rf "$PHOTOS"
  "$GEN" --bench "$PHOTOS" "$N"
fi
echo "photos: $(du -sm "$PHOTOS" | cut -f1) MB" >&2

# enishi: one interview per photo.
SITE=$WORK/enishi
rm -rf "$SITE"
mkdir -p "$SITE/content/interviews" "$SITE/static/images"
cat > "$SITE/site.yaml" <<'EOF'
title: Bench Alumni
base_url: https://alumni.example.jp
language: ja
timezone: Asia/Tokyo
images:
  widths: [480, 960, 1600]
  quality: 80
EOF
for f in "$PHOTOS"/*.jpg; do
  b=$(basename "$f" .jpg)
  ln "$f" "$SITE/static/images/$b.jpg" 2>/dev/null || cp "$f" "$SITE/static/images/$b.jpg"
  printf -- '---\ntitle: %s\ndate: 2026-11-01\nimage: /images/%s.jpg\nperson:\n  name: %s\n---\nBody.\n' "$b" "$b" "$b" \
    > "$SITE/content/interviews/$b.md"
done

# run LABEL CMD…: wall seconds and peak RSS (MB) of one command.
run() {
  local label=$1; shift
  local log=$WORK/time-$label.txt
  "$TIME" -v "$@" > "$WORK/out-$label.txt" 2> "$log" || { tail -20 "$log" >&2; echo "error: $label failed" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  printf '%-14s %8.2f s %7s MB\n' "$label" "$wall" "$rss"
  eval "WALL_${label//-/_}=$wall"
}

rm -rf "$SITE/.enishi"
run enishi-cold "$BIN" build --root "$SITE" --output "$WORK/public-cold" --now 2026-11-22
run enishi-warm "$BIN" build --root "$SITE" --output "$WORK/public-warm" --now 2026-11-22
diff -r "$WORK/public-cold" "$WORK/public-warm" > /dev/null && echo "cold and warm outputs: identical (diff -r)"
echo "outputs: $(ls "$WORK/public-cold/images" | wc -l) image files, $(du -sm "$WORK/public-cold/images" | cut -f1) MB"
awk -v c="$WALL_enishi_cold" -v w="$WALL_enishi_warm" 'BEGIN { printf "warm / cold: %.1f %%\n", 100 * w / c }'

if command -v "$HUGO" > /dev/null; then
  H=$WORK/hugo
  rm -rf "$H"
  mkdir -p "$H/assets/photos" "$H/layouts"
  for f in "$PHOTOS"/*.jpg; do ln "$f" "$H/assets/photos/" 2>/dev/null || cp "$f" "$H/assets/photos/"; done
  cat > "$H/config.toml" <<'EOF'
baseURL = "https://alumni.example.jp/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "404"]
[imaging]
  quality = 80
  resampleFilter = "Lanczos"
EOF
  cat > "$H/layouts/index.html" <<'EOF'
{{ range resources.Match "photos/*.jpg" }}{{ $p := . }}
{{ range slice "480x" "960x" "1600x" }}<img src="{{ ($p.Resize (printf "%s webp" .)).RelPermalink }}"><img src="{{ ($p.Resize (printf "%s jpg" .)).RelPermalink }}">{{ end }}
<img src="{{ ($p.Fill "1200x630 Center jpg").RelPermalink }}">
{{ end }}
EOF
  rm -rf "$H/resources" "$H/public"
  run hugo-cold "$HUGO" --source "$H" --quiet
  run hugo-warm "$HUGO" --source "$H" --quiet
  awk -v e="$WALL_enishi_cold" -v h="$WALL_hugo_cold" 'BEGIN { printf "enishi cold / hugo cold: %.2f\n", e / h }'
else
  echo "hugo: not installed (apt-get install hugo; Debian's is extended, with WebP), no comparison"
fi
