//! `mlscan scan --format sarif` against the official SARIF 2.1.0 JSON
//! schema (vendored in `testdata/sarif/`), and the values GitHub code
//! scanning reads. Only the complexity rules (MLS001–MLS005) are relied on.

use std::path::Path;

use serde_json::{Value, json};

mod support;

use support::{COMPLEXITY, mlscan, testdata as fixture, write};

/// A notebook whose third cell (a markdown cell comes first) defines the
/// MLS001 fixture's `classify` on the cell's second line.
fn notebook() -> String {
    let branchy = fixture("rules/MLS001/trigger/branchy.py");
    let mut source = vec!["x = 1\n".to_owned()];
    source.extend(branchy.split_inclusive('\n').map(str::to_owned));
    let notebook = json!({
        "cells": [
            { "cell_type": "markdown", "metadata": {}, "source": ["# Exploration\n"] },
            { "cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
              "source": ["import os\n"] },
            { "cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
              "source": source },
        ],
        "metadata": { "kernelspec": { "name": "python3", "language": "python", "display_name": "Python 3" } },
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    serde_json::to_string_pretty(&notebook).unwrap()
}

/// A repository where each complexity rule fires once or twice, one
/// finding is about a whole file and one is in a notebook cell.
fn repo_with_findings() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (from, to) in [
        ("rules/MLS001/trigger/branchy.py", "src/branchy.py"),
        ("rules/MLS001/trigger/lib.rs", "src/lib.rs"),
        ("rules/MLS002/trigger/nested.py", "src/nested.py"),
        ("rules/MLS004/trigger/long.py", "src/long.py"),
        ("rules/MLS005/trigger/big.py", "src/big.py"),
    ] {
        write(root, to, &fixture(from));
    }
    write(root, "nb/explore.ipynb", &notebook());
    dir
}

/// Runs `mlscan scan PATH --format sarif` with the complexity rules,
/// checks the exit code and returns the parsed log.
fn sarif(path: &Path, code: i32) -> Value {
    let out = mlscan()
        .args(["scan", "-q", "--format", "sarif", "--select", COMPLEXITY])
        .arg(path)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("stdout is JSON")
}

/// The `language` patterns of the rtm.5 schema (run and toolComponent)
/// have a stray `]`: a literal in JavaScript's regular expressions, for
/// which the schema was written, but an error for the validator's.
/// Escaping it keeps the meaning.
const LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const LANGUAGE_PATTERN_ESCAPED: &str = r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$";

fn escape_language_patterns(schema: &mut Value) -> usize {
    match schema {
        Value::Object(map) => map
            .iter_mut()
            .map(|(key, value)| {
                if key == "pattern" && value == LANGUAGE_PATTERN {
                    *value = json!(LANGUAGE_PATTERN_ESCAPED);
                    1
                } else {
                    escape_language_patterns(value)
                }
            })
            .sum(),
        Value::Array(items) => items.iter_mut().map(escape_language_patterns).sum(),
        _ => 0,
    }
}

fn validator() -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(&fixture("sarif/sarif-2.1.0-rtm.5.json")).unwrap();
    assert_eq!(escape_language_patterns(&mut schema), 2);
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Every schema violation, one per line (empty when valid).
fn violations(validator: &jsonschema::Validator, log: &Value) -> String {
    validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_valid(log: &Value) {
    let errors = violations(&validator(), log);
    assert!(errors.is_empty(), "invalid SARIF:\n{errors}");
}

fn rule_count() -> usize {
    let out = mlscan()
        .args(["rules", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let rules: Value = serde_json::from_slice(&out).unwrap();
    rules.as_array().unwrap().len()
}

#[test]
fn the_schema_rejects_what_github_would_reject() {
    // The validator is strict enough to catch the mistakes that matter.
    let validator = validator();
    let dir = repo_with_findings();
    let log = sarif(dir.path(), 0);
    assert_eq!(violations(&validator, &log), "");
    for (pointer, bad) in [
        (
            "/runs/0/results/2/locations/0/physicalLocation/region/startLine",
            json!(0),
        ),
        ("/runs/0/results/2/level", json!("info")),
        ("/runs/0/results/2/message", json!({})),
        ("/version", json!("2.0.0")),
        (
            "/runs/0/tool/driver/rules/0/defaultConfiguration/level",
            json!("warn"),
        ),
    ] {
        let mut broken = log.clone();
        *broken
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{pointer}")) = bad;
        assert!(
            !violations(&validator, &broken).is_empty(),
            "{pointer} broken but still valid"
        );
    }
}

#[test]
fn findings_are_valid_sarif_with_exact_results() {
    let dir = repo_with_findings();
    let log = sarif(dir.path(), 0);
    assert_valid(&log);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "mlscan");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), rule_count());
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"],
        "The scanned folder."
    );

    let results = run["results"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str, Option<u64>, &str)> = results
        .iter()
        .map(|r| {
            let physical = &r["locations"][0]["physicalLocation"];
            assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                physical["artifactLocation"]["uri"].as_str().unwrap(),
                physical["region"]["startLine"].as_u64(),
                r["message"]["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "MLS001",
                "warning",
                "nb/explore.ipynb",
                None,
                "cell 3, line 2: `classify` has cyclomatic complexity 11 (max 10)"
            ),
            (
                "MLS005",
                "note",
                "src/big.py",
                None,
                "1001 source lines (max 1000)"
            ),
            (
                "MLS001",
                "warning",
                "src/branchy.py",
                Some(1),
                "`classify` has cyclomatic complexity 11 (max 10)"
            ),
            (
                "MLS001",
                "warning",
                "src/lib.rs",
                Some(1),
                "`pick` has cyclomatic complexity 11 (max 10)"
            ),
            (
                "MLS004",
                "warning",
                "src/long.py",
                Some(1),
                "`long_one` is 81 source lines long (max 80)"
            ),
            (
                "MLS002",
                "warning",
                "src/nested.py",
                Some(1),
                "`tangled` has cognitive complexity 16 (max 15)"
            ),
            (
                "MLS003",
                "warning",
                "src/nested.py",
                Some(1),
                "`tangled` nests control structures 5 deep (max 4)"
            ),
        ]
    );

    for r in results {
        // ruleIndex points at the result's rule in the driver's rules.
        let index = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert_eq!(r["properties"]["decision-level"], "local");
        assert_eq!(
            r["partialFingerprints"]["mlscan/v1"],
            format!(
                "{}:{}:{}",
                r["ruleId"].as_str().unwrap(),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap(),
                r["properties"]["subject"].as_str().unwrap()
            )
        );
    }
    let cell = &results[0];
    assert_eq!(cell["properties"]["cell"], 3);
    assert_eq!(cell["properties"]["cell-line"], 2);
    assert_eq!(cell["properties"]["component"], "nb");
    assert_eq!(
        results[1]["partialFingerprints"]["mlscan/v1"],
        "MLS005:src/big.py:src/big.py"
    );

    // The rules carry their documentation for the code scanning alert page.
    let mls005 = rules.iter().find(|r| r["id"] == "MLS005").unwrap();
    assert_eq!(mls005["name"], "long-file");
    assert_eq!(mls005["defaultConfiguration"]["level"], "note");
    assert_eq!(mls005["properties"]["family"], "complexity");
    assert_eq!(
        mls005["shortDescription"]["text"],
        "File with too many lines of code"
    );
    let markdown = mls005["help"]["markdown"].as_str().unwrap();
    assert!(markdown.starts_with("**MLS005 long-file**: File with too many lines of code\n"));
    assert!(markdown.contains("- `max` (default `1000`): Most source lines allowed in one file."));
}

