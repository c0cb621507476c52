//! Micro-benchmarks of the per-file parse + metrics stage (divan).
//!
//! ```text
//! cargo bench --bench analyze                       # all
//! cargo bench --bench analyze -- python             # a filter
//! MLSCAN_BENCH_PY=path/to/big.py cargo bench --bench analyze -- python
//! ```
//!
//! Inputs are in-repo files, read once at start-up and printed, under
//! stable names so results compare across commits:
//!
//! - Python: `mlrepo` (every `.py` of `testdata/mlrepo`, concatenated: small
//!   typical ML code), `cc_constructs` (the largest regular fixture: every
//!   construct the metrics count), `deep_nesting` and `huge_line` (the stress files of
//!   `testdata/broken`), and `env`, the file named by `$MLSCAN_BENCH_PY`
//!   (e.g. a large corpus module; skipped when unset).
//! - Rust: `mlrepo` (`testdata/mlrepo/rust`), `deep_nesting`, and `env`
//!   (`$MLSCAN_BENCH_RS`).
//! - Config: a few files of `testdata/configs`.
//!
//! The `python::ts_parse` and `python::ts_parse_walk` benches are a bare
//! tree-sitter parse, and a parse plus a full `TreeCursor` walk, of the same
//! inputs: `python::analyze_*` divided by `ts_parse_walk` is the overhead of
//! our analysis over the minimum any tree-sitter tool pays (the whole-scan
//! version of this ratio is the speed bar; see benches/README.md).
//! `python::analyze_again` is a module whose every statement comes from the
//! analyzer's memo, as in the next version of a file; `python::line_table`
//! is the line lexer every version pays (radon's counts, logical lines).
//!
//! Each bench runs on a thread with a scan worker's 64 MiB stack.
//! Throughput is in source bytes/s.

#[path = "support/tree_walk.rs"]
mod tree_walk;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use mlscan::facts::{AnalysisOptions, CcRules, Language};
use mlscan::parse::python::ModuleAnalyzer;
use mlscan::parse::python::raw::LineTable;

/// The stack of mlscan's scan workers (src/scan.rs).
const WORKER_STACK_BYTES: usize = 64 * 1024 * 1024;

fn main() {
    for (kind, inputs) in [("python", &*PYTHON), ("rust", &*RUST), ("config", &*CONFIG)] {
        for (name, i) in inputs.iter() {
            eprintln!(
                "{kind:>6} {name:<14} {} ({} bytes, {} lines)",
                i.what,
                i.source.len(),
                i.source.lines().count()
            );
        }
    }
    let runner = std::thread::Builder::new()
        .stack_size(WORKER_STACK_BYTES)
        .spawn(divan::main)
        .expect("spawn the bench thread");
    if runner.join().is_err() {
        std::process::exit(101);
    }
}

/// One benchmark input.
struct Input {
    /// Where it came from, for the listing.
    what: String,
    file_name: String,
    source: String,
}

type Inputs = BTreeMap<&'static str, Input>;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// Files under `dir` (recursively) whose extension is in `exts`, sorted.
/// Unreadable directories are skipped.
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
    out.sort();
}

/// `path` relative to the repository when it is inside it.
fn shown(path: &Path) -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(repo)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// One readable UTF-8 file, or `None`.
fn file(path: &Path) -> Option<Input> {
    let source = std::fs::read_to_string(path).ok()?;
    Some(Input {
        what: shown(path),
        file_name: path.file_name()?.to_string_lossy().into_owned(),
        source,
    })
}

/// Every readable file with one of `exts` under `dir`, concatenated.
fn concatenated(dir: &Path, exts: &[&str]) -> Option<Input> {
    let mut paths = Vec::new();
    files_with(dir, exts, &mut paths);
    let mut source = String::new();
    let mut n = 0;
    for p in &paths {
        if let Ok(text) = std::fs::read_to_string(p) {
            source.push_str(&text);
            if !source.ends_with('\n') {
                source.push('\n');
            }
            n += 1;
        }
    }
    (n > 0).then(|| Input {
        what: format!("{n} files of {}/**/*.{}", shown(dir), exts.join(",")),
        file_name: format!("concatenated.{}", exts[0]),
        source,
    })
}

fn from_env(var: &str) -> Option<Input> {
    let path = std::env::var_os(var)?;
    let input = file(Path::new(&path));
    if input.is_none() {
        eprintln!("{var}: cannot read {}", Path::new(&path).display());
    }
    input
}

fn collect(items: Vec<(&'static str, Option<Input>)>) -> Inputs {
    items
        .into_iter()
        .filter_map(|(name, input)| Some((name, input?)))
        .collect()
}

/// Names of the inputs that were found (divan lists only these).
fn py_names() -> Vec<&'static str> {
    PYTHON.keys().copied().collect()
}

fn rs_names() -> Vec<&'static str> {
    RUST.keys().copied().collect()
}

