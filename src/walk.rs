//! Finding the files to scan: a parallel walk with the `ignore` crate that
//! honours `.gitignore`/`.ignore`, skips virtualenvs, caches, build outputs
//! and data, and keeps only the languages mlscan reads.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};

use crate::facts::Language;
use crate::report::Diagnostic;

/// Directories never worth scanning, excluded unless
/// `--no-default-excludes` is given (gitignore syntax).
pub const DEFAULT_EXCLUDES: &[&str] = &[
    "__pycache__/",
    ".venv/",
    "venv/",
    ".tox/",
    ".nox/",
    ".mypy_cache/",
    ".pytest_cache/",
    ".ruff_cache/",
    ".ipynb_checkpoints/",
    ".hydra/",
    ".dvc/",
    ".eggs/",
    "*.egg-info/",
    "*.dist-info/",
    "site-packages/",
    "node_modules/",
    "build/",
    "dist/",
    "mlruns/",
    "wandb/",
    "lightning_logs/",
];

/// Version-control directories, always skipped.
const VCS_DIRS: &[&str] = &[".git", ".hg", ".svn"];

/// A directory holding one of these files is a virtualenv or a cache
/// (`CACHEDIR.TAG` is the standard marker, written by cargo among others).
const MARKER_FILES: &[&str] = &["pyvenv.cfg", "CACHEDIR.TAG"];

#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub threads: usize,
    /// Extra exclude globs (gitignore syntax), from the CLI and config.
    pub excludes: Vec<String>,
    pub default_excludes: bool,
    pub follow_links: bool,
    /// Code files larger than this are reported and skipped.
    pub max_code_bytes: u64,
    /// Config files larger than this are counted as data and skipped.
    pub max_config_bytes: u64,
}

/// A file to analyse.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// Relative POSIX path from the scan root.
    pub rel: String,
    pub language: Language,
    pub bytes: u64,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Sorted by relative path.
    pub files: Vec<Candidate>,
    pub diagnostics: Vec<Diagnostic>,
    /// Config-format files skipped as too large (most are data, not config).
    pub skipped_large_configs: u32,
}

/// The language of a file, from its name; `None` for files mlscan skips.
pub fn language_of(file_name: &str) -> Option<Language> {
    match file_name {
        "MLproject" | "dvc.lock" | "Dvcfile" => return Some(Language::Yaml),
        _ => {}
    }
    let ext = file_name.rsplit_once('.')?.1;
    Some(match ext {
        "py" | "pyi" => Language::Python,
        "ipynb" => Language::Notebook,
        "rs" => Language::Rust,
        "yaml" | "yml" | "dvc" => Language::Yaml,
        "toml" => Language::Toml,
        "json" => Language::Json,
        _ => return None,
    })
}

/// Walks `root` (a directory or a single file).
pub fn walk(root: &Path, options: &WalkOptions) -> Result<Walk, String> {
    let meta = std::fs::metadata(root).map_err(|e| format!("{}: {e}", root.display()))?;
    if meta.is_file() {
        return Ok(walk_single_file(root, meta.len(), options));
    }
    let overrides = Excludes::new(root, options)?.overrides;
    let (sender, receiver) = mpsc::channel::<Found>();
    WalkBuilder::new(root)
        .threads(options.threads)
        .hidden(false)
        .git_global(false)
        .require_git(false)
        .follow_links(options.follow_links)
        .overrides(overrides)
        .filter_entry(|entry| !is_skipped_dir(entry))
        .build_parallel()
        .run(|| {
            let sender = sender.clone();
            Box::new(move |result| {
                let found = match result {
                    Ok(entry) => match classify_entry(root, &entry, options) {
                        Some(found) => found,
                        None => return WalkState::Continue,
                    },
                    Err(err) => Found::Problem(walk_error(root, &err)),
                };
                // The receiver outlives the walk, so this cannot fail.
                let _ = sender.send(found);
                WalkState::Continue
            })
        });
    drop(sender);
    let mut walk = Walk::default();
    for found in receiver {
        match found {
            Found::File(candidate) => walk.files.push(candidate),
            Found::Problem(diagnostic) => walk.diagnostics.push(diagnostic),
            Found::LargeConfig => walk.skipped_large_configs += 1,
        }
    }
    walk.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    walk.diagnostics.sort();
    Ok(walk)
}

enum Found {
    File(Candidate),
    Problem(Diagnostic),
    LargeConfig,
}

fn walk_single_file(path: &Path, bytes: u64, options: &WalkOptions) -> Walk {
    let mut walk = Walk::default();
    let name = file_name(path);
    let Some(language) = language_of(&name) else {
        walk.diagnostics.push(Diagnostic::error(
            &name,
            "not a file type mlscan reads (.py, .pyi, .ipynb, .rs, .yaml, .yml, .toml, .json)",
        ));
        return walk;
    };
    match size_check(&name, language, bytes, options) {
        Some(Found::Problem(d)) => walk.diagnostics.push(d),
        Some(_) => walk.skipped_large_configs += 1,
        None => walk.files.push(Candidate {
            path: path.to_path_buf(),
            rel: name,
            language,
            bytes,
        }),
    }
    walk
}

