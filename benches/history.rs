//! Timing of the git history layer on a real repository: revisions, trees,
//! per-commit changes (numstat) and blob reads, as `mlscan trend` uses them.
//!
//! ```text
//! cargo bench --bench history -- /path/to/repo [LAST=50] [THREADS=2]
//! ```
//!
//! Build a real history with `../shared/corpus/history.sh` (one commit per
//! release of a package), or use any clone.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use mlscan::history::{Options, Repo};

#[path = "support/history_args.rs"]
mod history_args;

fn main() {
    let (repo, numbers) =
        history_args::repo_and_numbers("cargo bench --bench history -- REPO [LAST] [THREADS]");
    let last = numbers.first().copied().flatten().unwrap_or(50);
    let threads = numbers.get(1).copied().flatten().unwrap_or(2);
    history_args::exit_on_error("history", run(&repo, last, threads));
}

fn run(path: &Path, last: usize, threads: usize) -> Result<(), String> {
    let clock = Instant::now();
    let mut previous = 0.0;
    let mut lap = |what: &str| {
        let now = clock.elapsed().as_secs_f64() * 1e3;
        println!("{what:>48}: {:8.1} ms", now - previous);
        previous = now;
    };
    let repo = Repo::discover(path).map_err(|e| e.to_string())?;
    lap("discover");
    let options = Options {
        last: Some(last),
        first_parent: true,
        ..Options::default()
    };
    let revisions = repo.revisions(&options).map_err(|e| e.to_string())?;
    lap(&format!("revisions ({})", revisions.len()));
    let mut versions = 0;
    let mut distinct = HashMap::new();
    for revision in &revisions {
        for file in repo.files(revision.id).map_err(|e| e.to_string())? {
            versions += 1;
            distinct.insert(file.blob, file.size);
        }
    }
    lap(&format!(
        "trees ({versions} files, {} blobs)",
        distinct.len()
    ));
    let changes = repo
        .changes(&revisions, threads, &Default::default())
        .map_err(|e| e.to_string())?;
    let files: usize = changes.iter().map(|c| c.files.len()).sum();
    lap(&format!(
        "changes, {threads} threads ({files} file changes)"
    ));
    let mut reader = repo.blob_reader();
    let mut bytes = 0;
    for blob in distinct.keys() {
        bytes += reader.read(*blob).map_err(|e| e.to_string())?.len();
    }
    lap(&format!("read distinct blobs ({} MB)", bytes / 1_000_000));
    Ok(())
}
