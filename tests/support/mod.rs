//! Helpers shared by the binary tests of the gate and of SARIF.

use std::path::Path;

use assert_cmd::Command;

/// The complexity rules, the only ones these tests rely on.
pub const COMPLEXITY: &str = "MLS001,MLS002,MLS003,MLS004,MLS005";

/// The binary, run from the repository root.
pub fn mlscan() -> Command {
    let mut cmd = Command::cargo_bin("mlscan").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// A file of `testdata/`, as text.
pub fn testdata(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes `text` to `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
