//! Document records: the fields a result shows, as UTF-16 packed records
//! with a fixed-size locator per document.

use rayon::prelude::*;

use super::tokens::clean_char;
use super::{SearchDoc, FIELD_SEP, PACK_BYTES, TAG_SEP};

/// A piece of a record: field text (written without record separators), or
/// a separator.
#[derive(Clone, Copy)]
pub(super) enum Piece<'a> {
    Text(&'a str),
    Sep(char),
}

/// A document's record: url, kind, date, date_display, title, tags, body,
/// separated by [`FIELD_SEP`] (tags by [`TAG_SEP`]); `f` gets the pieces.
pub(super) fn record_pieces<'a>(d: &'a SearchDoc, mut f: impl FnMut(Piece<'a>)) {
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
pub(super) fn utf16_len(s: &str) -> usize {
    s.bytes()
        .map(|b| usize::from((b & 0xc0) != 0x80) + usize::from(b >= 0xf0))
        .sum()
}

/// Writes one UTF-16 code unit, little-endian, at byte `*at` of `dst`.
#[inline(always)]
pub(super) fn put_unit(dst: &mut [u8], at: &mut usize, u: u16) {
    if let Some(d) = dst.get_mut(*at..*at + 2) {
        d[0] = u as u8;
        d[1] = (u >> 8) as u8;
    }
    *at += 2;
}

/// Writes `s` as UTF-16 LE at byte `*at` of `dst`, record separators as
/// spaces (the same length).
pub(super) fn put_utf16(dst: &mut [u8], at: &mut usize, s: &str) {
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
pub(super) fn records(docs: &[SearchDoc], order: &[usize]) -> (Vec<Vec<u8>>, Vec<u8>) {
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
