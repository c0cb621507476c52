//! Exact values on hand-made histories, and one history built with the
//! `git` CLI and read by `Repo::changes_since`.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;
use crate::facts::{FileFacts, Language};
use crate::history::{FileAt, FileChange, ObjectId, Repo, Revision};
use crate::report::FileReport;
use crate::role::Role;
use crate::summary::FileTotals;

const DAY: i64 = 86_400;
/// 2024-01-01T00:00:00Z.
const T0: i64 = 1_704_067_200;

const ALICE: (&str, &str) = ("Alice", "alice@example.com");
const BOB: (&str, &str) = ("Bob", "bob@example.com");
const CAROL: (&str, &str) = ("Carol", "carol@example.com");
const DAVE: (&str, &str) = ("Dave", "dave@example.com");

/// Commits in history order, with made-up ids.
#[derive(Default)]
struct History(Vec<CommitChanges>);

impl History {
    fn push(&mut self, who: (&str, &str), day: i64, files: Vec<FileChange>) {
        let id = |n: usize| ObjectId::from_hex(format!("{n:040x}").as_bytes()).unwrap();
        let n = self.0.len() + 1;
        self.0.push(CommitChanges {
            revision: Revision {
                id: id(n),
                parents: if n == 1 { vec![] } else { vec![id(n - 1)] },
                time: T0 + day * DAY,
                offset: 0,
                date: format!("day {day}"),
                author: who.0.to_string(),
                email: who.1.to_string(),
                summary: format!("commit {n}"),
            },
            files,
        });
    }

    fn window(&self) -> Window {
        Window::new(&self.0, top_dir)
    }
}

fn change(path: &str, kind: ChangeKind, added: u32, removed: u32) -> FileChange {
    FileChange {
        path: path.to_string(),
        kind,
        old_blob: None,
        new_blob: None,
        added,
        removed,
        binary: false,
    }
}

fn edit(path: &str, added: u32, removed: u32) -> FileChange {
    change(path, ChangeKind::Modified, added, removed)
}

fn add(path: &str, lines: u32) -> FileChange {
    change(path, ChangeKind::Added, lines, 0)
}

fn rename(from: &str, to: &str) -> FileChange {
    let from = from.to_string();
    change(to, ChangeKind::Renamed { from }, 0, 0)
}

fn binary(path: &str) -> FileChange {
    FileChange {
        binary: true,
        ..edit(path, 0, 0)
    }
}

/// The component: the top folder.
fn top_dir(path: &str) -> String {
    path.split_once('/')
        .map_or("(root)", |(dir, _)| dir)
        .to_string()
}

fn counts(commits: u32, added: u64, removed: u64, authors: u32, day: i64) -> Counts {
    Counts {
        commits,
        added,
        removed,
        authors,
        last_change: T0 + day * DAY,
        last_date: format!("day {day}"),
    }
}

#[test]
fn churn_follows_exact_renames() {
    let mut h = History::default();
    h.push(
        ALICE,
        0,
        vec![add("pkg/model.py", 20), add("pkg/util.py", 10)],
    );
    h.push(BOB, 1, vec![edit("pkg/util.py", 3, 1)]);
    h.push(CAROL, 2, vec![rename("pkg/util.py", "pkg/helpers.py")]);
    // A new file at the old path is not the renamed one.
    h.push(
        ALICE,
        3,
        vec![edit("pkg/helpers.py", 2, 2), add("pkg/util.py", 5)],
    );
    // A chain of renames, into another component.
    h.push(BOB, 4, vec![rename("pkg/helpers.py", "core/helpers.py")]);
    h.push(BOB, 5, vec![binary("pkg/data.json")]);
    let churn = churn(&h.window());

    let file = |path: &str, component: &str, renamed_from: &[&str], counts| FileChurn {
        path: path.to_string(),
        component: component.to_string(),
        renamed_from: renamed_from.iter().map(|p| p.to_string()).collect(),
        counts,
    };
    assert_eq!(
        churn.files,
        [
            file(
                "core/helpers.py",
                "core",
                &["pkg/helpers.py", "pkg/util.py"],
                counts(5, 15, 3, 3, 4)
            ),
            file("pkg/data.json", "pkg", &[], counts(1, 0, 0, 1, 5)),
            file("pkg/model.py", "pkg", &[], counts(1, 20, 0, 1, 0)),
            file("pkg/util.py", "pkg", &[], counts(1, 5, 0, 1, 3)),
        ]
    );
    let component = |name: &str, files, counts| ComponentChurn {
        name: name.to_string(),
        files,
        counts,
    };
    assert_eq!(
        churn.components,
        [
            component("core", 1, counts(5, 15, 3, 3, 4)),
            // Commits 1, 4 and 6; Alice and Bob.
            component("pkg", 3, counts(3, 25, 0, 2, 5)),
        ]
    );
    let json = serde_json::to_value(&churn.files[0]).unwrap();
    assert_eq!(json["renamed_from"][1], "pkg/util.py");
    assert_eq!(json["commits"], 5);
}

