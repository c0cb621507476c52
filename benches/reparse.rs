//! Would tree-sitter's incremental parsing pay for `mlscan trend`? Parses
//! every distinct Python blob of a history twice: from scratch, and along
//! each path's versions as `mlscan trend` does, editing the previous
//! version's tree by the line diff (`parse::python::reparse::edit`) and
//! reparsing. Checks that both give the same trees (every node's kind,
//! bytes and positions), and prints the times
//! (docs/PERFORMANCE.md).
//!
//! ```text
//! cargo bench --bench reparse -- /path/to/repo [LAST=50]
//! ```

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use mlscan::facts::Language;
use mlscan::history::{ObjectId, Options, Repo};
use mlscan::parse::python::reparse::{edit, nodes};
use tree_sitter::{Parser, Tree};

#[path = "support/history_args.rs"]
mod history_args;

fn main() {
    let (repo, numbers) =
        history_args::repo_and_numbers("cargo bench --bench reparse -- REPO [LAST]");
    let last = numbers.first().copied().flatten().unwrap_or(50);
    history_args::exit_on_error("reparse", run(&repo, last));
}

fn run(path: &Path, last: usize) -> Result<(), String> {
    let chains = chains(path, last)?;
    let blobs: usize = chains.iter().map(Vec::len).sum();
    let bytes: usize = chains.iter().flatten().map(String::len).sum();
    println!(
        "{} paths, {blobs} distinct Python blobs, {} MB",
        chains.len(),
        bytes / 1_000_000
    );
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|e| e.to_string())?;
    let mut full = Duration::ZERO;
    let mut incremental = Duration::ZERO;
    let mut first = Duration::ZERO;
    let (mut edits, mut differing) = (0, 0);
    for chain in &chains {
        let mut previous: Option<(&str, Tree)> = None;
        for source in chain {
            let clock = Instant::now();
            let fresh = parser.parse(source, None).ok_or("parser gave up")?;
            let from_scratch = clock.elapsed();
            full += from_scratch;
            // A path's first version is parsed from scratch either way.
            let tree = match previous.take() {
                None => {
                    incremental += from_scratch;
                    first += from_scratch;
                    fresh.clone()
                }
                Some((old_source, mut old)) => {
                    let clock = Instant::now();
                    edits += edit(&mut old, old_source, source);
                    let tree = parser.parse(source, Some(&old)).ok_or("parser gave up")?;
                    incremental += clock.elapsed();
                    tree
                }
            };
            if nodes(&tree) != nodes(&fresh) {
                differing += 1;
            }
            // As mlscan does: a tree with errors is not reused.
            previous = (!tree.root_node().has_error()).then_some((source, tree));
        }
    }
    println!("from scratch: {:.2} s", full.as_secs_f64());
    println!(
        "incremental:  {:.2} s (diffs included; {edits} edits; of which each path's first version, from scratch: {:.2} s)",
        incremental.as_secs_f64(),
        first.as_secs_f64()
    );
    println!("trees that differ: {differing}");
    Ok(())
}

/// Each path's distinct Python contents, in history order (a content
/// already seen anywhere is skipped, as trend analyses it once).
fn chains(path: &Path, last: usize) -> Result<Vec<Vec<String>>, String> {
    let repo = Repo::discover(path).map_err(|e| e.to_string())?;
    let revisions = repo
        .revisions(&Options {
            last: Some(last),
            first_parent: true,
            ..Options::default()
        })
        .map_err(|e| e.to_string())?;
    let mut reader = repo.blob_reader();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut by_path: HashMap<String, usize> = HashMap::new();
    let mut chains: Vec<Vec<String>> = Vec::new();
    for revision in &revisions {
        for file in repo.files(revision.id).map_err(|e| e.to_string())? {
            if file.language != Language::Python || !seen.insert(file.blob) {
                continue;
            }
            let bytes = reader.read(file.blob).map_err(|e| e.to_string())?;
            let source = String::from_utf8_lossy(bytes).into_owned();
            let slot = *by_path.entry(file.path).or_insert_with(|| {
                chains.push(Vec::new());
                chains.len() - 1
            });
            chains[slot].push(source);
        }
    }
    Ok(chains)
}
