//! Files changed by each commit, with line counts: the input of churn,
//! change coupling and ownership.
//!
//! Each commit is compared with its first parent (a root commit with the
//! empty tree), merges included: on first-parent history a merge's changes
//! are what the merged branch brought to the mainline, as
//! `git log --first-parent -m --numstat` reports them. On all-commit
//! history the same changes also appear in the branch's own commits, so a
//! consumer that counts churn skips merges ([`Revision::is_merge`]), as
//! plain `git log --numstat` does.
//!
//! Only files under the prefix that mlscan analyses count. A file deleted
//! and one added with the same content (same blob id) in one commit are an
//! exact rename, as `git -M100%` pairs them (the same file name is preferred
//! among candidates); renames with edits stay a deletion and an addition.
//!
//! Line counts come from a Myers line diff (imara-diff) of the lines between
//! the common head and tail: the same as `git diff --numstat` on ordinary
//! edits; on large rewrites the two Myers heuristics can pick different
//! non-minimal scripts (on 50 transformers releases, 96% of 18,262 file
//! changes agree exactly, totals within 0.2%). A blob with a NUL byte in
//! its first 8,000 bytes is binary (git's rule) and counts 0/0.
//! `.gitattributes` are not read.

use foldhash::{HashMap, HashMapExt};
use std::sync::atomic::{AtomicUsize, Ordering};

use gix::bstr::ByteSlice;
use gix::diff::tree::recorder::Change;
use gix::prelude::FindExt;
use imara_diff::{Algorithm, Diff, InternedInput};

use super::tree::prefix_tree;
use super::{Error, ObjectId, Options, Repo, Revision, git_err};
use crate::walk::language_of;

/// What happened to a file in a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
    /// Moved unchanged from `from` (a path relative to the prefix).
    Renamed {
        from: String,
    },
}

/// One file changed by a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// POSIX path relative to the prefix (the new path of a rename).
    pub path: String,
    pub kind: ChangeKind,
    /// Content before (none when added).
    pub old_blob: Option<ObjectId>,
    /// Content after (none when deleted).
    pub new_blob: Option<ObjectId>,
    /// Lines added, as `git log --numstat`.
    pub added: u32,
    /// Lines removed.
    pub removed: u32,
    /// Either side is binary: no line counts.
    pub binary: bool,
}

/// The files one commit changed, sorted by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitChanges {
    pub revision: Revision,
    pub files: Vec<FileChange>,
}

/// Lines added and removed from one content to another, as `git diff
/// --numstat` counts them (none when either side is binary).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineCounts {
    pub added: u32,
    pub removed: u32,
    pub binary: bool,
}

/// The counts of pairs of contents already compared, by (old blob, new
/// blob): a commit changing one into the other is not read again.
pub type KnownCounts = HashMap<(ObjectId, ObjectId), LineCounts>;

/// Counts changed lines, reusing its buffers.
#[derive(Default)]
pub struct LineDiff {
    diff: Diff,
}

impl LineDiff {
    /// The lines `new` adds to and removes from `old`.
    pub fn counts(&mut self, old: &[u8], new: &[u8]) -> LineCounts {
        let binary = is_binary(old) || is_binary(new);
        let (added, removed) = if binary {
            (0, 0)
        } else if old.is_empty() || new.is_empty() {
            (count_lines(new), count_lines(old))
        } else {
            let (old, new) = differing_lines(old, new);
            let input = InternedInput::new(old, new);
            self.diff.compute_with(
                Algorithm::Myers,
                &input.before,
                &input.after,
                input.interner.num_tokens(),
            );
            (self.diff.count_additions(), self.diff.count_removals())
        };
        LineCounts {
            added,
            removed,
            binary,
        }
    }
}

/// Diffs commits with one repository handle, reusing its buffers.
struct Differ<'r> {
    repo: &'r gix::Repository,
    prefix: &'r str,
    known: &'r KnownCounts,
    state: gix::diff::tree::State,
    old_tree: Vec<u8>,
    new_tree: Vec<u8>,
    old_blob: Vec<u8>,
    new_blob: Vec<u8>,
    lines: LineDiff,
}