/// The exclude rules of a walk (default excludes, version-control
/// folders and `options.excludes`), also for paths that come from
/// elsewhere (git trees).
pub struct Excludes {
    overrides: ignore::overrides::Override,
}

impl Excludes {
    pub fn new(root: &Path, options: &WalkOptions) -> Result<Excludes, String> {
        let mut builder = OverrideBuilder::new(root);
        let defaults = if options.default_excludes {
            DEFAULT_EXCLUDES
        } else {
            &[]
        };
        let globs = defaults
            .iter()
            .copied()
            .chain(options.excludes.iter().map(String::as_str));
        for glob in globs {
            builder
                .add(&format!("!{glob}"))
                .map_err(|e| format!("invalid exclude glob {glob:?}: {e}"))?;
        }
        let overrides = builder
            .build()
            .map_err(|e| format!("invalid exclude globs: {e}"))?;
        Ok(Excludes { overrides })
    }

    /// Whether a walk would skip the file at `rel` (a POSIX path relative
    /// to the root): it, or one of the folders above it, is excluded.
    /// Folders holding a virtualenv or cache marker are not detected here:
    /// that needs the folder's other files.
    pub fn skips(&self, rel: &str) -> bool {
        let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
        self.skips_folder(folder) || self.skips_file(rel)
    }

    /// Whether the folder at `rel` (`""`: the root), or one above it, is
    /// excluded.
    fn skips_folder(&self, rel: &str) -> bool {
        if rel.is_empty() {
            return false;
        }
        let mut folders = rel
            .match_indices('/')
            .map(|(end, _)| &rel[..end])
            .chain([rel]);
        folders.any(|folder| {
            let name = folder.rsplit('/').next().unwrap_or(folder);
            VCS_DIRS.contains(&name) || self.overrides.matched(folder, true).is_ignore()
        })
    }

    /// Whether the file at `rel` is excluded by name (its folders aside).
    fn skips_file(&self, rel: &str) -> bool {
        self.overrides.matched(rel, false).is_ignore()
    }
}

/// The walk of files listed elsewhere (a git tree): each (relative POSIX
/// path, language, size) that `excludes` keeps, under the size limits of
/// a walk, in the given order. `path` is the relative path.
pub fn listed(
    files: impl IntoIterator<Item = (String, Language, u64)>,
    excludes: &Excludes,
    options: &WalkOptions,
) -> Walk {
    let mut walk = Walk::default();
    // Trees list a folder's files together: its verdict is reused.
    let mut last_folder: Option<(String, bool)> = None;
    for (rel, language, bytes) in files {
        let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
        let folder_skipped = match &last_folder {
            Some((last, skipped)) if last == folder => *skipped,
            _ => {
                let skipped = excludes.skips_folder(folder);
                last_folder = Some((folder.to_owned(), skipped));
                skipped
            }
        };
        if folder_skipped || excludes.skips_file(&rel) {
            continue;
        }
        match size_check(&rel, language, bytes, options) {
            Some(Found::Problem(diagnostic)) => walk.diagnostics.push(diagnostic),
            Some(_) => walk.skipped_large_configs += 1,
            None => walk.files.push(Candidate {
                path: PathBuf::from(&rel),
                rel,
                language,
                bytes,
            }),
        }
    }
    walk.diagnostics.sort();
    walk
}

fn is_skipped_dir(entry: &ignore::DirEntry) -> bool {
    if !entry.file_type().is_some_and(|t| t.is_dir()) {
        return false;
    }
    let name = entry.file_name().to_string_lossy();
    VCS_DIRS.contains(&name.as_ref())
        || (entry.depth() > 0 && MARKER_FILES.iter().any(|m| entry.path().join(m).is_file()))
}

fn classify_entry(root: &Path, entry: &ignore::DirEntry, options: &WalkOptions) -> Option<Found> {
    if !entry.file_type().is_some_and(|t| t.is_file()) {
        return None;
    }
    let language = language_of(&entry.file_name().to_string_lossy())?;
    let rel = relative_posix(root, entry.path());
    let bytes = match entry.metadata() {
        Ok(meta) => meta.len(),
        Err(err) => return Some(Found::Problem(Diagnostic::error(&rel, err.to_string()))),
    };
    if let Some(found) = size_check(&rel, language, bytes, options) {
        return Some(found);
    }
    Some(Found::File(Candidate {
        path: entry.path().to_path_buf(),
        rel,
        language,
        bytes,
    }))
}