fn config_names() -> Vec<&'static str> {
    CONFIG.keys().copied().collect()
}

const CONFIG_NAMES: [&str; 5] = [
    "dvc.yaml",
    "deep.yaml",
    "catalog.yml",
    "pyproject.toml",
    "config.json",
];

static PYTHON: LazyLock<Inputs> = LazyLock::new(|| {
    let t = testdata();
    collect(vec![
        ("mlrepo", concatenated(&t.join("mlrepo"), &["py"])),
        ("cc_constructs", file(&t.join("python/cc_constructs.py"))),
        ("deep_nesting", file(&t.join("broken/deep_nesting.py"))),
        ("huge_line", file(&t.join("broken/huge_line.py"))),
        ("env", from_env("MLSCAN_BENCH_PY")),
    ])
});

static RUST: LazyLock<Inputs> = LazyLock::new(|| {
    let t = testdata();
    collect(vec![
        ("mlrepo", concatenated(&t.join("mlrepo"), &["rs"])),
        ("deep_nesting", file(&t.join("broken/deep_nesting.rs"))),
        ("env", from_env("MLSCAN_BENCH_RS")),
    ])
});

static CONFIG: LazyLock<Inputs> = LazyLock::new(|| {
    let t = testdata().join("configs");
    collect(
        CONFIG_NAMES
            .iter()
            .map(|&name| (name, file(&t.join(name))))
            .collect(),
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

mod python {
    use super::*;

    /// A fresh analyzer each time: nothing comes from its memo.
    fn analyze_with(bencher: Bencher, name: &str, cc_rules: CcRules) {
        let Some(input) = PYTHON.get(name) else {
            return;
        };
        let opts = AnalysisOptions { cc_rules };
        bencher
            .counter(BytesCount::of_str(&input.source))
            .bench_local(|| {
                // The memo serves every analyzer of the process.
                mlscan::parse::python::forget();
                ModuleAnalyzer::new(opts)
                    .expect("tree-sitter-python loads")
                    .analyze(black_box(&input.source))
            });
    }

    /// `ModuleAnalyzer::analyze` with the default (radon) rules.
    #[divan::bench(args = py_names())]
    fn analyze_radon(bencher: Bencher, name: &str) {
        analyze_with(bencher, name, CcRules::Radon);
    }

    /// `ModuleAnalyzer::analyze` with `--cc-rules mccabe`.
    #[divan::bench(args = py_names())]
    fn analyze_mccabe(bencher: Bencher, name: &str) {
        analyze_with(bencher, name, CcRules::Mccabe);
    }

    /// The same module analysed again by the same analyzer: every
    /// statement from its memo.
    #[divan::bench(args = py_names())]
    fn analyze_again(bencher: Bencher, name: &str) {
        let Some(input) = PYTHON.get(name) else {
            return;
        };
        let mut analyzer =
            ModuleAnalyzer::new(AnalysisOptions::default()).expect("tree-sitter-python loads");
        analyzer.analyze(&input.source);
        bencher
            .counter(BytesCount::of_str(&input.source))
            .bench_local(|| analyzer.analyze(black_box(&input.source)));
    }

    /// The radon line counts and logical lines alone (`raw::LineTable`):
    /// what every version of a file pays, whatever the memo holds.
    #[divan::bench(args = py_names())]
    fn line_table(bencher: Bencher, name: &str) {
        let Some(input) = PYTHON.get(name) else {
            return;
        };
        bencher
            .counter(BytesCount::of_str(&input.source))
            .bench_local(|| LineTable::new(black_box(&input.source)));
    }

    /// A bare tree-sitter parse.
    #[divan::bench(args = py_names())]
    fn ts_parse(bencher: Bencher, name: &str) {
        let Some(input) = PYTHON.get(name) else {
            return;
        };
        let mut parser = python_parser();
        bencher
            .counter(BytesCount::of_str(&input.source))
            .bench_local(|| parser.parse(black_box(&input.source), None));
    }

    /// A bare tree-sitter parse plus a `TreeCursor` walk of every node: the
    /// floor for a tree-sitter analysis.
    #[divan::bench(args = py_names())]
    fn ts_parse_walk(bencher: Bencher, name: &str) {
        let Some(input) = PYTHON.get(name) else {
            return;
        };
        let mut parser = python_parser();
        bencher
            .counter(BytesCount::of_str(&input.source))
            .bench_local(|| {
                parser
                    .parse(black_box(&input.source), None)
                    .map(|tree| tree_walk::count_nodes(&tree))
            });
    }
}

mod rust {
    use super::*;

    /// `parse::rust::analyze` (syn).
    #[divan::bench(args = rs_names())]
    fn analyze(bencher: Bencher, name: &str) {
        let Some(input) = RUST.get(name) else {
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
    #[divan::bench(args = config_names())]
    fn analyze(bencher: Bencher, name: &str) {
        let Some(input) = CONFIG.get(name) else {
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
