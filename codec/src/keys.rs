//! The duplicate-key check of the decoders that write a tape: each object's keys so far, on
//! one stack shared by every object open, compared one by one while an object has few and
//! through an ordered set once it has many, so that large objects stay linear-logarithmic.

use std::collections::BTreeSet;

use exev::tape::{TapeBuilder, TextSpan, fingerprint_of_bytes};

/// Objects with more keys than this check duplicates in a set rather than one by one.
const LINEAR_KEY_CHECK: usize = 32;

/// The keys of every object open, outermost first, each with its
/// [`fingerprint`](exev::tape::fingerprint).
pub(crate) struct OpenKeys {
    keys: Vec<(TextSpan, u64)>,
    /// The sets of the objects open past [`LINEAR_KEY_CHECK`] keys, innermost last. Objects
    /// are filled innermost first, so the object taking a key is the last set's when it has
    /// one. Kept here rather than in each [`ObjectKeys`], which a decoder's frame holds and
    /// moves as containers open and close: one word and a flag per object instead of four words
    /// (CBOR decode −4.1 to −4.5 % in instructions).
    sets: Vec<BTreeSet<String>>,
}

impl Default for OpenKeys {
    /// Room for the keys open in an ordinary event (an event's members, a block's, a
    /// representation's), reserved once so that the stack does not grow key by key; none for
    /// the sets, which an ordinary event does not need.
    fn default() -> OpenKeys {
        OpenKeys {
            keys: Vec::with_capacity(LINEAR_KEY_CHECK),
            sets: Vec::new(),
        }
    }
}

/// One open object's share of [`OpenKeys`].
pub(crate) struct ObjectKeys {
    /// Where its keys begin on [`OpenKeys`]' stack.
    first: usize,
    /// Whether it is past [`LINEAR_KEY_CHECK`] keys, with its keys in the last of
    /// [`OpenKeys`]' sets.
    in_set: bool,
}

impl OpenKeys {
    /// The keys of an object opening now.
    pub(crate) fn open(&self) -> ObjectKeys {
        ObjectKeys {
            first: self.keys.len(),
            in_set: false,
        }
    }

    /// Adds `key` (written on `tape`) to `object`'s keys; `false` when it is there already.
    /// The check of an object of few keys is inline: it runs for every key of every input.
    #[inline(always)]
    pub(crate) fn insert(
        &mut self,
        object: &mut ObjectKeys,
        tape: &TapeBuilder,
        key: TextSpan,
    ) -> bool {
        let bytes = tape.bytes_of(key);
        let print = fingerprint_of_bytes(bytes);
        let earlier = self.keys.get(object.first..).unwrap_or_default();
        if object.in_set || earlier.len() >= LINEAR_KEY_CHECK {
            return self.insert_into_set(object, tape, key, print);
        }
        let fresh = !earlier
            .iter()
            .any(|(k, p)| *p == print && tape.bytes_of(*k) == bytes);
        if fresh {
            self.keys.push((key, print));
        }
        fresh
    }

    /// [`OpenKeys::insert`] for an object past [`LINEAR_KEY_CHECK`] keys: through its set,
    /// made of its keys so far the first time.
    #[inline(never)]
    fn insert_into_set(
        &mut self,
        object: &mut ObjectKeys,
        tape: &TapeBuilder,
        key: TextSpan,
        print: u64,
    ) -> bool {
        let text = tape.text_of(key).to_owned();
        let fresh = match self.sets.last_mut() {
            Some(set) if object.in_set => set.insert(text),
            // The first time: the set is made of the keys on the stack, all of them.
            _ => {
                let earlier = self.keys.get(object.first..).unwrap_or_default();
                let mut set: BTreeSet<String> = earlier
                    .iter()
                    .map(|(k, _)| tape.text_of(*k).to_owned())
                    .collect();
                let fresh = set.insert(text);
                self.sets.push(set);
                object.in_set = true;
                fresh
            }
        };
        if fresh {
            self.keys.push((key, print));
        }
        fresh
    }

    /// Whether `object` has `key` among its keys already (without adding it).
    pub(crate) fn contains(&self, object: &ObjectKeys, tape: &TapeBuilder, key: &[u8]) -> bool {
        match self.sets.last() {
            Some(set) if object.in_set => std::str::from_utf8(key).is_ok_and(|k| set.contains(k)),
            _ => {
                let print = fingerprint_of_bytes(key);
                self.keys
                    .get(object.first..)
                    .unwrap_or_default()
                    .iter()
                    .any(|(k, p)| *p == print && tape.bytes_of(*k) == key)
            }
        }
    }

    /// Forgets the keys of `object`, now closed.
    pub(crate) fn close(&mut self, object: &ObjectKeys) {
        self.keys.truncate(object.first);
        if object.in_set {
            self.sets.pop();
        }
    }
}
