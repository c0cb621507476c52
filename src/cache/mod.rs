//! The content-addressed cache: file facts by content id, a working-tree
//! index (path, size, mtime → content id) and history snapshots, in one
//! SQLite file (`cache.sqlite` in the cache folder, `.mlscan/` by default).
//!
//! - **Facts** are keyed by [`FactsKey`] (content id, language, file-name
//!   class) and the cache's [`Fingerprint`] (tool version with a hash of
//!   the parsers' sources, analysis options). A value is the facts as
//!   MessagePack (fields by name, as `FileFacts`' serde attributes need),
//!   LZ4-compressed; a value that does not decode is a miss.
//! - **Working-tree index**: a file whose size and modification time are
//!   unchanged keeps its content id, without reading or hashing it. Files
//!   modified less than 2 s before they are recorded are not recorded
//!   (git's "racily clean" rule): an edit within the same clock tick could
//!   otherwise go unseen.
//! - **Snapshots**: opaque values per (commit, prefix, fingerprint, caller
//!   options), for `trend`.
//!
//! The cache never fails a run. A folder that cannot be created or written
//! gives a disabled cache (every lookup misses, writes do nothing) and a
//! warning. A file that is not a database, or is corrupt, is removed and
//! rebuilt; one of another layout (`PRAGMA user_version`) is emptied and
//! recreated. Opening it with another tool version drops the other
//! versions' facts and snapshots, so the file does not grow with every
//! release. Warnings are collected for the caller ([`Cache::take_warnings`]).
//!
//! Every batch is one transaction, and the journal is a WAL: a killed run
//! leaves the last committed batches, and concurrent runs wait for each
//! other's writes (up to 10 s, then the cache is disabled for that run).

mod key;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

pub use key::{ContentId, FactsKey, FileStat, Fingerprint, SnapshotKey};

use crate::facts::FileFacts;

/// The cache folder's name in a repository.
pub const DEFAULT_DIR: &str = ".mlscan";
/// The database's name in the cache folder.
const DB_FILE: &str = "cache.sqlite";
/// The layout of the database; bump it on any change of tables or value
/// encoding.
const SCHEMA_VERSION: i64 = 1;
/// `PRAGMA application_id`: "mlsc".
const APPLICATION_ID: i64 = 0x6d6c_7363;
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Files modified this recently are not recorded in the index.
const RACY_NS: i64 = 2_000_000_000;
/// Largest decoded value accepted (a corrupt length must not allocate more).
const MAX_VALUE_BYTES: usize = 256 << 20;
/// The standard cache-directory tag (https://bford.info/cachedir/).
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by mlscan.\n\
# For information about cache directory tags see https://bford.info/cachedir/\n";

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE facts (
    content BLOB NOT NULL, kind TEXT NOT NULL, tool INTEGER NOT NULL,
    options INTEGER NOT NULL, value BLOB NOT NULL,
    PRIMARY KEY (content, kind, tool, options));
CREATE TABLE files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    content BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE snapshots (
    commit_id TEXT NOT NULL, prefix TEXT NOT NULL, tool INTEGER NOT NULL,
    options INTEGER NOT NULL, extra TEXT NOT NULL, value BLOB NOT NULL,
    PRIMARY KEY (commit_id, prefix, tool, options, extra));
";

/// Counters of one run, for `--stats`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Facts found.
    pub hits: u64,
    /// Facts looked up and not found (or not decodable).
    pub misses: u64,
    /// Facts written.
    pub written: u64,
    /// Working-tree files whose content id came from the index.
    pub files_unchanged: u64,
    /// Working-tree files not in the index, or changed since.
    pub files_changed: u64,
}

/// What the cache holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Facts entries, all fingerprints.
    pub facts: u64,
    /// Working-tree index entries.
    pub files: u64,
    pub snapshots: u64,
    /// Size of the database and its write-ahead log on disk.
    pub bytes: u64,
}

/// An open cache (or a disabled one: see the module documentation).
pub struct Cache {
    db: Option<Connection>,
    path: PathBuf,
    fingerprint: Fingerprint,
    stats: Stats,
    warnings: Vec<String>,
    /// Whether a corrupt database is removed (false for a connection beside
    /// another of the same run: removing would pull it from under that one).
    removes_corrupt: bool,
}

impl Cache {
    /// The default cache folder of a repository or scan root.
    pub fn default_dir(root: &Path) -> PathBuf {
        root.join(DEFAULT_DIR)
    }

    /// Opens (creating as needed) the cache in folder `dir`, for facts of
    /// `fingerprint`. Never fails: see [`Cache::take_warnings`].
    pub fn open(dir: &Path, fingerprint: Fingerprint) -> Cache {
        Cache::connect_to(dir, fingerprint, true)
    }

