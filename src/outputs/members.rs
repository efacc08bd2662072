//! Encryption of the members area (`/members/`).
//!
//! The members directory is a JSON document encrypted at build time; the
//! browser decrypts it with WebCrypto (`static/js/members.js`) after the
//! visitor types the shared passphrase. The passphrase itself never reaches
//! the output.
//!
//! # Payload format (`members/data.json`, version 1)
//!
//! ```json
//! {"format":"enishi-members","version":1,
//!  "kdf":{"name":"PBKDF2-HMAC-SHA256","iterations":600000,"salt":"<base64, 16 bytes>"},
//!  "cipher":{"name":"AES-256-GCM","nonce":"<base64, 12 bytes>"},
//!  "compression":"zlib",
//!  "ciphertext":"<base64: AES-GCM ciphertext followed by the 16-byte tag>"}
//! ```
//!
//! Base64 is the standard alphabet with padding. To decrypt:
//! `key = PBKDF2-HMAC-SHA256(UTF-8 passphrase, salt, iterations, 32 bytes)`,
//! then AES-256-GCM open (no associated data) with `nonce`, then, if
//! `compression` is `"zlib"`, inflate (RFC 1950 zlib; the browser uses
//! `DecompressionStream("deflate")`; `"none"` means stored as is). The result
//! is UTF-8 JSON (see `directory` for its shape). Compression shrinks the
//! 33,000-person payload about fivefold; it cannot leak through sizes the way
//! CRIME/BREACH do, because no attacker-chosen text is compressed with it.
//!
//! # Determinism without nonce reuse (SIV-style)
//!
//! Builds must be byte-identical for an unchanged roster, so salt and nonce
//! cannot be random. They are derived from the plaintext instead:
//!
//! - `salt = SHA-256("enishi-members-salt-v1\0" ‖ m)[..16]`
//! - `key = PBKDF2(passphrase, salt, iterations)`
//! - `nonce = HMAC-SHA256(key, "enishi-members-nonce-v1\0" ‖ m)[..12]`
//!
//! where `m` is the (compressed) message that is encrypted.
//!
//! A different plaintext gives a different salt, hence a different key, and
//! under that key a nonce bound to the plaintext: one (key, nonce) pair never
//! encrypts two different plaintexts (short of a SHA-256 collision). The same
//! plaintext and passphrase give the same bytes. The salt reveals only whether
//! two builds had the same members data (a hash of the whole document, useless
//! for guessing parts of it); the nonce is keyed, so it reveals nothing
//! without the passphrase.
//!
//! # Limits
//!
//! One passphrase is shared by all members: anyone who knows it can read
//! everything and pass it on; revoking one member means changing it for
//! everyone (and old copies of the payload stay readable with the old one).
//! The payload is public, so it can be attacked offline: PBKDF2 with 600,000
//! iterations slows guessing, but only a long random passphrase (e.g. five
//! or more random words) keeps it out of reach.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// PBKDF2 iterations used for every build (OWASP 2023 recommendation).
pub const ITERATIONS: u32 = 600_000;

const SALT_LABEL: &[u8] = b"enishi-members-salt-v1\0";
const NONCE_LABEL: &[u8] = b"enishi-members-nonce-v1\0";

/// The encrypted payload, serialised as `members/data.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Payload {
    pub format: String,
    pub version: u32,
    pub kdf: Kdf,
    pub cipher: Cipher,
    /// `"zlib"` or `"none"`.
    pub compression: String,
    pub ciphertext: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Kdf {
    pub name: String,
    pub iterations: u32,
    pub salt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Cipher {
    pub name: String,
    pub nonce: String,
}

/// Why a payload could not be decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecryptError {
    /// Not a payload of a format/version we know, or bad base64.
    Malformed(String),
    /// Authentication failed: wrong passphrase (or tampered data).
    WrongPassphrase,
}

impl std::fmt::Display for DecryptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecryptError::Malformed(m) => write!(f, "malformed members payload: {m}"),
            DecryptError::WrongPassphrase => write!(f, "wrong passphrase"),
        }
    }
}

/// Shortest passphrase not warned about (NIST SP 800-63B asks 8 of a
/// password an online service rate-limits; this one faces offline guessing).
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// Common passwords (lower case) that pass the length rule: a small list of
/// the first ones any guesser tries.
const COMMON: [&str; 24] = [
    "password1234",
    "passwordpassword",
    "password123456",
    "p@ssw0rd1234",
    "passw0rd1234",
    "qwertyuiopas",
    "qwertyuiop123",
    "qwerty123456",
    "1qaz2wsx3edc",
    "1q2w3e4r5t6y",
    "abcdefghijkl",
    "abcd1234abcd",
    "iloveyou1234",
    "welcome12345",
    "changeme1234",
    "letmein12345",
    "administrator",
    "alumni123456",
    "alumnialumni",
    "alumnipassword",
    "membersonly1",
    "members12345",
    "abc123456789",
    "asdfghjklasd",
];

/// Why a members passphrase is easy to guess offline, if it is: too short,
/// a common password, digits only, or a few characters repeated. Never
/// says what the passphrase is.
pub fn passphrase_weakness(passphrase: &str) -> Option<&'static str> {
    let chars: Vec<char> = passphrase.chars().collect();
    let distinct: std::collections::BTreeSet<char> =
        chars.iter().flat_map(|c| c.to_lowercase()).collect();
    if chars.len() < MIN_PASSPHRASE_CHARS {
        Some("it is shorter than 12 characters")
    } else if COMMON.contains(&passphrase.to_lowercase().as_str()) {
        Some("it is a common password")
    } else if chars.iter().all(|c| c.is_ascii_digit()) {
        Some("it is digits only")
    } else if distinct.len() < 5 {
        Some("it repeats a few characters")
    } else {
        None
    }
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn derive_key(passphrase: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    pbkdf2::pbkdf2_hmac_array::<Sha256, 32>(passphrase.as_bytes(), salt, iterations)
}

