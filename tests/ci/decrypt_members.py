#!/usr/bin/env python3
"""Decrypt an enishi members payload outside the browser (independent code
path: PyPI `cryptography`, from the format documented in src/outputs/members.rs).

usage: decrypt_members.py SITE_DIR PASSPHRASE [EXPECTED_STRING ...]

Prints the number of people; exits 1 if decryption fails or an expected
string is missing from the plaintext, 2 on usage errors.
"""
import base64
import json
import sys
import zlib
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.exceptions import InvalidTag


def decrypt(payload: dict, passphrase: str) -> bytes:
    assert payload["format"] == "enishi-members" and payload["version"] == 1
    assert payload["kdf"]["name"] == "PBKDF2-HMAC-SHA256"
    assert payload["cipher"]["name"] == "AES-256-GCM"
    salt = base64.b64decode(payload["kdf"]["salt"])
    nonce = base64.b64decode(payload["cipher"]["nonce"])
    ct = base64.b64decode(payload["ciphertext"])
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt,
                     iterations=payload["kdf"]["iterations"])
    key = kdf.derive(passphrase.encode("utf-8"))
    plain = AESGCM(key).decrypt(nonce, ct, None)
    compression = payload.get("compression", "none")
    if compression == "zlib":
        return zlib.decompress(plain)
    assert compression == "none", compression
    return plain


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    site, passphrase, expected = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    payload = json.loads((site / "members" / "data.json").read_text("utf-8"))
    if payload["kdf"]["iterations"] < 600_000:
        print(f"warning: only {payload['kdf']['iterations']} PBKDF2 iterations (test build?)", file=sys.stderr)
    try:
        plain = decrypt(payload, passphrase).decode("utf-8")
    except InvalidTag:
        print("wrong passphrase (authentication failed)", file=sys.stderr)
        return 1
    doc = json.loads(plain)
    print(f"decrypted: {len(doc['people'])} people, {len(plain.encode('utf-8'))} bytes, "
          f"{payload['kdf']['iterations']} iterations")
    missing = [s for s in expected if s not in plain]
    if missing:
        print(f"missing from the members data: {missing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
