//! Client-side search index: Japanese-aware, split, no external service.
//!
//! Why this shape:
//! - **One set of rules on both sides.** [`normalize`] and [`tokenize`] are
//!   mirrored line by line in `themes/default/static/js/search.js`. NFKC and
//!   lower-casing are applied per *unit* (a character plus its following
//!   combining marks), so that the normalised text of a string is the
//!   concatenation of its units' texts: the browser can then map a match in
//!   normalised text back to the original for highlighting, and context rules
//!   (final sigma) cannot differ between Rust and JavaScript.
//! - **No dictionary segmenter.** CJK runs are indexed as character unigrams
//!   and bigrams, so every substring is found (`交通機` inside `交通機関`).
//!   Each bigram posting carries the bigram's positions in each document, so
//!   a query of three or more characters keeps exactly the documents where
//!   its bigrams are consecutive (`量子コンピュータ` never matches
//!   `コンピ … ュータ`) before any record is fetched: the stated count is the
//!   number of results the list will hold, and paging never shifts it.
//!   Latin/digit words are indexed whole; the dictionary is sorted, so a prefix
//!   (`alum`) is a range scan.
//! - **Bounded files, small downloads.** The sorted dictionary is cut into at
//!   most [`MAX_DICT_BLOCKS`] JSON blocks (`search/d/N.json`) listed by their
//!   first key in `search/manifest.json`. Postings and document records live in
//!   a few pack files (`search/p/N.bin`, `search/r/N.bin`) that the browser
//!   reads with HTTP `Range` requests (all static hosts support them; without
//!   them the browser falls back to the whole pack), and `search/loc.bin` holds
//!   a fixed 12-byte locator per document. A query downloads the manifest, the
//!   blocks of its keys, the byte ranges of its postings and the first bytes
//!   of the records it shows.
//! - **Ranking without fetching records.** Document ids are assigned newest
//!   first, so "newer first on ties" is "smaller id first"; each key keeps a
//!   second posting list of the documents where it occurs in the title or tags.
//!
//! Posting list encoding (all integers unsigned LEB128 varints):
//! `docs` = `0, count, first, gap, gap, …` or, when smaller, a bitmap with a
//! sparse tail `1, first_byte, n_bytes, bytes…, tail_count, gap, …` (bit
//! `i % 8` of byte `i / 8 - first_byte` is document `i`; the tail's gaps count
//! from the bitmap's last document);
//! `title` = `count, first, gap, …`; `positions` (bigrams only) = for each
//! document of `docs` in order, its character positions in the normalised
//! text (title, tags, body, one per line) as `first + 1, gap, gap, …`, the
//! documents separated by a `0`. A dictionary entry is
//! `[key, docs_len, title_len, positions_len]`;
//! entries are laid out back to back from the block's `o` offset in pack `p`.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::core::output::OutputFile;

/// One searchable document, as the core hands it over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// Href to link to (already encoded, includes base path), e.g. "/news/foo/".
    pub url: String,
    pub title: String,
    /// "interview" | "news" | "job" | "event" | "page" | "alumni".
    pub kind: String,
    /// ISO "2026-10-20", for sorting newer first on ties.
    pub date: Option<String>,
    /// Already localised, e.g. "2026年10月20日".
    pub date_display: Option<String>,
    pub tags: Vec<String>,
    /// Plain text (already stripped of HTML).
    pub body: std::sync::Arc<str>,
}

/// At most this many dictionary blocks, whatever the vocabulary.
pub const MAX_DICT_BLOCKS: usize = 250;
/// Smallest dictionary block (bytes of JSON, roughly).
const MIN_BLOCK_BYTES: usize = 600;
/// Pack files are cut after this many bytes (a whole record or block never
/// straddles two packs).
const PACK_BYTES: usize = 4 << 20;
/// Separator between record fields; stripped from field text.
const FIELD_SEP: char = '\u{1f}';
/// Separator between tags inside the tags field.
const TAG_SEP: char = '\u{1e}';

mod postings;
mod records;
mod tokens;

use postings::*;
use records::*;
pub use tokens::{is_cjk, is_word, normalize, tokenize, Token, TokenKind};

/// Sort key matching JavaScript's string order (UTF-16 code units).
fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Appends `bytes` to the current pack, opening a new one when it is full.
/// Returns (pack, offset).
struct Packs {
    files: Vec<Vec<u8>>,
}

