//! Micro-benchmarks of the per-file parse + metrics stage (divan).
//!
//! ```text
//! cargo bench --bench analyze                 # all
//! cargo bench --bench analyze -- python       # a filter
//! ```
//!
//! Inputs are in-repo files, read once at start-up: the largest Python file
//! under `testdata/`, the largest Rust file, and the largest YAML/TOML/JSON
//! config. Until `testdata/` holds one of a kind, the fallback is a file of
//! this repository (`benches/compare.py`, the largest `src/**/*.rs`,
//! `Cargo.toml`). The chosen files are printed before the results.
//!
//! The `python::ts_parse` and `python::ts_parse_walk` benches are a bare
//! tree-sitter parse, and a parse plus a full `TreeCursor` walk, of the same
//! input: `python::analyze_*` divided by `ts_parse_walk` is the overhead of
//! our analysis over the minimum any tree-sitter tool pays (the whole-scan
//! version of this ratio is the speed bar; see benches/README.md).
//!
//! Each bench reuses one parser, as a scan worker thread does. Throughput is
//! reported in bytes of source per second.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use mlscan::facts::{AnalysisOptions, CcRules, Language};

fn main() {
    for (what, input) in [("python", &*PYTHON), ("rust", &*RUST), ("config", &*CONFIG)] {
        match input {
            Some(i) => eprintln!(
                "{what:>6} input: {} ({} bytes, {} lines)",
                i.path.display(),
                i.source.len(),
                i.source.lines().count()
            ),
            None => eprintln!("{what:>6} input: none found; its benches are skipped"),
        }
    }
    divan::main();
}

/// One benchmark input, read from a file of this repository.
struct Input {
    path: PathBuf,
    file_name: String,
    source: String,
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Files under `dir` (recursively) whose extension is in `exts`. Unreadable
/// directories are skipped.
fn files_with(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            files_with(&path, exts, out);
        } else if kind.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
        {
            out.push(path);
        }
    }
}

/// The largest readable UTF-8 file with one of `exts` under `testdata/`,
/// else the first readable fallback.
fn pick(exts: &[&str], fallbacks: &[PathBuf]) -> Option<Input> {
    let mut found = Vec::new();
    files_with(&repo().join("testdata"), exts, &mut found);
    found.sort_by_key(|p| std::cmp::Reverse(p.metadata().map(|m| m.len()).unwrap_or(0)));
    found.extend(fallbacks.iter().cloned());
    found.into_iter().find_map(|path| {
        let source = std::fs::read_to_string(&path).ok()?;
        let file_name = path.file_name()?.to_string_lossy().into_owned();
        Some(Input {
            path: path.strip_prefix(repo()).unwrap_or(&path).to_path_buf(),
            file_name,
            source,
        })
    })
}

static PYTHON: LazyLock<Option<Input>> =
    LazyLock::new(|| pick(&["py"], &[repo().join("benches/compare.py")]));

static RUST: LazyLock<Option<Input>> = LazyLock::new(|| {
    let mut src = Vec::new();
    files_with(&repo().join("src"), &["rs"], &mut src);
    src.sort_by_key(|p| std::cmp::Reverse(p.metadata().map(|m| m.len()).unwrap_or(0)));
    pick(&["rs"], &src)
});

static CONFIG: LazyLock<Option<Input>> = LazyLock::new(|| {
    pick(
        &["yaml", "yml", "toml", "json"],
        &[repo().join("Cargo.toml")],
    )
});

fn config_language(file_name: &str) -> Language {
    match file_name.rsplit('.').next() {
        Some("toml") => Language::Toml,
        Some("json") => Language::Json,
        _ => Language::Yaml,
    }
}

fn python_parser() -> tree_sitter::Parser {
    mlscan::parse::python::new_parser().expect("tree-sitter-python loads")
}

/// Visits every node with a `TreeCursor`; returns the node count.
fn walk_all(tree: &tree_sitter::Tree) -> u64 {
    let mut cursor = tree.walk();
    let mut nodes = 1u64;
    loop {
        if cursor.goto_first_child() || cursor.goto_next_sibling() {
            nodes += 1;
            continue;
        }
        loop {
            if !cursor.goto_parent() {
                return nodes;
            }
            if cursor.goto_next_sibling() {
                nodes += 1;
                break;
            }
        }
    }
}

mod python {
    use super::*;

    fn analyze_with(bencher: Bencher, cc_rules: CcRules) {
        let Some(input) = PYTHON.as_ref() else {
            return;
        };
        let mut parser = python_parser();
        let opts = AnalysisOptions { cc_rules };
        bencher
            .counter(BytesCount::of_str(&input.source))
            .bench_local(|| {
                mlscan::parse::python::analyze(black_box(&input.source), &mut parser, opts)
            });
    }

    /// `parse::python::analyze` with the default (radon) rules.
    #[divan::bench]
    fn analyze_radon(bencher: Bencher) {
        analyze_with(bencher, CcRules::Radon);
    }

    /// `parse::python::analyze` with `--cc-rules mccabe`.
    #[divan::bench]
    fn analyze_mccabe(bencher: Bencher) {
        analyze_with(bencher, CcRules::Mccabe);
    }

    /// A bare tree-sitter parse.
    #[divan::bench]
    fn ts_parse(bencher: Bencher) {
        let Some(input) = PYTHON.as_ref() else {
            return;
        };
        let mut parser = python_parser();
        bencher
            .counter(BytesCount::of_str(&input.source))
            .bench_local(|| parser.parse(black_box(&input.source), None));
    }

    /// A bare tree-sitter parse plus a `TreeCursor` walk of every node: the
    /// floor for a tree-sitter analysis.
    #[divan::bench]
    fn ts_parse_walk(bencher: Bencher) {
        let Some(input) = PYTHON.as_ref() else {
            return;
        };
        let mut parser = python_parser();
        bencher
            .counter(BytesCount::of_str(&input.source))
            .bench_local(|| {
                parser
                    .parse(black_box(&input.source), None)
                    .map(|tree| walk_all(&tree))
            });
    }
}

mod rust {
    use super::*;

    /// `parse::rust::analyze` (syn).
    #[divan::bench]
    fn analyze(bencher: Bencher) {
        let Some(input) = RUST.as_ref() else {
            return;
        };
        bencher
            .counter(BytesCount::of_str(&input.source))
            .bench_local(|| mlscan::parse::rust::analyze(black_box(&input.source)));
    }
}

mod config {
    use super::*;

    /// `parse::config::analyze` (YAML, TOML or JSON).
    #[divan::bench]
    fn analyze(bencher: Bencher) {
        let Some(input) = CONFIG.as_ref() else {
            return;
        };
        let language = config_language(&input.file_name);
        bencher
            .counter(BytesCount::of_str(&input.source))
            .bench_local(|| {
                mlscan::parse::config::analyze(
                    language,
                    black_box(&input.file_name),
                    black_box(&input.source),
                )
            });
    }
}
