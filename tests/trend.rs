//! `mlscan trend` on repositories built with the `git` CLI: exact series,
//! blob counts and cache reuse, determinism, a subfolder PATH, excludes,
//! errors, and a run killed midway then resumed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const ALICE: (&str, &str) = ("Alice", "alice@example.com");
const BOB: (&str, &str) = ("Bob", "bob@example.com");
const CAROL: (&str, &str) = ("Carol", "carol@example.com");

#[path = "support/git.rs"]
mod git_cli;
use git_cli::git_as;

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn commit(dir: &Path, who: (&str, &str), date: &str, message: &str) {
    git_as(dir, who, date, &["add", "-A"]);
    git_as(dir, who, date, &["commit", "-q", "-m", message]);
}

const MODEL_V1: &str = "def f(x):\n    if x:\n        return 1\n    return 0\n";
const MODEL_V2: &str = "def f(x):\n    if x > 0:\n        return 1\n    elif x < 0:\n        return -1\n    return 0\n";
const MODEL_V3: &str = "def f(x):\n    if x > 0:\n        return 1\n    elif x < 0:\n        return -1\n    return 0\n\n\ndef g():\n    return 2\n";
/// Does not parse: the scan goes on, with a diagnostic.
const MODEL_BROKEN: &str = "def f(x:\n    return (\n";
const RUN: &str = "def run():\n    for i in range(3):\n        print(i)\n";

/// `big` has cyclomatic complexity 11: over the default threshold of 10.
fn big() -> String {
    let mut text = String::from("def big(x):\n");
    for i in 0..10 {
        text.push_str(&format!("    if x == {i}:\n        return {i}\n"));
    }
    text.push_str("    return -1\n");
    text
}

/// The history, first parent: c1 c2 c3 c4 c6 c7 c8 c9; c5 is on `feature`,
/// merged by c7. Radon cyclomatic complexity per function in brackets.
/// - c1 Alice: pkg/__init__.py (empty), pkg/model.py f(2), pkg/util.py
///   helper(1), pkg/data.json (binary: a diagnostic), config.yaml; not
///   analysed: logo.png, README.md, build/gen.py (a default exclude)
/// - c2 Bob: model.py f(3); tools/run.py run(2); pkg/big.py big(11)
/// - c3 Alice: pkg/util.py renamed pkg/helpers.py (same blob)
/// - c4 Bob: tools/run.py deleted
/// - c5 Carol (feature): pkg/feature.py feature(2)
/// - c6 Alice: model.py f(3) g(1)
/// - c7 Alice: merge of feature (--no-ff)
/// - c8 Bob: tools/run.py restored (the blob of c2)
/// - c9 Carol: model.py no longer parses
fn history(root: &Path) {
    std::fs::create_dir_all(root).unwrap();
    git_as(root, ALICE, "2024-01-01T12:00:00Z", &["init", "-q"]);
    write(root, "pkg/__init__.py", "");
    write(root, "pkg/model.py", MODEL_V1);
    write(root, "pkg/util.py", "def helper():\n    pass\n");
    std::fs::write(root.join("pkg/data.json"), b"\x00\x01\x02binary\n").unwrap();
    std::fs::write(root.join("logo.png"), b"\x89PNG\x00\x00").unwrap();
    write(root, "config.yaml", "lr: 0.1\nepochs: 3\n");
    write(root, "README.md", "# demo\n");
    write(root, "build/gen.py", "def gen():\n    pass\n");
    commit(root, ALICE, "2024-01-01T12:00:00Z", "c1: start");
    write(root, "pkg/model.py", MODEL_V2);
    write(root, "tools/run.py", RUN);
    write(root, "pkg/big.py", &big());
    commit(root, BOB, "2024-01-11T12:00:00Z", "c2: more cases");
    git_as(
        root,
        ALICE,
        "2024-01-21T12:00:00Z",
        &["mv", "pkg/util.py", "pkg/helpers.py"],
    );
    commit(root, ALICE, "2024-01-21T12:00:00Z", "c3: rename util");
    std::fs::remove_file(root.join("tools/run.py")).unwrap();
    commit(root, BOB, "2024-01-31T12:00:00Z", "c4: drop run.py");
    git_as(
        root,
        CAROL,
        "2024-02-05T12:00:00Z",
        &["checkout", "-q", "-b", "feature"],
    );
    write(
        root,
        "pkg/feature.py",
        "def feature(x):\n    return x if x else 0\n",
    );
    commit(root, CAROL, "2024-02-05T12:00:00Z", "c5: feature");
    git_as(
        root,
        ALICE,
        "2024-02-10T12:00:00Z",
        &["checkout", "-q", "main"],
    );
    write(root, "pkg/model.py", MODEL_V3);
    commit(root, ALICE, "2024-02-10T12:00:00Z", "c6: g");
    git_as(
        root,
        ALICE,
        "2024-02-15T12:00:00Z",
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "c7: merge feature",
            "feature",
        ],
    );
    write(root, "tools/run.py", RUN);
    commit(root, BOB, "2024-02-20T12:00:00Z", "c8: restore run.py");
    write(root, "pkg/model.py", MODEL_BROKEN);
    commit(root, CAROL, "2024-03-01T12:00:00Z", "c9: break model");
}

