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
//!   Each bigram posting carries an 8-bit position signature (bit `pos % 8`)
//!   so a query of three or more characters keeps only documents where its
//!   bigrams can be consecutive; the browser verifies the shown results
//!   against the stored text (`量子コンピュータ` never matches `コンピ … ュータ`).
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
//! `title` = `count, first, gap, …`; `masks` = one byte per document of `docs`
//! (bigrams only). A dictionary entry is `[key, docs_len, title_len, masks_len]`;
//! entries are laid out back to back from the block's `o` offset in pack `p`.

use std::collections::HashMap;

use rayon::prelude::*;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::output::OutputFile;

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
    pub body: String,
}

/// What a token is: a Latin/digit word, or a run of CJK characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenKind {
    Word,
    Cjk,
}

/// A term of normalised text: a whole word or a whole CJK run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub kind: TokenKind,
    /// Offset in characters (code points) in the normalised text.
    pub pos: usize,
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

/// Characters that attach to the previous unit: combining marks, half-width
/// (semi-)voiced sound marks and Hangul medial/final jamo (they compose under
/// NFKC with what precedes them). JS: `/[\p{M}\uFF9E\uFF9F\u1160-\u11FF]/u`.
fn attaches(c: char) -> bool {
    is_combining_mark(c) || matches!(c, '\u{ff9e}' | '\u{ff9f}' | '\u{1160}'..='\u{11ff}')
}

/// Splits `s` into units: a character plus the characters that attach to it.
fn units(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let mut it = rest.char_indices();
        it.next()?;
        let end = it
            .find(|&(_, c)| !attaches(c))
            .map_or(rest.len(), |(i, _)| i);
        let (unit, tail) = rest.split_at(end);
        rest = tail;
        Some(unit)
    })
}

/// Normalises one unit: NFKC, then full lower-casing.
fn normalize_unit(u: &str) -> String {
    u.nfkc().collect::<String>().to_lowercase()
}

/// NFKC + lower case, unit by unit (see the module docs). The browser does
/// the same with `unit.normalize('NFKC').toLowerCase()`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for u in units(s) {
        let mut cs = u.chars();
        match (cs.next(), cs.next()) {
            // Fast paths (same result): ASCII, and kana/kanji that NFKC and
            // lower-casing leave alone.
            (Some(c), None) if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            (Some(c), None) if stable(c) => out.push(c),
            _ => out.push_str(&normalize_unit(u)),
        }
    }
    out
}

/// Characters that NFKC and lower-casing map to themselves, checked cheaply.
fn stable(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}' | '\u{4e00}'..='\u{9fff}')
}

/// CJK characters (after NFKC): indexed as unigrams and bigrams. `・` (U+30FB)
/// and `゠` are punctuation; `ー`, `々`, `〆`, `〇` are part of words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007
        | 0x3041..=0x3096
        | 0x309D..=0x309F
        | 0x30A1..=0x30FA
        | 0x30FC..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// Word characters: alphabetic or numeric, not CJK.
/// JS: `/[\p{Alphabetic}\p{N}]/u` and not CJK.
pub fn is_word(c: char) -> bool {
    !is_cjk(c) && (c.is_alphabetic() || c.is_numeric())
}

/// Splits already normalised text into words and CJK runs; everything else
/// (spaces, punctuation such as `・`, `、`, `。`) separates them.
fn tokenize_normalized(n: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut kind: Option<TokenKind> = None;
    let mut start = 0;
    for (i, c) in n.chars().enumerate() {
        let k = if is_cjk(c) {
            Some(TokenKind::Cjk)
        } else if is_word(c) {
            Some(TokenKind::Word)
        } else {
            None
        };
        if k != kind {
            if let Some(kd) = kind {
                out.push(Token {
                    text: std::mem::take(&mut cur),
                    kind: kd,
                    pos: start,
                });
            }
            kind = k;
            start = i;
        }
        if k.is_some() {
            cur.push(c);
        }
    }
    if let Some(kd) = kind {
        out.push(Token {
            text: cur,
            kind: kd,
            pos: start,
        });
    }
    out
}

/// Normalises `s` and splits it into words and CJK runs, with their
/// positions in the normalised text. The query side uses the same function
/// (mirrored in search.js), so `新幹線` is cut the same way on both sides.
pub fn tokenize(s: &str) -> Vec<Token> {
    tokenize_normalized(&normalize(s))
}

/// One index key of a document: the key, and for bigrams the position mask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Hit {
    title: bool,
    mask: u8,
    bigram: bool,
}

/// A CJK key: a unigram `(c, '\0')` or a bigram `(c, d)`; no allocation.
type Gram = (char, char);

