#!/bin/sh
# End-to-end checks of the directory outside cargo's unit tests:
#   tests/ci/roster_e2e.sh [SITE_ROOT] [PASSPHRASE]
# 1. writes the directory part of SITE_ROOT (default: the canary fixture)
#    with the production PBKDF2 iteration count (tests/roster_site.rs);
# 2. decrypts members/data.json with Python `cryptography` (independent path);
# 3. runs the headless-Chromium tests of /members/ and /alumni/.
# Needs: python3 with `cryptography`, node, /usr/bin/chromium,
# playwright-core in /node_modules (`npm install --no-save playwright-core`;
# it never downloads a browser).
set -eu
cd "$(dirname "$0")/../.."
ROOT=${1:-tests/fixtures/roster_canary}
PASS=${2:-canary-pass-phrase}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
ENISHI_ROSTER_SITE_ROOT=$ROOT ENISHI_ROSTER_SITE_OUT=$OUT ENISHI_ROSTER_PASSPHRASE=$PASS \
  cargo test -q --test roster_site -- --nocapture
if [ "$ROOT" = tests/fixtures/roster_canary ]; then
  EXPECT="mbronly-hanako@example.com MBRONLY福岡 mbronly-anon@example.org"
else
  EXPECT=""
fi
# shellcheck disable=SC2086
python3 tests/ci/decrypt_members.py "$OUT" "$PASS" $EXPECT
if python3 tests/ci/decrypt_members.py "$OUT" "not-$PASS" 2>/dev/null; then
  echo "FAIL: a wrong passphrase decrypted" >&2; exit 1
fi
# shellcheck disable=SC2086
node tests/browser/members.mjs "$OUT" "$PASS" $EXPECT
node tests/browser/alumni.mjs "$OUT"
echo "roster e2e: ok"