/// A temporary folder with the history in `repo/`.
struct Fixture {
    dir: tempfile::TempDir,
    repo: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        history(&repo);
        Fixture { dir, repo }
    }

    fn path(&self, rel: &str) -> String {
        self.dir.path().join(rel).to_str().unwrap().to_owned()
    }
}

fn mlscan(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mlscan"));
    command.arg("trend").args(args).arg("-q");
    command
}

fn run(args: &[&str]) -> Output {
    mlscan(args).output().unwrap()
}

/// Runs a trend that must succeed: (stdout, the `--stats` line).
fn trend(args: &[&str]) -> (String, String) {
    let output = run(&[args, &["--stats"]].concat());
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        stderr.lines().last().unwrap_or_default().to_owned(),
    )
}

/// The JSON trend and the `--stats` counts (without the cache size).
fn json(args: &[&str]) -> (Value, String) {
    let (stdout, stats) = trend(&[args, &["--format", "json"]].concat());
    let counts = stats
        .split(" · cache:")
        .next()
        .unwrap_or_default()
        .to_owned();
    (serde_json::from_str(&stdout).unwrap(), counts)
}

/// One repository-level series over the revisions.
fn series(trend: &Value, name: &str) -> Vec<Value> {
    let revisions = trend["revisions"].as_array().unwrap();
    revisions
        .iter()
        .map(|r| match name.split_once('.') {
            Some((map, key)) => r[map][key].clone(),
            None => r[name].clone(),
        })
        .collect()
}

fn ints(values: &[Value]) -> Vec<i64> {
    values.iter().map(|v| v.as_i64().unwrap()).collect()
}

fn strings(values: &[Value]) -> Vec<&str> {
    values.iter().map(|v| v.as_str().unwrap()).collect()
}