    /// Opens a second connection to a cache this run holds open already:
    /// on a corrupt database it only disables itself.
    pub fn open_beside(dir: &Path, fingerprint: Fingerprint) -> Cache {
        Cache::connect_to(dir, fingerprint, false)
    }

    fn connect_to(dir: &Path, fingerprint: Fingerprint, removes_corrupt: bool) -> Cache {
        let mut cache = Cache {
            db: None,
            path: dir.join(DB_FILE),
            fingerprint,
            stats: Stats::default(),
            warnings: Vec::new(),
            removes_corrupt,
        };
        if let Err(err) = prepare_dir(dir) {
            cache.warn(format!(
                "cache disabled: cannot use {}: {err}",
                dir.display()
            ));
            return cache;
        }
        let first = connect(&cache.path, fingerprint);
        let connected = match first {
            Err(err) if is_corrupt(&err) && removes_corrupt => {
                remove_db_files(&cache.path);
                cache.warn(format!(
                    "cache {} was unreadable ({err}): rebuilt",
                    cache.path.display()
                ));
                connect(&cache.path, fingerprint)
            }
            other => other,
        };
        match connected {
            Ok((db, note)) => {
                cache.db = Some(db);
                if let Some(note) = note {
                    cache.warn(format!("cache {}: {note}", cache.path.display()));
                }
            }
            Err(err) => cache.warn(format!(
                "cache disabled: cannot open {}: {err}",
                cache.path.display()
            )),
        }
        cache
    }

    /// Whether lookups can hit and writes are kept.
    pub fn is_enabled(&self) -> bool {
        self.db.is_some()
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Warnings since the last call, for the caller to print.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// The facts of each key, in order (`None`: analyse the file), read in
    /// one transaction.
    pub fn get_many(&mut self, keys: &[FactsKey]) -> Vec<Option<FileFacts>> {
        let found = self.lookup(keys, "value", |row| Ok(decode(row.get_ref(0)?.as_blob()?)));
        let found: Vec<Option<FileFacts>> = found.into_iter().map(Option::flatten).collect();
        let hits = found.iter().filter(|f| f.is_some()).count() as u64;
        self.stats.hits += hits;
        self.stats.misses += keys.len() as u64 - hits;
        found
    }

    /// Whether facts are stored under each key (not read, not counted).
    pub fn contains_many(&mut self, keys: &[FactsKey]) -> Vec<bool> {
        self.lookup(keys, "1", |_| Ok(()))
            .iter()
            .map(Option::is_some)
            .collect()
    }

    /// The `column` of each key's row, mapped by `read`, in one transaction.
    fn lookup<T>(
        &mut self,
        keys: &[FactsKey],
        column: &str,
        read: impl Fn(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Vec<Option<T>> {
        let fingerprint = self.fingerprint;
        let found = self.with_db("reading facts", |db| {
            let tx = db.transaction()?;
            let mut select = tx.prepare(&format!(
                "SELECT {column} FROM facts
                 WHERE content = ?1 AND kind = ?2 AND tool = ?3 AND options = ?4"
            ))?;
            let mut found = Vec::with_capacity(keys.len());
            for key in keys {
                let params = params![
                    &key.content.0[..],
                    key.kind,
                    fingerprint.tool,
                    fingerprint.options
                ];
                found.push(select.query_row(params, &read).optional()?);
            }
            Ok(found)
        });
        found.unwrap_or_else(|| keys.iter().map(|_| None).collect())
    }

    /// Stores facts (replacing any under the same key), in one transaction.
    pub fn put_many<'a>(
        &mut self,
        entries: impl IntoIterator<Item = (&'a FactsKey, &'a FileFacts)>,
    ) {
        if self.db.is_none() {
            return;
        }
        // Encode before taking the write lock.
        let mut encoded = Vec::new();
        for (key, facts) in entries {
            match encode(facts) {
                Ok(value) => encoded.push((key, value)),
                Err(err) => self.warn(format!(
                    "cache: cannot encode the facts of {}: {err}",
                    key.content
                )),
            }
        }
        let fingerprint = self.fingerprint;
        let written = self.with_db("writing facts", |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut insert = tx.prepare(
                    "INSERT OR REPLACE INTO facts (content, kind, tool, options, value)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                for (key, value) in &encoded {
                    insert.execute(params![
                        &key.content.0[..],
                        key.kind,
                        fingerprint.tool,
                        fingerprint.options,
                        value
                    ])?;
                }
            }
            tx.commit()?;
            Ok(encoded.len() as u64)
        });
        self.stats.written += written.unwrap_or(0);
    }