impl Packs {
    fn new() -> Self {
        Packs {
            files: vec![Vec::new()],
        }
    }
    /// Starts a new pack if the current one is full; returns (pack, offset).
    fn reserve(&mut self) -> (usize, usize) {
        if self.files.last().is_some_and(|f| f.len() >= PACK_BYTES) {
            self.files.push(Vec::new());
        }
        let n = self.files.len() - 1;
        (n, self.files[n].len())
    }
    fn push(&mut self, bytes: &[u8]) {
        if let Some(f) = self.files.last_mut() {
            f.extend_from_slice(bytes);
        }
    }
}

/// Builds every index file; paths relative to the output root
/// (`search/manifest.json`, `search/d/0.json`, `search/p/0.bin`,
/// `search/r/0.bin`, `search/loc.bin`). Same docs, same bytes.
pub fn build_index(docs: &[SearchDoc]) -> Vec<OutputFile> {
    build_index_cached(docs, None)
}

/// Index keys of documents kept between builds (`serve`): a document equal
/// to last build's (same URL, title, tags, body, …) is not tokenised again.
#[derive(Default)]
pub struct KeysCache {
    by_url: HashMap<String, (SearchDoc, Arc<DocKeys>)>,
}

/// [`build_index`], reusing the keys of unchanged documents from `cache`;
/// the same bytes.
pub fn build_index_cached(docs: &[SearchDoc], cache: Option<&mut KeysCache>) -> Vec<OutputFile> {
    // Document ids: newest first, undated last, then by url.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| {
        let (da, db) = (&docs[a].date, &docs[b].date);
        match (da, db) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| docs[a].url.cmp(&docs[b].url))
        .then_with(|| a.cmp(&b))
    });

    // The dictionary and the records are independent: build them side by side.
    let ((firsts, mut out, post_files), (rec_files, loc)) = rayon::join(
        || dictionary(postings(docs, &order, cache)),
        || records(docs, &order),
    );

    let manifest = serde_json::json!({
        "v": 2,
        "docs": order.len(),
        "blocks": firsts,
        "post": post_files.len(),
        "rec": rec_files.len(),
    });
    out.push(OutputFile::new(
        "search/manifest.json",
        manifest.to_string(),
    ));
    for (n, f) in post_files.into_iter().enumerate() {
        out.push(OutputFile::new(format!("search/p/{n}.bin"), f));
    }
    for (n, f) in rec_files.into_iter().enumerate() {
        out.push(OutputFile::new(format!("search/r/{n}.bin"), f));
    }
    out.push(OutputFile::new("search/loc.bin", loc));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Postings of all documents, ids in `order`: tokenised in parallel ranges
/// of consecutive ids, merged in id order.
fn postings(docs: &[SearchDoc], order: &[usize], cache: Option<&mut KeysCache>) -> Postings {
    // Each fold takes a contiguous range of ids in order (one accumulator
    // per parallel split, not per document), then ranges merge in id order.
    let merged = match cache {
        None => order
            .par_iter()
            .enumerate()
            .fold(
                || None,
                |acc: Option<(Postings, String)>, (id, &i)| {
                    let (mut p, mut text) =
                        acc.unwrap_or_else(|| (Postings::new(id as u32), String::new()));
                    p.add_doc(&docs[i], &mut text);
                    Some((p, text))
                },
            )
            .filter_map(|acc| acc.map(|(p, _)| p))
            .reduce_with(Postings::merge),
        Some(c) => {
            let old = &c.by_url;
            let keys: Vec<Arc<DocKeys>> = order
                .par_iter()
                .map(|&i| match old.get(&docs[i].url) {
                    Some((d, k)) if *d == docs[i] => Arc::clone(k),
                    _ => Arc::new(doc_keys(&docs[i])),
                })
                .collect();
            c.by_url = order
                .iter()
                .zip(&keys)
                .map(|(&i, k)| (docs[i].url.clone(), (docs[i].clone(), Arc::clone(k))))
                .collect();
            keys.par_iter()
                .enumerate()
                .fold(
                    || None,
                    |acc: Option<Postings>, (id, k)| {
                        let mut p = acc.unwrap_or_else(|| Postings::new(id as u32));
                        p.add_keys(k);
                        Some(p)
                    },
                )
                .filter_map(|acc| acc)
                .reduce_with(Postings::merge)
        }
    };
    merged.unwrap_or_else(|| Postings::new(0))
}

