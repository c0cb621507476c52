//! Churn, hotspots, change coupling, ownership and CODEOWNERS over a window
//! of git history: pure functions over [`CommitChanges`] and the current
//! scan, with no git access of their own.
//!
//! [`Window::new`] takes the window's commits (`Repo::changes_since`,
//! oldest first) and a component for each path, follows exact renames and
//! merges author identities; [`churn()`], [`coupling()`] and
//! [`ownership()`] read the window, [`hotspots()`] joins churn with the
//! scan, [`CodeOwners`] reads GitHub's CODEOWNERS. Paths are relative to
//! the history prefix, which is the scan root when both read the same
//! folder. Every list is sorted and every number is a pure function of the
//! input.
//!
//! # Rules and formulas
//!
//! - **Renames**: an exact rename (`ChangeKind::Renamed`) continues the
//!   file's history under its newest path, through chains (`a → b → c`);
//!   the rename commit itself counts as a commit of the file (0 lines).
//!   Edited renames are a deletion and an addition (as `git -M100%`).
//! - **Merges** count like any commit: on first-parent history they carry
//!   what the merged branch brought (and are authored by whoever merged).
//!   For all-commit history, leave merges out of the input.
//! - **Authors**: one identity per mailmapped email, compared without case
//!   (the name when the email is empty), shown with the name and email of
//!   its newest commit. `.mailmap` is applied by the history layer.
//! - **Churn** of a file or component: commits touching it, lines added
//!   and removed (binary changes count 0), distinct authors, last change.
//!   A component's commits are distinct commits touching any of its files.
//! - **Hotspot** score = revisions × cognitive complexity (the file's total
//!   in the current scan; a component's total over its scanned files).
//!   Tornhill/CodeScene rank by revisions × complexity; cognitive rather
//!   than cyclomatic because it measures what is hard to understand
//!   (nesting weighs more, a flat dispatch less) and, unlike cyclomatic,
//!   it adds nothing per trivial function, so it does not grow with the
//!   mere number of functions. Files with score 0 are not hotspots.
//! - **Change coupling** (code-maat's `coupling`): commits touching more
//!   than `max_changeset_size` files are ignored entirely. `revs(f)` =
//!   remaining commits touching f, `shared(a, b)` = those touching both,
//!   `average = (revs(a) + revs(b)) / 2`, `degree = ⌊100 × shared /
//!   average⌋` %. A pair is kept when `average ≥ min_revs`, `shared ≥
//!   min_shared_revs` and `100 × shared / average ≥ min_coupling`. Sorted
//!   by degree, then average, descending, then by paths.
//! - **Ownership** weight of a change = lines added + removed, at least 1
//!   (a binary change or a pure rename weighs 1). Lines rather than commits
//!   because commit size is a personal habit, and removed lines count too
//!   (code-maat's main-dev counts added lines only, which gives a
//!   refactoring author nothing). An author's `share` = their weight /
//!   total weight. Main author = largest weight (ties: more commits, then
//!   email order). **Bus factor** = fewest authors whose weights add up to
//!   at least half of the total. **Fragmentation** = 1 − Σ shareᵢ².
//! - **Knowledge loss**: an author is inactive when the newest commit of
//!   the window is more than `inactive_after_days` after their last commit
//!   anywhere in the window (any path). A file or component whose main
//!   author is inactive is `at_risk`. The window must be longer than the
//!   inactivity limit for this to ever happen.
//! - **Knowledge** (the score's `knowledge` signal, per component, 0..1):
//!   `max(2 × main_share − 1, 2 × inactive_share)` clamped to [0, 1], where
//!   `inactive_share` is the share of inactive authors: 0 when knowledge is
//!   spread among active people, 1 when one person holds everything or
//!   inactive people hold half or more (so bus factor 1 with an inactive
//!   main author gives 1).
//! - **CODEOWNERS**: see [`CodeOwners`].

mod churn;
mod codeowners;
mod coupling;
mod ownership;
pub mod validity;

#[cfg(test)]
mod tests;

use foldhash::{HashMap, HashMapExt};
use std::collections::{BTreeMap, BTreeSet};

use crate::history::{ChangeKind, CommitChanges};

pub use churn::{Churn, ComponentChurn, Counts, FileChurn, Hotspot, Hotspots, churn, hotspots};
pub use codeowners::{CodeOwners, CodeOwnersReport, ComponentOwners, FileOwners, OwnersProblem};
pub use coupling::{CoupledPair, Coupling, CouplingOptions, coupling};
pub use ownership::{
    AuthorActivity, AuthorShare, ComponentOwnership, DEFAULT_INACTIVE_DAYS, FileOwnership,
    Ownership, Spread, ownership,
};

