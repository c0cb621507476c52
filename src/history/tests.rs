//! History reading against repositories built with the `git` CLI, checked
//! against git's own answers (`rev-parse`, `log`, `ls-tree`, `--numstat`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;

#[path = "../../tests/support/git.rs"]
mod git_cli;
pub(crate) use git_cli::git_as;

fn git(dir: &Path, args: &[&str]) -> String {
    git_as(
        dir,
        ("Tester", "tester@example.com"),
        "2024-01-01T00:00:00Z",
        args,
    )
}

fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const ALICE: (&str, &str) = ("Alice", "alice@example.com");
const ALICE_OLD: (&str, &str) = ("alice", "alice@old.example.com");
const BOB: (&str, &str) = ("Bob", "bob@example.com");

/// The fixture's history. First parent: c1 c2 c3 c4 c6 c7 c8 c9; c5 is on
/// `feature`, merged by c7.
/// - c1 Alice: pkg/{__init__,model,util}.py, config.yaml, tools/run.py,
///   README.md (not analysed), .mailmap merging alice@old into Alice
/// - c2 alice@old (+02:00): model.py edited, pkg/data.json binary, logo.png
/// - c3 Bob: pkg/util.py renamed to pkg/helpers.py, config.yaml edited
/// - c4 Alice: tools/run.py deleted; annotated tag v1
/// - c5 Bob (feature): pkg/feature.py
/// - c6 Alice: model.py edited
/// - c7 Alice: merge of feature (--no-ff)
/// - c8 Bob (-05:00): tools/run.py restored (same blob as in c1)
/// - c9 Alice: helpers.py edited, symlink pkg/link.py, submodule vendor/lib.py
struct Fixture {
    dir: tempfile::TempDir,
    root: PathBuf,
    /// c1..c9 by name.
    ids: BTreeMap<&'static str, ObjectId>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir(&root).unwrap();
        let r = root.as_path();
        let mut ids = BTreeMap::new();
        let head = || ObjectId::from_hex(git(r, &["rev-parse", "HEAD"]).trim().as_bytes()).unwrap();
        let commit = |who, date, message: &str| {
            git_as(r, who, date, &["add", "-A"]);
            git_as(r, who, date, &["commit", "-q", "-m", message]);
            head()
        };
        git(r, &["init", "-q"]);
        write(r, "pkg/__init__.py", b"");
        write(r, "pkg/model.py", b"import os\n\ndef f(x):\n    return x\n");
        write(r, "pkg/util.py", b"def helper():\n    pass\n");
        write(r, "config.yaml", b"lr: 0.1\nepochs: 3\n");
        write(r, "tools/run.py", b"print('run')\n");
        write(r, "README.md", b"# demo\n");
        write(
            r,
            ".mailmap",
            b"Alice <alice@example.com> <alice@old.example.com>\n",
        );
        ids.insert("c1", commit(ALICE, "2024-01-03T12:00:00Z", "c1: start"));
        write(
            r,
            "pkg/model.py",
            b"import os\nimport sys\n\ndef f(x):\n    return x + 1\n",
        );
        write(r, "pkg/data.json", b"\x00\x01\x02binary\n");
        write(r, "logo.png", b"\x89PNG\x00\x00");
        let c2 = commit(
            ALICE_OLD,
            "2024-01-10T14:00:00+02:00",
            "c2: edit model\n\nbody text",
        );
        ids.insert("c2", c2);
        git(r, &["mv", "pkg/util.py", "pkg/helpers.py"]);
        write(r, "config.yaml", b"lr: 0.2\nepochs: 3\nseed: 1\n");
        ids.insert("c3", commit(BOB, "2024-02-05T12:00:00Z", "c3: rename util"));
        std::fs::remove_file(r.join("tools/run.py")).unwrap();
        ids.insert(
            "c4",
            commit(ALICE, "2024-02-20T12:00:00Z", "c4: drop run.py"),
        );
        git_as(
            r,
            ALICE,
            "2024-02-20T12:00:00Z",
            &["tag", "-a", "v1", "-m", "v1"],
        );
        git(r, &["checkout", "-q", "-b", "feature"]);
        write(r, "pkg/feature.py", b"def feature():\n    return 1\n");
        ids.insert("c5", commit(BOB, "2024-03-02T12:00:00Z", "c5: feature"));
        git(r, &["checkout", "-q", "main"]);
        write(
            r,
            "pkg/model.py",
            b"import os\nimport sys\n\ndef f(x):\n    return x + 2\n",
        );
        ids.insert("c6", commit(ALICE, "2024-03-05T12:00:00Z", "c6: tweak"));
        git_as(
            r,
            ALICE,
            "2024-03-10T12:00:00Z",
            &[
                "merge",
                "-q",
                "--no-ff",
                "-m",
                "c7: merge feature",
                "feature",
            ],
        );
        ids.insert("c7", head());
        write(r, "tools/run.py", b"print('run')\n");
        ids.insert(
            "c8",
            commit(BOB, "2024-04-15T12:00:00-05:00", "c8: restore run.py"),
        );
        write(r, "pkg/helpers.py", b"def helper():\n    return 2\n");
        std::os::unix::fs::symlink("model.py", r.join("pkg/link.py")).unwrap();
        let c1 = ids["c1"].to_string();
        git(
            r,
            &[
                "update-index",
                "--add",
                "--cacheinfo",
                &format!("160000,{c1},vendor/lib.py"),
            ],
        );
        ids.insert("c9", commit(ALICE, "2024-06-01T12:00:00Z", "c9: helpers"));
        Fixture { dir, root, ids }
    }

    fn ids(&self, names: &[&str]) -> Vec<ObjectId> {
        names.iter().map(|name| self.ids[name]).collect()
    }

    fn repo(&self) -> Repo {
        Repo::discover(&self.root).unwrap()
    }
}