/// Encodes the posting lists into packs and cuts the sorted dictionary into
/// blocks: (first key of each block, block files, posting packs).
fn dictionary(post: Postings) -> (Vec<String>, Vec<OutputFile>, Vec<Vec<u8>>) {
    let Postings {
        words,
        unigrams,
        bigrams,
        ..
    } = post;
    let mut keys: Vec<(String, Post, Vec<u8>)> =
        Vec::with_capacity(words.len() + unigrams.len() + bigrams.len());
    keys.extend(
        words
            .into_iter()
            .map(|(w, p)| (w.into_string(), p, Vec::new())),
    );
    keys.extend(
        unigrams
            .into_posts()
            .map(|(c, p)| (c.to_string(), p, Vec::new())),
    );
    keys.extend(bigrams.into_iter().map(|(g, b)| {
        let (post, pos) = b.finish();
        (gram_key(g), post, pos)
    }));
    keys.par_sort_unstable_by(|a, b| js_order(&a.0, &b.0));

    // Entry bytes (docs, title, positions back to back) and dictionary JSON.
    let entries: Vec<(String, String, Vec<u8>)> = keys
        .into_par_iter()
        .map(|(k, p, pos)| {
            let mut bytes = encode_docs(&p.ids);
            let dl = bytes.len();
            let t = encode_ids(&p.title);
            let (tl, ml) = (t.len(), pos.len());
            bytes.extend(t);
            bytes.extend(pos);
            let js = serde_json::json!([k, dl, tl, ml]).to_string();
            (k, js, bytes)
        })
        .collect();
    let total: usize = entries.iter().map(|e| e.1.len() + 1).sum();
    let block_target = MIN_BLOCK_BYTES.max(total.div_ceil(MAX_DICT_BLOCKS) + 1);

    let mut out = Vec::new();
    let mut packs = Packs::new();
    let mut firsts: Vec<String> = Vec::new();
    let mut entries = entries.into_iter().peekable();
    while let Some((key, _, _)) = entries.peek() {
        let (pack, off) = packs.reserve();
        firsts.push(key.clone());
        let mut list = String::new();
        let mut size = 0;
        while list.is_empty() || size < block_target {
            let Some((_, js, bytes)) = entries.next() else {
                break;
            };
            size += js.len() + 1;
            if !list.is_empty() {
                list.push(',');
            }
            list.push_str(&js);
            packs.push(&bytes);
        }
        let block = format!("{{\"p\":{pack},\"o\":{off},\"t\":[{list}]}}");
        out.push(OutputFile::new(
            format!("search/d/{}.json", firsts.len() - 1),
            block,
        ));
    }
    (firsts, out, packs.files)
}
#[cfg(test)]
mod tests {
    use super::tokens::*;
    use super::*;
    use crate::core::text::stable;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn stable_fast_path_agrees_with_nfkc_and_lowercase() {
        for c in ('\u{3000}'..='\u{30ff}').chain('\u{4e00}'..='\u{9fff}') {
            if stable(c) {
                let u = c.to_string();
                assert_eq!(normalize_unit(&u), u, "U+{:04X}", c as u32);
            }
        }
    }

    fn words(s: &str) -> Vec<(&'static str, String)> {
        tokenize(s)
            .into_iter()
            .map(|t| {
                let k = match t.kind {
                    TokenKind::Word => "w",
                    TokenKind::Cjk => "c",
                };
                (k, t.text)
            })
            .collect()
    }

    #[test]
    fn normalize_full_width_and_case() {
        assert_eq!(normalize("ＭＡＵ"), "mau");
        assert_eq!(normalize("MAU"), "mau");
        assert_eq!(normalize("Ｒｕｓｔ　エンジニア"), "rust エンジニア");
        assert_eq!(normalize("１２３"), "123");
    }

    #[test]
    fn normalize_half_width_katakana_composes() {
        assert_eq!(normalize("ｶﾞｲﾄﾞ"), "ガイド");
        assert_eq!(normalize("ﾘﾌｧﾗﾙ"), "リファラル");
        assert_eq!(normalize("ﾊﾟｰﾄ"), "パート");
    }

    #[test]
    fn normalize_tricky_characters() {
        // Decomposed kana + combining voiced mark composes.
        assert_eq!(normalize("か\u{3099}"), "が");
        // Compatibility characters.
        assert_eq!(normalize("㈱"), "(株)");
        assert_eq!(normalize("ﬁ"), "fi");
        assert_eq!(normalize("①"), "1");
        // Final sigma is not context dependent (unit by unit, as in JS).
        assert_eq!(normalize("ΟΔΟΣ"), "οδοσ");
        // Dotted capital I lowers to i + combining dot, as in JS.
        assert_eq!(normalize("İ"), "i\u{307}");
        // German sharp s stays (lower case, not case folding to ss), as in JS.
        assert_eq!(normalize("Straße"), "straße");
        // Unit-wise equals whole-string NFKC + lower for ordinary text.
        let s = "株式会社ＡＢＣ　ﾃｸﾉﾛｼﾞｰ Café";
        assert_eq!(normalize(s), s.nfkc().collect::<String>().to_lowercase());
    }

