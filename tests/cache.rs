//! The working-tree cache of `scan` and `map`: a warm rescan analyses
//! nothing, an edit analyses one file, a moved file is recognised by its
//! content, and the report never depends on the cache.

use std::path::Path;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;

/// Copies `from` into `to` without its cache, dating every file an hour
/// back (the cache does not trust modification times of the last two
/// seconds).
fn copy_aged(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".mlscan" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_aged(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            age(&target);
        }
    }
}

fn age(path: &Path) {
    let file = std::fs::File::options().append(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

/// Runs `mlscan ARGS --stats -q`: (stdout, the stats line).
fn run(args: &[&str]) -> (String, String) {
    let output = Command::cargo_bin("mlscan")
        .unwrap()
        .args(args)
        .args(["--stats", "-q", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        stderr.lines().last().unwrap_or_default().to_owned(),
    )
}

#[test]
fn warm_scans_analyse_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_aged(Path::new("testdata/mlrepo"), &repo);
    let repo = repo.to_str().unwrap();

    let (cold, stats) = run(&["scan", repo]);
    assert_eq!(
        stats,
        "files: 16 analysed, 0 from the cache · Python parsed: 3.8 KiB of 3.8 KiB"
    );
    let (warm, stats) = run(&["scan", repo]);
    assert_eq!(
        stats,
        "files: 0 analysed, 16 from the cache · Python parsed: 0 B of 0 B"
    );
    assert_eq!(warm, cold);
    let (uncached, stats) = run(&["scan", repo, "--no-cache"]);
    assert_eq!(
        stats,
        "files: 16 analysed, 0 from the cache · Python parsed: 3.8 KiB of 3.8 KiB"
    );
    assert_eq!(uncached, cold);
    // `map` reads the same cache.
    let (_, stats) = run(&["map", repo]);
    assert_eq!(
        stats,
        "files: 0 analysed, 16 from the cache · Python parsed: 0 B of 0 B"
    );

    // One edit: one analysis; the report is the uncached one.
    let edited = Path::new(repo).join("src/shop/registry.py");
    let mut text = std::fs::read_to_string(&edited).unwrap();
    text.push_str("\n\ndef added(x):\n    return x if x else 0\n");
    std::fs::write(&edited, text).unwrap();
    age(&edited);
    let (warm, stats) = run(&["scan", repo]);
    // A new process remembers no statement: the file is parsed whole.
    assert_eq!(
        stats,
        "files: 1 analysed, 15 from the cache · Python parsed: 424 B of 424 B"
    );
    let (uncached, _) = run(&["scan", repo, "--no-cache"]);
    assert_eq!(warm, uncached);

    // A moved file and a fresh copy of the repository: read and hashed,
    // not analysed again.
    std::fs::rename(
        Path::new(repo).join("src/shop/features/build.py"),
        Path::new(repo).join("src/shop/features/make.py"),
    )
    .unwrap();
    let (_, stats) = run(&["scan", repo]);
    assert_eq!(
        stats,
        "files: 0 analysed, 16 from the cache · Python parsed: 0 B of 0 B"
    );
    let clone = dir.path().join("clone");
    copy_aged(Path::new(repo), &clone);
    let cache_dir = Path::new(repo).join(".mlscan");
    let (_, stats) = run(&[
        "scan",
        clone.to_str().unwrap(),
        "--cache-dir",
        cache_dir.to_str().unwrap(),
    ]);
    assert_eq!(
        stats,
        "files: 0 analysed, 16 from the cache · Python parsed: 0 B of 0 B"
    );
}

#[test]
fn an_unusable_cache_folder_is_a_warning_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let output = Command::cargo_bin("mlscan")
        .unwrap()
        .args(["scan", "testdata/mlrepo", "--format", "json", "--cache-dir"])
        .arg(blocker.join("cache"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("mlscan: warning:"), "{stderr}");
}