/// The commits of a window with renames followed, authors merged and each
/// file's component: the input of [`churn()`], [`coupling()`] and
/// [`ownership()`].
#[derive(Debug, Clone)]
pub struct Window {
    /// Final paths, sorted; files refer to them by index.
    paths: Vec<String>,
    /// Component of each path.
    components: Vec<String>,
    /// Earlier paths of each path (exact renames inside the window), sorted.
    renamed_from: Vec<Vec<String>>,
    authors: Vec<Identity>,
    /// Oldest first, as given.
    commits: Vec<Commit>,
    /// The newest commit time (0 for an empty window).
    newest: i64,
    newest_date: String,
}

/// One author identity.
#[derive(Debug, Clone)]
struct Identity {
    /// Lowercased email (or name): what identifies the author.
    key: String,
    name: String,
    email: String,
    /// Time and date of the newest commit.
    last: i64,
    last_date: String,
    commits: u32,
}

/// One commit, reduced to what the analyses read.
#[derive(Debug, Clone)]
struct Commit {
    author: usize,
    time: i64,
    date: String,
    /// Distinct files by path index, sorted.
    files: Vec<Touch>,
}

/// One file changed by a commit.
#[derive(Debug, Clone, Copy)]
struct Touch {
    path: usize,
    added: u64,
    removed: u64,
}

impl Touch {
    /// The ownership weight: lines changed, at least 1.
    fn weight(self) -> u64 {
        (self.added + self.removed).max(1)
    }
}

impl Window {
    /// The window of `changes` (oldest first), with each final path's
    /// component from `component_of` (e.g. `Components::component_of`).
    pub fn new(changes: &[CommitChanges], component_of: impl Fn(&str) -> String) -> Window {
        // Newest first: a rename maps its old path to the final one for
        // every older commit.
        let mut alias: HashMap<&str, String> = HashMap::new();
        let mut renamed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut resolved: Vec<Vec<(String, u64, u64)>> = vec![Vec::new(); changes.len()];
        for (commit, out) in changes.iter().zip(resolved.iter_mut()).rev() {
            let finals: Vec<String> = commit
                .files
                .iter()
                .map(|f| alias.get(f.path.as_str()).unwrap_or(&f.path).clone())
                .collect();
            for (file, last) in commit.files.iter().zip(&finals) {
                if let ChangeKind::Renamed { from } = &file.kind {
                    alias.insert(from, last.clone());
                    renamed
                        .entry(last.clone())
                        .or_default()
                        .insert(from.clone());
                }
                out.push((last.clone(), file.added.into(), file.removed.into()));
            }
        }

        let paths: Vec<String> = resolved
            .iter()
            .flatten()
            .map(|(path, _, _)| path.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let index: HashMap<&str, usize> = paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        let components = paths.iter().map(|p| component_of(p)).collect();
        let renamed_from = paths
            .iter()
            .map(|p| {
                renamed
                    .remove(p)
                    .map(|set| set.into_iter().filter(|from| from != p).collect())
                    .unwrap_or_default()
            })
            .collect();

        let mut authors: Vec<Identity> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut commits = Vec::with_capacity(changes.len());
        let (mut newest, mut newest_date) = (None::<i64>, String::new());
        for (change, files) in changes.iter().zip(resolved) {
            let rev = &change.revision;
            let key = if rev.email.trim().is_empty() {
                rev.author.trim().to_lowercase()
            } else {
                rev.email.trim().to_lowercase()
            };
            let author = *by_key.entry(key.clone()).or_insert_with(|| {
                authors.push(Identity {
                    key,
                    name: rev.author.clone(),
                    email: rev.email.clone(),
                    last: rev.time,
                    last_date: rev.date.clone(),
                    commits: 0,
                });
                authors.len() - 1
            });
            if let Some(identity) = authors.get_mut(author) {
                identity.commits += 1;
                if rev.time >= identity.last {
                    identity.name.clone_from(&rev.author);
                    identity.email.clone_from(&rev.email);
                    identity.last = rev.time;
                    identity.last_date.clone_from(&rev.date);
                }
            }
            if newest.is_none_or(|t| rev.time >= t) {
                newest = Some(rev.time);
                newest_date.clone_from(&rev.date);
            }
            let mut touched: BTreeMap<usize, Touch> = BTreeMap::new();
            for (path, added, removed) in files {
                let Some(&path) = index.get(path.as_str()) else {
                    continue;
                };
                let touch = touched.entry(path).or_insert(Touch {
                    path,
                    added: 0,
                    removed: 0,
                });
                touch.added += added;
                touch.removed += removed;
            }
            commits.push(Commit {
                author,
                time: rev.time,
                date: rev.date.clone(),
                files: touched.into_values().collect(),
            });
        }
        Window {
            paths,
            components,
            renamed_from,
            authors,
            commits,
            newest: newest.unwrap_or(0),
            newest_date,
        }
    }
}

/// Rounds to four decimals, so JSON floats stay short and stable.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
