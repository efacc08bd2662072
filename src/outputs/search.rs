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

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::core::output::OutputFile;
use crate::core::text::stable;

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
    // Fast path (same result): nothing below U+0300 is a mark, nor kana or
    // kanji; the table lookup is only for the rest.
    match c {
        '\0'..='\u{2ff}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30a0}'..='\u{30fe}'
        | '\u{4e00}'..='\u{9fff}' => false,
        _ => attaches_slow(c),
    }
}

fn attaches_slow(c: char) -> bool {
    is_combining_mark(c) || matches!(c, '\u{ff9e}' | '\u{ff9f}' | '\u{1160}'..='\u{11ff}')
}

/// Normalises one unit: NFKC, then full lower-casing.
fn normalize_unit(u: &str) -> String {
    u.nfkc().collect::<String>().to_lowercase()
}

/// NFKC + lower case, unit by unit (see the module docs). The browser does
/// the same with `unit.normalize('NFKC').toLowerCase()`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(&mut out, s, false);
    out
}

/// True if the character at byte `i` of `s` attaches to the one before.
#[inline]
fn attached_at(s: &str, i: usize) -> bool {
    // Below U+0300 (lead byte 0xCC) nothing attaches.
    s.as_bytes().get(i).is_some_and(|&b| b >= 0xcc)
        && s.get(i..)
            .and_then(|t| t.chars().next())
            .is_some_and(attaches)
}

/// A character that is a unit by itself whatever follows it (nothing
/// attaches to it, it attaches to nothing) and that normalises to itself up
/// to ASCII case: ASCII (with `clean`, not a record separator) and the
/// kana/kanji of [`stable`] except the marks U+302A–302F.
#[inline]
fn simple(c: char, clean: bool) -> bool {
    match c {
        '\u{1d}'..='\u{1f}' => !clean,
        '\0'..='\u{7f}' => true,
        '\u{302a}'..='\u{302f}' => false,
        _ => stable(c),
    }
}

/// Appends [`normalize`] of `s` to `out`; with `clean`, record separators
/// become spaces first. Runs of [`simple`] characters are copied whole and
/// lower-cased in place; the units between them go through
/// [`normalize_unit`] (or the single-character fast paths).
fn normalize_into(out: &mut String, s: &str, clean: bool) {
    let map = |c: char| if clean { clean_char(c) } else { c };
    let mut rest = s;
    while !rest.is_empty() {
        let mut chars = rest.char_indices();
        // The simple run, then the first unit after it.
        let (mut start, first) = match chars.find(|&(_, c)| !simple(c, clean)) {
            None => (rest.len(), None),
            Some((n, c)) => (n, Some(c)),
        };
        if first.is_some_and(attaches) {
            // It joins the unit of the run's last character, if any.
            start = rest[..start]
                .char_indices()
                .next_back()
                .map_or(0, |(k, _)| k);
        }
        push_lower(out, rest.get(..start).unwrap_or_default());
        let tail = rest.get(start..).unwrap_or_default();
        let mut unit = tail.chars();
        let Some(c) = unit.next() else {
            break;
        };
        let mut end = c.len_utf8();
        for d in unit.take_while(|&d| attaches(d)) {
            end += d.len_utf8();
        }
        let m = map(c);
        if end > c.len_utf8() {
            let u: String = tail
                .get(..end)
                .unwrap_or_default()
                .chars()
                .map(map)
                .collect();
            out.push_str(&normalize_unit(&u));
        } else if m.is_ascii() {
            out.push(m.to_ascii_lowercase());
        } else if stable(m) {
            out.push(m);
        } else {
            out.push_str(&normalize_unit(m.encode_utf8(&mut [0; 4])));
        }
        rest = tail.get(end..).unwrap_or_default();
    }
}

/// Appends `run` to `out`, ASCII lower-cased.
fn push_lower(out: &mut String, run: &str) {
    let start = out.len();
    out.push_str(run);
    if let Some(t) = out.get_mut(start..) {
        t.make_ascii_lowercase();
    }
}