impl Repo {
    /// The changes of each revision against its first parent, computed on
    /// `threads` worker threads (each with its own repository handle).
    pub fn changes(
        &self,
        revisions: &[Revision],
        threads: usize,
        known: &KnownCounts,
    ) -> Result<Vec<CommitChanges>, Error> {
        let threads = threads.clamp(1, revisions.len().max(1));
        let files: Vec<Result<Vec<FileChange>, Error>> = if threads == 1 {
            let mut differ = Differ::new(&self.repo, &self.prefix, known);
            revisions
                .iter()
                .map(|revision| differ.changes(revision))
                .collect()
        } else {
            let next = AtomicUsize::new(0);
            let prefix = self.prefix.as_str();
            let per_worker = std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        let repo = self.shared.to_thread_local();
                        let next = &next;
                        scope.spawn(move || {
                            let mut differ = Differ::new(&repo, prefix, known);
                            let mut done = Vec::new();
                            loop {
                                let index = next.fetch_add(1, Ordering::Relaxed);
                                let Some(revision) = revisions.get(index) else {
                                    return done;
                                };
                                done.push((index, differ.changes(revision)));
                            }
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|worker| worker.join())
                    .collect::<Vec<_>>()
            });
            let mut done = Vec::with_capacity(revisions.len());
            for worker in per_worker {
                done.extend(worker.map_err(|_| Error::Git("a diff worker panicked".to_string()))?);
            }
            done.sort_unstable_by_key(|&(index, _)| index);
            done.into_iter().map(|(_, files)| files).collect()
        };
        revisions
            .iter()
            .zip(files)
            .map(|(revision, files)| {
                Ok(CommitChanges {
                    revision: revision.clone(),
                    files: files?,
                })
            })
            .collect()
    }

    /// The changes of every first-parent commit from `tip` (default HEAD)
    /// back to the first commit older than `since` (unix seconds), oldest
    /// first: the window of churn, coupling and ownership. The changes of
    /// commits in `known` are taken from it, not computed again.
    pub fn changes_since(
        &self,
        tip: Option<&str>,
        since: i64,
        known: &[CommitChanges],
        threads: usize,
    ) -> Result<Vec<CommitChanges>, Error> {
        let revisions = self.revisions(&Options {
            range: tip.map(str::to_string),
            first_parent: true,
            since: Some(since),
            ..Options::default()
        })?;
        let mut known: HashMap<ObjectId, &CommitChanges> =
            known.iter().map(|c| (c.revision.id, c)).collect();
        let missing: Vec<Revision> = revisions
            .iter()
            .filter(|r| !known.contains_key(&r.id))
            .cloned()
            .collect();
        let mut computed = self
            .changes(&missing, threads, &KnownCounts::default())?
            .into_iter();
        revisions
            .iter()
            .map(|r| match known.remove(&r.id) {
                Some(changes) => Ok(changes.clone()),
                None => computed
                    .next()
                    .ok_or_else(|| Error::Git(format!("no changes computed for commit {}", r.id))),
            })
            .collect()
    }
}

