use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use super::*;
use crate::facts::{AnalysisOptions, CcRules, Language};
use crate::parse::Analyzer;
use crate::walk::{self, WalkOptions};

const NET_PY: &str = "testdata/mlrepo/src/shop/models/net.py";

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn radon() -> Fingerprint {
    Fingerprint::current(AnalysisOptions::default())
}

fn mccabe() -> Fingerprint {
    Fingerprint::current(AnalysisOptions {
        cc_rules: CcRules::Mccabe,
    })
}

/// The facts and key of `testdata/mlrepo/src/shop/models/net.py`.
fn net_py() -> (FactsKey, FileFacts) {
    let bytes = std::fs::read(fixture(NET_PY)).unwrap();
    let facts = Analyzer::new(AnalysisOptions::default()).unwrap().analyze(
        Language::Python,
        "net.py",
        &bytes,
    );
    (
        FactsKey::new(ContentId::of(&bytes), Language::Python, "net.py"),
        facts,
    )
}

fn open(dir: &Path, fingerprint: Fingerprint) -> Cache {
    let mut cache = Cache::open(dir, fingerprint);
    assert_eq!(cache.take_warnings(), Vec::<String>::new());
    assert!(cache.is_enabled());
    cache
}

#[test]
fn content_id_is_git_blob_id() {
    // `git hash-object` of an empty file and of "hello\n".
    assert_eq!(
        ContentId::of(b"").to_string(),
        "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
    );
    assert_eq!(
        ContentId::of(b"hello\n").to_string(),
        "ce013625030ba8dba906f756967f9e9ca394464a"
    );
}

#[test]
fn facts_round_trip_with_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (key, facts) = net_py();
    assert_eq!(facts.functions.len(), 3);
    let mut cache = open(dir.path(), radon());
    assert_eq!(cache.get_many(std::slice::from_ref(&key)), vec![None]);
    cache.put_many([(&key, &facts)]);
    assert_eq!(
        cache.stats(),
        Stats {
            hits: 0,
            misses: 1,
            written: 1,
            ..Stats::default()
        }
    );
    drop(cache);

    let mut cache = open(dir.path(), radon());
    let got = cache.get_many(&[key.clone(), key]);
    assert_eq!(got, vec![Some(facts.clone()), Some(facts)]);
    assert_eq!(
        cache.stats(),
        Stats {
            hits: 2,
            ..Stats::default()
        }
    );
    let usage = cache.usage();
    assert_eq!((usage.facts, usage.files, usage.snapshots), (1, 0, 0));
    assert!(usage.bytes > 0);
}

/// Every fixture of `testdata/` (Python, notebooks, Rust, configs, broken
/// files) comes back equal: the encoding keeps flattened fields, skipped
/// defaults, tagged enums and floats exactly.
#[test]
fn every_fixture_round_trips() {
    let walked = walk::walk(
        &fixture("testdata"),
        &WalkOptions {
            threads: 1,
            excludes: Vec::new(),
            default_excludes: true,
            follow_links: false,
            max_code_bytes: 10 << 20,
            max_config_bytes: 1 << 20,
        },
    )
    .unwrap();
    let mut analyzer = Analyzer::new(AnalysisOptions::default()).unwrap();
    let mut keys = Vec::new();
    let mut facts = Vec::new();
    for file in &walked.files {
        let Ok(bytes) = std::fs::read(&file.path) else {
            continue;
        };
        let name = file.path.file_name().unwrap().to_string_lossy();
        keys.push(FactsKey::new(ContentId::of(&bytes), file.language, &name));
        facts.push(analyzer.analyze(file.language, &name, &bytes));
    }
    assert!(facts.len() > 140, "{}", facts.len());
    assert!(facts.iter().any(|f| f.metrics.maintainability.is_some()));
    assert!(facts.iter().any(|f| !f.lineage.calls.is_empty()));
    assert!(facts.iter().any(|f| f.config.is_some()));

    let dir = tempfile::tempdir().unwrap();
    let mut cache = open(dir.path(), radon());
    cache.put_many(keys.iter().zip(&facts));
    let mut cache = open(dir.path(), radon());
    let got = cache.get_many(&keys);
    // Identical content under one key (empty `__init__.py`s) has equal facts.
    for ((key, want), got) in keys.iter().zip(&facts).zip(got) {
        assert_eq!(got.as_ref(), Some(want), "{key:?}");
    }
    assert_eq!(cache.stats().misses, 0);
}