/// Appends [`normalize`] of `sep` followed by `s` (cleaned), where nothing
/// attaches to what precedes `sep`.
fn normalize_after(out: &mut String, sep: char, s: &str) {
    if attached_at(s, 0) {
        // Rare: `s` starts with marks, which join `sep`'s unit.
        let mut end = 0;
        while attached_at(s, end) {
            end += s[end..].chars().next().map_or(1, char::len_utf8);
        }
        let mut unit = String::from(sep);
        unit.push_str(s.get(..end).unwrap_or_default());
        out.push_str(&normalize_unit(&unit));
        normalize_into(out, s.get(end..).unwrap_or_default(), true);
    } else {
        out.push(sep.to_ascii_lowercase());
        normalize_into(out, s, true);
    }
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

/// What a character is in a token: CJK, word, or neither (a separator).
fn char_kind_slow(c: char) -> Option<TokenKind> {
    if is_cjk(c) {
        Some(TokenKind::Cjk)
    } else if is_word(c) {
        Some(TokenKind::Word)
    } else {
        None
    }
}

/// [`char_kind_slow`], from a table for the BMP (the Unicode property
/// lookups were a good part of tokenising).
#[inline]
fn char_kind(c: char) -> Option<TokenKind> {
    static BMP: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let table = BMP.get_or_init(|| {
        (0..=0xffff_u32)
            .map(|u| match char::from_u32(u).and_then(char_kind_slow) {
                None => 0,
                Some(TokenKind::Word) => 1,
                Some(TokenKind::Cjk) => 2,
            })
            .collect()
    });
    match table.get(c as usize) {
        Some(0) => None,
        Some(1) => Some(TokenKind::Word),
        Some(_) => Some(TokenKind::Cjk),
        None => char_kind_slow(c),
    }
}

/// Splits already normalised text into words and CJK runs; everything else
/// (spaces, punctuation such as `・`, `、`, `。`) separates them.
fn tokenize_normalized(n: &str) -> Vec<Token> {
    let mut out = Vec::new();
    scan(n, |kind, text, pos| {
        out.push(Token {
            text: text.to_string(),
            kind,
            pos,
        })
    });
    out
}

/// The tokens of normalised text as slices of it: `f(kind, text, pos)`,
/// `pos` counted in characters. A token is a maximal run of one kind.
fn scan<'t>(n: &'t str, mut f: impl FnMut(TokenKind, &'t str, usize)) {
    let mut kind: Option<TokenKind> = None;
    let mut start = 0;
    let mut start_byte = 0;
    for (i, (b, c)) in n.char_indices().enumerate() {
        let k = char_kind(c);
        if k != kind {
            if let Some(kd) = kind {
                f(kd, &n[start_byte..b], start);
            }
            kind = k;
            start = i;
            start_byte = b;
        }
    }
    if let Some(kd) = kind {
        f(kd, &n[start_byte..], start);
    }
}

/// Normalises `s` and splits it into words and CJK runs, with their
/// positions in the normalised text. The query side uses the same function
/// (mirrored in search.js), so `新幹線` is cut the same way on both sides.
pub fn tokenize(s: &str) -> Vec<Token> {
    tokenize_normalized(&normalize(s))
}

/// One index key of a document: whether it is in the head, whether it is a
/// bigram.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Hit {
    title: bool,
    bigram: bool,
}

/// The positions of a bigram in one document, encoded as they arrive
/// (ascending): the first as `pos + 1`, then gaps (never 0), as varints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct DocPositions {
    bytes: Vec<u8>,
    last: Option<u32>,
}

impl DocPositions {
    #[inline]
    fn push(&mut self, pos: u32) {
        match self.last {
            None => push_varint(&mut self.bytes, pos + 1),
            Some(l) if pos > l => push_varint(&mut self.bytes, pos - l),
            Some(_) => return, // not ascending: cannot happen, never write a 0
        }
        self.last = Some(pos);
    }
}

/// Multiply-rotate hashing (the FxHash of rustc) for the index's own maps:
/// keys are short and trusted (our own text), SipHash was a fifth of the
/// whole build's instructions. Iteration order never reaches the output
/// (keys are sorted before encoding).
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// A CJK key: a unigram `(c, '\0')` or a bigram `(c, d)`; no allocation.
type Gram = (char, char);

fn gram_key((a, b): Gram) -> String {
    let mut k = a.to_string();
    if b != '\0' {
        k.push(b);
    }
    k
}

/// Keys of a document: words whole; CJK runs as unigrams and bigrams (with
/// their encoded positions; empty for unigrams).
type DocKeys = (Vec<(String, Hit)>, Vec<(Gram, Hit, Box<[u8]>)>);

/// Field character without the record separators.
fn clean_char(c: char) -> char {
    if matches!(c, '\u{1d}'..='\u{1f}') {
        ' '
    } else {
        c
    }
}

/// The normalised text of a document into `out` (cleared first): title and
/// tags, then the body, each on its own line, without record separators.
/// Returns the length in characters of the head (title and tags, the
/// high-ranking part). A line break never attaches to what precedes it, so
/// normalising the head and then the rest is normalising the whole.
fn doc_text(doc: &SearchDoc, out: &mut String) -> usize {
    out.clear();
    normalize_into(out, &doc.title, true);
    for t in &doc.tags {
        normalize_after(out, '\n', t);
    }
    let head_len = out.chars().count();
    normalize_after(out, '\n', &doc.body);
    head_len
}