    /// The content id of each working-tree file whose size and
    /// modification time are those recorded, in order.
    pub fn content_ids(&mut self, files: &[FileStat]) -> Vec<Option<ContentId>> {
        let found = self
            .with_db("reading the file index", |db| {
                let tx = db.transaction()?;
                let mut select = tx.prepare(
                    "SELECT content FROM files WHERE path = ?1 AND size = ?2 AND mtime_ns = ?3",
                )?;
                let mut found = Vec::with_capacity(files.len());
                for file in files {
                    let id = select
                        .query_row(
                            params![file.path, sql_size(file.size), file.mtime_ns],
                            |row| Ok(row.get_ref(0)?.as_blob()?.try_into().ok().map(ContentId)),
                        )
                        .optional()?;
                    found.push(id.flatten());
                }
                Ok(found)
            })
            .unwrap_or_else(|| vec![None; files.len()]);
        let unchanged = found.iter().filter(|f| f.is_some()).count() as u64;
        self.stats.files_unchanged += unchanged;
        self.stats.files_changed += files.len() as u64 - unchanged;
        found
    }

    /// Records the content ids of working-tree files, in one transaction;
    /// files modified in the last 2 s are skipped (module documentation).
    pub fn put_content_ids<'a>(
        &mut self,
        entries: impl IntoIterator<Item = (&'a FileStat, ContentId)>,
    ) {
        if self.db.is_none() {
            return;
        }
        let now_ns = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_nanos()).ok())
            .unwrap_or(i64::MAX);
        let settled: Vec<_> = entries
            .into_iter()
            .filter(|(file, _)| file.mtime_ns < now_ns.saturating_sub(RACY_NS))
            .collect();
        self.with_db("writing the file index", |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut insert = tx.prepare(
                    "INSERT OR REPLACE INTO files (path, size, mtime_ns, content)
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (file, id) in &settled {
                    insert.execute(params![
                        file.path,
                        sql_size(file.size),
                        file.mtime_ns,
                        &id.0[..]
                    ])?;
                }
            }
            tx.commit()
        });
    }

    /// The snapshot stored under `key` and the cache's fingerprint.
    pub fn get_snapshot(&mut self, key: &SnapshotKey) -> Option<Vec<u8>> {
        let fingerprint = self.fingerprint;
        self.with_db("reading a snapshot", |db| {
            db.query_row(
                "SELECT value FROM snapshots WHERE commit_id = ?1 AND prefix = ?2
                 AND tool = ?3 AND options = ?4 AND extra = ?5",
                params![
                    key.commit,
                    key.prefix,
                    fingerprint.tool,
                    fingerprint.options,
                    key.options
                ],
                |row| row.get(0),
            )
            .optional()
        })
        .flatten()
    }

    /// Stores a snapshot (replacing any under the same key).
    pub fn put_snapshot(&mut self, key: &SnapshotKey, value: &[u8]) {
        self.put_snapshots([(*key, value)]);
    }

    /// Stores snapshots (replacing any under the same keys), in one
    /// transaction.
    pub fn put_snapshots<'a>(
        &mut self,
        entries: impl IntoIterator<Item = (SnapshotKey<'a>, &'a [u8])>,
    ) {
        if self.db.is_none() {
            return;
        }
        let entries: Vec<_> = entries.into_iter().collect();
        let fingerprint = self.fingerprint;
        self.with_db("writing snapshots", |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut insert = tx.prepare(
                    "INSERT OR REPLACE INTO snapshots
                     (commit_id, prefix, tool, options, extra, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for (key, value) in &entries {
                    insert.execute(params![
                        key.commit,
                        key.prefix,
                        fingerprint.tool,
                        fingerprint.options,
                        key.options,
                        value
                    ])?;
                }
            }
            tx.commit()
        });
    }

    /// Entries and bytes on disk (zero for a disabled cache).
    pub fn usage(&mut self) -> Usage {
        let Some(counts) = self.with_db("counting entries", |db| {
            let count = |table: &str| -> rusqlite::Result<u64> {
                let n: i64 = db.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                    row.get(0)
                })?;
                Ok(u64::try_from(n).unwrap_or(0))
            };
            Ok((count("facts")?, count("files")?, count("snapshots")?))
        }) else {
            return Usage::default();
        };
        let bytes = [DB_FILE.to_owned(), format!("{DB_FILE}-wal")]
            .iter()
            .filter_map(|name| std::fs::metadata(self.path.with_file_name(name)).ok())
            .map(|meta| meta.len())
            .sum();
        Usage {
            facts: counts.0,
            files: counts.1,
            snapshots: counts.2,
            bytes,
        }
    }

    fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// Runs `job` on the connection; on an error, disables the cache for
    /// the rest of the run (removing a corrupt file) and returns `None`.
    fn with_db<T>(
        &mut self,
        what: &str,
        job: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Option<T> {
        let db = self.db.as_mut()?;
        match job(db) {
            Ok(value) => Some(value),
            Err(err) => {
                self.db = None;
                let path = self.path.display().to_string();
                if is_corrupt(&err) && self.removes_corrupt {
                    remove_db_files(&self.path);
                    self.warn(format!(
                        "cache {path} is corrupt ({what}: {err}): removed, rebuilt on the next run"
                    ));
                } else {
                    self.warn(format!(
                        "cache {path} disabled for this run ({what}: {err})"
                    ));
                }
                None
            }
        }
    }
}