/// Encrypt `plaintext` with the production iteration count.
pub fn encrypt(plaintext: &[u8], passphrase: &str) -> Payload {
    encrypt_with_iterations(plaintext, passphrase, ITERATIONS)
}

/// Encrypt with an explicit PBKDF2 iteration count. **Test-only** knob (debug
/// builds hash slowly); builds always call [`encrypt`].
#[doc(hidden)]
pub fn encrypt_with_iterations(plaintext: &[u8], passphrase: &str, iterations: u32) -> Payload {
    // Level 9; miniz_oxide is deterministic for a given input and level.
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(plaintext, 9);
    let plaintext = compressed.as_slice();
    let mut h = Sha256::new();
    h.update(SALT_LABEL);
    h.update(plaintext);
    let digest = h.finalize();
    let salt = &digest[..16];
    let key = derive_key(passphrase, salt, iterations);
    let nonce_bytes = match <Hmac<Sha256> as Mac>::new_from_slice(&key) {
        Ok(mut m) => {
            m.update(NONCE_LABEL);
            m.update(plaintext);
            let tag = m.finalize().into_bytes();
            let mut n = [0u8; 12];
            n.copy_from_slice(&tag[..12]);
            n
        }
        // HMAC accepts keys of any length; unreachable, but never panic.
        Err(_) => [0u8; 12],
    };
    let cipher = Aes256Gcm::new(&key.into());
    // AES-GCM encryption only fails for plaintexts over 64 GiB.
    let ct = cipher
        .encrypt(Nonce::from_slice(&nonce_bytes), plaintext)
        .unwrap_or_default();
    Payload {
        format: "enishi-members".into(),
        version: 1,
        kdf: Kdf {
            name: "PBKDF2-HMAC-SHA256".into(),
            iterations,
            salt: b64().encode(salt),
        },
        cipher: Cipher {
            name: "AES-256-GCM".into(),
            nonce: b64().encode(nonce_bytes),
        },
        compression: "zlib".into(),
        ciphertext: b64().encode(ct),
    }
}

/// Decrypt a payload (used by tests and tools; the browser has its own
/// implementation in `members.js`).
pub fn decrypt(payload: &Payload, passphrase: &str) -> Result<Vec<u8>, DecryptError> {
    if payload.format != "enishi-members"
        || payload.version != 1
        || payload.kdf.name != "PBKDF2-HMAC-SHA256"
        || payload.cipher.name != "AES-256-GCM"
        || payload.kdf.iterations == 0
    {
        return Err(DecryptError::Malformed(
            "unknown format or algorithm".into(),
        ));
    }
    let dec = |s: &str| {
        b64()
            .decode(s)
            .map_err(|e| DecryptError::Malformed(e.to_string()))
    };
    let salt = dec(&payload.kdf.salt)?;
    let nonce = dec(&payload.cipher.nonce)?;
    let ct = dec(&payload.ciphertext)?;
    if nonce.len() != 12 {
        return Err(DecryptError::Malformed("nonce must be 12 bytes".into()));
    }
    let key = derive_key(passphrase, &salt, payload.kdf.iterations);
    let plain = Aes256Gcm::new(&key.into())
        .decrypt(Nonce::from_slice(&nonce), ct.as_slice())
        .map_err(|_| DecryptError::WrongPassphrase)?;
    match payload.compression.as_str() {
        "none" => Ok(plain),
        "zlib" => miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&plain, 1 << 30)
            .map_err(|e| DecryptError::Malformed(format!("bad zlib data: {e:?}"))),
        other => Err(DecryptError::Malformed(format!(
            "unknown compression {other:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passphrases() {
        for (pw, why) in [
            ("1234", "shorter"),
            ("パスワード", "shorter"),
            ("QWERTYUIOPAS", "common"),
            ("202612012026", "digits"),
            ("abababababab", "repeats"),
        ] {
            let w = passphrase_weakness(pw).unwrap_or_default();
            assert!(w.contains(why), "{pw}: {w:?}");
        }
        for pw in ["kiri-ame umi tsubame 7", "縁をつなぐアルムナイ名簿です"] {
            assert_eq!(passphrase_weakness(pw), None, "{pw}");
        }
    }

    #[test]
    fn roundtrip_and_wrong_passphrase() {
        let p = encrypt_with_iterations(b"{\"x\":1}", "correct horse", 1000);
        assert_eq!(decrypt(&p, "correct horse").unwrap(), b"{\"x\":1}");
        assert_eq!(decrypt(&p, "wrong"), Err(DecryptError::WrongPassphrase));
    }

    #[test]
    fn deterministic_and_fresh_per_plaintext() {
        let a = encrypt_with_iterations(b"one", "pw", 1000);
        let b = encrypt_with_iterations(b"one", "pw", 1000);
        let c = encrypt_with_iterations(b"two", "pw", 1000);
        assert_eq!(a, b);
        assert_ne!(a.kdf.salt, c.kdf.salt);
        assert_ne!(a.cipher.nonce, c.cipher.nonce);
    }

    const _: () = assert!(ITERATIONS >= 600_000, "production PBKDF2 iterations");
}