/// Where the keys of a document go, occurrence by occurrence.
trait KeySink<'t> {
    /// A word; `title`: in the head.
    fn word(&mut self, w: &'t str, title: bool);
    /// A unigram `(c, '\0')` or a bigram, at character `pos` of the text.
    fn gram(&mut self, g: Gram, title: bool, pos: u32);
}

/// Feeds the keys of a document's normalised text (`head_len` characters
/// of head) to `sink`: words whole, CJK runs as unigrams and bigrams.
fn doc_tokens<'t>(text: &'t str, head_len: usize, sink: &mut impl KeySink<'t>) {
    scan(text, |kind, t, pos| {
        let title = pos < head_len;
        match kind {
            TokenKind::Word => sink.word(t, title),
            TokenKind::Cjk => {
                let mut chars = t.chars().peekable();
                let mut i = 0;
                while let Some(c) = chars.next() {
                    sink.gram((c, '\0'), title, (pos + i) as u32);
                    if let Some(&next) = chars.peek() {
                        sink.gram((c, next), title, (pos + i) as u32);
                    }
                    i += 1;
                }
            }
        }
    });
}

/// One document's keys, each once.
#[derive(Default)]
struct KeySet<'t> {
    words: FastMap<&'t str, Hit>,
    // CJK keys as (char, second char or '\0'): no allocation per occurrence.
    grams: FastMap<Gram, (Hit, DocPositions)>,
}

impl<'t> KeySink<'t> for KeySet<'t> {
    fn word(&mut self, w: &'t str, title: bool) {
        self.words.entry(w).or_default().title |= title;
    }
    fn gram(&mut self, g: Gram, title: bool, pos: u32) {
        let (h, p) = self.grams.entry(g).or_default();
        h.title |= title;
        if g.1 != '\0' {
            h.bigram = true;
            p.push(pos);
        }
    }
}

fn doc_keys(doc: &SearchDoc) -> DocKeys {
    let mut text = String::new();
    let head_len = doc_text(doc, &mut text);
    let mut set = KeySet::default();
    doc_tokens(&text, head_len, &mut set);
    (
        set.words
            .into_iter()
            .map(|(w, h)| (w.to_string(), h))
            .collect(),
        set.grams
            .into_iter()
            .map(|(g, (h, p))| (g, h, p.bytes.into_boxed_slice()))
            .collect(),
    )
}

/// The posting lists of one key while the index is built: document ids
/// ascending, and those where the key is in the head.
#[derive(Default)]
struct Post {
    ids: Vec<u32>,
    title: Vec<u32>,
}

impl Post {
    /// Document `id` has the key. A document's occurrences all arrive before
    /// the next document's, so a repeat is the last id. True if `id` is new.
    #[inline]
    fn add(&mut self, id: u32, title: bool) -> bool {
        let new = self.ids.last() != Some(&id);
        if new {
            self.ids.push(id);
        }
        if title && self.title.last() != Some(&id) {
            self.title.push(id);
        }
        new
    }
    fn append(&mut self, mut later: Post) {
        self.ids.append(&mut later.ids);
        self.title.append(&mut later.title);
    }
}

/// A bigram's posting lists, with its positions in each document: the
/// documents' [`DocPositions`] in `docs` order, separated by a 0.
#[derive(Default)]
struct BiPost {
    post: Post,
    /// Positions of the documents before the current one, each followed by 0.
    pos: Vec<u8>,
    /// Positions of the last document.
    cur: DocPositions,
}

impl BiPost {
    /// The bigram at character `pos` of document `id`.
    #[inline]
    fn add(&mut self, id: u32, title: bool, pos: u32) {
        if self.post.add(id, title) {
            self.next_doc();
        }
        self.cur.push(pos);
    }
    /// Document `id` with its encoded positions (from [`doc_keys`]).
    fn add_encoded(&mut self, id: u32, title: bool, enc: &[u8]) {
        if self.post.add(id, title) {
            self.next_doc();
            self.cur.bytes.extend_from_slice(enc);
        }
    }
    /// A new document was added to `post`: close the previous one.
    fn next_doc(&mut self) {
        if self.post.ids.len() >= 2 {
            self.close();
        }
    }
    fn close(&mut self) {
        let done = std::mem::take(&mut self.cur);
        self.pos.extend(done.bytes);
        self.pos.push(0);
    }
    /// The lists, ready to write.
    fn finish(mut self) -> (Post, Vec<u8>) {
        let done = std::mem::take(&mut self.cur);
        self.pos.extend(done.bytes);
        (self.post, self.pos)
    }
    fn append(&mut self, later: BiPost) {
        let (post, pos) = later.finish();
        if post.ids.is_empty() {
            return;
        }
        if !self.post.ids.is_empty() {
            self.close();
        }
        self.post.append(post);
        self.cur.bytes = pos;
        self.cur.last = None;
    }
}