/// Creates the cache folder with its `.gitignore` and `CACHEDIR.TAG` (which
/// make git, mlscan's walk and backup tools skip it).
fn prepare_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in [(".gitignore", "*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)] {
        let path = dir.join(name);
        if !path.exists() {
            std::fs::write(path, text)?;
        }
    }
    Ok(())
}

/// Opens the database and brings its layout to this version's; the string
/// says what was replaced.
fn connect(
    path: &Path,
    fingerprint: Fingerprint,
) -> rusqlite::Result<(Connection, Option<String>)> {
    let mut db = Connection::open(path)?;
    db.busy_timeout(BUSY_TIMEOUT)?;
    db.query_row("PRAGMA journal_mode = WAL", [], |row| {
        row.get::<_, String>(0)
    })?;
    db.execute_batch("PRAGMA synchronous = NORMAL")?;
    let note = ensure_schema(&mut db, fingerprint)?;
    Ok((db, note))
}

fn ensure_schema(
    db: &mut Connection,
    fingerprint: Fingerprint,
) -> rusqlite::Result<Option<String>> {
    let tool = fingerprint.tool.to_string();
    if layout(db)? == (APPLICATION_ID, SCHEMA_VERSION)
        && stamp(db)?.as_deref() == Some(tool.as_str())
    {
        return Ok(None);
    }
    // Under the write lock, look again: another run may have done it.
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (application, version) = layout(&tx)?;
    let mut note = None;
    if (application, version) != (APPLICATION_ID, SCHEMA_VERSION) {
        let tables: Vec<String> = tx
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        if !tables.is_empty() {
            note = Some(format!(
                "layout {version} (application id {application:#x}) replaced by layout {SCHEMA_VERSION}"
            ));
        }
        for table in tables {
            tx.execute_batch(&format!("DROP TABLE \"{}\"", table.replace('"', "\"\"")))?;
        }
        tx.execute_batch(SCHEMA)?;
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
        ))?;
    }
    if stamp(&tx)?.as_deref() != Some(tool.as_str()) {
        // Another tool version's entries will not be read again.
        tx.execute("DELETE FROM facts WHERE tool <> ?1", [fingerprint.tool])?;
        tx.execute("DELETE FROM snapshots WHERE tool <> ?1", [fingerprint.tool])?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('tool', ?1)",
            [&tool],
        )?;
    }
    tx.commit()?;
    Ok(note)
}

/// `(application_id, user_version)`.
fn layout(db: &Connection) -> rusqlite::Result<(i64, i64)> {
    let application = db.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    let version = db.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    Ok((application, version))
}

/// The tool fingerprint the entries were last written with.
fn stamp(db: &Connection) -> rusqlite::Result<Option<String>> {
    db.query_row("SELECT value FROM meta WHERE key = 'tool'", [], |row| {
        row.get(0)
    })
    .optional()
}

fn is_corrupt(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// Removes the database and its WAL files (errors are left to the next
/// open, which then reports them).
fn remove_db_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

fn sql_size(size: u64) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}

fn encode(facts: &FileFacts) -> Result<Vec<u8>, String> {
    let packed = rmp_serde::to_vec_named(facts).map_err(|e| e.to_string())?;
    Ok(lz4_flex::compress_prepend_size(&packed))
}

fn decode(value: &[u8]) -> Option<FileFacts> {
    let size = u32::from_le_bytes(value.get(..4)?.try_into().ok()?);
    if usize::try_from(size).ok()? > MAX_VALUE_BYTES {
        return None;
    }
    let packed = lz4_flex::decompress_size_prepended(value).ok()?;
    rmp_serde::from_slice(&packed).ok()
}
