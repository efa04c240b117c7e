//! The answer of a re-screen for each distinct name met, looked up once for every name
//! of every order (three million look-ups for a million orders, almost all of them
//! for a name already answered).
//!
//! A hash map of boxed keys costs three cache misses a look-up once it outgrows the
//! cache (its control bytes, its slot, the key's box), and with a hundred thousand
//! names it does: those misses were a sixth of a re-screen. Here a slot holds the whole
//! key beside its hash and answer, in one cache line, so a look-up costs one miss;
//! the few keys too long for a slot go to an ordinary map.

use rustc_hash::FxHashMap;
use std::hash::Hasher;

/// Key bytes a slot holds.
const INLINE: usize = 54;

/// One cache line: the key's hash, its length (0: the slot is free), the answer and
/// the key itself.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    hash: u64,
    len: u8,
    found: bool,
    key: [u8; INLINE],
}

const FREE: Slot = Slot {
    hash: 0,
    len: 0,
    found: false,
    key: [0; INLINE],
};

/// Answers by key, exact: two keys share an answer only when their bytes are equal.
pub(super) struct Answers {
    /// Open addressing with linear probing; a power of two long, at most half full.
    slots: Vec<Slot>,
    filled: usize,
    long: FxHashMap<Box<[u8]>, bool>,
}

impl Default for Answers {
    fn default() -> Self {
        Answers {
            slots: vec![FREE; 1 << 12],
            filled: 0,
            long: FxHashMap::default(),
        }
    }
}

fn hash_of(key: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(key);
    h.finish()
}

impl Answers {
    /// The answer filed for `key`.
    pub fn get(&self, key: &[u8]) -> Option<bool> {
        if key.is_empty() || key.len() > INLINE {
            return self.long.get(key).copied();
        }
        let hash = hash_of(key);
        let mask = self.slots.len() - 1;
        let mut at = (hash as usize) & mask;
        loop {
            let slot = self.slots.get(at)?;
            if slot.len == 0 {
                return None;
            }
            if slot.hash == hash && slot.key.get(..usize::from(slot.len)) == Some(key) {
                return Some(slot.found);
            }
            at = (at + 1) & mask;
        }
    }

    /// Files `found` for `key` (replacing an answer filed before).
    pub fn insert(&mut self, key: &[u8], found: bool) {
        let Ok(len) = u8::try_from(key.len()) else {
            self.long.insert(Box::from(key), found);
            return;
        };
        if key.is_empty() || key.len() > INLINE {
            self.long.insert(Box::from(key), found);
            return;
        }
        if 2 * (self.filled + 1) > self.slots.len() {
            self.grow();
        }
        let hash = hash_of(key);
        let mut slot = FREE;
        slot.hash = hash;
        slot.len = len;
        slot.found = found;
        slot.key[..key.len()].copy_from_slice(key);
        if self.place(slot) {
            self.filled += 1;
        }
    }

    /// Puts `new` in its slot: a free one (true) or the one of the same key.
    fn place(&mut self, new: Slot) -> bool {
        let mask = self.slots.len() - 1;
        let mut at = (new.hash as usize) & mask;
        let len = usize::from(new.len);
        loop {
            let Some(slot) = self.slots.get_mut(at) else {
                return false;
            };
            if slot.len == 0 {
                *slot = new;
                return true;
            }
            if slot.hash == new.hash && slot.len == new.len && slot.key[..len] == new.key[..len] {
                slot.found = new.found;
                return false;
            }
            at = (at + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let bigger = vec![FREE; 2 * self.slots.len()];
        let old = std::mem::replace(&mut self.slots, bigger);
        for slot in old.into_iter().filter(|s| s.len != 0) {
            self.place(slot);
        }
    }

    /// Answers filed.
    pub fn len(&self) -> usize {
        self.filled + self.long.len()
    }

    /// Forgets every answer.
    pub fn clear(&mut self) {
        *self = Answers::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_by_exact_key_through_growth() {
        let mut a = Answers::default();
        let key = |k: usize| format!("name {k}").into_bytes();
        for k in 0..10_000 {
            a.insert(&key(k), k % 3 == 0);
        }
        let long = vec![b'x'; 200];
        a.insert(&long, true);
        a.insert(&key(7), true);
        assert_eq!(a.len(), 10_001);
        for k in 0..10_000 {
            assert_eq!(a.get(&key(k)), Some(k % 3 == 0 || k == 7), "{k}");
        }
        assert_eq!(a.get(&long), Some(true));
        assert_eq!(a.get(&long[1..]), None);
        assert_eq!(a.get(b"name 10000"), None);
        assert_eq!(a.get(b"name 1"), Some(false));
        assert_eq!(a.get(b"name "), None);
        a.clear();
        assert_eq!((a.len(), a.get(&key(3))), (0, None));
    }
}