/// Unigram posting lists by character: a direct table for the BMP (one
/// array access per CJK character instead of a hash lookup), a map for the
/// rest.
#[derive(Default)]
struct Unigrams {
    /// `slot[c]` is 1 + the index of `c` in `posts` (0: not seen yet);
    /// 0x10000 entries, allocated (zeroed, so lazily) at the first one.
    slot: Vec<u32>,
    posts: Vec<(char, Post)>,
    astral: FastMap<char, Post>,
}

impl Unigrams {
    const BMP: usize = 0x10000;

    #[inline]
    fn get(&mut self, c: char) -> &mut Post {
        let u = c as usize;
        if u >= Self::BMP {
            return self.astral.entry(c).or_default();
        }
        if self.slot.is_empty() {
            self.slot = vec![0; Self::BMP];
        }
        let i = match self.slot.get(u) {
            Some(&s) if s > 0 => s as usize - 1,
            _ => {
                self.posts.push((c, Post::default()));
                if let Some(s) = self.slot.get_mut(u) {
                    *s = self.posts.len() as u32;
                }
                self.posts.len() - 1
            }
        };
        &mut self.posts[i].1
    }

    fn len(&self) -> usize {
        self.posts.len() + self.astral.len()
    }

    fn into_posts(self) -> impl Iterator<Item = (char, Post)> {
        self.posts.into_iter().chain(self.astral)
    }

    /// Append the lists of a later id range.
    fn append(&mut self, later: Unigrams) {
        for (c, p) in later.into_posts() {
            self.get(c).append(p);
        }
    }
}

/// Posting lists of the documents with ids `first..end`, added in id order.
/// Keys cost no allocation, except a word's first occurrence.
struct Postings {
    first: u32,
    end: u32,
    words: FastMap<Box<str>, Post>,
    unigrams: Unigrams,
    bigrams: FastMap<Gram, BiPost>,
}

impl KeySink<'_> for Postings {
    #[inline]
    fn word(&mut self, w: &str, title: bool) {
        let id = self.end - 1;
        match self.words.get_mut(w) {
            Some(p) => {
                p.add(id, title);
            }
            None => {
                let mut p = Post::default();
                p.add(id, title);
                self.words.insert(w.into(), p);
            }
        }
    }
    #[inline]
    fn gram(&mut self, g: Gram, title: bool, pos: u32) {
        let id = self.end - 1;
        if g.1 == '\0' {
            self.unigrams.get(g.0).add(id, title);
        } else {
            self.bigrams.entry(g).or_default().add(id, title, pos);
        }
    }
}