#[test]
fn series_counts_and_cache_reuse() {
    let fx = Fixture::new();
    let repo = fx.repo.to_str().unwrap();
    let cache = fx.path("cache");
    let (cold, counts) = json(&[repo, "--cache-dir", &cache]);
    // 54 = 5 + 7 + 7 + 6 + 6 + 7 + 8 + 8 files; 11 distinct contents, each
    // analysed once (the rename and the restored file are not analysed).
    assert_eq!(
        counts,
        "revisions: 8 (0 from snapshots) · file versions: 54 · distinct blobs: 11 · blobs analysed: 11 · Python parsed: 733 B of 733 B"
    );
    assert_eq!(cold["schema_version"], 3);
    assert_eq!(cold["prefix"], "");
    assert_eq!(cold["options"]["cc_threshold"], 10);
    assert_eq!(cold["options"]["first_parent"], true);
    let summaries = series(&cold, "summary");
    let names: Vec<&str> = strings(&summaries)
        .iter()
        .map(|s| s.split(':').next().unwrap_or_default())
        .collect();
    assert_eq!(names, ["c1", "c2", "c3", "c4", "c6", "c7", "c8", "c9"]);
    assert_eq!(
        strings(&series(&cold, "author")),
        [
            "Alice", "Bob", "Alice", "Bob", "Alice", "Alice", "Bob", "Carol"
        ]
    );
    assert_eq!(series(&cold, "date")[0], "2024-01-01T12:00:00Z");
    assert_eq!(ints(&series(&cold, "files")), [5, 7, 7, 6, 6, 7, 8, 8]);
    // c9's model.py does not parse: its functions are not counted.
    assert_eq!(
        ints(&series(&cold, "cyclomatic_total")),
        [3, 17, 17, 15, 16, 18, 20, 16]
    );
    assert_eq!(ints(&series(&cold, "functions")), [2, 4, 4, 3, 4, 5, 6, 4]);
    assert_eq!(
        ints(&series(&cold, "functions_over_threshold")),
        [0, 1, 1, 1, 1, 1, 1, 1]
    );
    assert_eq!(
        ints(&series(&cold, "syntax_error_files")),
        [0, 0, 0, 0, 0, 0, 0, 1]
    );
    let diagnostics = ints(&series(&cold, "diagnostics"));
    assert_eq!(diagnostics[..7], [1; 7], "the binary data.json");
    assert!(diagnostics[7] > 1, "and the syntax error: {diagnostics:?}");
    assert_eq!(series(&cold, "cyclomatic_mean")[0], 1.5);
    // model.py 4 and 6, util.py 2, config.yaml 2, run.py 3, big.py 22.
    assert_eq!(ints(&series(&cold, "sloc"))[..2], [8, 6 + 2 + 2 + 3 + 22]);

    let derived = &cold["derived"];
    assert_eq!(derived["days"], 60.0);
    // Lines of analysed files added by c2..c9 (first parent, c7 brings
    // feature.py), as `git log --first-parent --numstat`: 3 + 3 + 22, 0,
    // 0, 4, 2, 3, 2.
    assert_eq!(derived["commits"], 7);
    assert_eq!(derived["lines_added"], 28 + 4 + 2 + 3 + 2);
    let growth = &derived["growth"].as_array().unwrap();
    let cc = growth
        .iter()
        .find(|g| g["series"] == "cyclomatic_total")
        .unwrap();
    assert_eq!(
        (&cc["first"], &cc["last"], &cc["change"]),
        (&Value::from(3.0), &Value::from(16.0), &Value::from(13.0))
    );
    assert_eq!(cc["percent"], 433.33);
    assert_eq!(cc["per_30_days"], 6.5);
    let index: Vec<f64> = series(&cold, "complexity_index")
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let per_kloc = (index[7] - index[0]) * 1000.0 / 39.0;
    assert_eq!(
        derived["complexity_per_kloc_added"],
        (per_kloc * 100.0).round() / 100.0
    );

    // Warm: every revision from its snapshot, nothing analysed, same bytes.
    let (warm, counts) = json(&[repo, "--cache-dir", &cache]);
    assert_eq!(
        counts,
        "revisions: 8 (8 from snapshots) · file versions: 0 · distinct blobs: 0 · blobs analysed: 0 · Python parsed: 0 B of 0 B"
    );
    assert_eq!(warm, cold);
    let (text_cold, _) = trend(&[repo, "--no-cache", "--format", "json"]);
    let (text_warm, _) = trend(&[repo, "--cache-dir", &cache, "--format", "json"]);
    assert_eq!(text_cold, text_warm);

    // One more commit: only its new blob is analysed.
    write(&fx.repo, "pkg/model.py", MODEL_V3);
    write(&fx.repo, "pkg/extra.py", "def extra():\n    return 1\n");
    commit(&fx.repo, ALICE, "2024-03-05T12:00:00Z", "c10: fix model");
    let (third, counts) = json(&[repo, "--cache-dir", &cache]);
    assert_eq!(
        counts,
        "revisions: 9 (8 from snapshots) · file versions: 9 · distinct blobs: 9 · blobs analysed: 1 · Python parsed: 26 B of 26 B"
    );
    assert_eq!(ints(&series(&third, "cyclomatic_total"))[8], 21);

    // Every parent: c5 too, in commit-time order.
    let (all, counts) = json(&[
        repo,
        "--cache-dir",
        &cache,
        "--all-parents",
        "--until",
        "2024-03-01",
    ]);
    assert!(
        counts.starts_with("revisions: 9 (8 from snapshots) · file versions: 7 ·"),
        "{counts}"
    );
    assert_eq!(all["options"]["first_parent"], false);
    assert_eq!(ints(&series(&all, "cyclomatic_total"))[4], 17);
}