#[test]
fn keys_distinguish_name_class_and_language() {
    let id = ContentId::of(b"a: 1\n");
    let key = |language, name| FactsKey::new(id, language, name);
    assert_eq!(key(Language::Python, "a.py"), key(Language::Python, "b.py"));
    assert_ne!(
        key(Language::Python, "a.py"),
        key(Language::Notebook, "a.py")
    );
    assert_eq!(
        key(Language::Yaml, "x.yaml"),
        key(Language::Yaml, "conf.yml")
    );
    assert_ne!(
        key(Language::Yaml, "dvc.yaml"),
        key(Language::Yaml, "x.yaml")
    );
    assert_eq!(
        key(Language::Yaml, "params.yaml"),
        key(Language::Yaml, "params_train.yml")
    );
    assert_ne!(
        key(Language::Toml, "Cargo.toml"),
        key(Language::Toml, "x.toml")
    );
    assert_ne!(key(Language::Yaml, "x.yaml"), key(Language::Json, "x.yaml"));
    assert_eq!(key(Language::Yaml, "dvc.yaml").kind, "yaml:DvcPipeline");
    assert_eq!(key(Language::Toml, "Cargo.toml").kind, "toml:cargo");
    assert_eq!(key(Language::Python, "dvc.yaml").kind, "python");
}

#[test]
fn fingerprint_separates_options_and_tool_versions() {
    let dir = tempfile::tempdir().unwrap();
    let (key, facts) = net_py();
    let mut cache = open(dir.path(), radon());
    cache.put_many([(&key, &facts)]);
    drop(cache);

    let mut cache = open(dir.path(), mccabe());
    assert_eq!(cache.get_many(std::slice::from_ref(&key)), vec![None]);
    let mut other = facts.clone();
    other.metrics.cyclomatic_total += 1;
    cache.put_many([(&key, &other)]);
    assert_eq!(cache.usage().facts, 2);
    assert_eq!(
        cache.get_many(std::slice::from_ref(&key)),
        vec![Some(other)]
    );
    let mut cache = open(dir.path(), radon());
    assert_eq!(
        cache.get_many(std::slice::from_ref(&key)),
        vec![Some(facts)]
    );

    // Another tool version misses, and its opening drops this version's
    // entries.
    let older = Fingerprint::new("0.0.1", AnalysisOptions::default());
    assert_ne!(older, radon());
    drop(cache);
    let mut cache = open(dir.path(), older);
    assert_eq!(cache.usage().facts, 0);
    assert_eq!(cache.get_many(&[key]), vec![None]);
}

/// Writes `text` to `path` and sets its modification time to `age` ago.
fn write_aged(path: &Path, text: &str, age: Duration) -> FileStat {
    std::fs::write(path, text).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
    let meta = std::fs::metadata(path).unwrap();
    FileStat::new("a.py".to_owned(), &meta).unwrap()
}

#[test]
fn file_index_follows_size_and_mtime() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.py");
    let hour = Duration::from_secs(3600);
    let stat = write_aged(&file, "x = 1\n", hour);
    assert_eq!(stat.size, 6);
    let id = ContentId::of(b"x = 1\n");

    let mut cache = open(&dir.path().join(".mlscan"), radon());
    assert_eq!(cache.content_ids(std::slice::from_ref(&stat)), vec![None]);
    cache.put_content_ids([(&stat, id)]);
    let mut cache = open(&dir.path().join(".mlscan"), radon());
    assert_eq!(
        cache.content_ids(std::slice::from_ref(&stat)),
        vec![Some(id)]
    );
    assert_eq!(
        (cache.stats().files_unchanged, cache.stats().files_changed),
        (1, 0)
    );

    // Same size, another mtime: changed.
    let touched = write_aged(&file, "x = 2\n", 2 * hour);
    assert_eq!(touched.size, stat.size);
    assert_eq!(
        cache.content_ids(std::slice::from_ref(&touched)),
        vec![None]
    );
    // Same mtime, another size: changed.
    let grown = FileStat {
        size: 7,
        ..stat.clone()
    };
    assert_eq!(cache.content_ids(&[grown]), vec![None]);
    assert_eq!(cache.stats().files_changed, 2);

    // A file modified just now is not recorded (it could change again
    // within the same clock tick).
    let fresh = write_aged(&file, "x = 3\n", Duration::ZERO);
    cache.put_content_ids([(&fresh, ContentId::of(b"x = 3\n"))]);
    assert_eq!(cache.content_ids(&[fresh]), vec![None]);
    assert_eq!(cache.usage().files, 1);
}

