//! Reading git history straight from the object database (gix): no
//! checkout, no `git` subprocess. This is the input layer of `mlscan trend`.
//!
//! - [`Repo::discover`] finds the repository the way git does, from a folder
//!   that may be a subfolder of a work tree (or a git dir: a bare repository
//!   or `.git` itself, which then means the whole tree). Errors: not a
//!   repository, a shallow clone, no commits. Cost: opening, microseconds.
//! - [`Repo::revisions`] selects commits per [`Options`] and returns
//!   [`Revision`]s oldest first. Cost: one commit read per commit walked;
//!   first-parent walks stop early (`last`, `since`), `first_parent: false`
//!   walks the whole range and sorts it.
//! - [`Repo::files`] lists the files mlscan analyses in a commit's tree under
//!   the prefix, sorted by path, each with its blob id and size. Cost: one
//!   tree read per folder, one object header lookup per file (memoised per
//!   blob id across calls).
//! - [`Repo::blob_reader`] gives a [`BlobReader`] with its own handle on the
//!   object database: `Repo` is `Send` but not `Sync`, so each worker thread
//!   takes its own reader (or makes it from a [`BlobSource`], which is
//!   `Sync`) and reads blobs into a reused buffer.
//! - [`Repo::changes`] and [`Repo::changes_since`] give per-commit
//!   [`FileChange`]s against the first parent, like
//!   `git log --first-parent --numstat -M100%`, on N worker threads. Cost: a
//!   tree diff per commit that skips unchanged folders, two blob reads and
//!   a Myers line diff (imara-diff) of the differing lines per changed file.
//!
//! Times are committer times; calendar arithmetic is in UTC. `Repo` is
//! `Send`, not `Sync`; everything it returns is plain owned data.

mod changes;
mod revs;
mod tree;

#[cfg(test)]
pub(crate) mod tests;

use foldhash::HashMap;
use std::cell::RefCell;
use std::fmt;
use std::path::{Path, PathBuf};

pub use changes::{ChangeKind, CommitChanges, FileChange, KnownCounts, LineCounts, LineDiff};
pub use gix::ObjectId;
pub use revs::{Options, Period, Revision, date_end, date_start};
pub use tree::{BlobReader, BlobSource, FileAt, TreeFile};

/// What can go wrong reading history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The folder is not inside a git repository.
    NotARepository(PathBuf),
    /// A shallow clone: history is incomplete.
    Shallow(PathBuf),
    /// A repository without any commit.
    Empty(PathBuf),
    /// A revision that does not resolve to a commit.
    MissingRevision(String),
    /// An option value that does not parse (date, period, range).
    Invalid(String),
    /// Any other failure of the object database, with its context.
    Git(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotARepository(path) => {
                write!(f, "{}: not inside a git repository", path.display())
            }
            Error::Shallow(path) => write!(
                f,
                "{}: shallow clone, history is incomplete; run `git fetch --unshallow` first",
                path.display()
            ),
            Error::Empty(path) => write!(f, "{}: the repository has no commits", path.display()),
            Error::MissingRevision(spec) => write!(f, "revision not found: {spec}"),
            Error::Invalid(message) | Error::Git(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// Wraps a gix error with what was being done.
fn git_err<E: fmt::Display>(context: impl fmt::Display) -> impl FnOnce(E) -> Error {
    move |err| Error::Git(format!("{context}: {err}"))
}

/// An open repository and the folder (prefix) that history is read for.
pub struct Repo {
    shared: gix::ThreadSafeRepository,
    repo: gix::Repository,
    mailmap: gix::mailmap::Snapshot,
    prefix: String,
    /// Blob sizes already looked up, by blob id.
    sizes: RefCell<HashMap<ObjectId, u64>>,
}

impl Repo {
    /// Opens the repository holding `path` (searching upwards like git) and
    /// records `path`'s place in the work tree as the prefix.
    pub fn discover(path: &Path) -> Result<Repo, Error> {
        let folder = path
            .canonicalize()
            .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
        if !folder.is_dir() {
            return Err(Error::Invalid(format!("{}: not a folder", path.display())));
        }
        if let Err(err) = gix::discover::upwards(&folder) {
            use gix::discover::upwards::Error as Upwards;
            return Err(match err.downcast_any_ref::<Upwards>() {
                Some(
                    Upwards::NoGitRepository { .. }
                    | Upwards::NoGitRepositoryWithinCeiling { .. }
                    | Upwards::NoGitRepositoryWithinFs { .. },
                ) => Error::NotARepository(path.to_path_buf()),
                _ => git_err(path.display())(err),
            });
        }
        let shared =
            gix::ThreadSafeRepository::discover(&folder).map_err(git_err(path.display()))?;
        let mut repo = shared.to_thread_local();
        repo.object_cache_size_if_unset(16 << 20);
        if repo.is_shallow().map_err(git_err(path.display()))? {
            return Err(Error::Shallow(path.to_path_buf()));
        }
        if repo.head().map_err(git_err(path.display()))?.is_unborn() {
            return Err(Error::Empty(path.to_path_buf()));
        }
        let prefix = prefix_of(&folder, repo.git_dir(), repo.workdir());
        let mailmap = repo.open_mailmap();
        Ok(Repo {
            shared,
            repo,
            mailmap,
            prefix,
            sizes: RefCell::default(),
        })
    }

    /// The folder's POSIX path inside the work tree, "" at the root.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The blob sizes looked up so far, for another handle on the same
    /// repository ([`Self::learn_sizes`]).
    pub fn known_sizes(&self) -> HashMap<ObjectId, u64> {
        self.sizes.borrow().clone()
    }

    /// Takes blob sizes another handle looked up.
    pub fn learn_sizes(&self, sizes: HashMap<ObjectId, u64>) {
        self.sizes.borrow_mut().extend(sizes);
    }

    /// The work tree's root; `None` for a bare repository.
    pub fn work_tree(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// The git dir (`.git`, or a bare repository's folder).
    pub fn git_dir(&self) -> &Path {
        self.repo.git_dir()
    }
}

/// `folder`'s path inside the work tree; "" at its root, inside the git dir
/// or in a bare repository.
fn prefix_of(folder: &Path, git_dir: &Path, workdir: Option<&Path>) -> String {
    let inside = |base: &Path| {
        base.canonicalize()
            .ok()
            .and_then(|base| folder.strip_prefix(base).ok().map(Path::to_path_buf))
    };
    if inside(git_dir).is_some() {
        return String::new();
    }
    let Some(rel) = workdir.and_then(inside) else {
        return String::new();
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}