fn scanned(path: &str, component: &str, cognitive: u32) -> FileReport {
    FileReport {
        path: path.to_string(),
        role: Role::Other,
        role_reason: String::new(),
        component: component.to_string(),
        bytes: 0,
        totals: FileTotals {
            cognitive,
            ..FileTotals::default()
        },
        facts: FileFacts::empty(Language::Python),
    }
}

#[test]
fn hotspots_rank_revisions_times_cognitive() {
    let mut h = History::default();
    h.push(
        ALICE,
        0,
        vec![edit("x/a.py", 1, 0), edit("y/gone.py", 1, 0)],
    );
    h.push(ALICE, 1, vec![edit("x/a.py", 1, 0), edit("y/c.py", 1, 0)]);
    h.push(BOB, 2, vec![edit("x/a.py", 1, 0), edit("y/c.py", 1, 0)]);
    h.push(BOB, 3, vec![edit("x/b.py", 1, 0), edit("y/gone.py", 1, 0)]);
    h.push(BOB, 4, vec![edit("y/gone.py", 1, 0)]);
    let churn = churn(&h.window());
    let files = [
        scanned("x/a.py", "x", 4),
        scanned("x/b.py", "x", 12),
        scanned("x/d.py", "x", 50),
        scanned("y/c.py", "y", 0),
        scanned("y/e.py", "y", 7),
    ];
    let spot = |name: &str, revisions, cognitive, score| Hotspot {
        name: name.to_string(),
        revisions,
        cognitive,
        score,
    };
    let all = hotspots(&churn, &files, 10);
    // Equal scores: more revisions first. c.py (cognitive 0), d.py
    // (unchanged) and gone.py (not in the scan) are no hotspots.
    assert_eq!(
        all.files,
        [spot("x/a.py", 3, 4, 12), spot("x/b.py", 1, 12, 12)]
    );
    // A component's complexity is over all its scanned files.
    assert_eq!(all.components, [spot("x", 4, 66, 264), spot("y", 5, 7, 35)]);
    let top = hotspots(&churn, &files, 1);
    assert_eq!(top.files, [spot("x/a.py", 3, 4, 12)]);
    assert_eq!(top.components, [spot("x", 4, 66, 264)]);
}

/// A history for coupling: see the comments.
fn coupled_history() -> History {
    let mut h = History::default();
    // cols and net change together 5 times; net once alone.
    for day in 0..5 {
        h.push(
            ALICE,
            day,
            vec![edit("features/cols.py", 1, 0), edit("models/net.py", 1, 0)],
        );
    }
    h.push(BOB, 5, vec![edit("models/net.py", 1, 0)]);
    // A mass edit of 31 files, both of them included.
    let mut mass = vec![edit("features/cols.py", 1, 1), edit("models/net.py", 1, 1)];
    mass.extend((0..29).map(|i| edit(&format!("vendor/f{i:02}.py"), 1, 0)));
    h.push(CAROL, 6, mass);
    // a and b 5 times together, b 5 times alone.
    for day in 10..15 {
        h.push(
            BOB,
            day,
            vec![edit("models/a.py", 1, 0), edit("models/b.py", 1, 0)],
        );
    }
    for day in 20..25 {
        h.push(BOB, day, vec![edit("models/b.py", 1, 0)]);
    }
    // x and y only 4 times.
    for day in 30..34 {
        h.push(
            CAROL,
            day,
            vec![edit("pipeline/x.py", 1, 0), edit("pipeline/y.py", 1, 0)],
        );
    }
    // p and q 6 times together, q 28 times alone: 6 / 20 = 30 %.
    // s and t 6 times together, t 29 times alone: 6 / 20.5 = 29.3 %.
    for day in 40..46 {
        h.push(
            ALICE,
            day,
            vec![edit("features/p.py", 1, 0), edit("features/q.py", 1, 0)],
        );
        h.push(
            ALICE,
            day,
            vec![edit("features/s.py", 1, 0), edit("features/t.py", 1, 0)],
        );
    }
    for day in 50..78 {
        h.push(DAVE, day, vec![edit("features/q.py", 1, 0)]);
        h.push(DAVE, day, vec![edit("features/t.py", 1, 0)]);
    }
    h.push(DAVE, 80, vec![edit("features/t.py", 1, 0)]);
    h
}