fn ids_of(revisions: &[Revision]) -> Vec<ObjectId> {
    revisions.iter().map(|r| r.id).collect()
}

fn first_parent() -> Options {
    Options {
        first_parent: true,
        ..Options::default()
    }
}

#[test]
fn revisions_match_git_log() {
    let fx = Fixture::new();
    let repo = fx.repo();
    assert_eq!(repo.prefix(), "");
    for (first_parent, flag) in [(true, "--first-parent"), (false, "--date-order")] {
        let options = Options {
            first_parent,
            ..Options::default()
        };
        let revisions = repo.revisions(&options).unwrap();
        let log = git(
            &fx.root,
            &[
                "log",
                flag,
                "--reverse",
                "--format=%H%x09%P%x09%ct%x09%cI%x09%aN%x09%aE%x09%s",
            ],
        );
        let expected: Vec<Vec<&str>> = log.lines().map(|l| l.split('\t').collect()).collect();
        assert_eq!(revisions.len(), expected.len());
        for (revision, fields) in revisions.iter().zip(&expected) {
            assert_eq!(revision.id.to_string(), fields[0]);
            let parents: Vec<String> = revision.parents.iter().map(ToString::to_string).collect();
            assert_eq!(parents.join(" "), fields[1]);
            assert_eq!(revision.time.to_string(), fields[2]);
            assert_eq!(revision.date, fields[3]);
            assert_eq!(
                (revision.author.as_str(), revision.email.as_str()),
                (fields[4], fields[5])
            );
            assert_eq!(revision.summary, fields[6]);
            assert_eq!(revision.is_merge(), parents.len() > 1);
        }
    }
    let all = repo.revisions(&Options::default()).unwrap();
    assert_eq!(
        ids_of(&all),
        fx.ids(&["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"])
    );
    // .mailmap: c2's old identity is Alice; offsets are kept.
    assert_eq!((all[1].author.as_str(), all[1].email.as_str()), ALICE);
    assert_eq!(all[1].date, "2024-01-10T14:00:00+02:00");
    assert_eq!(all[1].offset, 7200);
    assert_eq!(all[7].date, "2024-04-15T12:00:00-05:00");
    assert_eq!(all[1].summary, "c2: edit model");
}

