//! The browser must normalise and tokenise exactly as the index builder does
//! (pagefind#1237 is what happens otherwise). Runs search.js's own
//! `normalize`/`tokenize` under node on tricky strings and every character of
//! the blocks Japanese text draws from, and compares with the Rust functions.
//! Skipped (with a note) when `node` is not installed.

use std::io::Write;
use std::process::{Command, Stdio};

use enishi::outputs::search::{normalize, tokenize, TokenKind};

fn samples() -> Vec<String> {
    let mut v: Vec<String> = [
        "ＭＡＵ",
        "ｶﾞｲﾄﾞ",
        "ﾘﾌｧﾗﾙ採用",
        "か\u{3099}",
        "ΟΔΟΣ",
        "İstanbul",
        "Straße",
        "㈱サンプル",
        "ﬁle",
        "①②",
        "Rust エンジニア",
        "アルムナイ・ネットワーク、交流。",
        "人々　〆切",
        "𠮷野家",
        "e\u{301}\u{302}x",
        "\u{301}lead",
        "한국어 텍스트",
        "ᄀ\u{1161}\u{11a8}",
        "A\u{1f}B",
        "a‐b—c",
        "①㍻㌔ℌ",
        "ｳﾞｪ",
        "x\u{ff9e}",
        "ヿゟ",
        "ǅungla",
        "ΣΑΣ σας",
        "Ⅻ",
        "½",
        "\u{2126}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let ranges = [
        (0x20, 0x24f),
        (0x370, 0x3ff),
        (0x400, 0x4ff),
        (0x2000, 0x206f),
        (0x2100, 0x218f),
        (0x2460, 0x24ff),
        (0x3000, 0x30ff),
        (0x3200, 0x33ff),
        (0xf900, 0xfaff),
        (0xfe30, 0xfe4f),
        (0xff00, 0xffef),
    ];
    for (a, b) in ranges {
        for cp in a..=b {
            if let Some(c) = char::from_u32(cp) {
                // Alone, after a letter, and between kana.
                v.push(c.to_string());
                v.push(format!("a{c}"));
                v.push(format!("ア{c}イ"));
            }
        }
    }
    v
}

#[test]
fn js_and_rust_agree() {
    let js = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/js/search.js"
    );
    let script = format!(
        "const s = require({js:?}); let d = ''; process.stdin.on('data', c => d += c); \
         process.stdin.on('end', () => {{ const xs = JSON.parse(d); \
         console.log(JSON.stringify(xs.map(x => {{ const n = s.normalize(x); \
         return [n, s.tokenize(n).map(t => t.kind + ':' + t.text)]; }}))); }});"
    );
    let Ok(mut child) = Command::new("node")
        .arg("-e")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    else {
        eprintln!("node not found: JS parity test skipped");
        return;
    };
    let input = samples();
    let json = serde_json::to_string(&input).unwrap_or_default();
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(json.as_bytes()).ok();
    }
    let out = child
        .wait_with_output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    let got: Vec<(String, Vec<String>)> = match serde_json::from_slice(&out) {
        Ok(v) => v,
        Err(e) => panic!(
            "node output not JSON: {e}: {}",
            String::from_utf8_lossy(&out)
        ),
    };
    assert_eq!(got.len(), input.len());
    let mut diffs = Vec::new();
    for (s, (jn, jt)) in input.iter().zip(got) {
        let rn = normalize(s);
        let rt: Vec<String> = tokenize(s)
            .into_iter()
            .map(|t| {
                let k = if t.kind == TokenKind::Word { "w" } else { "c" };
                format!("{k}:{}", t.text)
            })
            .collect();
        if rn != jn || rt != jt {
            diffs.push(format!("{s:?}: rust {rn:?} {rt:?} / js {jn:?} {jt:?}"));
        }
    }
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}
