//! Dotted config keys matched as the lineage matches them.

use foldhash::{HashMap, HashMapExt};

/// Dotted keys, each with what first brought it, queried as the lineage
/// matches keys (equal, or one a dotted prefix of the other), in time
/// linear in the queried key.
pub(super) struct KeyIndex<'a, T> {
    exact: HashMap<&'a str, T>,
    /// Proper dotted prefixes of the keys.
    above: HashMap<&'a str, T>,
}

impl<'a, T: Copy> KeyIndex<'a, T> {
    pub(super) fn new(keys: impl IntoIterator<Item = (&'a str, T)>) -> Self {
        let mut index = KeyIndex {
            exact: HashMap::new(),
            above: HashMap::new(),
        };
        for (key, value) in keys {
            index.exact.entry(key).or_insert(value);
            for (i, _) in key.match_indices('.') {
                index.above.entry(&key[..i]).or_insert(value);
            }
        }
        index
    }

    /// What brought a key matching `key`: equal to it, above it or under it.
    pub(super) fn matching(&self, key: &str) -> Option<T> {
        key.match_indices('.')
            .map(|(i, _)| &key[..i])
            .chain(std::iter::once(key))
            .find_map(|k| self.exact.get(k))
            .or_else(|| self.above.get(key))
            .copied()
    }
}

/// A dotted key and each of its tails (`a.b.c`, `b.c`, `c`): a read of
/// `b.c` may be of `a.b.c` through an alias (`p = cfg.a; p.b.c`), or under
/// a Hydra `@package` the file does not tell.
pub(super) fn suffixes(key: &str) -> impl Iterator<Item = &str> {
    std::iter::once(key).chain(key.match_indices('.').map(|(i, _)| &key[i + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_equal_above_and_under() {
        let index = KeyIndex::new([("train.lr", 1), ("model", 2), ("a.b.c", 3)]);
        assert_eq!(index.matching("train.lr"), Some(1));
        assert_eq!(index.matching("train"), Some(1));
        assert_eq!(index.matching("train.lr.x"), Some(1));
        assert_eq!(index.matching("model.depth"), Some(2));
        assert_eq!(index.matching("a.b"), Some(3));
        assert_eq!(index.matching("trainer"), None);
        assert_eq!(index.matching("train.l"), None);
        assert_eq!(index.matching("a.b.cd"), None);
    }

    #[test]
    fn key_tails() {
        assert_eq!(suffixes("a.b.c").collect::<Vec<_>>(), ["a.b.c", "b.c", "c"]);
        assert_eq!(suffixes("a").collect::<Vec<_>>(), ["a"]);
    }
}