#[test]
fn snapshots_by_commit_prefix_options_and_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let key = SnapshotKey {
        commit: "ce013625030ba8dba906f756967f9e9ca394464a",
        prefix: "src",
        options: "roles=1",
    };
    let mut cache = open(dir.path(), radon());
    assert_eq!(cache.get_snapshot(&key), None);
    cache.put_snapshot(&key, b"{\"cc\": 12}");
    assert_eq!(cache.get_snapshot(&key), Some(b"{\"cc\": 12}".to_vec()));
    assert_eq!(cache.get_snapshot(&SnapshotKey { prefix: "", ..key }), None);
    assert_eq!(
        cache.get_snapshot(&SnapshotKey {
            options: "roles=2",
            ..key
        }),
        None
    );
    assert_eq!(open(dir.path(), mccabe()).get_snapshot(&key), None);
    assert_eq!(cache.usage().snapshots, 1);
}

#[test]
fn cache_folder_is_tagged_and_skipped_by_the_walk() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("a.py"), "x = 1\n").unwrap();
    let dir = Cache::default_dir(root.path());
    drop(open(&dir, radon()));
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
        "*\n"
    );
    assert!(
        std::fs::read_to_string(dir.join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
    );
    std::fs::write(dir.join("b.py"), "y = 2\n").unwrap();
    let walked = walk::walk(
        root.path(),
        &WalkOptions {
            threads: 1,
            excludes: Vec::new(),
            default_excludes: true,
            follow_links: false,
            max_code_bytes: 1 << 20,
            max_config_bytes: 1 << 20,
        },
    )
    .unwrap();
    let found: Vec<_> = walked.files.iter().map(|f| f.rel.as_str()).collect();
    assert_eq!(found, ["a.py"]);
}

#[test]
fn unusable_folder_gives_a_disabled_cache() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let (key, facts) = net_py();
    let mut cache = Cache::open(&blocker.join("cache"), radon());
    assert!(!cache.is_enabled());
    let warnings = cache.take_warnings();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].starts_with("cache disabled: cannot use"),
        "{warnings:?}"
    );
    cache.put_many([(&key, &facts)]);
    assert_eq!(cache.get_many(&[key]), vec![None]);
    cache.put_snapshot(
        &SnapshotKey {
            commit: "c",
            prefix: "",
            options: "",
        },
        b"x",
    );
    assert_eq!(
        cache.stats(),
        Stats {
            misses: 1,
            ..Stats::default()
        }
    );
    assert_eq!(cache.usage(), Usage::default());
    assert!(cache.take_warnings().is_empty());
}

#[test]
fn garbage_file_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DB_FILE), vec![0xA5u8; 10_000]).unwrap();
    let (key, facts) = net_py();
    let mut cache = Cache::open(dir.path(), radon());
    let warnings = cache.take_warnings();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("was unreadable"), "{warnings:?}");
    assert!(warnings[0].contains("rebuilt"), "{warnings:?}");
    cache.put_many([(&key, &facts)]);
    assert_eq!(
        open(dir.path(), radon()).get_many(&[key]),
        vec![Some(facts)]
    );
}