impl<'r> Differ<'r> {
    fn new(repo: &'r gix::Repository, prefix: &'r str, known: &'r KnownCounts) -> Differ<'r> {
        Differ {
            repo,
            prefix,
            known,
            state: gix::diff::tree::State::default(),
            old_tree: Vec::new(),
            new_tree: Vec::new(),
            old_blob: Vec::new(),
            new_blob: Vec::new(),
            lines: LineDiff::default(),
        }
    }

    /// One commit's changes against its first parent, sorted by path.
    fn changes(&mut self, revision: &Revision) -> Result<Vec<FileChange>, Error> {
        let new = prefix_tree(self.repo, self.prefix, revision.id)?;
        let old = match revision.parents.first() {
            Some(&parent) => prefix_tree(self.repo, self.prefix, parent)?,
            None => None,
        };
        if old == new {
            return Ok(Vec::new());
        }
        let context = || format!("diffing commit {}", revision.id);
        let old_iter = tree_iter(self.repo, old, &mut self.old_tree).map_err(git_err(context()))?;
        let new_iter = tree_iter(self.repo, new, &mut self.new_tree).map_err(git_err(context()))?;
        let mut recorder = gix::diff::tree::Recorder::default();
        gix::diff::tree(
            old_iter,
            new_iter,
            &mut self.state,
            &self.repo.objects,
            &mut recorder,
        )
        .map_err(git_err(context()))?;
        let analysed = |mode: gix::objs::tree::EntryMode, path: &[u8]| {
            let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
            mode.is_blob() && language_of(&name.to_str_lossy()).is_some()
        };
        let mut added: Vec<(String, ObjectId)> = Vec::new();
        let mut deleted: Vec<(String, ObjectId)> = Vec::new();
        let mut modified: Vec<(String, ObjectId, ObjectId)> = Vec::new();
        for change in recorder.records {
            match change {
                Change::Addition {
                    entry_mode,
                    oid,
                    path,
                    ..
                } => {
                    if analysed(entry_mode, &path) {
                        added.push((path.to_str_lossy().into_owned(), oid));
                    }
                }
                Change::Deletion {
                    entry_mode,
                    oid,
                    path,
                    ..
                } => {
                    if analysed(entry_mode, &path) {
                        deleted.push((path.to_str_lossy().into_owned(), oid));
                    }
                }
                Change::Modification {
                    previous_entry_mode,
                    previous_oid,
                    entry_mode,
                    oid,
                    path,
                } => {
                    let name = path.to_str_lossy().into_owned();
                    match (
                        analysed(previous_entry_mode, &path),
                        analysed(entry_mode, &path),
                    ) {
                        (true, true) => modified.push((name, previous_oid, oid)),
                        (true, false) => deleted.push((name, previous_oid)),
                        (false, true) => added.push((name, oid)),
                        (false, false) => {}
                    }
                }
            }
        }

        let mut files = Vec::new();
        for (from, path, blob) in exact_renames(&mut added, &mut deleted) {
            let kind = ChangeKind::Renamed { from };
            files.push(self.counted(path, kind, Some(blob), Some(blob))?);
        }
        for (path, blob) in added {
            files.push(self.counted(path, ChangeKind::Added, None, Some(blob))?);
        }
        for (path, blob) in deleted {
            files.push(self.counted(path, ChangeKind::Deleted, Some(blob), None)?);
        }
        for (path, old, new) in modified {
            files.push(self.counted(path, ChangeKind::Modified, Some(old), Some(new))?);
        }
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// A change with its line counts.
    fn counted(
        &mut self,
        path: String,
        kind: ChangeKind,
        old_blob: Option<ObjectId>,
        new_blob: Option<ObjectId>,
    ) -> Result<FileChange, Error> {
        let pair = old_blob.zip(new_blob).filter(|(old, new)| old != new);
        if let Some(known) = pair.and_then(|pair| self.known.get(&pair)) {
            return Ok(FileChange {
                path,
                kind,
                old_blob,
                new_blob,
                added: known.added,
                removed: known.removed,
                binary: known.binary,
            });
        }
        let repo = self.repo;
        let read = |blob: Option<ObjectId>, buf: &mut Vec<u8>| -> Result<(), Error> {
            buf.clear();
            if let Some(blob) = blob {
                repo.objects
                    .find_blob(&blob, buf)
                    .map_err(git_err(format_args!("reading blob {blob} ({path})")))?;
            }
            Ok(())
        };
        read(old_blob, &mut self.old_blob)?;
        read(new_blob, &mut self.new_blob)?;
        let counts = if old_blob == new_blob {
            LineCounts {
                binary: is_binary(&self.new_blob),
                ..LineCounts::default()
            }
        } else {
            self.lines.counts(&self.old_blob, &self.new_blob)
        };
        Ok(FileChange {
            path,
            kind,
            old_blob,
            new_blob,
            added: counts.added,
            removed: counts.removed,
            binary: counts.binary,
        })
    }
}

/// A tree's entries, or none.
fn tree_iter<'a>(
    repo: &gix::Repository,
    id: Option<ObjectId>,
    buf: &'a mut Vec<u8>,
) -> Result<gix::objs::TreeRefIter<'a>, gix::Error> {
    match id {
        Some(id) => repo.objects.find_tree_iter(&id, buf),
        None => Ok(gix::objs::TreeRefIter::from_bytes(&[], repo.object_hash())),
    }
}

