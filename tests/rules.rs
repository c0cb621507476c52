//! Every rule has a fixture that triggers it and one that must not:
//! `testdata/rules/ID/trigger/` gives exactly the findings listed in
//! `testdata/rules/ID/expected.txt` (`path:line subject`, sorted), and
//! `testdata/rules/ID/clean/` gives none. Each folder is scanned on its own
//! with only that rule selected; a folder's `mlscan.toml` configures it.

use std::path::Path;

use assert_cmd::Command;
use mlscan::ruleset::RuleSet;
use serde_json::Value;

fn findings(dir: &Path, rule: &str) -> Vec<String> {
    let output = Command::cargo_bin("mlscan")
        .unwrap()
        .args(["scan", "-q", "--format", "json", "--select", rule])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        output.status.code() == Some(0),
        "{}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["rule"], rule);
            format!(
                "{}:{} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["subject"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn every_rule_triggers_on_its_fixture_and_not_on_its_clean_twin() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut failures = Vec::new();
    for rule in &RuleSet::builtin().rules {
        let dir = root.join(&rule.id);
        let Ok(expected) = std::fs::read_to_string(dir.join("expected.txt")) else {
            failures.push(format!(
                "{}: no testdata/rules/{}/expected.txt",
                rule.id, rule.id
            ));
            continue;
        };
        let expected: Vec<String> = expected.lines().map(str::to_owned).collect();
        if expected.is_empty() {
            failures.push(format!("{}: expected.txt lists no finding", rule.id));
        }
        let found = findings(&dir.join("trigger"), &rule.id);
        if found != expected {
            failures.push(format!(
                "{} trigger:\n  expected {expected:?}\n  found    {found:?}",
                rule.id
            ));
        }
        let clean = findings(&dir.join("clean"), &rule.id);
        if !clean.is_empty() {
            failures.push(format!("{} clean: found {clean:?}", rule.id));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