/// A connection beside another never removes a corrupt database, at
/// opening or when it meets the damage: it only disables itself.
#[test]
fn a_connection_beside_another_leaves_a_corrupt_file_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (_, facts) = net_py();
    damaged_cache(dir.path(), &facts, 4096);
    let beside = Cache::open_beside(dir.path(), radon());
    assert!(!beside.is_enabled());
    assert!(dir.path().join(DB_FILE).exists());

    let dir = tempfile::tempdir().unwrap();
    let keys = damaged_cache(dir.path(), &facts, 16 * 4096);
    let mut beside = Cache::open_beside(dir.path(), radon());
    assert_eq!(beside.get_many(&keys), vec![None; keys.len()]);
    let warnings = beside.take_warnings();
    assert!(
        warnings[0].contains("disabled for this run"),
        "{warnings:?}"
    );
    assert!(!beside.is_enabled());
    assert!(dir.path().join(DB_FILE).exists());
}

/// Writes 200 entries, then overwrites the database file from byte `from`
/// on; returns their keys.
fn damaged_cache(dir: &Path, facts: &FileFacts, from: usize) -> Vec<FactsKey> {
    let mut cache = open(dir, radon());
    let keys: Vec<FactsKey> = (0..200u8)
        .map(|i| FactsKey::new(ContentId::of(&[i]), Language::Python, "a.py"))
        .collect();
    cache.put_many(keys.iter().map(|k| (k, facts)));
    drop(cache); // the last connection checkpoints the WAL into the file
    let path = dir.join(DB_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 32 * 4096, "{}", bytes.len());
    bytes[from..].fill(0x5A);
    std::fs::write(&path, bytes).unwrap();
    keys
}

/// Damage met at opening (the schema and meta pages, from page 2 on): the
/// file is rebuilt at once.
#[test]
fn corrupt_schema_pages_are_rebuilt_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let (_, facts) = net_py();
    let keys = damaged_cache(dir.path(), &facts, 4096);
    let mut cache = Cache::open(dir.path(), radon());
    let warnings = cache.take_warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].ends_with("was unreadable (database disk image is malformed): rebuilt"));
    assert_eq!(cache.get_many(&keys), vec![None; keys.len()]);
    cache.put_many([(&keys[0], &facts)]);
    assert_eq!(cache.get_many(&keys[..1]), vec![Some(facts)]);
}

/// Damage met while reading (data pages, from page 16 on): that run misses
/// and removes the file, the next one starts afresh.
#[test]
fn corrupt_data_pages_are_removed_when_met() {
    let dir = tempfile::tempdir().unwrap();
    let (_, facts) = net_py();
    let keys = damaged_cache(dir.path(), &facts, 16 * 4096);
    let mut cache = open(dir.path(), radon());
    assert_eq!(cache.get_many(&keys), vec![None; keys.len()]);
    let warnings = cache.take_warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("is corrupt (reading facts: database disk image is malformed)"),
        "{warnings:?}"
    );
    assert!(!cache.is_enabled());
    assert!(!dir.path().join(DB_FILE).exists());
    drop(cache);
    let mut cache = open(dir.path(), radon());
    assert_eq!(cache.usage().facts, 0);
    cache.put_many([(&keys[0], &facts)]);
    assert_eq!(cache.get_many(&keys[..1]), vec![Some(facts)]);
}

#[test]
fn incompatible_layout_is_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let db = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    db.execute_batch(
        "CREATE TABLE facts (x); INSERT INTO facts VALUES (1); PRAGMA user_version = 99;",
    )
    .unwrap();
    drop(db);
    let mut cache = Cache::open(dir.path(), radon());
    let warnings = cache.take_warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].ends_with("layout 99 (application id 0x0) replaced by layout 1"),
        "{warnings:?}"
    );
    let (key, facts) = net_py();
    cache.put_many([(&key, &facts)]);
    assert_eq!(cache.get_many(&[key]), vec![Some(facts)]);
    assert_eq!(cache.usage().facts, 1);
}

// Child processes: a test re-runs itself with `CHILD_ENV` set.

const CHILD_ENV: &str = "MLSCAN_CACHE_TEST_CHILD";
/// Entries per batch of the concurrent writers.
const BATCH: usize = 300;
/// Entries per batch of the killed writer: about 3 MB, more than SQLite's
/// page cache, so pages reach the WAL before the commit and a kill can
/// leave uncommitted frames there.
const BIG_BATCH: usize = 5000;