fn gram_key((a, b): Gram) -> String {
    let mut k = a.to_string();
    if b != '\0' {
        k.push(b);
    }
    k
}

/// Keys of a document: words whole; CJK runs as unigrams and bigrams.
type DocKeys = (Vec<(String, Hit)>, Vec<(Gram, Hit)>);

fn doc_keys(doc: &SearchDoc) -> DocKeys {
    let mut words: HashMap<String, Hit> = HashMap::new();
    // CJK keys as (char, second char or '\0'): no allocation per occurrence.
    let mut grams: HashMap<Gram, Hit> = HashMap::new();
    let head = search_head(doc);
    let head_len = normalize(&head).chars().count();
    let text = format!("{head}\n{}", clean(&doc.body));
    for t in tokenize(&text) {
        let title = t.pos < head_len;
        match t.kind {
            TokenKind::Word => {
                if let Some(h) = words.get_mut(&t.text) {
                    h.title |= title;
                } else {
                    let h = Hit {
                        title,
                        ..Hit::default()
                    };
                    words.insert(t.text, h);
                }
            }
            TokenKind::Cjk => {
                let chars: Vec<char> = t.text.chars().collect();
                for (i, &c) in chars.iter().enumerate() {
                    grams.entry((c, '\0')).or_default().title |= title;
                    if let Some(&next) = chars.get(i + 1) {
                        let h = grams.entry((c, next)).or_default();
                        h.title |= title;
                        h.bigram = true;
                        h.mask |= 1 << ((t.pos + i) % 8);
                    }
                }
            }
        }
    }
    (words.into_iter().collect(), grams.into_iter().collect())
}

/// Title and tags, the high-ranking part of a document, as one string.
fn search_head(doc: &SearchDoc) -> String {
    let mut s = clean(&doc.title);
    for t in &doc.tags {
        s.push('\n');
        s.push_str(&clean(t));
    }
    s
}

/// Field text without the record separators.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\u{1d}'..='\u{1f}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn encode_ids(ids: &[u32]) -> Vec<u8> {
    let mut out = Vec::new();
    push_varint(&mut out, ids.len() as u32);
    let mut prev = 0;
    for (i, &id) in ids.iter().enumerate() {
        push_varint(&mut out, if i == 0 { id } else { id - prev });
        prev = id;
    }
    out
}

fn varint_len(v: u32) -> usize {
    match v {
        0..=0x7f => 1,
        0x80..=0x3fff => 2,
        0x4000..=0x1f_ffff => 3,
        0x20_0000..=0xfff_ffff => 4,
        _ => 5,
    }
}