#[test]
fn selection_options() {
    let fx = Fixture::new();
    let repo = fx.repo();
    let select = |options: Options| ids_of(&repo.revisions(&options).unwrap());
    let main = |names: &[&str]| fx.ids(names);

    let last = select(Options {
        last: Some(3),
        ..first_parent()
    });
    assert_eq!(last, main(&["c7", "c8", "c9"]));

    let window = Options {
        since: Some(date_start("2024-02-05").unwrap()),
        until: Some(date_end("2024-03-05").unwrap()),
        ..first_parent()
    };
    assert_eq!(select(window.clone()), main(&["c3", "c4", "c6"]));
    let all = Options {
        first_parent: false,
        ..window
    };
    assert_eq!(select(all), main(&["c3", "c4", "c5", "c6"]));

    let every = |period: &str, last: Option<usize>| {
        select(Options {
            every: Some(period.parse().unwrap()),
            last,
            ..first_parent()
        })
    };
    // c6 (Tuesday) and c7 (Sunday) share the ISO week of 2024-03-04.
    assert_eq!(
        every("1w", None),
        main(&["c1", "c2", "c3", "c4", "c7", "c8", "c9"])
    );
    assert_eq!(every("month", None), main(&["c2", "c4", "c7", "c8", "c9"]));
    assert_eq!(every("quarter", None), main(&["c7", "c9"]));
    assert_eq!(every("1y", None), main(&["c9"]));
    // 30-day buckets back from c9 (2024-06-01): c1 is 150 days back, c2 143.
    assert_eq!(
        every("30d", None),
        main(&["c1", "c2", "c4", "c7", "c8", "c9"])
    );
    assert_eq!(every("month", Some(2)), main(&["c8", "c9"]));

    let range = |range: &str, first_parent: bool| {
        select(Options {
            range: Some(range.to_string()),
            first_parent,
            ..Options::default()
        })
    };
    assert_eq!(range("v1..HEAD", true), main(&["c6", "c7", "c8", "c9"]));
    assert_eq!(range("v1..", false), main(&["c5", "c6", "c7", "c8", "c9"]));
    assert_eq!(range("v1", true), main(&["c1", "c2", "c3", "c4"]));
    assert_eq!(
        range("feature", true),
        main(&["c1", "c2", "c3", "c4", "c5"])
    );
    assert_eq!(
        range("HEAD~2", true),
        main(&["c1", "c2", "c3", "c4", "c6", "c7"])
    );
    let c4 = fx.ids["c4"].to_string();
    assert_eq!(range(&format!("{c4}..feature"), true), main(&["c5"]));
}

#[test]
fn errors_name_the_problem() {
    let fx = Fixture::new();
    let repo = fx.repo();
    for (range, missing) in [
        ("nope", "nope"),
        ("v1..nope", "nope"),
        ("nope..HEAD", "nope"),
    ] {
        let options = Options {
            range: Some(range.to_string()),
            ..first_parent()
        };
        let err = repo.revisions(&options).unwrap_err();
        assert_eq!(err, Error::MissingRevision(missing.to_string()));
        assert_eq!(err.to_string(), format!("revision not found: {missing}"));
    }
    let options = Options {
        range: Some("v1...HEAD".to_string()),
        ..first_parent()
    };
    assert!(matches!(repo.revisions(&options), Err(Error::Invalid(_))));

    let plain = tempfile::tempdir().unwrap();
    let err = Repo::discover(plain.path()).err().unwrap();
    assert_eq!(err, Error::NotARepository(plain.path().to_path_buf()));
    assert!(err.to_string().ends_with("not inside a git repository"));

    let empty = tempfile::tempdir().unwrap();
    git(empty.path(), &["init", "-q"]);
    assert_eq!(
        Repo::discover(empty.path()).err(),
        Some(Error::Empty(empty.path().to_path_buf()))
    );

    let shallow = fx.dir.path().join("shallow");
    let url = format!("file://{}", fx.root.display());
    git(
        fx.dir.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
    );
    let err = Repo::discover(&shallow).err().unwrap();
    assert_eq!(err, Error::Shallow(shallow.clone()));
    assert!(err.to_string().contains("git fetch --unshallow"));

    let file = fx.root.join("README.md");
    assert!(matches!(Repo::discover(&file), Err(Error::Invalid(_))));
}

