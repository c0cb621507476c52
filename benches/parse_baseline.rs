//! The speed-bar baseline: a bare tree-sitter parse and full tree walk of
//! every `.py`/`.pyi` file under a folder (the files mlscan reads as
//! Python), on the same parallel walker and threads that `mlscan scan` uses.
//! `mlscan scan` must stay within 1.3x of this.
//!
//! It is a plain program (`harness = false`), not a divan bench:
//!
//! ```text
//! cargo bench --bench parse_baseline -- PATH [--threads N] [--json]
//! target/release/deps/parse_baseline-<hash> PATH [--threads N] [--json]
//! ```
//!
//! Each walker thread owns one `tree_sitter::Parser`; for every file it
//! reads the bytes, checks UTF-8 (mlscan analyses `&str`), parses, and visits
//! every node (named and anonymous) with a `TreeCursor`. Unreadable or
//! unparsable files are counted and skipped. Without PATH (as when `cargo
//! bench` or `cargo test --all-targets` runs every target) it walks
//! `testdata/`.

#[path = "support/tree_walk.rs"]
mod tree_walk;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Counters shared by all walker threads.
#[derive(Default)]
struct Totals {
    files: AtomicU64,
    bytes: AtomicU64,
    lines: AtomicU64,
    nodes: AtomicU64,
    /// Files whose tree has ERROR or MISSING nodes (still walked).
    syntax_errors: AtomicU64,
    /// Files that could not be read, were not UTF-8 or gave no tree.
    skipped: AtomicU64,
}

/// Per-thread counters, added to [`Totals`] once when the thread's visitor is
/// dropped, so threads never contend during the walk.
struct Local {
    totals: Arc<Totals>,
    files: u64,
    bytes: u64,
    lines: u64,
    nodes: u64,
    syntax_errors: u64,
    skipped: u64,
}

impl Drop for Local {
    fn drop(&mut self) {
        let t = &self.totals;
        t.files.fetch_add(self.files, Ordering::Relaxed);
        t.bytes.fetch_add(self.bytes, Ordering::Relaxed);
        t.lines.fetch_add(self.lines, Ordering::Relaxed);
        t.nodes.fetch_add(self.nodes, Ordering::Relaxed);
        t.syntax_errors
            .fetch_add(self.syntax_errors, Ordering::Relaxed);
        t.skipped.fetch_add(self.skipped, Ordering::Relaxed);
    }
}

/// One walker thread's parser and counters.
struct Worker {
    parser: Option<tree_sitter::Parser>,
    local: Local,
}

impl Worker {
    fn visit(&mut self, entry: &ignore::DirEntry) {
        let is_py = entry.file_type().is_some_and(|t| t.is_file())
            && entry
                .path()
                .extension()
                .is_some_and(|e| e == "py" || e == "pyi");
        if !is_py {
            return;
        }
        let local = &mut self.local;
        let Some(parser) = self.parser.as_mut() else {
            local.skipped += 1;
            return;
        };
        let Ok(bytes) = std::fs::read(entry.path()) else {
            local.skipped += 1;
            return;
        };
        let Ok(source) = std::str::from_utf8(&bytes) else {
            local.skipped += 1;
            return;
        };
        let Some(tree) = parser.parse(source, None) else {
            local.skipped += 1;
            return;
        };
        local.files += 1;
        local.bytes += bytes.len() as u64;
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        local.lines += newlines + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n"));
        local.nodes += tree_walk::count_nodes(&tree);
        if tree.root_node().has_error() {
            local.syntax_errors += 1;
        }
    }
}

struct Args {
    root: PathBuf,
    threads: usize,
    json: bool,
}

fn usage() -> &'static str {
    "usage: parse_baseline [PATH] [--threads N] [--json]\n\
     Parses every .py/.pyi file under PATH (default: testdata) with tree-sitter-python\n\
     and walks every node; prints files, bytes, lines, nodes and time.\n\
     --threads 0 (default) uses the ignore crate's choice, as mlscan does."
}

fn parse_args() -> Result<Args, String> {
    let mut root = None;
    let mut threads = 0usize;
    let mut json = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            // cargo bench appends --bench; cargo test may pass libtest flags.
            "--bench" | "--test" | "--nocapture" | "--quiet" | "-q" => {}
            "--json" => json = true,
            "--threads" | "-j" => {
                let v = it.next().ok_or("--threads needs a value")?;
                threads = v.parse().map_err(|_| format!("bad --threads: {v}"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--threads=") => {
                let v = &s["--threads=".len()..];
                threads = v.parse().map_err(|_| format!("bad --threads: {v}"))?;
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            s => {
                if root.is_some() {
                    return Err(format!("unexpected argument {s}"));
                }
                root = Some(PathBuf::from(s));
            }
        }
    }
    let root = root.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata"));
    Ok(Args {
        root,
        threads,
        json,
    })
}

fn new_parser() -> Result<tree_sitter::Parser, String> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|e| format!("tree-sitter-python: {e}"))?;
    Ok(parser)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("parse_baseline: {e}");
            }
            eprintln!("{}", usage());
            return ExitCode::from(2);
        }
    };
    if let Err(e) = new_parser() {
        eprintln!("parse_baseline: {e}");
        return ExitCode::from(2);
    }
    if !args.root.exists() {
        // Nothing to walk (e.g. no testdata yet): not an error for `cargo bench`.
        eprintln!("parse_baseline: {} does not exist", args.root.display());
        return ExitCode::SUCCESS;
    }

    let totals = Arc::new(Totals::default());
    let start = Instant::now();
    ignore::WalkBuilder::new(&args.root)
        // The same walker settings as mlscan's walk (src/walk.rs).
        .hidden(false)
        .git_global(false)
        .require_git(false)
        .threads(args.threads)
        .build_parallel()
        .run(|| {
            let mut worker = Worker {
                // Checked above; a failure here only skips this thread's files.
                parser: new_parser().ok(),
                local: Local {
                    totals: Arc::clone(&totals),
                    files: 0,
                    bytes: 0,
                    lines: 0,
                    nodes: 0,
                    syntax_errors: 0,
                    skipped: 0,
                },
            };
            Box::new(move |entry| {
                if let Ok(entry) = entry {
                    worker.visit(&entry);
                }
                ignore::WalkState::Continue
            })
        });
    let secs = start.elapsed().as_secs_f64();

    let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
    let (files, bytes, lines, nodes) = (
        get(&totals.files),
        get(&totals.bytes),
        get(&totals.lines),
        get(&totals.nodes),
    );
    let (errors, skipped) = (get(&totals.syntax_errors), get(&totals.skipped));
    if args.json {
        println!(
            "{{\"files\":{files},\"bytes\":{bytes},\"lines\":{lines},\"nodes\":{nodes},\
             \"syntax_errors\":{errors},\"skipped\":{skipped},\"seconds\":{secs:.6}}}"
        );
    } else {
        let mb = bytes as f64 / 1e6;
        println!(
            "files={files} bytes={bytes} lines={lines} nodes={nodes} syntax_errors={errors} \
             skipped={skipped} seconds={secs:.3} MB/s={:.1}",
            if secs > 0.0 { mb / secs } else { 0.0 }
        );
    }
    ExitCode::SUCCESS
}