/// Pairs deletions and additions of the same blob into renames (`from`,
/// `to`, blob), removing them from both lists. Candidates are taken in path
/// order, a deleted file of the same name first.
fn exact_renames(
    added: &mut Vec<(String, ObjectId)>,
    deleted: &mut Vec<(String, ObjectId)>,
) -> Vec<(String, String, ObjectId)> {
    added.sort_unstable();
    deleted.sort_unstable();
    let mut sources: HashMap<ObjectId, Vec<usize>> = HashMap::new();
    for (index, (_, blob)) in deleted.iter().enumerate() {
        sources.entry(*blob).or_default().push(index);
    }
    let name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
    let mut used = vec![false; deleted.len()];
    let mut renames = Vec::new();
    added.retain(|(path, blob)| {
        let Some(candidates) = sources.get_mut(blob).filter(|c| !c.is_empty()) else {
            return true;
        };
        let pick = candidates
            .iter()
            .position(|&i| name(&deleted[i].0) == name(path))
            .unwrap_or(0);
        let source = candidates.remove(pick);
        used[source] = true;
        renames.push((deleted[source].0.clone(), path.clone(), *blob));
        false
    });
    let mut index = 0;
    deleted.retain(|_| {
        index += 1;
        !used[index - 1]
    });
    renames
}

/// `old` and `new` without their common leading and trailing lines, which
/// a line diff never counts: only the middle is interned and diffed.
fn differing_lines<'a>(old: &'a [u8], new: &'a [u8]) -> (&'a [u8], &'a [u8]) {
    let common = common_prefix(old, new);
    let start = old[..common]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let (old, new) = (&old[start..], &new[start..]);
    let mut end = common_suffix(old, new);
    // The common tail must start a line in both.
    let starts_line = |s: &[u8], tail: usize| tail == s.len() || s[s.len() - tail - 1] == b'\n';
    while end > 0 && !(starts_line(old, end) && starts_line(new, end)) {
        end -= 1;
    }
    (&old[..old.len() - end], &new[..new.len() - end])
}

/// Block size for comparing runs with `memcmp` before byte by byte.
const BLOCK: usize = 256;

/// The length of the common prefix of `a` and `b`.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let max = a.len().min(b.len());
    let mut n = 0;
    while n + BLOCK <= max && a[n..n + BLOCK] == b[n..n + BLOCK] {
        n += BLOCK;
    }
    n + a[n..max]
        .iter()
        .zip(&b[n..max])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The length of the common suffix of `a` and `b`.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let max = a.len().min(b.len());
    let (a, b) = (&a[a.len() - max..], &b[b.len() - max..]);
    let mut n = 0;
    while n + BLOCK <= max && a[max - n - BLOCK..max - n] == b[max - n - BLOCK..max - n] {
        n += BLOCK;
    }
    let (a, b) = (&a[..max - n], &b[..max - n]);
    n + a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// git's rule: a NUL byte in the first 8,000 bytes.
fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(8000)].contains(&0)
}

/// Lines as git counts them: a last line without a newline counts.
fn count_lines(data: &[u8]) -> u32 {
    let newlines = data.iter().filter(|&&b| b == b'\n').count();
    let partial = usize::from(data.last().is_some_and(|&b| b != b'\n'));
    u32::try_from(newlines + partial).unwrap_or(u32::MAX)
}