/// A pair with (revisions of a, of b, shared), average, degree, hidden.
fn pair(
    a: &str,
    b: &str,
    (revisions_a, revisions_b, shared): (u32, u32, u32),
    average_revisions: f64,
    degree: u32,
    hidden: bool,
) -> CoupledPair {
    CoupledPair {
        a: a.to_string(),
        b: b.to_string(),
        a_component: top_dir(a),
        b_component: top_dir(b),
        revisions_a,
        revisions_b,
        shared,
        average_revisions,
        degree,
        cross_component: top_dir(a) != top_dir(b),
        hidden,
    }
}

#[test]
fn coupling_with_code_maat_thresholds() {
    let window = coupled_history().window();
    // b imports a: asked both ways.
    let imports: BTreeSet<(&str, &str)> = [("models/b.py", "models/a.py")].into();
    let linked = |from: &str, to: &str| imports.contains(&(from, to));
    let found = coupling(&window, &CouplingOptions::default(), linked);
    assert_eq!(found.ignored_commits, 1);
    assert_eq!(
        found.pairs,
        [
            // Across components, no import: a hidden dependency.
            pair(
                "features/cols.py",
                "models/net.py",
                (5, 6, 5),
                5.5,
                90,
                true
            ),
            pair("models/a.py", "models/b.py", (5, 10, 5), 7.5, 66, false),
            // Exactly at min-coupling 30 %.
            pair("features/p.py", "features/q.py", (6, 34, 6), 20.0, 30, true),
        ]
    );
    assert!(found.pairs[0].cross_component && !found.pairs[2].cross_component);

    // With a larger changeset limit the mass edit counts.
    let options = CouplingOptions {
        max_changeset_size: 31,
        ..CouplingOptions::default()
    };
    let found = coupling(&window, &options, linked);
    assert_eq!(found.ignored_commits, 0);
    assert_eq!(
        found.pairs[0],
        pair(
            "features/cols.py",
            "models/net.py",
            (6, 7, 6),
            6.5,
            92,
            true
        )
    );
    // min-revs applies to the average: 4 shared of 4 passes only with 4.
    let options = CouplingOptions {
        min_shared_revs: 4,
        ..CouplingOptions::default()
    };
    let xy = |c: &Coupling| c.pairs.iter().any(|p| p.a == "pipeline/x.py");
    assert!(!xy(&coupling(&window, &options, linked)));
    let options = CouplingOptions {
        min_revs: 4,
        ..options
    };
    let found = coupling(&window, &options, linked);
    assert_eq!(
        found.pairs[0],
        pair("pipeline/x.py", "pipeline/y.py", (4, 4, 4), 4.0, 100, true)
    );
}

/// A history for ownership; the newest commit is Alice's on day 400 and
/// touches no analysed file. Dave's last commit is on day 100.
fn owned_history() -> History {
    let robert = ("Robert", "BOB@Example.com");
    let mut h = History::default();
    h.push(ALICE, 10, vec![edit("pipeline/run.py", 30, 10)]);
    h.push(BOB, 20, vec![edit("pipeline/run.py", 30, 5)]);
    h.push(BOB, 50, vec![add("models/net.py", 50)]);
    h.push(ALICE, 80, vec![add("features/cols.py", 10)]);
    h.push(
        DAVE,
        100,
        vec![add("legacy/old.py", 60), add("serving/api.py", 30)],
    );
    h.push(CAROL, 300, vec![add("pipeline/run.py", 25)]);
    h.push(CAROL, 310, vec![edit("models/net.py", 20, 5)]);
    h.push(CAROL, 320, vec![edit("models/net.py", 25, 0)]);
    h.push(
        ALICE,
        390,
        vec![edit("legacy/old.py", 40, 0), edit("serving/api.py", 70, 0)],
    );
    h.push(robert, 395, vec![edit("features/cols.py", 5, 5)]);
    h.push(robert, 396, vec![binary("assets/data.json")]);
    h.push(ALICE, 400, vec![]);
    h
}