#[test]
fn no_findings_is_a_valid_empty_run() {
    let log = sarif(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/MLS003/clean"),
        0,
    );
    assert_valid(&log);
    let run = &log["runs"][0];
    assert_eq!(run["results"], json!([]));
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        rule_count()
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"],
        json!([])
    );
}

#[test]
fn severity_overrides_and_unreadable_inputs() {
    let dir = repo_with_findings();
    // A configured severity is the result's level; an input mlscan cannot
    // read fails the invocation (exit code 2) and is a notification.
    write(
        dir.path(),
        "mlscan.toml",
        "[rules.long-file]\nseverity = \"error\"\n",
    );
    write(dir.path(), "nb/broken.ipynb", "{\"cells\": [");
    let log = sarif(dir.path(), 0);
    assert_valid(&log);
    let run = &log["runs"][0];
    let big = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "MLS005")
        .unwrap();
    assert_eq!(big["level"], "error");
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "warning");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "nb/broken.ipynb"
    );
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );

    let unsupported = dir.path().join("notes.txt");
    std::fs::write(&unsupported, "x\n").unwrap();
    let log = sarif(&unsupported, 2);
    assert_valid(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["level"],
        "error"
    );
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "notes.txt"
    );
}

#[test]
fn paths_are_percent_encoded_uri_references() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "my lib/100%.py",
        &fixture("rules/MLS001/trigger/branchy.py"),
    );
    let log = sarif(dir.path(), 0);
    assert_valid(&log);
    let result = &log["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20lib/100%25.py"
    );
    // The fingerprint keeps the path as the finding has it.
    assert_eq!(
        result["partialFingerprints"]["mlscan/v1"],
        "MLS001:my lib/100%.py:classify"
    );
}

#[test]
fn every_rule_family_renders_valid_sarif() {
    // All rules on the example repository: whatever the other families
    // find, the log stays valid and holds one result per finding.
    let out = mlscan()
        .args(["scan", "-q", "--format", "json", "testdata/mlrepo"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    let out = mlscan()
        .args(["scan", "-q", "--format", "sarif", "testdata/mlrepo"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let log: Value = serde_json::from_slice(&out).unwrap();
    assert_valid(&log);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["rule"]);
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], finding["rule"]);
    }
}