    #[test]
    fn tokenize_japanese_runs_and_punctuation() {
        assert_eq!(
            words("リファラル採用、アルムナイ・ネットワーク。"),
            vec![
                ("c", "リファラル採用".to_string()),
                ("c", "アルムナイ".to_string()),
                ("c", "ネットワーク".to_string()),
            ]
        );
        // Long vowel mark and iteration mark belong to the word.
        assert_eq!(
            words("人々のコーヒー"),
            vec![("c", "人々のコーヒー".to_string())]
        );
    }

    #[test]
    fn tokenize_english_words() {
        assert_eq!(
            words("Alumni-network, v2.0 (Tokyo)!"),
            vec![
                ("w", "alumni".to_string()),
                ("w", "network".to_string()),
                ("w", "v2".to_string()),
                ("w", "0".to_string()),
                ("w", "tokyo".to_string()),
            ]
        );
    }

    #[test]
    fn tokenize_mixed_and_full_width() {
        assert_eq!(
            words("Ｒｕｓｔエンジニア募集 at ＭＡＵ"),
            vec![
                ("w", "rust".to_string()),
                ("c", "エンジニア募集".to_string()),
                ("w", "at".to_string()),
                ("w", "mau".to_string()),
            ]
        );
        let t = tokenize("ab 量子");
        assert_eq!(t[1].pos, 3);
    }