fn share(who: (&str, &str), commits: u32, lines: u64, share: f64, inactive: bool) -> AuthorShare {
    AuthorShare {
        name: who.0.to_string(),
        email: who.1.to_string(),
        commits,
        lines,
        share,
        inactive,
    }
}

fn spread(authors: Vec<AuthorShare>, bus_factor: u32, fragmentation: f64) -> Spread {
    let main = authors.first().unwrap();
    Spread {
        main_share: main.share,
        at_risk: main.inactive,
        authors,
        bus_factor,
        fragmentation,
    }
}

#[test]
fn ownership_bus_factor_knowledge_loss() {
    let window = owned_history().window();
    let owned = ownership(&window, DEFAULT_INACTIVE_DAYS);
    let robert = ("Robert", "BOB@Example.com");
    assert_eq!(owned.newest, T0 + 400 * DAY);
    let activity: Vec<(&str, &str, u32, i64, bool)> = owned
        .authors
        .iter()
        .map(|a| {
            let day = (a.last_commit - T0) / DAY;
            (
                a.name.as_str(),
                a.email.as_str(),
                a.commits,
                day,
                a.inactive,
            )
        })
        .collect();
    // Bob and Robert are one identity (email without case), shown as newest.
    assert_eq!(
        activity,
        [
            ("Alice", "alice@example.com", 4, 400, false),
            ("Robert", "BOB@Example.com", 4, 396, false),
            ("Carol", "carol@example.com", 3, 320, false),
            ("Dave", "dave@example.com", 1, 100, true),
        ]
    );

    let component = |name: &str, spread, knowledge| ComponentOwnership {
        name: name.to_string(),
        spread,
        knowledge,
    };
    assert_eq!(
        owned.components,
        [
            // A binary change weighs 1: one author holds everything.
            component(
                "assets",
                spread(vec![share(robert, 1, 1, 1.0, false)], 1, 0.0),
                1.0
            ),
            // A tie in lines and commits: email order.
            component(
                "features",
                spread(
                    vec![
                        share(ALICE, 1, 10, 0.5, false),
                        share(robert, 1, 10, 0.5, false)
                    ],
                    1,
                    0.5
                ),
                0.0
            ),
            // The main author is inactive: at risk, knowledge 1.
            component(
                "legacy",
                spread(
                    vec![
                        share(DAVE, 1, 60, 0.6, true),
                        share(ALICE, 1, 40, 0.4, false)
                    ],
                    1,
                    0.48
                ),
                1.0
            ),
            // A tie in lines: more commits first.
            component(
                "models",
                spread(
                    vec![
                        share(CAROL, 2, 50, 0.5, false),
                        share(robert, 1, 50, 0.5, false)
                    ],
                    1,
                    0.5
                ),
                0.0
            ),
            // 40/35/25: two authors make half.
            component(
                "pipeline",
                spread(
                    vec![
                        share(ALICE, 1, 40, 0.4, false),
                        share(robert, 1, 35, 0.35, false),
                        share(CAROL, 1, 25, 0.25, false)
                    ],
                    2,
                    0.655
                ),
                0.0
            ),
            // An active main author, 30 % by an inactive one: 2 × 0.3.
            component(
                "serving",
                spread(
                    vec![
                        share(ALICE, 1, 70, 0.7, false),
                        share(DAVE, 1, 30, 0.3, true)
                    ],
                    1,
                    0.42
                ),
                0.6
            ),
        ]
    );
    let file = owned
        .files
        .iter()
        .find(|f| f.path == "legacy/old.py")
        .unwrap();
    assert_eq!(file.component, "legacy");
    assert!(file.spread.at_risk && file.spread.bus_factor == 1);
    assert_eq!(owned.files.len(), 6);

    // Dave is 300 days behind: active with a 300-day limit.
    let lenient = ownership(&window, 300);
    let knowledge: Vec<(&str, f64, bool)> = lenient
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.knowledge, c.spread.at_risk))
        .collect();
    assert_eq!(
        knowledge,
        [
            ("assets", 1.0, false),
            ("features", 0.0, false),
            ("legacy", 0.2, false),
            ("models", 0.0, false),
            ("pipeline", 0.0, false),
            ("serving", 0.4, false),
        ]
    );
}