/// The `docs` list: plain varints, or a bitmap of the dense head followed by
/// varint gaps for the sparse tail, whichever is smaller (ids of dated pages
/// are dense; the directory's undated entries come last and are sparse).
fn encode_docs(ids: &[u32]) -> Vec<u8> {
    let mut list = vec![0];
    list.extend(encode_ids(ids));
    let Some(&first) = ids.first() else {
        return list;
    };
    let n = ids.len();
    // tail[k] = bytes of the gaps ids[k..] (each from its predecessor).
    let mut tail = vec![0usize; n + 1];
    for k in (1..n).rev() {
        tail[k] = tail[k + 1] + varint_len(ids[k] - ids[k - 1]);
    }
    let fb = first / 8;
    let mut best: Option<(usize, usize)> = None; // (cost, k)
    for k in 1..=n {
        let nbytes = ids[k - 1] / 8 - fb + 1;
        let cost = 1
            + varint_len(fb)
            + varint_len(nbytes)
            + nbytes as usize
            + varint_len((n - k) as u32)
            + tail[k];
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, k));
        }
    }
    let Some((cost, k)) = best else {
        return list;
    };
    if cost >= list.len() {
        return list;
    }
    let nbytes = ids[k - 1] / 8 - fb + 1;
    let mut out = vec![1];
    push_varint(&mut out, fb);
    push_varint(&mut out, nbytes);
    let base = out.len();
    out.resize(base + nbytes as usize, 0);
    for &id in &ids[..k] {
        out[base + (id / 8 - fb) as usize] |= 1 << (id % 8);
    }
    push_varint(&mut out, (n - k) as u32);
    for j in k..n {
        push_varint(&mut out, ids[j] - ids[j - 1]);
    }
    out
}

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

    // Postings: key -> (ids, title ids, masks), ids ascending.
    let per_doc: Vec<DocKeys> = order.par_iter().map(|&i| doc_keys(&docs[i])).collect();
    type Post = (Vec<u32>, Vec<u32>, Vec<u8>, bool);
    fn add(p: &mut Post, id: u32, h: Hit) {
        p.0.push(id);
        if h.title {
            p.1.push(id);
        }
        p.2.push(h.mask);
        p.3 |= h.bigram;
    }
    let mut word_post: HashMap<String, Post> = HashMap::new();
    let mut gram_post: HashMap<Gram, Post> = HashMap::new();
    for (id, (words, grams)) in per_doc.into_iter().enumerate() {
        let id = id as u32;
        for (k, h) in words {
            add(word_post.entry(k).or_default(), id, h);
        }
        for (k, h) in grams {
            add(gram_post.entry(k).or_default(), id, h);
        }
    }
    let mut post: Vec<(String, Post)> = word_post.into_iter().collect();
    post.extend(gram_post.into_iter().map(|(g, p)| (gram_key(g), p)));
    post.sort_by(|a, b| js_order(&a.0, &b.0));

    // Encode entries, then cut the dictionary into blocks.
    let entries: Vec<(String, Vec<u8>, usize, usize, usize)> = post
        .into_par_iter()
        .map(|(k, (ids, title, masks, bigram))| {
            let d = encode_docs(&ids);
            let t = encode_ids(&title);
            let m = if bigram { masks } else { Vec::new() };
            let (dl, tl, ml) = (d.len(), t.len(), m.len());
            let mut bytes = d;
            bytes.extend(t);
            bytes.extend(m);
            (k, bytes, dl, tl, ml)
        })
        .collect();
    let entry_json = |e: &(String, Vec<u8>, usize, usize, usize)| {
        serde_json::json!([e.0, e.2, e.3, e.4]).to_string()
    };
    let total: usize = entries.iter().map(|e| entry_json(e).len() + 1).sum();
    let block_target = MIN_BLOCK_BYTES.max(total.div_ceil(MAX_DICT_BLOCKS) + 1);

    let mut out = Vec::new();
    let mut packs = Packs::new();
    let mut firsts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let (pack, off) = packs.reserve();
        let mut list = Vec::new();
        let mut size = 0;
        firsts.push(entries[i].0.clone());
        while i < entries.len() && (list.is_empty() || size < block_target) {
            let js = entry_json(&entries[i]);
            size += js.len() + 1;
            list.push(js);
            packs.push(&entries[i].1);
            i += 1;
        }
        let block = format!("{{\"p\":{pack},\"o\":{off},\"t\":[{}]}}", list.join(","));
        out.push(OutputFile::new(
            format!("search/d/{}.json", firsts.len() - 1),
            block,
        ));
    }
    let post_files = packs.files;

    // Records: url, kind, date, date_display, title, tags, body.
    let mut recs = Packs::new();
    let mut loc = Vec::with_capacity(order.len() * 12);
    for &i in &order {
        let d = &docs[i];
        let tags: Vec<String> = d.tags.iter().map(|t| clean(t)).collect();
        let rec = [
            clean(&d.url),
            clean(&d.kind),
            clean(d.date.as_deref().unwrap_or("")),
            clean(d.date_display.as_deref().unwrap_or("")),
            clean(&d.title),
            tags.join(&TAG_SEP.to_string()),
            clean(&d.body),
        ]
        .join(&FIELD_SEP.to_string());
        let bytes: Vec<u8> = rec.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (pack, off) = recs.reserve();
        recs.push(&bytes);
        for v in [pack, off, bytes.len()] {
            loc.extend_from_slice(&(v as u32).to_le_bytes());
        }
    }

    let manifest = serde_json::json!({
        "v": 1,
        "docs": order.len(),
        "blocks": firsts,
        "post": post_files.len(),
        "rec": recs.files.len(),
    });
    out.push(OutputFile::new(
        "search/manifest.json",
        manifest.to_string(),
    ));
    for (n, f) in post_files.into_iter().enumerate() {
        out.push(OutputFile::new(format!("search/p/{n}.bin"), f));
    }
    for (n, f) in recs.files.into_iter().enumerate() {
        out.push(OutputFile::new(format!("search/r/{n}.bin"), f));
    }
    out.push(OutputFile::new("search/loc.bin", loc));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn keys_cover_unigrams_bigrams_and_masks() {
        let (words, grams) = doc_keys(&doc("/a/", "T", None, "量子コンピュータ"));
        let keys: HashMap<String, Hit> = words
            .into_iter()
            .chain(grams.into_iter().map(|(g, h)| (gram_key(g), h)))
            .collect();
        assert!(keys.contains_key("量"));
        assert!(keys.contains_key("タ"));
        assert!(keys["タグ"].title);
        let q = keys["量子"];
        assert!(q.bigram && !q.title);
        // "t\nタグ\n" is 5 characters, so 量 is at 5.
        assert_eq!(q.mask, 1 << 5);
        assert_eq!(keys["子コ"].mask, 1 << 6);
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