#[test]
fn selection_by_count_date_period_and_range() {
    let fx = Fixture::new();
    let repo = fx.repo.to_str().unwrap();
    let summaries = |args: &[&str]| -> Vec<String> {
        let (trend, _) = json(&[&[repo, "--no-cache"], args].concat());
        strings(&series(&trend, "summary"))
            .iter()
            .map(|s| s.split(':').next().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(summaries(&["--last", "2"]), ["c8", "c9"]);
    assert_eq!(
        summaries(&["--since", "2024-02-01", "--until", "2024-02-16"]),
        ["c6", "c7"]
    );
    // The last commit of each calendar month.
    assert_eq!(summaries(&["--every", "month"]), ["c4", "c8", "c9"]);
    assert_eq!(summaries(&["--revs", "main~3..main~1"]), ["c7", "c8"]);
    assert_eq!(summaries(&["--revs", "feature"]).len(), 5);
}

#[test]
fn identical_output_across_threads_and_caches() {
    let fx = Fixture::new();
    let repo = fx.repo.to_str().unwrap();
    let cache = fx.path("cache");
    // Threads share the revisions out two to a segment, one to the last
    // segment when their number is odd.
    let (cache3, cache8) = (fx.path("cache3"), fx.path("cache8"));
    let mut outputs = Vec::new();
    for format in ["json", "csv", "text"] {
        for args in [
            vec!["-j", "1", "--no-cache"],
            vec!["-j", "2", "--cache-dir", &cache],
            vec!["-j", "2", "--cache-dir", &cache],
            vec!["-j", "1", "--cache-dir", &cache],
            vec!["-j", "3", "--cache-dir", &cache3],
            vec!["-j", "8", "--cache-dir", &cache8],
        ] {
            let (out, _) = trend(&[&[repo, "--format", format], args.as_slice()].concat());
            outputs.push(out);
        }
        assert!(outputs.windows(2).all(|w| w[0] == w[1]), "{format}");
        outputs.clear();
    }
    let (csv, _) = trend(&[repo, "--no-cache", "--format", "csv"]);
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with(
        "commit,date,complexity_index,explainability,files,functions,cyclomatic_total,"
    ));
    assert!(header.contains(",sloc.model,") && header.contains(",findings.ml-debt,"));
    assert_eq!(lines.count(), 8);
    let (text, _) = trend(&[repo, "--no-cache"]);
    assert!(text.contains("cyclomatic_total"), "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("cyclomatic_total"))
        .unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[1..5], ["3", "16", "+13", "+6.50"]);
    assert_eq!(cells[5].chars().count(), 8, "one spark per revision");
    assert!(text.contains("complexity added per 1,000 lines added"));
    assert!(text.contains("8 revisions · 2024-01-01 → 2024-03-01 (60 days) · 7 commits, +39 −"));
}

#[test]
fn subfolder_excludes_and_limits() {
    let fx = Fixture::new();
    let pkg = fx.repo.join("pkg");
    let (trend, counts) = json(&[pkg.to_str().unwrap(), "--no-cache"]);
    assert_eq!(trend["prefix"], "pkg");
    // No config.yaml and no tools/run.py under pkg/.
    assert_eq!(ints(&series(&trend, "files")), [4, 5, 5, 5, 5, 6, 6, 6]);
    assert_eq!(
        ints(&series(&trend, "cyclomatic_total")),
        [3, 15, 15, 15, 16, 18, 18, 14]
    );
    assert!(counts.contains("distinct blobs: 9 ·"), "{counts}");
    assert_eq!(trend["derived"]["lines_added"], 3 + 22 + 4 + 2 + 2);

    let repo = fx.repo.to_str().unwrap();
    let files = |args: &[&str]| {
        let (trend, _) = json(&[&[repo, "--no-cache", "--last", "1"], args].concat());
        (
            ints(&series(&trend, "files"))[0],
            ints(&series(&trend, "diagnostics"))[0],
        )
    };
    assert_eq!(files(&[]), (8, 3));
    // build/gen.py is tracked: taken only without the default excludes.
    assert_eq!(files(&["--no-default-excludes"]).0, 9);
    assert_eq!(files(&["--exclude", "tools/"]).0, 7);
    // Over the size limit: skipped with a diagnostic.
    let (small, _) = files(&["--max-file-size", "100"]);
    assert_eq!(small, 7);
}

#[test]
fn clear_errors() {
    let fx = Fixture::new();
    let check = |args: &[&str], message: &str| {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{stderr}");
    };
    let plain = fx.dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    check(&[plain.to_str().unwrap()], "not inside a git repository");
    let repo = fx.repo.to_str().unwrap();
    check(&[repo, "--revs", "v9..main"], "revision not found: v9");
    check(&[repo, "--since", "2031-01-01"], "no commit matches");
    check(&[repo, "--since", "2024-13-01"], "invalid date");
    let shallow = fx.path("shallow");
    let url = format!("file://{repo}");
    git_as(
        fx.dir.path(),
        ALICE,
        "2024-01-01T00:00:00Z",
        &["clone", "-q", "--depth", "1", &url, &shallow],
    );
    check(&[&shallow], "shallow clone");
}

/// A run killed after its first snapshots leaves a cache the next run
/// resumes from, with the output of an uninterrupted run.
#[test]
fn an_interrupted_run_resumes() {
    let fx = Fixture::new();
    let repo = fx.repo.to_str().unwrap();
    let cache = fx.path("cache");
    let mut child = mlscan(&[repo, "--cache-dir", &cache, "--format", "json"])
        .env("MLSCAN_TREND_PAUSE_MS", "400")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let db = Path::new(&cache).join("cache.sqlite");
    let started = Instant::now();
    let snapshots = loop {
        let n = snapshot_count(&db);
        if n >= 2 {
            break n;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no snapshot written"
        );
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(snapshots < 8);

    let (resumed, counts) = json(&[repo, "--cache-dir", &cache]);
    let from_snapshots: u64 = counts
        .split(" from snapshots")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!((2..8).contains(&from_snapshots), "{counts}");
    let (fresh, _) = json(&[repo, "--no-cache"]);
    assert_eq!(resumed, fresh);
}

/// Revisions' snapshots in the cache file (not the line counts of the
/// commits between them), 0 while it is not there yet.
fn snapshot_count(db: &Path) -> i64 {
    let Ok(db) =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    db.query_row(
        "SELECT count(*) FROM snapshots WHERE extra NOT LIKE 'lines %'",
        [],
        |row| row.get(0),
    )
    .unwrap_or(0)
}

#[test]
fn the_chart_draws_the_index_and_explainability_per_sample() {
    let fx = Fixture::new();
    let repo = fx.repo.to_str().unwrap();
    let cache = fx.path("cache");
    let chart = fx.path("trend.svg");
    let (svg, _) = trend(&[repo, "--cache-dir", &cache, "--format", "svg"]);
    let (_, _) = trend(&[repo, "--cache-dir", &cache, "--chart", &chart]);
    assert_eq!(std::fs::read_to_string(&chart).unwrap(), svg);
    assert!(svg.starts_with("<?xml"), "{}", &svg[..80.min(svg.len())]);
    assert!(svg.contains("Complexity index (higher: more to hold in mind)"));
    assert!(svg.contains("Explainability (higher: easier to explain)"));
    assert!(svg.contains(">repository<"));
    assert!(
        svg.contains("8 revisions"),
        "the subtitle counts the samples"
    );
    // One polyline path per drawn series segment, none empty.
    assert!(svg.matches("<path").count() >= 2);
    assert!(!svg.contains("NaN"));
}

#[test]
fn activity_and_validation_at_the_newest_sample() {
    let fx = Fixture::new();
    let repo = fx.repo.to_str().unwrap();
    let cache = fx.path("cache");
    let args = [
        repo,
        "--cache-dir",
        &cache,
        "--validate",
        "--validate-window",
        "30",
        "--bug-pattern",
        "(?i)\\b(restore|break)\\b",
    ];
    let (trend, _) = json(&args);
    let activity = &trend["activity"];
    // All eight first-parent commits are inside 90 days of c9.
    assert_eq!(activity["commits"], 8);
    assert_eq!(activity["until"], "2024-03-01T12:00:00Z");
    let row = |name: &str| {
        activity["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()
            .clone()
    };
    // pkg: c1, c2, c3 (rename), c6, c7 (the merge brings feature.py), c9;
    // three authors, none holding half of the lines.
    let pkg = row("pkg");
    assert_eq!(
        (
            pkg["commits"].as_u64(),
            pkg["authors"].as_u64(),
            pkg["bus_factor"].as_u64()
        ),
        (Some(6), Some(3), Some(2))
    );
    assert_eq!(pkg["knowledge"], 0.0);
    // tools: run.py added (c2), deleted (c4), restored (c8), all by Bob:
    // +3 +3 −3 lines, bus factor 1, knowledge 1.
    let tools = row("tools");
    assert_eq!(
        (
            tools["commits"].as_u64(),
            tools["added"].as_u64(),
            tools["removed"].as_u64()
        ),
        (Some(3), Some(6), Some(3))
    );
    assert_eq!(
        (tools["bus_factor"].as_u64(), tools["main_author"].as_str()),
        (Some(1), Some("Bob"))
    );
    assert_eq!(tools["knowledge"], 1.0);
    assert!(tools["explainability_with_knowledge"].as_f64() < tools["explainability"].as_f64());
    // Hotspots: big.py (1 revision × cognitive 10), run.py (3 × 1).
    let hot: Vec<(String, u64)> = activity["hotspots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["name"].as_str().unwrap().to_owned(),
                h["score"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        &hot[..2],
        [
            ("pkg/big.py".to_owned(), 10),
            ("tools/run.py".to_owned(), 3)
        ]
    );

    // Validation: the newest sample at least 30 days before c9 is c4;
    // after it c6, c7, c8, c9, of which c8 (restore) and c9 (break) match.
    let v = &trend["validation"];
    assert_eq!(v["date"], "2024-01-31T12:00:00Z");
    assert_eq!(
        (v["commits"].as_u64(), v["bug_fix_commits"].as_u64()),
        (Some(4), Some(2))
    );
    let fixes: Vec<(String, u64)> = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["bug_fixes"].as_u64().unwrap(),
            )
        })
        .collect();
    // tools/ did not exist at c4: its fix (c8) has no score to judge.
    assert_eq!(fixes, [("(root)".to_owned(), 0), ("pkg".to_owned(), 1)]);
    // Two components cannot give a rank correlation.
    assert!(v["correlations"]["explainability_vs_fixes"].is_null());

    // The activity is cached with the newest sample's values; a too-long
    // validation window is an error.
    let (again, counts) = json(&args);
    assert_eq!(again, trend);
    assert!(counts.contains("blobs analysed: 0"), "{counts}");
    let output = run(&[repo, "--cache-dir", &cache, "--validate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 180 days before"));
}

/// Bug fixes are counted after the judged sample by ancestry, not by date:
/// a commit before it with a later date is not "after" it.
#[test]
fn validation_counts_fixes_after_the_sample_by_ancestry() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(&root).unwrap();
    git_as(&root, ALICE, "2024-01-01T12:00:00Z", &["init", "-q"]);
    write(&root, "pkg/a.py", MODEL_V1);
    commit(&root, ALICE, "2024-01-01T12:00:00Z", "c1: add a");
    write(&root, "pkg/a.py", MODEL_V2);
    commit(&root, ALICE, "2024-03-01T12:00:00Z", "c2: fix a");
    // Rebased or imported: dated before its parent.
    write(&root, "pkg/b.py", RUN);
    commit(&root, BOB, "2024-02-01T12:00:00Z", "c3: add b");
    write(&root, "pkg/b.py", MODEL_V1);
    commit(&root, BOB, "2024-06-01T12:00:00Z", "c4: fix b");
    let repo = root.to_str().unwrap();
    let cache = dir.path().join("cache");
    let (trend, _) = json(&[
        repo,
        "--cache-dir",
        cache.to_str().unwrap(),
        "--validate",
        "--validate-window",
        "60",
        "--no-activity",
    ]);
    let v = &trend["validation"];
    // The newest sample at least 60 days before c4 is c3 (2024-02-01);
    // after it by ancestry only c4, a fix; c2 (later date, earlier commit)
    // is not counted.
    assert_eq!(v["date"], "2024-02-01T12:00:00Z");
    assert_eq!(
        (v["commits"].as_u64(), v["bug_fix_commits"].as_u64()),
        (Some(1), Some(1))
    );
}