/// One-line CODEOWNERS with `pattern`: does it own `path`?
fn owns(pattern: &str, path: &str) -> bool {
    let owners = CodeOwners::parse("CODEOWNERS", &format!("{pattern} @owner"));
    assert!(
        owners.problems.is_empty(),
        "{pattern}: {:?}",
        owners.problems
    );
    owners.owners_of(path).is_some()
}

#[test]
fn codeowners_patterns_as_github_documents_them() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        // (pattern, matched paths, unmatched paths)
        ("*", &["a.py", "x/y/z.py"], &[]),
        (
            "*.js",
            &["app.js", "web/src/app.js"],
            &["app.jsx", "js/a.py"],
        ),
        (
            "/build/logs/",
            &["build/logs/a.txt", "build/logs/deep/b.txt"],
            &["x/build/logs/a.txt", "build/logs", "build/logsx/a"],
        ),
        (
            "docs/*",
            &["docs/getting-started.md"],
            &["docs/build-app/troubleshooting.md", "x/docs/a.md"],
        ),
        (
            "/docs/*",
            &["docs/getting-started.md"],
            &["docs/build-app/troubleshooting.md", "x/docs/a.md"],
        ),
        (
            "apps/",
            &["apps/a.py", "x/y/apps/a.py"],
            &["apps", "myapps/a.py"],
        ),
        (
            "/docs/",
            &["docs/a.md", "docs/x/y.md"],
            &["x/docs/a.md", "docs"],
        ),
        (
            "**/logs",
            &["logs/a", "build/logs/a", "deeply/nested/logs/x.log", "logs"],
            &["catalogs/a", "logs.txt"],
        ),
        (
            "/apps/github",
            &["apps/github", "apps/github/a.py"],
            &["apps/githubx/a.py", "x/apps/github/a.py"],
        ),
        (
            "foo/**/bar",
            &["foo/bar", "foo/x/y/bar/z.py"],
            &["x/foo/bar", "foo/barn"],
        ),
        ("foo/bar/**", &["foo/bar/a", "foo/bar/a/b"], &["foo/bar"]),
        ("f?o.py", &["foo.py", "a/fxo.py"], &["fo.py", "f/o.py"]),
        ("/*", &["a.py"], &["a/b.py"]),
        ("/*/", &["a/b.py", "a/b/c.py"], &["a.py"]),
        ("*.PY", &["A.PY"], &["a.py"]),
        (r"my\ dir/", &["my dir/a.py"], &["my/a.py"]),
    ];
    for (pattern, yes, no) in cases {
        for path in *yes {
            assert!(owns(pattern, path), "{pattern} should own {path}");
        }
        for path in *no {
            assert!(!owns(pattern, path), "{pattern} should not own {path}");
        }
    }
}

/// GitHub's documented example, with invalid lines added.
const CODEOWNERS: &str = r"# comment
*       @global-owner1 @global-owner2
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
*.txt @octo-org/octocats
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/scripts/ @doctocat @octocat
**/logs @octocat

/apps/ @octocat
/apps/github
!negated.py @x
src/[ab].py @x
\#hash @x
*.py not-an-owner
/vendor/
";

