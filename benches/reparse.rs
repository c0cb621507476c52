//! Would tree-sitter's incremental parsing pay for `mlscan trend`? Parses
//! every distinct Python blob of a history twice: from scratch (as trend
//! does), and along each path's versions, editing the previous version's
//! tree by the line diff (imara-diff, histogram) and reparsing. Checks that
//! both give the same trees, and prints the times. docs/PERFORMANCE.md has
//! the figures and the decision.
//!
//! ```text
//! cargo bench --bench reparse -- /path/to/repo [LAST=50]
//! ```

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use imara_diff::{Algorithm, Diff, InternedInput};
use mlscan::facts::Language;
use mlscan::history::{ObjectId, Options, Repo};
use tree_sitter::{InputEdit, Parser, Point, Tree};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(path) = args.first() else {
        eprintln!("usage: cargo bench --bench reparse -- REPO [LAST]");
        std::process::exit(2);
    };
    let last: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(50);
    if let Err(e) = run(Path::new(path), last) {
        eprintln!("reparse bench: {e}");
        std::process::exit(1);
    }
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
    let (mut edits, mut differing) = (0, 0);
    for chain in &chains {
        let mut previous: Option<(&str, Tree)> = None;
        for source in chain {
            let clock = Instant::now();
            let fresh = parser.parse(source, None).ok_or("parser gave up")?;
            full += clock.elapsed();
            let clock = Instant::now();
            let tree = match previous.take() {
                None => fresh.clone(),
                Some((old_source, mut old)) => {
                    edits += edit(&mut old, old_source, source);
                    parser.parse(source, Some(&old)).ok_or("parser gave up")?
                }
            };
            incremental += clock.elapsed();
            if tree.root_node().to_sexp() != fresh.root_node().to_sexp() {
                differing += 1;
            }
            previous = Some((source, tree));
        }
    }
    println!("from scratch: {:.2} s", full.as_secs_f64());
    println!(
        "incremental:  {:.2} s (diffs included; {edits} edits; first versions from scratch)",
        incremental.as_secs_f64()
    );
    println!("trees that differ: {differing}");
    Ok(())
}

/// Each path's distinct Python contents, in history order (a content
/// already seen anywhere is skipped, as trend analyses it once).
fn chains(path: &Path, last: usize) -> Result<Vec<Vec<String>>, String> {
    let repo = Repo::discover(path).map_err(|e| e.to_string())?;
    let mut revisions = repo
        .revisions(&Options {
            last: Some(last),
            first_parent: true,
            ..Options::default()
        })
        .map_err(|e| e.to_string())?;
    revisions.sort_by_key(|r| r.time);
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

/// Edits `tree` (of `old`) into the shape of `new` by their line diff's
/// hunks, each widened by the line before it: an edit starting exactly at
/// the end of an indented block makes tree-sitter-python relex the rest of
/// the file. Returns the number of edits.
fn edit(tree: &mut Tree, old: &str, new: &str) -> usize {
    let input = InternedInput::new(old, new);
    let mut diff = Diff::compute(Algorithm::Histogram, &input);
    diff.postprocess_lines(&input);
    let (old_lines, new_lines) = (line_starts(old), line_starts(new));
    let mut hunks: Vec<(u32, u32, u32, u32)> = Vec::new();
    for h in diff.hunks() {
        let back = u32::from(h.before.start > 0 && h.after.start > 0);
        let hunk = (
            h.before.start - back,
            h.before.end,
            h.after.start - back,
            h.after.end,
        );
        match hunks.last_mut() {
            Some(last) if hunk.0 <= last.1 => (last.1, last.3) = (hunk.1, hunk.3),
            _ => hunks.push(hunk),
        }
    }
    // Last first: the earlier hunks' positions stay those of `old`.
    for &(before_start, before_end, after_start, after_end) in hunks.iter().rev() {
        let at = |lines: &[usize], line: u32, len: usize| {
            lines.get(line as usize).copied().unwrap_or(len)
        };
        let start_byte = at(&old_lines, before_start, old.len());
        let inserted =
            at(&new_lines, after_end, new.len()) - at(&new_lines, after_start, new.len());
        tree.edit(&InputEdit {
            start_byte,
            old_end_byte: at(&old_lines, before_end, old.len()),
            new_end_byte: start_byte + inserted,
            start_position: Point::new(before_start as usize, 0),
            old_end_position: Point::new(before_end as usize, 0),
            new_end_position: Point::new((before_start + after_end - after_start) as usize, 0),
        });
    }
    hunks.len()
}

/// The byte offset of each line's start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}
