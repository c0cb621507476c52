//! The command line of the history benches: `cargo bench --bench NAME --
//! REPO [N ...]` (cargo adds `--bench`).

use std::path::PathBuf;

/// The repository and the numbers after it (`None` where absent or not a
/// number); prints `usage` and exits 2 without a repository.
pub fn repo_and_numbers(usage: &str) -> (PathBuf, Vec<Option<usize>>) {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(repo) = args.first() else {
        eprintln!("usage: {usage}");
        std::process::exit(2);
    };
    let numbers = args[1..].iter().map(|n| n.parse().ok()).collect();
    (PathBuf::from(repo), numbers)
}

/// Exits 1 with `bench: error` when the run failed.
pub fn exit_on_error(bench: &str, result: Result<(), String>) {
    if let Err(e) = result {
        eprintln!("{bench} bench: {e}");
        std::process::exit(1);
    }
}