#[test]
fn codeowners_last_match_wins() {
    let owners = CodeOwners::parse(".github/CODEOWNERS", CODEOWNERS);
    let lines: Vec<u32> = owners.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [14, 15, 16, 17]);
    assert!(owners.problems[0].message.contains("negation"));
    let of = |path: &str| owners.owners_of(path).map(|(line, o)| (line, o.join(" ")));
    let rule = |line: u32, owners: &str| Some((line, owners.to_string()));
    let global = rule(2, "@global-owner1 @global-owner2");
    assert_eq!(of("main.rs"), global);
    assert_eq!(of("web/app.js"), rule(3, "@js-owner"));
    assert_eq!(of("cmd/main.go"), rule(4, "docs@example.com"));
    // *.txt, /build/logs/ and **/logs all match: the last one wins.
    assert_eq!(of("build/logs/out.txt"), rule(10, "@octocat"));
    assert_eq!(of("notes/a.txt"), rule(5, "@octo-org/octocats"));
    assert_eq!(of("docs/getting-started.md"), rule(7, "docs@example.com"));
    assert_eq!(of("docs/build-app/troubleshooting.md"), global);
    assert_eq!(of("scripts/deploy.sh"), rule(9, "@doctocat @octocat"));
    assert_eq!(of("apps/web/index.go"), rule(12, "@octocat"));
    // A rule without owners: unowned.
    assert_eq!(of("apps/github/index.go"), rule(13, ""));
    // The skipped `*.py not-an-owner` does not override.
    assert_eq!(of("vendor/lib.py"), rule(18, ""));
    assert_eq!(of("src/a.py"), global);
    let narrow = CodeOwners::parse("CODEOWNERS", "/src/ @a\n");
    assert_eq!(narrow.owners_of("lib/x.py"), None);
}

#[test]
fn codeowners_report_per_component() {
    let text = "*.py @team/ml\n/models/ @alice\n/models/legacy/\n/features/a.py @bob\n";
    let owners = CodeOwners::parse("CODEOWNERS", text);
    let files = [
        scanned("features/a.py", "features", 0),
        scanned("features/b.py", "features", 0),
        scanned("models/legacy/old.py", "models", 0),
        scanned("models/net.py", "models", 0),
        scanned("models/train.py", "models", 0),
        scanned("README.yaml", "(root)", 0),
    ];
    let report = owners.report("", &files);
    let component = |name: &str, owners: &[&str], owned, unowned, overlap| ComponentOwners {
        name: name.to_string(),
        owners: owners.iter().map(|o| o.to_string()).collect(),
        owned,
        unowned,
        overlap,
    };
    assert_eq!(
        report.components,
        [
            component("(root)", &[], 0, 1, false),
            component("features", &["@bob", "@team/ml"], 2, 0, true),
            component("models", &["@alice"], 2, 1, false),
        ]
    );
    let rules: Vec<(&str, Option<u32>)> = report
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.rule))
        .collect();
    assert_eq!(
        rules,
        [
            ("README.yaml", None),
            ("features/a.py", Some(4)),
            ("features/b.py", Some(1)),
            ("models/legacy/old.py", Some(3)),
            ("models/net.py", Some(2)),
            ("models/train.py", Some(2)),
        ]
    );
    // A scan of a subfolder: its paths are prefixed to match.
    let sub = owners.report("models", &[scanned("net.py", "(root)", 0)]);
    assert_eq!(sub.files[0].owners, ["@alice"]);
}

#[test]
fn codeowners_found_like_github_in_the_commit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let who = ("Alice", "alice@example.com");
    git(root, who, "2024-01-01T12:00:00Z", &["init", "-q"]);
    let mut commits = Vec::new();
    let mut commit = |path: &str, text: &str| {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
        git(root, who, "2024-01-01T12:00:00Z", &["add", "-A"]);
        git(
            root,
            who,
            "2024-01-01T12:00:00Z",
            &["commit", "-q", "-m", path],
        );
        let head = crate::history::tests::git_as(
            root,
            who,
            "2024-01-01T12:00:00Z",
            &["rev-parse", "HEAD"],
        );
        commits.push(ObjectId::from_hex(head.trim().as_bytes()).unwrap());
    };
    commit("a.py", "x = 1\n");
    commit("docs/CODEOWNERS", "* @docs\n");
    commit("CODEOWNERS", "* @root\n[bad @x\n");
    commit(".github/CODEOWNERS", "* @github\n");
    // Edited in the work tree only: not what the commits hold.
    std::fs::write(root.join(".github/CODEOWNERS"), "* @uncommitted\n").unwrap();
    let repo = Repo::discover(root).unwrap();
    let file = |i: usize, path: &str, max| repo.file_at(commits[i], path, max).unwrap();
    assert_eq!(file(0, "a.py", 100), FileAt::Bytes(b"x = 1\n".to_vec()));
    assert_eq!(file(0, "a.py", 6), FileAt::TooLarge(6));
    assert_eq!(file(1, "docs", 100), FileAt::Absent);
    let at = |i: usize| CodeOwners::at(&repo, commits[i]);
    assert!(at(0).is_none());
    assert_eq!(at(1).unwrap().source, "docs/CODEOWNERS");
    let found = at(2).unwrap();
    assert_eq!(found.source, "CODEOWNERS");
    let root_owner = ["@root".to_string()];
    assert_eq!(found.owners_of("a.py"), Some((1, &root_owner[..])));
    assert_eq!(found.problems[0].line, 2);
    let github = at(3).unwrap();
    assert_eq!(github.source, ".github/CODEOWNERS");
    let github_owner = ["@github".to_string()];
    assert_eq!(github.owners_of("a.py"), Some((1, &github_owner[..])));
}

