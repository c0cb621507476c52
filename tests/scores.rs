//! Scores on the example repository, hand-checked against the formulas of
//! docs/SCORING.md (the worked example there is the `training` component).

use assert_cmd::Command;
use serde_json::Value;

fn scan(args: &[&str]) -> Value {
    let output = Command::cargo_bin("mlscan")
        .unwrap()
        .args(["scan", "-q", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

fn component<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["scores"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
}

#[test]
fn training_component_matches_the_worked_example() {
    let report = scan(&["testdata/mlrepo"]);
    let training = component(&report, "training");
    assert_eq!(training["explainability"], 53.75);
    assert_eq!(training["complexity_index"], 21.8);
    let penalties: Vec<(String, f64)> = training["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["penalty"].as_f64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("complexity", 0.0),
        ("size", 0.0),
        ("coupling", 1.25),
        ("cycles", 0.0),
        ("indirection", 10.0),
        ("documentation", 15.0),
        ("annotations", 10.0),
        ("tests", 10.0),
    ];
    let expected: Vec<(String, f64)> = expected.iter().map(|(n, p)| (n.to_string(), *p)).collect();
    assert_eq!(penalties, expected);
    assert_eq!(
        training["reasons"][0],
        "−15.0: 2 of 2 public functions and classes have no docstring"
    );
    let points: Vec<f64> = training["complexity_terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["points"].as_f64().unwrap())
        .collect();
    assert_eq!(points, vec![9.0, 0.0, 1.0, 0.0, 4.0, 1.8, 6.0]);
}

#[test]
fn the_repository_index_is_the_sum_of_its_components() {
    let report = scan(&["testdata/mlrepo"]);
    let scores = &report["scores"];
    let sum: f64 = scores["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["complexity_index"].as_f64().unwrap())
        .sum();
    let repo = scores["repo"]["complexity_index"].as_f64().unwrap();
    assert!((sum - repo).abs() < 0.01, "{sum} vs {repo}");
    assert_eq!(scores["components"].as_array().unwrap().len(), 9);
}

#[test]
fn configured_weights_change_the_score() {
    let dir = tempfile::tempdir().unwrap();
    // The example's own configuration (its components), plus weights.
    let config = dir.path().join("pyproject.toml");
    let own = std::fs::read_to_string("testdata/mlrepo/pyproject.toml").unwrap();
    std::fs::write(
        &config,
        own + "\n[tool.mlscan.scoring.explainability-weights]\ndocumentation = 0\nannotations = 0\n",
    )
    .unwrap();
    let report = scan(&["testdata/mlrepo", "--config", config.to_str().unwrap()]);
    // Σw = 75; penalties 1.25 + 10 + 10 = 21.25 → 100 × (1 − 21.25/75).
    assert_eq!(component(&report, "training")["explainability"], 71.67);
}