/// The `size` entries of batch `batch` of writer `seed`: net.py's facts,
/// marked.
fn batch_entries(
    base: &FileFacts,
    seed: u32,
    batch: u32,
    size: usize,
) -> Vec<(FactsKey, FileFacts)> {
    (0..size as u32)
        .map(|i| {
            let key = FactsKey::new(
                ContentId::of(format!("{seed}/{batch}/{i}").as_bytes()),
                Language::Python,
                "m.py",
            );
            let mut facts = base.clone();
            facts.lines.loc = seed;
            facts.metrics.cyclomatic_total = batch * 10_000 + i;
            (key, facts)
        })
        .collect()
}

/// Checks each batch of writer `seed` is all there or absent, with the
/// right values; returns how many are there.
fn complete_batches(
    cache: &mut Cache,
    base: &FileFacts,
    (seed, size): (u32, usize),
    batches: u32,
) -> u32 {
    let mut complete = 0;
    for batch in 0..batches {
        let entries = batch_entries(base, seed, batch, size);
        let keys: Vec<_> = entries.iter().map(|(k, _)| k.clone()).collect();
        let got = cache.get_many(&keys);
        let present = got.iter().filter(|g| g.is_some()).count();
        assert!(
            present == 0 || present == size,
            "batch {batch}: {present} of {size}"
        );
        for ((_, want), got) in entries.iter().zip(&got) {
            if let Some(got) = got {
                assert_eq!(got, want);
            }
        }
        complete += u32::from(present == size);
    }
    assert!(cache.take_warnings().is_empty());
    complete
}

/// Frames of the WAL after its last commit frame (same salts as the
/// header): pages of a transaction that never committed.
fn uncommitted_wal_frames(dir: &Path) -> usize {
    let Ok(wal) = std::fs::read(dir.join(format!("{DB_FILE}-wal"))) else {
        return 0;
    };
    let be = |at: usize| u32::from_be_bytes(wal[at..at + 4].try_into().unwrap());
    if wal.len() < 32 {
        return 0;
    }
    let (page, salts) = (be(8) as usize, (be(16), be(20)));
    let mut uncommitted = 0;
    let mut at = 32;
    while at + 24 + page <= wal.len() && (be(at + 8), be(at + 12)) == salts {
        uncommitted = if be(at + 4) == 0 { uncommitted + 1 } else { 0 };
        at += 24 + page;
    }
    uncommitted
}

fn integrity(dir: &Path) -> String {
    let db = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    db.query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

/// In a child process (`CHILD_ENV` set), runs the writer and returns true.
/// The tests that spawn children call it first: the child re-runs the
/// same test with `CHILD_ENV` set.
fn run_as_child() -> bool {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return false;
    };
    child_writer(&spec);
    true
}

/// A child process writing batches: `spec` is `dir|seed|batches|size`
/// (0 batches: until killed, at most a minute). Prints `committed N` after
/// each batch.
fn child_writer(spec: &str) {
    let mut parts = spec.split('|');
    let dir = PathBuf::from(parts.next().unwrap());
    let seed: u32 = parts.next().unwrap().parse().unwrap();
    let batches: u32 = parts.next().unwrap().parse().unwrap();
    let size: usize = parts.next().unwrap().parse().unwrap();
    let (_, base) = net_py();
    let start = Instant::now();
    let mut cache = open(&dir, radon());
    let mut batch = 0;
    while (batches == 0 || batch < batches) && start.elapsed() < Duration::from_secs(60) {
        let entries = batch_entries(&base, seed, batch, size);
        cache.put_many(entries.iter().map(|(k, f)| (k, f)));
        assert_eq!(cache.take_warnings(), Vec::<String>::new());
        assert_eq!(cache.stats().written, u64::from(batch + 1) * size as u64);
        println!("committed {batch}");
        batch += 1;
    }
}

/// A child process, killed when dropped.
struct ChildWriter(Child);

