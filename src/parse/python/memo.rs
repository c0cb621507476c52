//! Chunks already analysed, by their exact text, so that a statement met
//! again (in the next version of a file, or copied into another file) is
//! not parsed again. One memo serves every analysis thread of the process
//! ([`shared`]): facts are a function of the key alone, so whichever thread
//! analysed a chunk first, the others get the same facts. Bounded: entries
//! live in two generations; when the young one holds [`Memo::BUDGET`]
//! bytes of text, the old one is dropped and the young one takes its
//! place, and an entry found in the old one moves to the young one.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard};

use foldhash::fast::FixedState;

use super::chunk::Chunk;

/// Bytes of Python met and bytes parsed, since the process started (what
/// the memo saves, for `--stats`).
static MET: AtomicU64 = AtomicU64::new(0);
static PARSED: AtomicU64 = AtomicU64::new(0);

/// Counts `met` bytes of Python, of which `parsed` were parsed.
pub(super) fn count(met: usize, parsed: usize) {
    let bytes = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    MET.fetch_add(bytes(met), Ordering::Relaxed);
    PARSED.fetch_add(bytes(parsed), Ordering::Relaxed);
}

/// Bytes of Python met, and of them parsed, since the process started.
pub fn python_bytes() -> (u64, u64) {
    (MET.load(Ordering::Relaxed), PARSED.load(Ordering::Relaxed))
}

/// The memo of every analysis thread.
pub(super) fn shared() -> MutexGuard<'static, Memo<Chunk>> {
    static MEMO: LazyLock<Mutex<Memo<Chunk>>> = LazyLock::new(Mutex::default);
    // A panic elsewhere while the lock was held leaves a usable memo.
    MEMO.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Drops what the memo holds, when no more Python is to be analysed for a
/// while: its memory goes to what comes next.
pub fn forget() {
    *shared() = Memo::default();
}

/// What a chunk's analysis depends on besides its file: how it was cut
/// and analysed (`kind`: a top-level statement, …, and the analysis
/// options; `context`: what the cut kept of the statements around it) and
/// its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Key<'a> {
    pub kind: u8,
    pub context: &'a str,
    pub text: &'a str,
}

struct Entry<T> {
    kind: u8,
    context: Box<str>,
    text: Box<str>,
    value: Arc<T>,
}

impl<T> Entry<T> {
    fn is(&self, key: &Key) -> bool {
        self.kind == key.kind && *self.context == *key.context && *self.text == *key.text
    }
}

/// What one analysis thread remembers (its chunks).
pub(super) struct Memo<T> {
    young: HashMap<u64, Entry<T>, FixedState>,
    old: HashMap<u64, Entry<T>, FixedState>,
    /// Text bytes held by `young`.
    young_bytes: usize,
    hasher: FixedState,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo {
            young: HashMap::default(),
            old: HashMap::default(),
            young_bytes: 0,
            hasher: FixedState::with_seed(0x6d6c_7363_616e),
        }
    }
}

impl<T> Memo<T> {
    /// Text bytes per generation.
    const BUDGET: usize = 8 << 20;

    pub(super) fn get(&mut self, key: &Key) -> Option<Arc<T>> {
        let hash = self.hasher.hash_one(key);
        if let Some(entry) = self.young.get(&hash).filter(|e| e.is(key)) {
            return Some(Arc::clone(&entry.value));
        }
        let entry = self.old.remove(&hash).filter(|e| e.is(key))?;
        let value = Arc::clone(&entry.value);
        self.insert(hash, entry);
        Some(value)
    }

    pub(super) fn put(&mut self, key: &Key, value: Arc<T>) {
        let hash = self.hasher.hash_one(key);
        let entry = Entry {
            kind: key.kind,
            context: key.context.into(),
            text: key.text.into(),
            value,
        };
        self.insert(hash, entry);
    }

    fn insert(&mut self, hash: u64, entry: Entry<T>) {
        if self.young_bytes >= Self::BUDGET {
            self.old = std::mem::take(&mut self.young);
            self.young_bytes = 0;
        }
        self.young_bytes += entry.context.len() + entry.text.len();
        if let Some(replaced) = self.young.insert(hash, entry) {
            self.young_bytes -= replaced.context.len() + replaced.text.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kind: u8, context: &'static str, text: &'static str) -> Key<'static> {
        Key {
            kind,
            context,
            text,
        }
    }

    #[test]
    fn remembers_by_exact_key() {
        let mut memo = Memo::default();
        memo.put(&key(0, "", "x = 1\n"), Arc::new(1));
        memo.put(&key(2, "A", "x = 1\n"), Arc::new(2));
        assert_eq!(memo.get(&key(0, "", "x = 1\n")).as_deref(), Some(&1));
        assert_eq!(memo.get(&key(2, "A", "x = 1\n")).as_deref(), Some(&2));
        assert_eq!(memo.get(&key(2, "B", "x = 1\n")), None);
        assert_eq!(memo.get(&key(0, "", "x = 2\n")), None);
    }

    #[test]
    fn forget_empties_the_shared_memo() {
        let text = "forget_empties_the_shared_memo = 1\n";
        let chunk = Arc::new(Chunk {
            placed: super::super::chunk::Placed {
                facts: super::super::gave_up(),
                hydra: Vec::new(),
                unsettled: Default::default(),
            },
            imports_hydra: false,
            module_decisions: 0,
            blocks_total: 0,
            halstead: Default::default(),
            reads: Vec::new(),
            wrapper_class: None,
            wrapper_function: None,
            body_counts: None,
        });
        shared().put(&key(0, "", text), chunk);
        assert!(shared().get(&key(0, "", text)).is_some());
        forget();
        assert!(shared().get(&key(0, "", text)).is_none());
    }

    #[test]
    fn forgets_what_two_generations_did_not_use() {
        let mut memo = Memo::default();
        let big: &'static str = "x".repeat(Memo::<u8>::BUDGET).leak();
        memo.put(&key(0, "", "kept"), Arc::new(1u8));
        memo.put(&key(0, "", "dropped"), Arc::new(2u8));
        // The young generation is full: the next entry starts a new one.
        memo.put(&key(0, "", big), Arc::new(3u8));
        memo.put(&key(0, "", "new"), Arc::new(4u8));
        // Found in the old generation: moved to the young one.
        assert_eq!(memo.get(&key(0, "", "kept")).as_deref(), Some(&1));
        memo.put(&key(0, "", big), Arc::new(3u8));
        memo.put(&key(0, "", "newer"), Arc::new(5u8));
        assert_eq!(memo.get(&key(0, "", "kept")).as_deref(), Some(&1));
        assert_eq!(memo.get(&key(0, "", "dropped")), None);
    }
}
