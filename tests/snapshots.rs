//! Snapshot tests of the outputs on the fixture repositories. After an
//! intended change, review and accept with `INSTA_UPDATE=always cargo test`
//! (or `cargo insta review`).

use assert_cmd::Command;

fn scan(args: &[&str]) -> String {
    let out = Command::cargo_bin("mlscan")
        .expect("binary builds")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("scan")
        .args(args)
        .output()
        .expect("mlscan runs");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn example_repo_json() {
    let report: serde_json::Value =
        serde_json::from_str(&scan(&["testdata/mlrepo", "--format", "json"])).unwrap();
    insta::assert_json_snapshot!("mlrepo_json", report);
}

#[test]
fn example_repo_text_panel() {
    insta::assert_snapshot!("mlrepo_text", scan(&["testdata/mlrepo"]));
}

#[test]
fn broken_repo_diagnostics() {
    let report: serde_json::Value =
        serde_json::from_str(&scan(&["testdata/broken", "--format", "json"])).unwrap();
    insta::assert_json_snapshot!("broken_diagnostics", report["diagnostics"]);
}
