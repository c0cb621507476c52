//! Fingerprints the sources that decide what a file's facts are (the
//! parsers, the facts model and the lineage API table they read), so the
//! facts cache (`src/cache/`) never serves facts from another analysis,
//! even between two builds of the same version; and every source and rule
//! file, which decide a report from the facts, so `trend` snapshots are
//! never served from another build either.

use std::path::{Path, PathBuf};

const ANALYSIS: [&str; 3] = ["src/parse", "src/facts.rs", "rules/lineage.toml"];
const REPORT: [&str; 2] = ["src", "rules"];

fn main() {
    for input in ANALYSIS.iter().chain(&REPORT) {
        println!("cargo:rerun-if-changed={input}");
    }
    println!("cargo:rustc-env=MLSCAN_ANALYSIS_HASH={}", hash(&ANALYSIS));
    println!("cargo:rustc-env=MLSCAN_REPORT_HASH={}", hash(&REPORT));
}

/// FNV-1a over (path, content) of every file under `inputs`: stable,
/// dependency-free.
fn hash(inputs: &[&str]) -> String {
    let mut files = Vec::new();
    for input in inputs {
        collect(Path::new(input), &mut files);
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let content = std::fs::read(file).unwrap_or_default();
        for byte in file.to_string_lossy().bytes().chain([0]).chain(content) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    match std::fs::read_dir(path) {
        Ok(entries) => {
            for entry in entries.flatten() {
                collect(&entry.path(), out);
            }
        }
        Err(_) => out.push(path.to_path_buf()),
    }
}