    fn doc(url: &str, title: &str, date: Option<&str>, body: &str) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            title: title.into(),
            kind: "news".into(),
            date: date.map(str::to_string),
            date_display: None,
            tags: vec!["タグ".into()],
            body: body.into(),
        }
    }

    #[test]
    fn keys_cover_unigrams_bigrams_and_positions() {
        let (words, grams) = doc_keys(&doc("/a/", "T", None, "量子コンピュータ"));
        let pos: HashMap<String, Vec<u8>> = grams
            .iter()
            .map(|(g, _, p)| (gram_key(*g), p.to_vec()))
            .collect();
        let keys: HashMap<String, Hit> = words
            .into_iter()
            .chain(grams.into_iter().map(|(g, h, _)| (gram_key(g), h)))
            .collect();
        assert!(keys.contains_key("量"));
        assert!(keys.contains_key("タ"));
        assert!(keys["タグ"].title);
        let q = keys["量子"];
        assert!(q.bigram && !q.title);
        // "t\nタグ\n" is 5 characters, so 量 is at 5 (written as 5 + 1).
        assert_eq!(pos["量子"], vec![6]);
        assert_eq!(pos["子コ"], vec![7]);
        assert!(pos["量"].is_empty());
        assert!(keys.contains_key("t"));
    }

    #[test]
    fn index_is_deterministic_and_bounded() {
        let docs: Vec<SearchDoc> = (0..300)
            .map(|i| {
                doc(
                    &format!("/news/{i}/"),
                    &format!("お知らせ {i}"),
                    Some(&format!("2026-01-{:02}", i % 28 + 1)),
                    &format!("本文 word{i} 交通機関 alumni {}", "テキスト".repeat(i % 7)),
                )
            })
            .collect();
        let a = build_index(&docs);
        let b = build_index(&docs);
        assert_eq!(a, b);
        assert!(a.iter().any(|f| f.path == "search/manifest.json"));
        assert!(a.len() <= MAX_DICT_BLOCKS + 10);
        let loc = a
            .iter()
            .find(|f| f.path == "search/loc.bin")
            .map(|f| f.bytes.len());
        assert_eq!(loc, Some(300 * 12));
    }

    #[test]
    fn doc_ids_newest_first() {
        let docs = vec![
            doc("/old/", "古い", Some("2020-01-01"), "x"),
            doc("/none/", "日付なし", None, "x"),
            doc("/new/", "新しい", Some("2026-01-01"), "x"),
        ];
        let files = build_index(&docs);
        let rec = files
            .iter()
            .find(|f| f.path == "search/r/0.bin")
            .map(|f| {
                let units: Vec<u16> = f
                    .bytes
                    .chunks(2)
                    .map(|c| u16::from_le_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
                    .collect();
                String::from_utf16_lossy(&units)
            })
            .unwrap_or_default();
        let new = rec.find("/new/");
        let old = rec.find("/old/");
        let none = rec.find("/none/");
        assert!(new < old && old < none, "{rec}");
    }

    #[test]
    fn simple_characters_are_units_that_normalise_to_themselves() {
        for c in ('\0'..='\u{d7ff}').chain('\u{e000}'..='\u{10ffff}') {
            for clean in [false, true] {
                if simple(c, clean) {
                    assert!(!attaches_slow(c), "U+{:04X}", c as u32);
                    let u = c.to_string();
                    let mut want = normalize_unit(&u);
                    if clean {
                        want = want.replace(|c| matches!(c, '\u{1d}'..='\u{1f}'), " ");
                    }
                    assert_eq!(want, u.to_ascii_lowercase(), "U+{:04X}", c as u32);
                }
            }
        }
    }

    #[test]
    fn char_kind_table_agrees() {
        for c in ('\0'..='\u{d7ff}').chain('\u{e000}'..='\u{10ffff}') {
            assert_eq!(char_kind(c), char_kind_slow(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn attaches_fast_path_agrees() {
        for c in ('\0'..='\u{d7ff}').chain('\u{e000}'..='\u{10ffff}') {
            assert_eq!(attaches(c), attaches_slow(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn unigram_table_matches_a_map() {
        use std::collections::BTreeMap;
        // BMP edges and astral characters, repeated; two id ranges merged
        // as `postings` merges them.
        let chars = ['a', '量', '\u{ffff}', '\u{10000}', '𠮷', '量', 'a', '\0'];
        let mut want: BTreeMap<char, (Vec<u32>, Vec<u32>)> = BTreeMap::new();
        let mut parts = Vec::new();
        for range in [0..5u32, 5..9] {
            let mut u = Unigrams::default();
            for id in range {
                for (k, &c) in chars.iter().enumerate() {
                    if (id as usize + k).is_multiple_of(3) {
                        continue;
                    }
                    let title = k % 2 == 0;
                    u.get(c).add(id, title);
                    let (ids, titles) = want.entry(c).or_default();
                    if ids.last() != Some(&id) {
                        ids.push(id);
                    }
                    if title && titles.last() != Some(&id) {
                        titles.push(id);
                    }
                }
            }
            parts.push(u);
        }
        let later = parts.pop().unwrap_or_default();
        let mut merged = parts.pop().unwrap_or_default();
        merged.append(later);
        assert_eq!(merged.len(), want.len());
        let got: BTreeMap<char, (Vec<u32>, Vec<u32>)> = merged
            .into_posts()
            .map(|(c, p)| (c, (p.ids, p.title)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn cached_keys_give_the_same_bytes() {
        let mut docs: Vec<SearchDoc> = (0..600)
            .map(|i| {
                let date = (i % 5 != 0).then(|| format!("2025-{:02}-01", i % 12 + 1));
                let mut d = doc(
                    &format!("/p/{i}/"),
                    &format!("ﾀｲﾄﾙ{i} Title"),
                    date.as_deref(),
                    &format!("か\u{3099}量子コンピュータ word{} \u{301}x\u{1f}y", i % 40),
                );
                d.tags = vec![format!("\u{301}tag{}", i % 3), "タグ".into()];
                d
            })
            .collect();
        let mut cache = KeysCache::default();
        assert_eq!(
            build_index_cached(&docs, Some(&mut cache)),
            build_index(&docs)
        );
        docs[7].body = format!("{} 追加 extra", docs[7].body).into();
        assert_eq!(
            build_index_cached(&docs, Some(&mut cache)),
            build_index(&docs)
        );
    }

    #[test]
    fn docs_encoding_picks_bitmap_when_dense() {
        let dense: Vec<u32> = (0..200).collect();
        assert_eq!(encode_docs(&dense)[0], 1);
        // type, first byte, byte count, 25 bytes, empty tail
        assert_eq!(encode_docs(&dense).len(), 3 + 25 + 1);
        // Dense head, sparse tail: bitmap for 0..200, gaps for the rest.
        let mut mixed = dense.clone();
        mixed.extend([20_000, 30_000]);
        let enc = encode_docs(&mixed);
        assert_eq!(enc[0], 1);
        assert_eq!(&enc[3 + 25..], &[2, 0xd9, 0x9a, 0x01, 0x90, 0x4e]);
        assert_eq!(encode_docs(&[5, 1000])[0], 0);
        assert_eq!(encode_docs(&[]), vec![0, 0]);
    }
}