/// Runs git in `dir` with a fixed identity and date.
fn git(dir: &Path, who: (&str, &str), date: &str, args: &[&str]) {
    crate::history::tests::git_as(dir, who, date, args);
}

#[test]
fn churn_and_bus_factor_of_a_real_history() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let commit = |who, date: &str, files: &[(&str, &str)], moves: &[(&str, &str)]| {
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        for (from, to) in moves {
            git(root, who, date, &["mv", from, to]);
        }
        git(root, who, date, &["add", "-A"]);
        git(root, who, date, &["commit", "-q", "-m", "change"]);
    };
    git(root, ALICE, "2024-01-01T00:00:00Z", &["init", "-q"]);
    commit(
        ALICE,
        "2024-01-01T12:00:00Z",
        &[
            ("models/net.py", "a\nb\nc\nd\ne\n"),
            ("features/cols.py", "x\ny\n"),
        ],
        &[],
    );
    commit(
        BOB,
        "2024-01-10T12:00:00Z",
        &[("models/net.py", "a\nb\nc\nd\nE\nf\ng\n")],
        &[],
    );
    commit(
        CAROL,
        "2024-01-20T12:00:00Z",
        &[],
        &[("features/cols.py", "features/columns.py")],
    );
    commit(
        CAROL,
        "2024-02-01T12:00:00Z",
        &[
            ("models/net.py", "a\nb\nc\nd\nE\nf\ng\nh\ni\n"),
            ("features/columns.py", "x\ny\nz\n"),
        ],
        &[],
    );

    let repo = Repo::discover(root).unwrap();
    let changes = repo.changes_since(None, 0, &[], 2).unwrap();
    let window = Window::new(&changes, top_dir);
    let churn = churn(&window);
    let of = |path: &str| churn.files.iter().find(|f| f.path == path).unwrap();
    assert_eq!(churn.files.len(), 2);
    let columns = &of("features/columns.py").counts;
    assert_eq!(of("features/columns.py").renamed_from, ["features/cols.py"]);
    assert_eq!((columns.commits, columns.added, columns.removed), (3, 3, 0));
    let net = &of("models/net.py").counts;
    assert_eq!(
        (net.commits, net.added, net.removed, net.authors),
        (3, 10, 1, 3)
    );
    assert_eq!(net.last_date, "2024-02-01T12:00:00Z");

    // models: Alice 5 lines, Bob 4, Carol 2 of 11: two authors make half.
    let owned = ownership(&window, DEFAULT_INACTIVE_DAYS);
    let component = |name: &str| owned.components.iter().find(|c| c.name == name).unwrap();
    let lines = |name: &str| -> Vec<(&str, u64)> {
        let authors = &component(name).spread.authors;
        authors.iter().map(|a| (a.name.as_str(), a.lines)).collect()
    };
    assert_eq!(component("models").spread.bus_factor, 2);
    assert_eq!(lines("models"), [("Alice", 5), ("Bob", 4), ("Carol", 2)]);
    assert_eq!(component("models").spread.main_share, 0.4545);
    // features: Alice 2 lines; Carol's rename weighs 1 and her edit 1, in
    // two commits, which breaks the tie.
    assert_eq!(component("features").spread.bus_factor, 1);
    assert_eq!(lines("features"), [("Carol", 2), ("Alice", 2)]);
}