fn size_check(rel: &str, language: Language, bytes: u64, options: &WalkOptions) -> Option<Found> {
    if language.is_config() {
        return (bytes > options.max_config_bytes).then_some(Found::LargeConfig);
    }
    (bytes > options.max_code_bytes).then(|| {
        Found::Problem(Diagnostic::file_warning(
            rel,
            format!(
                "file is {}, over the {} limit (--max-file-size); skipped",
                human_bytes(bytes),
                human_bytes(options.max_code_bytes)
            ),
        ))
    })
}

fn walk_error(root: &Path, err: &ignore::Error) -> Diagnostic {
    match err {
        ignore::Error::WithPath { path, err } => {
            let mut d = walk_error(root, err);
            d.path = relative_posix(root, path);
            d
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(root, err)
        }
        ignore::Error::Loop { ancestor, child } => Diagnostic::file_warning(
            &relative_posix(root, child),
            format!(
                "symbolic link loop back to {}; not followed",
                relative_posix(root, ancestor)
            ),
        ),
        ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
            Diagnostic::file_warning(".", "broken symbolic link; skipped")
        }
        ignore::Error::Io(io) => Diagnostic::error(".", format!("cannot read: {io}")),
        other => Diagnostic::file_warning(".", other.to_string()),
    }
}

/// `path` relative to `root`, with `/` separators ("." for the root).
pub fn relative_posix(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// `1.5 MiB`-style sizes for messages.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_by_name() {
        assert_eq!(language_of("train.py"), Some(Language::Python));
        assert_eq!(language_of("stubs.pyi"), Some(Language::Python));
        assert_eq!(language_of("eda.ipynb"), Some(Language::Notebook));
        assert_eq!(language_of("lib.rs"), Some(Language::Rust));
        assert_eq!(language_of("dvc.yaml"), Some(Language::Yaml));
        assert_eq!(language_of("data.csv.dvc"), Some(Language::Yaml));
        assert_eq!(language_of("MLproject"), Some(Language::Yaml));
        assert_eq!(language_of("dvc.lock"), Some(Language::Yaml));
        assert_eq!(language_of("pyproject.toml"), Some(Language::Toml));
        assert_eq!(language_of("config.json"), Some(Language::Json));
        assert_eq!(language_of("data.csv"), None);
        assert_eq!(language_of("Makefile"), None);
    }

    #[test]
    fn listed_files_get_the_walk_s_excludes_and_limits() {
        let options = WalkOptions {
            threads: 1,
            excludes: vec!["legacy/**".to_owned(), "*_pb2.py".to_owned()],
            default_excludes: true,
            follow_links: false,
            max_code_bytes: 100,
            max_config_bytes: 10,
        };
        let excludes = Excludes::new(Path::new("/repo"), &options).unwrap();
        for skipped in [
            "build/lib/x.py",
            "src/.venv/lib/y.py",
            "pkg.egg-info/z.py",
            "legacy/old.py",
            "api/msg_pb2.py",
            "a/__pycache__/m.py",
        ] {
            assert!(excludes.skips(skipped), "{skipped}");
        }
        for kept in ["src/build.py", "builder/x.py", "src/model.py", "dist.py"] {
            assert!(!excludes.skips(kept), "{kept}");
        }
        let walk = listed(
            [
                ("a.py".to_owned(), Language::Python, 100),
                ("big.py".to_owned(), Language::Python, 101),
                ("build/b.py".to_owned(), Language::Python, 1),
                ("c.yaml".to_owned(), Language::Yaml, 11),
                // A folder's verdict is reused for its next file, a file's
                // own is not.
                ("legacy/a.py".to_owned(), Language::Python, 1),
                ("legacy/b.py".to_owned(), Language::Python, 1),
                ("legacy2/c.py".to_owned(), Language::Python, 1),
                ("api/msg_pb2.py".to_owned(), Language::Python, 1),
                ("api/x.py".to_owned(), Language::Python, 1),
            ],
            &excludes,
            &options,
        );
        let kept: Vec<&str> = walk.files.iter().map(|c| c.rel.as_str()).collect();
        assert_eq!(kept, ["a.py", "legacy2/c.py", "api/x.py"]);
        assert_eq!(walk.files[0].path, Path::new("a.py"));
        assert_eq!(walk.diagnostics.len(), 1);
        assert_eq!(walk.diagnostics[0].path, "big.py");
        assert_eq!(walk.skipped_large_configs, 1);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(3 * 1024 * 1024 / 2), "1.5 MiB");
    }

    #[test]
    fn posix_relative_paths() {
        let root = Path::new("/repo");
        assert_eq!(relative_posix(root, Path::new("/repo/a/b.py")), "a/b.py");
        assert_eq!(relative_posix(root, Path::new("/repo")), ".");
    }
}
