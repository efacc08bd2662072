#!/usr/bin/env bash
# Re-fetch the pinned Decap CMS bundle that /admin/ serves, from the npm
# registry, and check it against themes/default/admin/SHA256SUMS.
#
#   bash .ci/fetch-decap-cms.sh            fetch, verify, (re)write the files
#   bash .ci/fetch-decap-cms.sh --check    only verify the committed files
#   VERSION=3.17.0 bash .ci/fetch-decap-cms.sh --update   move the pin: rewrite
#       SHA256SUMS (then update DECAP_VERSION and DECAP_SHA256 in src/outputs/admin.rs)
#
# The files are embedded in the binary with the default theme (include_dir),
# so `enishi build` writes them with nothing else installed.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=themes/default/admin
VERSION="${VERSION:-$(sed -n 's/^# decap-cms@\(.*\)$/\1/p' "$DIR/SHA256SUMS")}"
[ -n "$VERSION" ] || { echo "no version: $DIR/SHA256SUMS lacks its '# decap-cms@X.Y.Z' line" >&2; exit 1; }

check() { (cd "$DIR" && grep -v '^#' SHA256SUMS | sha256sum --quiet -c -) && echo "decap-cms@$VERSION: $(grep -vc '^#' "$DIR/SHA256SUMS") files match $DIR/SHA256SUMS"; }

if [ "${1:-}" = --check ]; then check; exit; fi

TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "decap-cms@$VERSION" >/dev/null)   # npm checks the registry's integrity hash
tar -xzf "$TMP/decap-cms-$VERSION.tgz" -C "$TMP"
find "$DIR" -maxdepth 1 -type f ! -name SHA256SUMS ! -name README.md -delete 2>/dev/null || true
mkdir -p "$DIR"
# The main bundle, its lazily loaded chunks (webpack finds them beside the
# script) and WebAssembly; not the source maps nor the duplicate cms.js build.
for f in "$TMP"/package/dist/decap-cms.js "$TMP"/package/dist/decap-cms.js.LICENSE.txt \
         "$TMP"/package/dist/[0-9]*.decap-cms.js "$TMP"/package/dist/*.wasm; do
  cp "$f" "$DIR/"
done
if [ "${1:-}" = --update ]; then
  { echo "# decap-cms@$VERSION"; (cd "$DIR" && sha256sum $(ls | grep -v -e '^SHA256SUMS$' -e '^README.md$' | sort)); } >"$TMP/SHA256SUMS"
  mv "$TMP/SHA256SUMS" "$DIR/SHA256SUMS"
  echo "wrote $DIR/SHA256SUMS; now set DECAP_VERSION and DECAP_SHA256 (decap-cms.js) in src/outputs/admin.rs"
fi
check
