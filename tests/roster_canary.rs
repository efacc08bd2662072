//! Acceptance: nothing a person did not consent to reaches any output byte.
//! Fixture: tests/fixtures/roster_canary (see its README for the markers).

mod roster_support;

use std::collections::BTreeMap;

use enishi::outputs::directory;
use enishi::outputs::members::Payload;
use roster_support::*;

/// Never published at all (not even to members).
const NEVER: &[&str] = &["CNRY", "カナリア秘", "1901-02-03", "1902-03-04"];
/// Only inside the encrypted members payload.
const MEMBERS_ONLY: &[&str] = &["MBRONLY"];
const PASS: &str = "canary-pass-phrase";
/// Test-only iteration count (debug builds); production is checked elsewhere.
const TEST_ITER: u32 = 1000;

fn interviews() -> BTreeMap<String, (String, String)> {
    let mut m = BTreeMap::new();
    m.insert(
        "tanaka-hanako".to_string(),
        (
            "/interviews/tanaka/".to_string(),
            "PUBOK田中さんの話".to_string(),
        ),
    );
    // An interview about someone who is not in the public directory: the
    // directory must not mention it (the id itself is a canary).
    m.insert(
        "cnry-noconsent".to_string(),
        (
            "/interviews/cnry-x/".to_string(),
            "CNRY99 カナリア秘99".to_string(),
        ),
    );
    m
}

/// Decrypt with the RustCrypto primitives directly, from the documented
/// format (independent of `enishi::outputs::members::decrypt`).
fn decrypt_independently(payload_json: &[u8], pass: &str) -> Option<String> {
    use aes_gcm::aead::{Aead, KeyInit};
    use base64::Engine as _;
    let v: serde_json::Value = serde_json::from_slice(payload_json).ok()?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let salt = b64.decode(v["kdf"]["salt"].as_str()?).ok()?;
    let nonce = b64.decode(v["cipher"]["nonce"].as_str()?).ok()?;
    let ct = b64.decode(v["ciphertext"].as_str()?).ok()?;
    let iter = u32::try_from(v["kdf"]["iterations"].as_u64()?).ok()?;
    assert_eq!(v["kdf"]["name"], "PBKDF2-HMAC-SHA256");
    assert_eq!(v["cipher"]["name"], "AES-256-GCM");
    let key = pbkdf2::pbkdf2_hmac_array::<sha2::Sha256, 32>(pass.as_bytes(), &salt, iter);
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&key).ok()?;
    let pt = cipher
        .decrypt(aes_gcm::Nonce::from_slice(&nonce), ct.as_slice())
        .ok()?;
    assert_eq!(v["compression"], "zlib");
    let pt = miniz_oxide::inflate::decompress_to_vec_zlib(&pt).ok()?;
    String::from_utf8(pt).ok()
}

struct Built {
    texts: BTreeMap<String, String>,
    payload: Option<Vec<u8>>,
    warnings: usize,
}

fn build(passphrase: Option<&str>) -> Built {
    let root = fixture("roster_canary");
    let config = load_config(&root);
    let roster = enishi::input::roster::load(&root, &config).expect("fixture roster loads");
    let view = roster.publishable(&config, jiff::civil::date(2026, 11, 22));
    let (pages, files, diags) =
        directory::outputs_with_iterations(&view, &config, &interviews(), passphrase, TEST_ITER);
    let mut texts = BTreeMap::new();
    // HtmlPage fields as the core would see them.
    for p in &pages {
        texts.insert(
            format!("vars:{}", p.path),
            format!("{} {} {}", p.title, p.description, p.vars),
        );
    }
    for (path, html) in render_pages(&pages, &config) {
        texts.insert(format!("html:{path}"), html);
    }
    // And through the real theme (base layout, i18n, site globals).
    let (themed, _) = render_with_theme(&root, &pages);
    for (path, html) in themed {
        texts.insert(format!("themed:{path}"), html);
    }
    let mut payload = None;
    for f in &files {
        let text = String::from_utf8(f.bytes.clone()).expect("utf-8 output");
        if f.path == directory::MEMBERS_JSON {
            // The ciphertext is opaque random-looking base64; check the rest.
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            v["ciphertext"] = serde_json::Value::Null;
            texts.insert(format!("file:{}", f.path), v.to_string());
            payload = Some(f.bytes.clone());
        } else {
            texts.insert(format!("file:{}", f.path), text);
        }
    }
    let search: Vec<String> = view
        .search_entries()
        .into_iter()
        .map(|(a, b, c)| format!("{a}\n{b}\n{c}"))
        .collect();
    texts.insert("search".into(), search.join("\n"));
    Built {
        texts,
        payload,
        warnings: diags.iter().filter(|d| !d.is_error()).count(),
    }
}