/// A file's next version parses its changed statements only: the others
/// are remembered from the version before, with the same facts.
#[test]
fn a_new_version_parses_only_its_changed_statements() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(&root).unwrap();
    git_as(&root, ALICE, "2024-01-01T12:00:00Z", &["init", "-q"]);
    let a = "def a(x):\n    return x + 1\n\n\n";
    let (b1, b2) = (
        "def b(x):\n    return x * 2\n\n\n",
        "def b(x):\n    if x:\n        return x * 2\n    return 0\n\n\n",
    );
    let c = "def c():\n    return 3\n";
    write(&root, "m.py", &format!("{a}{b1}{c}"));
    commit(&root, ALICE, "2024-01-01T12:00:00Z", "c1");
    write(&root, "m.py", &format!("{a}{b2}{c}"));
    commit(&root, ALICE, "2024-01-02T12:00:00Z", "c2");
    let repo = root.to_str().unwrap();
    let cache = dir.path().join("cache");
    let (trend, counts) = json(&[repo, "--cache-dir", cache.to_str().unwrap()]);
    let met = 2 * (a.len() + c.len()) + b1.len() + b2.len();
    let parsed = a.len() + c.len() + b1.len() + b2.len();
    assert!(
        counts.ends_with(&format!("Python parsed: {parsed} B of {met} B")),
        "{counts}"
    );
    // The facts are those of a scan of each version alone.
    assert_eq!(ints(&series(&trend, "cyclomatic_total")), [3, 4]);
    assert_eq!(ints(&series(&trend, "functions")), [3, 3]);
}
