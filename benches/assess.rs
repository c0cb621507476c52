//! The cost of judging a scan: findings (every rule) and scores, against
//! the scan itself, on the same repository (divan).
//!
//! ```text
//! cargo bench --bench assess                                   # testdata/mlrepo
//! MLSCAN_BENCH_REPO=~/.cache/mlscan-corpus/transformers-5.23.0 cargo bench --bench assess
//! ```
//!
//! `scan` is the whole scan without findings and scores (walk, parse,
//! graphs); `assess` is what `mlscan scan` adds on top. The bar of issue 5:
//! `assess` under 20 % of `scan` on transformers.

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::{Bencher, black_box};
use mlscan::check::Settings;
use mlscan::config::ProjectConfig;
use mlscan::facts::AnalysisOptions;
use mlscan::report::ScanReport;
use mlscan::scan::{Parts, ScanOptions, assess, scan};
use mlscan::walk::WalkOptions;

fn main() {
    eprintln!("repository: {}", REPO.display());
    divan::main();
}

static REPO: LazyLock<PathBuf> = LazyLock::new(|| {
    std::env::var_os("MLSCAN_BENCH_REPO").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/mlrepo"),
        PathBuf::from,
    )
});

fn options() -> ScanOptions {
    let project = mlscan::config::load(&REPO, None)
        .expect("the repository's configuration loads")
        .config;
    ScanOptions {
        root: REPO.clone(),
        walk: WalkOptions {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            excludes: project.exclude.clone(),
            default_excludes: true,
            follow_links: false,
            max_code_bytes: 8 << 20,
            max_config_bytes: 1 << 20,
        },
        analysis: AnalysisOptions::default(),
        project,
        checks: None,
        cache: None,
        knowledge: Default::default(),
        progress: false,
    }
}

/// One scan without assessment, shared by the `assess` bench.
static SCANNED: LazyLock<ScanReport> =
    LazyLock::new(|| scan(&options()).expect("the repository scans"));

#[divan::bench(sample_count = 5, sample_size = 1)]
fn scan_without_assessment(bencher: Bencher) {
    let options = options();
    bencher.bench(|| black_box(scan(&options).expect("scans")));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn assess_all_rules(bencher: Bencher) {
    let options = options();
    let settings = Settings::new(&ProjectConfig::default(), &[], &[], None).expect("settings");
    bencher
        .with_inputs(|| SCANNED.clone())
        .bench_local_values(|mut report| {
            assess(
                &mut report,
                &settings,
                &options.project,
                &options.knowledge,
                Parts::SideBySide,
            )
            .expect("assesses");
            black_box(report)
        });
}