fn assert_clean(b: &Built) {
    let forbidden: Vec<&str> = NEVER.iter().chain(MEMBERS_ONLY).copied().collect();
    let mut leaks = Vec::new();
    for (name, text) in &b.texts {
        for m in find_markers(text, &forbidden) {
            leaks.push(format!("{m} in {name}"));
        }
    }
    assert!(leaks.is_empty(), "consent leaks:\n{}", leaks.join("\n"));
}

#[test]
fn decoder_sees_through_encodings() {
    // The checker itself must catch escaped forms.
    for s in [
        "CNRY01",
        "\\u0043\\u004e\\u0052\\u0059",
        "&#67;&#x4E;RY",
        "%E3%82%AB%E3%83%8A%E3%83%AA%E3%82%A2%E7%A7%98",
        "\\u30ab\\u30ca\\u30ea\\u30a2\\u79d8",
        "&#x30AB;&#x30CA;&#x30EA;&#x30A2;&#x79D8;",
        "cnry-noconsent",
    ] {
        assert!(!find_markers(s, NEVER).is_empty(), "missed {s}");
    }
}

#[test]
fn no_canary_without_passphrase() {
    let b = build(None);
    assert!(
        b.payload.is_none(),
        "no members payload without a passphrase"
    );
    assert_eq!(
        b.warnings, 1,
        "the build says members fields are not published"
    );
    assert_clean(&b);
    // Not vacuous: the consented public fields are there.
    let alumni = &b.texts["html:alumni/index.html"];
    for want in [
        "PUBOK田中 花子",
        "PUBOK株式会社ミライ",
        "PUBOK営業本部",
        "PUBOK Ken Sato",
        "PUBOK-Rust",
        "/interviews/tanaka/",
        "/privacy/",
        "id=\"tanaka-hanako\"",
        "href=\"mailto:pubok-ito@example.com\"",
        "href=\"https://pubok-ito.example/\"",
        "PUBOK &lt;b&gt;hello&lt;/b&gt; &amp; &#39;quotes&#39;",
    ] {
        assert!(alumni.contains(want), "missing {want} in /alumni/");
    }
    assert!(b.texts["file:alumni/directory.json"].contains("PUBOK-CTO"));
    let themed = &b.texts["themed:alumni/index.html"];
    assert!(
        themed.contains("PUBOK田中 花子") && themed.contains("<title>アルムナイ名簿 |"),
        "{themed}"
    );
    assert!(
        b.texts["themed:members/index.html"].contains("メンバー限定名簿は現在公開されていません")
    );
    assert!(b.texts["search"].contains("/alumni/#sato-ken"));
}

#[test]
fn no_canary_with_passphrase_and_members_fields_decrypt() {
    let b = build(Some(PASS));
    assert_eq!(b.warnings, 0);
    assert_clean(&b);
    let payload = b.payload.expect("members payload written");
    // The passphrase itself is never in the output.
    for text in b.texts.values() {
        assert!(!text.contains(PASS));
    }
    assert!(!String::from_utf8_lossy(&payload).contains(PASS));
    let plain = decrypt_independently(&payload, PASS).expect("decrypts with the passphrase");
    for want in [
        "mbronly-hanako@example.com",
        "MBRONLY福岡",
        "MBRONLY営業企画",
        "https://www.linkedin.com/in/MBRONLY-link",
        "MBRONLY鈴木 一郎",
        "mbronly-suzuki@example.jp",
        "mbronly-anon@example.org",
        "PUBOK田中 花子",
    ] {
        assert!(plain.contains(want), "members payload lacks {want}");
    }
    // Fields nobody consented to are not in the members payload either.
    let leaks = find_markers(&plain, NEVER);
    assert!(leaks.is_empty(), "members payload leaks {leaks:?}");
    assert!(decrypt_independently(&payload, "wrong passphrase").is_none());
    // The crate's own decryptor agrees.
    let p: Payload = serde_json::from_slice(&payload).unwrap();
    assert_eq!(
        enishi::outputs::members::decrypt(&p, PASS).unwrap(),
        plain.as_bytes()
    );
}

#[test]
fn deterministic_output() {
    let a = build(Some(PASS));
    let b = build(Some(PASS));
    assert_eq!(a.texts, b.texts);
    assert_eq!(a.payload, b.payload);
}

#[test]
fn stale_consents_listed() {
    let root = fixture("roster_canary");
    let config = load_config(&root);
    let roster = enishi::input::roster::load(&root, &config).unwrap();
    let stale = roster.stale_consents(&config);
    let ids: Vec<&str> = stale.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["cnry-oldversion"]);
    assert_eq!(stale[0].version, 1);
}

#[test]
#[ignore]
fn dump() {
    let b = build(Some(PASS));
    for (k, v) in &b.texts {
        println!("=== {k}\n{v}");
    }
}
