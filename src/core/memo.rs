//! Hashing for cache keys and a one-value memo cell: what `site`'s load
//! caches and `pipeline`'s render caches are made of.

use std::hash::{Hash, Hasher};

/// Hash JSON (or anything serialisable) without building the string.
pub fn hash_json<H: Hasher>(h: &mut H, v: &impl serde::Serialize) {
    /// `io::Write` into a hasher.
    struct HashWriter<'a, H: Hasher>(&'a mut H);

    impl<H: Hasher> std::io::Write for HashWriter<'_, H> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    // Writing into a hasher cannot fail; a serialisation error (never for
    // serde_json::Value) would only make the key differ, i.e. re-render.
    let _ = serde_json::to_writer(HashWriter(h), v);
    h.write_u8(0xff);
}

/// `key` for what also depends on "now" (calendars: `DTSTAMP`, past events).
pub fn with_now(key: u64, now: &jiff::Zoned) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (key, now.to_string()).hash(&mut h);
    h.finish()
}

/// One value and the key it was made for.
pub struct Keyed<T>(pub(crate) Option<(u64, T)>);

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed(None)
    }
}

impl<T: Clone> Keyed<T> {
    /// The key of the kept value.
    pub fn key(&self) -> Option<u64> {
        self.0.as_ref().map(|(k, _)| *k)
    }

    /// The kept value if made for `key`, else `make()` (kept).
    pub fn get(&mut self, key: u64, make: impl FnOnce() -> T) -> T {
        match &self.0 {
            Some((k, v)) if *k == key => v.clone(),
            _ => {
                let v = make();
                self.0 = Some((key, v.clone()));
                v
            }
        }
    }
}
