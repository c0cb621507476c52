//! Tree listing and blob reading.

use gix::bstr::ByteSlice;
use gix::prelude::FindExt;

use super::{Error, ObjectId, Repo, git_err};
use crate::facts::Language;
use crate::walk::language_of;

/// A file mlscan analyses, as found in a commit's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    /// POSIX path relative to the prefix.
    pub path: String,
    pub language: Language,
    /// Blob id: the content's key.
    pub blob: ObjectId,
    /// Content size in bytes, from the object header.
    pub size: u64,
}

impl Repo {
    /// The analysed files under the prefix at `commit`, sorted by path:
    /// regular and executable blobs whose name [`language_of`] accepts;
    /// symlinks and submodules are skipped. Empty if the prefix folder did
    /// not exist then.
    pub fn files(&self, commit: ObjectId) -> Result<Vec<TreeFile>, Error> {
        let Some(root) = prefix_tree(&self.repo, &self.prefix, commit)? else {
            return Ok(Vec::new());
        };
        let mut files = Vec::new();
        let mut folders = vec![(root, String::new())];
        let mut buf = Vec::new();
        while let Some((tree, folder)) = folders.pop() {
            let entries = self
                .repo
                .objects
                .find_tree_iter(&tree, &mut buf)
                .map_err(git_err(format_args!("reading tree {tree}")))?;
            for entry in entries {
                let entry = entry.map_err(git_err(format_args!("decoding tree {tree}")))?;
                let name = entry.filename.to_str_lossy();
                if entry.mode.is_tree() {
                    folders.push((entry.oid.to_owned(), join(&folder, &name)));
                } else if entry.mode.is_blob()
                    && let Some(language) = language_of(&name)
                {
                    files.push(TreeFile {
                        path: join(&folder, &name),
                        language,
                        blob: entry.oid.to_owned(),
                        size: 0,
                    });
                }
            }
        }
        let mut sizes = self.sizes.borrow_mut();
        for file in &mut files {
            file.size = match sizes.get(&file.blob) {
                Some(&size) => size,
                None => {
                    let header =
                        self.repo
                            .find_header(file.blob)
                            .map_err(git_err(format_args!(
                                "reading blob {} ({})",
                                file.blob, file.path
                            )))?;
                    sizes.insert(file.blob, header.size());
                    header.size()
                }
            };
        }
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// A blob reader with its own handle on the object database, to move to
    /// a worker thread (one per thread).
    pub fn blob_reader(&self) -> BlobReader {
        self.blob_source().reader()
    }

    /// What worker threads make their own [`BlobReader`]s from.
    pub fn blob_source(&self) -> BlobSource {
        BlobSource {
            shared: self.shared.clone(),
        }
    }
}

/// A file read from a commit's tree ([`Repo::file_at`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileAt {
    Absent,
    /// Not read: this many bytes, over the limit asked for.
    TooLarge(u64),
    Bytes(Vec<u8>),
}

impl Repo {
    /// The regular file at `path` (from the repository's root, not the
    /// prefix) in `commit`'s tree; a file of `max_bytes` or more is not read.
    pub fn file_at(&self, commit: ObjectId, path: &str, max_bytes: u64) -> Result<FileAt, Error> {
        let context = || format!("reading {path} at {commit}");
        let tree = self
            .repo
            .find_commit(commit)
            .map_err(git_err(context()))?
            .tree()
            .map_err(git_err(context()))?;
        let Some(entry) = tree
            .lookup_entry_by_path(path)
            .map_err(git_err(context()))?
            .filter(|entry| entry.mode().is_blob())
        else {
            return Ok(FileAt::Absent);
        };
        let size = self
            .repo
            .find_header(entry.object_id())
            .map_err(git_err(context()))?
            .size();
        if size >= max_bytes {
            return Ok(FileAt::TooLarge(size));
        }
        let object = entry.object().map_err(git_err(context()))?;
        Ok(FileAt::Bytes(object.detach().data))
    }
}

/// Makes [`BlobReader`]s on any thread: `Send` and `Sync`.
#[derive(Clone)]
pub struct BlobSource {
    shared: gix::ThreadSafeRepository,
}

impl BlobSource {
    /// A reader with its own handle on the object database.
    pub fn reader(&self) -> BlobReader {
        BlobReader {
            repo: self.shared.to_thread_local(),
            buf: Vec::new(),
        }
    }
}

/// Reads blobs into a reused buffer. `Send`, not `Sync`: one per thread.
pub struct BlobReader {
    repo: gix::Repository,
    buf: Vec<u8>,
}

impl BlobReader {
    /// The bytes of a blob, valid until the next read.
    pub fn read(&mut self, blob: ObjectId) -> Result<&[u8], Error> {
        let blob = self
            .repo
            .objects
            .find_blob(&blob, &mut self.buf)
            .map_err(git_err(format_args!("reading blob {blob}")))?;
        Ok(blob.data)
    }
}

/// The tree of the `prefix` folder at `commit`, `None` if it was absent.
pub(super) fn prefix_tree(
    repo: &gix::Repository,
    prefix: &str,
    commit: ObjectId,
) -> Result<Option<ObjectId>, Error> {
    let context = || format!("reading commit {commit}");
    let commit = repo.find_commit(commit).map_err(git_err(context()))?;
    let mut tree = commit.tree_id().map_err(git_err(context()))?.detach();
    let mut buf = Vec::new();
    for name in prefix.split('/').filter(|name| !name.is_empty()) {
        let entries = repo
            .objects
            .find_tree_iter(&tree, &mut buf)
            .map_err(git_err(format_args!("reading tree {tree}")))?;
        let mut found = None;
        for entry in entries {
            let entry = entry.map_err(git_err(format_args!("decoding tree {tree}")))?;
            if entry.mode.is_tree() && entry.filename == name.as_bytes() {
                found = Some(entry.oid.to_owned());
                break;
            }
        }
        match found {
            Some(sub) => tree = sub,
            None => return Ok(None),
        }
    }
    Ok(Some(tree))
}

/// `folder/name`, or `name` at the root.
fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}
