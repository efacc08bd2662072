//! Posting lists: which documents hold each key (and where, for bigrams),
//! and their varint encoding (the layout is described in the parent module).

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use super::tokens::*;
use super::SearchDoc;

/// One index key of a document: whether it is in the head, whether it is a
/// bigram.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Hit {
    pub(super) title: bool,
    pub(super) bigram: bool,
}

/// The positions of a bigram in one document, encoded as they arrive
/// (ascending): the first as `pos + 1`, then gaps (never 0), as varints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct DocPositions {
    pub(super) bytes: Vec<u8>,
    pub(super) last: Option<u32>,
}

impl DocPositions {
    #[inline]
    pub(super) fn push(&mut self, pos: u32) {
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
pub(super) struct FxHasher(u64);

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
    pub(super) fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(super) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// A CJK key: a unigram `(c, '\0')` or a bigram `(c, d)`; no allocation.
pub(super) type Gram = (char, char);

pub(super) fn gram_key((a, b): Gram) -> String {
    let mut k = a.to_string();
    if b != '\0' {
        k.push(b);
    }
    k
}

/// Keys of a document: words whole; CJK runs as unigrams and bigrams (with
/// their encoded positions; empty for unigrams).
pub(super) type DocKeys = (Vec<(String, Hit)>, Vec<(Gram, Hit, Box<[u8]>)>);

/// The normalised text of a document into `out` (cleared first): title and
/// tags, then the body, each on its own line, without record separators.
/// Returns the length in characters of the head (title and tags, the
/// high-ranking part). A line break never attaches to what precedes it, so
/// normalising the head and then the rest is normalising the whole.
pub(super) fn doc_text(doc: &SearchDoc, out: &mut String) -> usize {
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
pub(super) trait KeySink<'t> {
    /// A word; `title`: in the head.
    fn word(&mut self, w: &'t str, title: bool);
    /// A unigram `(c, '\0')` or a bigram, at character `pos` of the text.
    fn gram(&mut self, g: Gram, title: bool, pos: u32);
}

/// Feeds the keys of a document's normalised text (`head_len` characters
/// of head) to `sink`: words whole, CJK runs as unigrams and bigrams.
pub(super) fn doc_tokens<'t>(text: &'t str, head_len: usize, sink: &mut impl KeySink<'t>) {
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
pub(super) struct KeySet<'t> {
    pub(super) words: FastMap<&'t str, Hit>,
    // CJK keys as (char, second char or '\0'): no allocation per occurrence.
    pub(super) grams: FastMap<Gram, (Hit, DocPositions)>,
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

pub(super) fn doc_keys(doc: &SearchDoc) -> DocKeys {
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
pub(super) struct Post {
    pub(super) ids: Vec<u32>,
    pub(super) title: Vec<u32>,
}

impl Post {
    /// Document `id` has the key. A document's occurrences all arrive before
    /// the next document's, so a repeat is the last id. True if `id` is new.
    #[inline]
    pub(super) fn add(&mut self, id: u32, title: bool) -> bool {
        let new = self.ids.last() != Some(&id);
        if new {
            self.ids.push(id);
        }
        if title && self.title.last() != Some(&id) {
            self.title.push(id);
        }
        new
    }
    pub(super) fn append(&mut self, mut later: Post) {
        self.ids.append(&mut later.ids);
        self.title.append(&mut later.title);
    }
}

/// A bigram's posting lists, with its positions in each document: the
/// documents' [`DocPositions`] in `docs` order, separated by a 0.
#[derive(Default)]
pub(super) struct BiPost {
    pub(super) post: Post,
    /// Positions of the documents before the current one, each followed by 0.
    pub(super) pos: Vec<u8>,
    /// Positions of the last document.
    pub(super) cur: DocPositions,
}

impl BiPost {
    /// The bigram at character `pos` of document `id`.
    #[inline]
    pub(super) fn add(&mut self, id: u32, title: bool, pos: u32) {
        if self.post.add(id, title) {
            self.next_doc();
        }
        self.cur.push(pos);
    }
    /// Document `id` with its encoded positions (from [`doc_keys`]).
    pub(super) fn add_encoded(&mut self, id: u32, title: bool, enc: &[u8]) {
        if self.post.add(id, title) {
            self.next_doc();
            self.cur.bytes.extend_from_slice(enc);
        }
    }
    /// A new document was added to `post`: close the previous one.
    pub(super) fn next_doc(&mut self) {
        if self.post.ids.len() >= 2 {
            self.close();
        }
    }
    pub(super) fn close(&mut self) {
        let done = std::mem::take(&mut self.cur);
        self.pos.extend(done.bytes);
        self.pos.push(0);
    }
    /// The lists, ready to write.
    pub(super) fn finish(mut self) -> (Post, Vec<u8>) {
        let done = std::mem::take(&mut self.cur);
        self.pos.extend(done.bytes);
        (self.post, self.pos)
    }
    pub(super) fn append(&mut self, later: BiPost) {
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
pub(super) struct Unigrams {
    /// `slot[c]` is 1 + the index of `c` in `posts` (0: not seen yet);
    /// 0x10000 entries, allocated (zeroed, so lazily) at the first one.
    pub(super) slot: Vec<u32>,
    pub(super) posts: Vec<(char, Post)>,
    pub(super) astral: FastMap<char, Post>,
}

impl Unigrams {
    const BMP: usize = 0x10000;

    #[inline]
    pub(super) fn get(&mut self, c: char) -> &mut Post {
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

    pub(super) fn len(&self) -> usize {
        self.posts.len() + self.astral.len()
    }

    pub(super) fn into_posts(self) -> impl Iterator<Item = (char, Post)> {
        self.posts.into_iter().chain(self.astral)
    }

    /// Append the lists of a later id range.
    pub(super) fn append(&mut self, later: Unigrams) {
        for (c, p) in later.into_posts() {
            self.get(c).append(p);
        }
    }
}

/// Posting lists of the documents with ids `first..end`, added in id order.
/// Keys cost no allocation, except a word's first occurrence.
pub(super) struct Postings {
    pub(super) first: u32,
    pub(super) end: u32,
    pub(super) words: FastMap<Box<str>, Post>,
    pub(super) unigrams: Unigrams,
    pub(super) bigrams: FastMap<Gram, BiPost>,
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
    pub(super) fn new(first: u32) -> Self {
        Postings {
            first,
            end: first,
            words: FastMap::default(),
            unigrams: Unigrams::default(),
            bigrams: FastMap::default(),
        }
    }
    /// Adds the next document, tokenising it; `text` is scratch space.
    pub(super) fn add_doc(&mut self, doc: &SearchDoc, text: &mut String) {
        let head_len = doc_text(doc, text);
        self.end += 1;
        doc_tokens(text, head_len, self);
    }
    /// Adds the next document from its keys.
    pub(super) fn add_keys(&mut self, (words, grams): &DocKeys) {
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
    pub(super) fn merge(a: Postings, b: Postings) -> Postings {
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

pub(super) fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(super) fn encode_ids(ids: &[u32]) -> Vec<u8> {
    let mut out = Vec::new();
    push_varint(&mut out, ids.len() as u32);
    let mut prev = 0;
    for (i, &id) in ids.iter().enumerate() {
        push_varint(&mut out, if i == 0 { id } else { id - prev });
        prev = id;
    }
    out
}

pub(super) fn varint_len(v: u32) -> usize {
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
pub(super) fn encode_docs(ids: &[u32]) -> Vec<u8> {
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