#[test]
fn bare_repository_and_git_dir() {
    let fx = Fixture::new();
    let bare = fx.dir.path().join("bare.git");
    git(
        fx.dir.path(),
        &[
            "clone",
            "-q",
            "--bare",
            fx.root.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    let expected = ids_of(&fx.repo().revisions(&first_parent()).unwrap());
    for path in [bare.clone(), bare.join("refs"), fx.root.join(".git")] {
        let repo = Repo::discover(&path).unwrap();
        assert_eq!(repo.prefix(), "", "{}", path.display());
        assert_eq!(ids_of(&repo.revisions(&first_parent()).unwrap()), expected);
    }
}

/// `git ls-tree -r -l` entries under `prefix`: (path, blob, size) of analysed blobs.
fn ls_tree(fx: &Fixture, commit: ObjectId, prefix: &str) -> Vec<(String, ObjectId, u64)> {
    let listing = git(&fx.root, &["ls-tree", "-r", "-l", &commit.to_string()]);
    let mut files: Vec<_> = listing
        .lines()
        .filter_map(|line| {
            let (meta, path) = line.split_once('\t')?;
            let fields: Vec<&str> = meta.split_whitespace().collect();
            let rel = if prefix.is_empty() {
                path
            } else {
                path.strip_prefix(prefix)?.strip_prefix('/')?
            };
            let name = rel.rsplit('/').next()?;
            let blob = fields[0] == "100644" || fields[0] == "100755";
            (blob && crate::walk::language_of(name).is_some()).then(|| {
                let id = ObjectId::from_hex(fields[2].as_bytes()).unwrap();
                (rel.to_string(), id, fields[3].parse().unwrap())
            })
        })
        .collect();
    files.sort();
    files
}

#[test]
fn tree_listing_matches_ls_tree() {
    let fx = Fixture::new();
    let repo = fx.repo();
    let sub = Repo::discover(&fx.root.join("pkg")).unwrap();
    assert_eq!(sub.prefix(), "pkg");
    for (name, id) in &fx.ids {
        for (repo, prefix) in [(&repo, ""), (&sub, "pkg")] {
            let files: Vec<_> = repo
                .files(*id)
                .unwrap()
                .into_iter()
                .map(|f| (f.path, f.blob, f.size))
                .collect();
            assert_eq!(files, ls_tree(&fx, *id, prefix), "{name} {prefix}");
        }
    }
    let c9: Vec<String> = sub
        .files(fx.ids["c9"])
        .unwrap()
        .into_iter()
        .map(|f| f.path)
        .collect();
    // No symlink (link.py), no submodule, no binary png; data.json is listed.
    assert_eq!(
        c9,
        [
            "__init__.py",
            "data.json",
            "feature.py",
            "helpers.py",
            "model.py"
        ]
    );
    let top: Vec<String> = repo
        .files(fx.ids["c9"])
        .unwrap()
        .into_iter()
        .map(|f| f.path)
        .collect();
    assert!(
        !top.iter()
            .any(|p| p.starts_with("vendor") || p.ends_with("link.py"))
    );
    // Deleted then restored: the same blob id again.
    let run = |commit: &str| {
        repo.files(fx.ids[commit])
            .unwrap()
            .into_iter()
            .find(|f| f.path == "tools/run.py")
    };
    assert!(run("c4").is_none());
    let restored = run("c8").unwrap();
    assert_eq!(restored.blob, run("c1").unwrap().blob);
    assert_eq!(restored.language, crate::facts::Language::Python);
    // A prefix that did not exist yet lists nothing.
    let tools = Repo::discover(&fx.root.join("tools")).unwrap();
    assert!(tools.files(fx.ids["c4"]).unwrap().is_empty());
}

#[test]
fn blobs_read_in_parallel() {
    let fx = Fixture::new();
    let repo = fx.repo();
    let files = repo.files(fx.ids["c9"]).unwrap();
    let files = &files;
    let readers = [repo.blob_reader(), repo.blob_reader()];
    let results: Vec<Vec<Vec<u8>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = readers
            .into_iter()
            .map(|mut reader| {
                scope.spawn(move || {
                    files
                        .iter()
                        .map(|f| reader.read(f.blob).unwrap().to_vec())
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (index, file) in files.iter().enumerate() {
        let expected = std::fs::read(fx.root.join(&file.path)).unwrap();
        assert_eq!(results[0][index], expected, "{}", file.path);
        assert_eq!(results[1][index], expected, "{}", file.path);
        assert_eq!(expected.len() as u64, file.size);
    }
}

/// `git log --first-parent --numstat -M100%` as (commit, path, renamed
/// from, added, removed, binary), restricted to analysed files under `prefix`.
type Numstat = Vec<(ObjectId, String, Option<String>, u32, u32, bool)>;

fn git_numstat(root: &Path, prefix: &str, last: usize) -> Numstat {
    let last = format!("-n{last}");
    let log = git(
        root,
        &[
            "log",
            &last,
            "--first-parent",
            "--diff-merges=first-parent",
            "--numstat",
            "-M100%",
            "--format=@%H",
        ],
    );
    // numstat does not show modes: symlinks (all present at HEAD) are dropped by name.
    let tree = git(root, &["ls-tree", "-r", "HEAD"]);
    let links: Vec<&str> = tree
        .lines()
        .filter(|l| l.starts_with("120000"))
        .filter_map(|l| l.split_once('\t').map(|(_, path)| path))
        .collect();
    let strip = |path: &str| -> Option<String> {
        if links.contains(&path) {
            return None;
        }
        let rel = if prefix.is_empty() {
            path
        } else {
            path.strip_prefix(prefix)?.strip_prefix('/')?
        };
        crate::walk::language_of(rel.rsplit('/').next()?).map(|_| rel.to_string())
    };
    let mut out = Vec::new();
    let mut commit = None;
    for line in log.lines().filter(|l| !l.is_empty()) {
        if let Some(hex) = line.strip_prefix('@') {
            commit = Some(ObjectId::from_hex(hex.as_bytes()).unwrap());
            continue;
        }
        let fields: Vec<&str> = line.splitn(3, '\t').collect();
        // Renames: `a/{old => new}/b` or `old => new`.
        let (from, to) = match fields[2].split_once(" => ") {
            Some((left, right)) => match (left.split_once('{'), right.split_once('}')) {
                (Some((head, old)), Some((new, tail))) => {
                    let join = |mid: &str| format!("{head}{mid}{tail}").replace("//", "/");
                    (Some(join(old)), join(new))
                }
                _ => (Some(left.to_string()), right.to_string()),
            },
            None => (None, fields[2].to_string()),
        };
        let Some(to) = strip(&to) else { continue };
        let binary = fields[0] == "-";
        let count = |s: &str| s.parse().unwrap_or(0);
        out.push((
            commit.unwrap(),
            to,
            from.and_then(|f| strip(&f)),
            count(fields[0]),
            count(fields[1]),
            binary,
        ));
    }
    out.sort();
    out
}

fn our_numstat(changes: &[CommitChanges]) -> Numstat {
    let mut out: Numstat = changes
        .iter()
        .flat_map(|c| {
            c.files.iter().map(|f| {
                let from = match &f.kind {
                    ChangeKind::Renamed { from } => Some(from.clone()),
                    _ => None,
                };
                (
                    c.revision.id,
                    f.path.clone(),
                    from,
                    f.added,
                    f.removed,
                    f.binary,
                )
            })
        })
        .collect();
    out.sort();
    out
}

#[test]
fn changes_match_git_numstat() {
    let fx = Fixture::new();
    for prefix in ["", "pkg"] {
        let repo = Repo::discover(&fx.root.join(prefix)).unwrap();
        let revisions = repo.revisions(&first_parent()).unwrap();
        let changes = repo
            .changes(&revisions, 1, &KnownCounts::default())
            .unwrap();
        assert_eq!(
            our_numstat(&changes),
            git_numstat(&fx.root, prefix, 1000),
            "prefix {prefix:?}"
        );
        // Worker threads give the same answer, in the same order.
        assert_eq!(
            repo.changes(&revisions, 3, &KnownCounts::default())
                .unwrap(),
            changes
        );
        // Counts known for a pair of contents are taken as given.
        let modified = changes
            .iter()
            .flat_map(|c| &c.files)
            .find(|f| f.kind == ChangeKind::Modified)
            .unwrap();
        let pair = (modified.old_blob.unwrap(), modified.new_blob.unwrap());
        let given = LineCounts {
            added: 1234,
            removed: 5678,
            binary: false,
        };
        let known: KnownCounts = [(pair, given)].into_iter().collect();
        let with_known = repo.changes(&revisions, 2, &known).unwrap();
        let taken = with_known
            .iter()
            .flat_map(|c| &c.files)
            .find(|f| (f.old_blob, f.new_blob) == (Some(pair.0), Some(pair.1)))
            .unwrap();
        assert_eq!((taken.added, taken.removed), (1234, 5678));
        // And the line diff of the prefetch counts as the commits do.
        let read = |blob| repo.blob_reader().read(blob).unwrap().to_vec();
        let counted = LineDiff::default().counts(&read(pair.0), &read(pair.1));
        assert_eq!(
            (counted.added, counted.removed),
            (modified.added, modified.removed)
        );
    }

    let repo = fx.repo();
    let revisions = repo.revisions(&first_parent()).unwrap();
    let changes = repo
        .changes(&revisions, 2, &KnownCounts::default())
        .unwrap();
    let of = |name: &str| {
        &changes
            .iter()
            .find(|c| c.revision.id == fx.ids[name])
            .unwrap()
            .files
    };
    let kinds = |name: &str| -> Vec<(String, ChangeKind)> {
        of(name)
            .iter()
            .map(|f| (f.path.clone(), f.kind.clone()))
            .collect()
    };
    let file = |path: &str, kind| (path.to_string(), kind);
    // Root commit: everything added, against the empty tree.
    assert_eq!(
        kinds("c1"),
        [
            file("config.yaml", ChangeKind::Added),
            file("pkg/__init__.py", ChangeKind::Added),
            file("pkg/model.py", ChangeKind::Added),
            file("pkg/util.py", ChangeKind::Added),
            file("tools/run.py", ChangeKind::Added),
        ]
    );
    assert_eq!(of("c1")[2].added, 4);
    // Binary json: flagged, no counts; logo.png is not analysed.
    let data = of("c2").iter().find(|f| f.path == "pkg/data.json").unwrap();
    assert!(data.binary && data.added == 0 && data.removed == 0);
    assert_eq!(of("c2").len(), 2);
    let renamed = ChangeKind::Renamed {
        from: "pkg/util.py".to_string(),
    };
    assert_eq!(
        kinds("c3"),
        [
            file("config.yaml", ChangeKind::Modified),
            file("pkg/helpers.py", renamed)
        ]
    );
    assert_eq!((of("c3")[0].added, of("c3")[0].removed), (2, 1));
    assert_eq!(kinds("c4"), [file("tools/run.py", ChangeKind::Deleted)]);
    assert_eq!(of("c4")[0].new_blob, None);
    // The merge: what the branch brought, against the first parent.
    assert!(
        changes
            .iter()
            .find(|c| c.revision.id == fx.ids["c7"])
            .unwrap()
            .revision
            .is_merge()
    );
    assert_eq!(kinds("c7"), [file("pkg/feature.py", ChangeKind::Added)]);
    // Restored with the blob it had before deletion.
    assert_eq!(of("c8")[0].new_blob, of("c4")[0].old_blob);
    // Symlink and submodule are not changes.
    assert_eq!(kinds("c9"), [file("pkg/helpers.py", ChangeKind::Modified)]);
    // Authors after .mailmap.
    assert_eq!(changes[1].revision.email, "alice@example.com");

    // The window: first-parent commits since 2024-03-01.
    let window = repo
        .changes_since(None, date_start("2024-03-01").unwrap(), &[], 1)
        .unwrap();
    let ids: Vec<ObjectId> = window.iter().map(|c| c.revision.id).collect();
    assert_eq!(ids, fx.ids(&["c6", "c7", "c8", "c9"]));
    assert_eq!(window, changes[4..]);
    // A known commit's changes are taken as given, not computed again.
    let mut known = changes[5].clone();
    known.files.clear();
    let reused = repo
        .changes_since(None, date_start("2024-03-01").unwrap(), &[known.clone()], 2)
        .unwrap();
    assert_eq!(reused[1], known);
    assert_eq!((&reused[..1], &reused[2..]), (&window[..1], &window[2..]));
    let feature = repo
        .changes_since(Some("feature"), date_start("2024-02-20").unwrap(), &[], 2)
        .unwrap();
    let ids: Vec<ObjectId> = feature.iter().map(|c| c.revision.id).collect();
    assert_eq!(ids, fx.ids(&["c4", "c5"]));
}

#[test]
fn line_counts_match_git_on_edits() {
    // Edits that exercise the line diff: moved blocks, no final newline,
    // CRLF, a file emptied and refilled.
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    git(r, &["init", "-q"]);
    let mut big = String::new();
    for i in 0..200 {
        big.push_str(&format!("line {}\n", i % 37));
    }
    write(r, "a.py", big.as_bytes());
    write(r, "b.py", b"one\ntwo\nthree");
    write(r, "c.py", b"x = 1\r\ny = 2\r\n");
    write(r, "d.py", b"content\n");
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "one"]);
    let mut edited: Vec<String> = big.lines().map(str::to_string).collect();
    edited.rotate_left(50);
    edited.insert(10, "new".into());
    edited.retain(|l| l != "line 5");
    write(r, "a.py", (edited.join("\n") + "\n").as_bytes());
    write(r, "b.py", b"one\ntwo\nthree\n");
    write(r, "c.py", b"x = 1\ny = 2\r\n");
    write(r, "d.py", b"");
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "two"]);
    write(r, "d.py", b"back\nagain\n");
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "three"]);
    let repo = Repo::discover(r).unwrap();
    let changes = repo
        .changes(
            &repo.revisions(&first_parent()).unwrap(),
            1,
            &KnownCounts::default(),
        )
        .unwrap();
    let mut ours: Vec<String> = Vec::new();
    for commit in &changes {
        for f in &commit.files {
            ours.push(format!("{}\t{}\t{}", f.added, f.removed, f.path));
        }
    }
    let log = git(r, &["log", "--reverse", "--numstat", "--format="]);
    let theirs: Vec<&str> = log.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(ours, theirs);
}