impl Postings {
    fn new(first: u32) -> Self {
        Postings {
            first,
            end: first,
            words: FastMap::default(),
            unigrams: Unigrams::default(),
            bigrams: FastMap::default(),
        }
    }
    /// Adds the next document, tokenising it; `text` is scratch space.
    fn add_doc(&mut self, doc: &SearchDoc, text: &mut String) {
        let head_len = doc_text(doc, text);
        self.end += 1;
        doc_tokens(text, head_len, self);
    }
    /// Adds the next document from its keys.
    fn add_keys(&mut self, (words, grams): &DocKeys) {
        self.end += 1;
        for (w, h) in words {
            self.word(w, h.title);
        }
        let id = self.end - 1;
        for (g, h, pos) in grams {
            if g.1 == '\0' {
                self.unigrams.get(g.0).add(id, h.title);
            } else {
                self.bigrams
                    .entry(*g)
                    .or_default()
                    .add_encoded(id, h.title, pos);
            }
        }
    }
    /// The postings of two adjacent id ranges, in id order.
    fn merge(a: Postings, b: Postings) -> Postings {
        let (mut a, b) = if b.end == a.first { (b, a) } else { (a, b) };
        debug_assert_eq!(a.end, b.first);
        a.end = b.end;
        for (k, p) in b.words {
            match a.words.get_mut(&k) {
                Some(q) => q.append(p),
                None => {
                    a.words.insert(k, p);
                }
            }
        }
        a.unigrams.append(b.unigrams);
        for (k, p) in b.bigrams {
            match a.bigrams.entry(k) {
                Entry::Occupied(mut e) => e.get_mut().append(p),
                Entry::Vacant(e) => {
                    e.insert(p);
                }
            }
        }
        a
    }
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

/// A piece of a record: field text (written without record separators), or
/// a separator.
#[derive(Clone, Copy)]
enum Piece<'a> {
    Text(&'a str),
    Sep(char),
}

/// A document's record: url, kind, date, date_display, title, tags, body,
/// separated by [`FIELD_SEP`] (tags by [`TAG_SEP`]); `f` gets the pieces.
fn record_pieces<'a>(d: &'a SearchDoc, mut f: impl FnMut(Piece<'a>)) {
    use Piece::{Sep, Text};
    for s in [
        d.url.as_str(),
        &d.kind,
        d.date.as_deref().unwrap_or(""),
        d.date_display.as_deref().unwrap_or(""),
        &d.title,
    ] {
        f(Text(s));
        f(Sep(FIELD_SEP));
    }
    for (n, t) in d.tags.iter().enumerate() {
        if n > 0 {
            f(Sep(TAG_SEP));
        }
        f(Text(t));
    }
    f(Sep(FIELD_SEP));
    f(Text(&d.body));
}

/// Length in UTF-16 code units: one per character, two for those beyond
/// the BMP (4-byte UTF-8 sequences).
fn utf16_len(s: &str) -> usize {
    s.bytes()
        .map(|b| usize::from((b & 0xc0) != 0x80) + usize::from(b >= 0xf0))
        .sum()
}

/// Writes one UTF-16 code unit, little-endian, at byte `*at` of `dst`.
#[inline(always)]
fn put_unit(dst: &mut [u8], at: &mut usize, u: u16) {
    if let Some(d) = dst.get_mut(*at..*at + 2) {
        d[0] = u as u8;
        d[1] = (u >> 8) as u8;
    }
    *at += 2;
}

/// Writes `s` as UTF-16 LE at byte `*at` of `dst`, record separators as
/// spaces (the same length).
fn put_utf16(dst: &mut [u8], at: &mut usize, s: &str) {
    for c in s.chars() {
        let u = u32::from(clean_char(c));
        if let Ok(u) = u16::try_from(u) {
            put_unit(dst, at, u);
        } else {
            let v = u - 0x1_0000;
            put_unit(dst, at, 0xd800 | (v >> 10) as u16);
            put_unit(dst, at, 0xdc00 | (v & 0x3ff) as u16);
        }
    }
}

/// The record packs (records as UTF-16 LE, back to back) and the locator
/// file (pack, offset, length: u32 LE each, per document id). The layout is
/// computed first from the lengths, so that the packs are allocated once and
/// filled in parallel.
fn records(docs: &[SearchDoc], order: &[usize]) -> (Vec<Vec<u8>>, Vec<u8>) {
    let lens: Vec<usize> = order
        .par_iter()
        .map(|&i| {
            let mut n = 0;
            record_pieces(&docs[i], |p| match p {
                Piece::Text(s) => n += utf16_len(s),
                Piece::Sep(c) => n += c.len_utf16(),
            });
            2 * n
        })
        .collect();
    let mut sizes = vec![0usize];
    let mut packs = Vec::with_capacity(order.len());
    let mut loc = Vec::with_capacity(order.len() * 12);
    for &len in &lens {
        if sizes.last().is_some_and(|&s| s >= PACK_BYTES) {
            sizes.push(0);
        }
        let pack = sizes.len() - 1;
        let off = sizes[pack];
        sizes[pack] += len;
        packs.push(pack);
        for v in [pack, off, len] {
            loc.extend_from_slice(&(v as u32).to_le_bytes());
        }
    }
    let mut files: Vec<Vec<u8>> = sizes.iter().map(|&s| vec![0; s]).collect();
    let mut rest: Vec<&mut [u8]> = files.iter_mut().map(Vec::as_mut_slice).collect();
    let mut slots: Vec<&mut [u8]> = Vec::with_capacity(order.len());
    for (&pack, &len) in packs.iter().zip(&lens) {
        let r = std::mem::take(&mut rest[pack]);
        let (slot, r) = r.split_at_mut(len.min(r.len()));
        rest[pack] = r;
        slots.push(slot);
    }
    slots
        .into_par_iter()
        .zip(order.par_iter())
        .for_each(|(slot, &i)| {
            let mut at = 0;
            record_pieces(&docs[i], |p| match p {
                Piece::Text(s) => put_utf16(slot, &mut at, s),
                Piece::Sep(c) => put_unit(slot, &mut at, c as u16),
            });
        });
    (files, loc)
}

#[cfg(test)]
mod tests {
    use super::*;

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