impl ChildWriter {
    /// Runs `test` (the calling test, which starts with `run_as_child`)
    /// in a child process as a writer.
    fn spawn(test: &str, dir: &Path, seed: u32, batches: u32, size: usize) -> ChildWriter {
        let child = Command::new(std::env::current_exe().unwrap())
            .args([
                &format!("cache::tests::{test}"),
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(
                CHILD_ENV,
                format!("{}|{seed}|{batches}|{size}", dir.display()),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        ChildWriter(child)
    }
}

impl Drop for ChildWriter {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// SIGKILL in the middle of a write transaction leaves a consistent
/// cache: each batch (one transaction) is all there or absent, every
/// committed batch is there, and later runs open it, read it and write to
/// it. The kill comes when a probe finds the child holding the write lock.
#[test]
fn killed_writer_leaves_a_usable_cache() {
    if run_as_child() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, base) = net_py();
    let mut torn = 0;
    for seed in 10..14 {
        let mut child = ChildWriter::spawn(
            "killed_writer_leaves_a_usable_cache",
            dir.path(),
            seed,
            0,
            BIG_BATCH,
        );
        let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
        // Wait for the first commit (the tables then exist).
        assert!(
            lines
                .by_ref()
                .map_while(Result::ok)
                .any(|l| l.ends_with("committed 0"))
        );
        // A probe without busy timeout: busy = the child is mid-transaction
        // (a batch holds the lock for 30-50 ms in a debug build). Kill it
        // after it has held the lock for `into`.
        let into = Duration::from_millis(u64::from(seed - 10) * 12);
        let probe = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        probe.busy_timeout(Duration::ZERO).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut busy_since = None;
        loop {
            match probe.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
                Ok(()) => busy_since = None,
                Err(err) if err.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => {
                    let since = *busy_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= into {
                        break;
                    }
                }
                Err(err) => panic!("{err}"),
            }
            assert!(Instant::now() < deadline, "the writer never held the lock");
            std::thread::sleep(Duration::from_micros(200));
        }
        child.0.kill().unwrap();
        child.0.wait().unwrap();
        let committed = 1 + lines
            .map_while(Result::ok)
            .filter(|l| l.contains("committed "))
            .count() as u32;
        // Before the probe closes: the last connection to close checkpoints
        // and removes the WAL.
        torn += uncommitted_wal_frames(dir.path());

        let mut cache = open(dir.path(), radon());
        let complete = complete_batches(&mut cache, &base, (seed, BIG_BATCH), committed + 2);
        // The batch being written is lost, unless it committed between the
        // probe and the kill.
        assert!(
            complete == committed || complete == committed + 1,
            "{complete} batches for {committed} committed"
        );
        assert_eq!(integrity(dir.path()), "ok");
        drop(probe);
    }
    eprintln!("uncommitted WAL frames left by the kills: {torn}");
}

/// Two processes writing at once, and this one reading meanwhile: no
/// error, no lost or torn batch.
#[test]
fn concurrent_writers_do_not_corrupt() {
    if run_as_child() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, base) = net_py();
    let batches = 12;
    let mut writers = [
        ChildWriter::spawn(
            "concurrent_writers_do_not_corrupt",
            dir.path(),
            1,
            batches,
            BATCH,
        ),
        ChildWriter::spawn(
            "concurrent_writers_do_not_corrupt",
            dir.path(),
            2,
            batches,
            BATCH,
        ),
    ];
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut done = [false, false];
    while done != [true, true] {
        assert!(Instant::now() < deadline, "writers did not finish");
        for (writer, done) in writers.iter_mut().zip(&mut done) {
            if let Some(status) = writer.0.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                *done = true;
            }
        }
        let mut cache = open(dir.path(), radon());
        complete_batches(&mut cache, &base, (1, BATCH), batches);
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut cache = open(dir.path(), radon());
    assert_eq!(
        complete_batches(&mut cache, &base, (1, BATCH), batches),
        batches
    );
    assert_eq!(
        complete_batches(&mut cache, &base, (2, BATCH), batches),
        batches
    );
    assert_eq!(cache.usage().facts, 2 * u64::from(batches) * BATCH as u64);
    assert_eq!(integrity(dir.path()), "ok");
}
