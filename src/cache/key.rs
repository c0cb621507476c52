//! What cache entries are keyed by: content ids, the analysis fingerprint,
//! facts keys and working-tree file stats.

use std::fmt;

use crate::facts::{AnalysisOptions, Language};
use crate::parse;

/// The id of a file's content: git's blob id, SHA-1 of
/// `"blob {len}\0"` followed by the bytes. A working-tree file and the git
/// blob with the same bytes have the same id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentId(pub [u8; 20]);

impl ContentId {
    /// Hashes `bytes` as git hashes a blob.
    pub fn of(bytes: &[u8]) -> ContentId {
        let mut hasher = sha1_smol::Sha1::new();
        hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
        hasher.update(bytes);
        ContentId(hasher.digest().bytes())
    }
}

impl fmt::Display for ContentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for ContentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentId({self})")
    }
}

/// Which analysis produced facts: the tool version with
/// a hash of the parsers' sources from `build.rs` (`tool`), and the [`AnalysisOptions`]
/// (`options`), each as the first 8 bytes of a SHA-1 of its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    pub(super) tool: i64,
    pub(super) options: i64,
}

impl Fingerprint {
    /// The fingerprint of this build of mlscan with `options`: its version
    /// and a hash of the sources that decide the facts (`build.rs`).
    pub fn current(options: AnalysisOptions) -> Fingerprint {
        Fingerprint::new(
            concat!(env!("CARGO_PKG_VERSION"), "+", env!("MLSCAN_ANALYSIS_HASH")),
            options,
        )
    }

    /// The fingerprint of mlscan `tool_version` with `options`.
    pub fn new(tool_version: &str, options: AnalysisOptions) -> Fingerprint {
        Fingerprint {
            tool: short_hash(&format!("mlscan {tool_version}")),
            // Debug text: a new option field changes it by itself.
            options: short_hash(&format!("{options:?}")),
        }
    }
}

fn short_hash(text: &str) -> i64 {
    let digest = sha1_smol::Sha1::from(text).digest().bytes();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// The key of one file's facts (with the cache's [`Fingerprint`]): the
/// content id, the language, and the file name's class
/// ([`parse::name_class`]), so a moved or renamed file keeps its facts
/// unless its new name changes what the analysis reads from it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FactsKey {
    pub(super) content: ContentId,
    /// `language` or `language:class`.
    pub(super) kind: String,
}

impl FactsKey {
    /// The key of `language` content `content` in a file named `file_name`
    /// (a base name).
    pub fn new(content: ContentId, language: Language, file_name: &str) -> FactsKey {
        let class = parse::name_class(language, file_name);
        let kind = if class.is_empty() {
            language.as_str().to_owned()
        } else {
            format!("{}:{class}", language.as_str())
        };
        FactsKey { content, kind }
    }
}

/// A working-tree file as last seen: unchanged size and modification time
/// mean unchanged content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStat {
    /// The file's path, unique for this cache (absolute, or relative to
    /// the folder the cache belongs to).
    pub path: String,
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
}

impl FileStat {
    /// The stat of `path` from its metadata; `None` when the platform gives
    /// no modification time.
    pub fn new(path: String, meta: &std::fs::Metadata) -> Option<FileStat> {
        let modified = meta.modified().ok()?;
        let mtime_ns = match modified.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_nanos()).ok()?,
            Err(before) => -i64::try_from(before.duration().as_nanos()).ok()?,
        };
        Some(FileStat {
            path,
            size: meta.len(),
            mtime_ns,
        })
    }
}

/// The key of a history snapshot (with the cache's [`Fingerprint`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotKey<'a> {
    /// The commit id, as hex.
    pub commit: &'a str,
    /// The folder the snapshot covers, relative to the repository root.
    pub prefix: &'a str,
    /// Whatever else the snapshot depends on (configuration, rules), as
    /// text or a hash of it: the caller's choice.
    pub options: &'a str,
}
