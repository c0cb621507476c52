//! The CI gate and the rule configuration, end to end through the binary:
//! exit codes, the JSON report's findings, scores and gate, `mlscan.toml`
//! and `[tool.mlscan]`, inline suppressions, `--select`/`--ignore` and
//! `mlscan rules`. Only the complexity rules (MLS001–MLS005) are relied
//! on, selected explicitly.

use std::path::Path;

use serde_json::{Value, json};

mod support;

use support::{COMPLEXITY, mlscan, write};

fn fixture(rel: &str) -> String {
    support::testdata(&format!("rules/{rel}"))
}

/// `src/branchy.py` (MLS001 on `classify`, line 1), `src/lib.rs` (MLS001
/// on `pick`, line 1) and `src/nested.py` (MLS002 and MLS003 on `tangled`,
/// line 1): four local findings in component `src`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/branchy.py",
        &fixture("MLS001/trigger/branchy.py"),
    );
    write(dir.path(), "src/lib.rs", &fixture("MLS001/trigger/lib.rs"));
    write(
        dir.path(),
        "src/nested.py",
        &fixture("MLS002/trigger/nested.py"),
    );
    dir
}

/// Runs `mlscan scan -q --format json DIR ARGS` (with `--select
/// COMPLEXITY` unless ARGS select), checks the exit code and returns the
/// report.
fn scan(dir: &Path, args: &[&str], code: i32) -> Value {
    let mut cmd = mlscan();
    cmd.args(["scan", "-q", "--format", "json"]);
    if !args.contains(&"--select") {
        // Repeated --select flags add up.
        cmd.args(["--select", COMPLEXITY]);
    }
    let out = cmd
        .arg(dir)
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .clone();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The findings as `path:line RULE level`.
fn found(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let cell = match f["cell"].as_u64() {
                Some(cell) => format!(" cell {cell}"),
                None => String::new(),
            };
            format!(
                "{}:{}{cell} {} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["rule"].as_str().unwrap(),
                f["level"].as_str().unwrap()
            )
        })
        .collect()
}

const ALL_FOUR: [&str; 4] = [
    "src/branchy.py:1 MLS001 local",
    "src/lib.rs:1 MLS001 local",
    "src/nested.py:1 MLS002 local",
    "src/nested.py:1 MLS003 local",
];

/// Runs `mlscan scan` on DIR expecting a usage/config error (exit 2);
/// returns standard error.
fn scan_error(dir: &Path, args: &[&str]) -> String {
    let mut cmd = mlscan();
    cmd.args(["scan", "-q"]);
    if !args.contains(&"--select") {
        cmd.args(["--select", COMPLEXITY]);
    }
    let out = cmd
        .arg(dir)
        .args(args)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty(), "no report on a configuration error");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn exit_codes_follow_the_gate() {
    let dir = repo();
    // Findings alone do not fail a scan.
    let report = scan(dir.path(), &[], 0);
    assert_eq!(found(&report), ALL_FOUR);
    assert_eq!(
        report["gate"],
        json!({ "budgets": [], "passed": true, "reasons": [] })
    );

    let report = scan(dir.path(), &["--fail-on", "local"], 1);
    assert_eq!(
        report["gate"],
        json!({
            "fail_on": "local",
            "budgets": [],
            "passed": false,
            "reasons": ["4 findings at level local or above"],
        })
    );
    // Only local findings: a review or escalate gate passes.
    for level in ["review", "escalate"] {
        let report = scan(dir.path(), &["--fail-on", level], 0);
        assert_eq!(report["gate"]["passed"], true, "--fail-on {level}");
        assert_eq!(report["gate"]["fail_on"], level);
        assert_eq!(report["gate"]["reasons"], json!([]));
    }
    // One finding: the reason counts it in the singular.
    let report = scan(dir.path(), &["--fail-on", "local", "--select", "MLS002"], 1);
    assert_eq!(
        report["gate"]["reasons"],
        json!(["1 finding at level local or above"])
    );

    // `fail-on` in the configuration, and the flag replacing it.
    write(dir.path(), "mlscan.toml", "fail-on = \"local\"\n");
    let report = scan(dir.path(), &[], 1);
    assert_eq!(report["gate"]["fail_on"], "local");
    scan(dir.path(), &["--fail-on", "review"], 0);
    // No findings at all: even `--fail-on local` passes.
    let clean = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/MLS001/clean");
    let report = scan(&clean, &["--fail-on", "local"], 0);
    assert_eq!(report["findings"], json!([]));
}

#[test]
fn budgets_fail_the_gate() {
    let dir = repo();
    write(
        dir.path(),
        "mlscan.toml",
        "[budgets]\nmax-complexity-index = 1\nrepo-min-explainability = 90\n",
    );
    let report = scan(dir.path(), &[], 1);
    // mlscan.toml is a config file of its own component, (root).
    assert_eq!(
        report["gate"],
        json!({
            "budgets": [
                { "scope": "(root)", "metric": "complexity_index", "limit": 1.0, "actual": 0.3, "passed": true },
                { "scope": "src", "metric": "complexity_index", "limit": 1.0, "actual": 36.0, "passed": false },
                { "scope": "(repo)", "metric": "explainability", "limit": 90.0, "actual": 40.0, "passed": false },
            ],
            "passed": false,
            "reasons": [
                "src: complexity index 36 > budget 1",
                "(repo): explainability 40 < budget 90",
            ],
        })
    );

    // A component's own budget replaces the general one for it.
    write(
        dir.path(),
        "mlscan.toml",
        "[budgets]\nmax-complexity-index = 1\n[budgets.components.src]\nmax-complexity-index = 36\n",
    );
    let report = scan(dir.path(), &[], 0);
    assert_eq!(report["gate"]["passed"], true);
    assert_eq!(report["gate"]["budgets"][1]["limit"], 36.0);

    // A budget for a component the scan does not have is an error.
    write(
        dir.path(),
        "mlscan.toml",
        "[budgets.components.nothere]\nmax-complexity-index = 10\n",
    );
    let stderr = scan_error(dir.path(), &[]);
    assert!(
        stderr.contains("[budgets.components.nothere]: the scan has no component `nothere`"),
        "{stderr}"
    );
}

#[test]
fn unreadable_inputs_exit_2() {
    let dir = repo();
    let missing = dir.path().join("does-not-exist");
    let stderr = scan_error(&missing, &[]);
    assert!(stderr.contains("does-not-exist"), "{stderr}");
    assert!(stderr.contains("No such file or directory"), "{stderr}");
    // A file mlscan cannot read as code: the report still comes, with the
    // error among its diagnostics.
    write(dir.path(), "notes.txt", "x\n");
    let report = scan(&dir.path().join("notes.txt"), &[], 2);
    assert_eq!(report["diagnostics"][0]["severity"], "error");
    assert_eq!(report["diagnostics"][0]["path"], "notes.txt");
    // --config naming a missing file.
    let stderr = scan_error(dir.path(), &["--config", "no-such.toml"]);
    assert!(stderr.contains("no-such.toml"), "{stderr}");
}

#[test]
fn json_report_shape() {
    let dir = repo();
    let report = scan(dir.path(), &[], 0);
    assert_eq!(
        report["findings"][0],
        json!({
            "path": "src/branchy.py",
            "line": 1,
            "rule": "MLS001",
            "name": "complex-function",
            "family": "complexity",
            "level": "local",
            "severity": "warning",
            "component": "src",
            "subject": "classify",
            "message": "`classify` has cyclomatic complexity 11 (max 10)",
        })
    );
    assert_eq!(
        report["findings"][3]["message"],
        "`tangled` nests control structures 5 deep (max 4)"
    );
    let scores = &report["scores"];
    let repo = &scores["repo"];
    assert_eq!(repo["name"], "(repo)");
    assert_eq!(repo["explainability"], 40.0);
    assert_eq!(repo["complexity_index"], 36.0);
    assert_eq!(
        repo["reasons"][0],
        "−25.0: 100% of function code is in functions over the complexity limits (cyclomatic > 10, cognitive > 15)"
    );
    let components = scores["components"].as_array().unwrap();
    assert_eq!(components.len(), 1);
    let src = &components[0];
    assert_eq!(src["name"], "src");
    assert_eq!(src["explainability"], 40.0);
    assert_eq!(src["complexity_index"], 36.0);
    assert_eq!(src["reasons"], repo["reasons"]);
    assert_eq!(src["reasons"].as_array().unwrap().len(), 3);
}

#[test]
fn configured_selection_ignores_and_per_path_ignores() {
    let dir = repo();
    let cases: [(&str, &[&str]); 5] = [
        (
            "select = [\"MLS001\"]\n",
            &["src/branchy.py:1 MLS001 local", "src/lib.rs:1 MLS001 local"],
        ),
        // By name, and by family minus one rule.
        (
            "select = [\"deep-nesting\"]\n",
            &["src/nested.py:1 MLS003 local"],
        ),
        (
            "select = [\"complexity\"]\nignore = [\"complex-function\", \"MLS003\"]\n",
            &["src/nested.py:1 MLS002 local"],
        ),
        (
            "[per-path-ignores]\n\"src/lib.rs\" = [\"MLS001\"]\n\"**/nested.py\" = [\"hard-to-read-function\"]\n",
            &[
                "src/branchy.py:1 MLS001 local",
                "src/nested.py:1 MLS003 local",
            ],
        ),
        // A prefix.
        ("ignore = [\"MLS00\"]\n", &[]),
    ];
    for (config, expected) in cases {
        write(dir.path(), "mlscan.toml", config);
        // The config's selection is replaced by the command line's: run
        // without --select here.
        let out = mlscan()
            .args(["scan", "-q", "--format", "json"])
            .arg(dir.path())
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let report: Value = serde_json::from_slice(&out).unwrap();
        let complexity: Vec<String> = found(&report)
            .into_iter()
            .filter(|f| f.contains(" MLS00"))
            .collect();
        assert_eq!(complexity, expected, "{config}");
    }
}

#[test]
fn select_and_ignore_flags() {
    let dir = repo();
    let report = scan(dir.path(), &["--select", "MLS002,deep-nesting"], 0);
    assert_eq!(found(&report), &ALL_FOUR[2..]);
    let report = scan(dir.path(), &["--ignore", "MLS001"], 0);
    assert_eq!(found(&report), &ALL_FOUR[2..]);
    // --ignore adds to the configured ignores; --select replaces the
    // configured selection.
    write(
        dir.path(),
        "mlscan.toml",
        "select = [\"MLS001\"]\nignore = [\"MLS002\"]\n",
    );
    let report = scan(dir.path(), &["--ignore", "MLS003"], 0);
    assert_eq!(found(&report), &ALL_FOUR[..2]);
    let report = scan(dir.path(), &["--select", "MLS002,MLS003"], 0);
    assert_eq!(found(&report), &ALL_FOUR[3..]);
    let stderr = scan_error(dir.path(), &["--select", "MLS9"]);
    assert!(stderr.contains("`MLS9` names no rule"), "{stderr}");
    let stderr = scan_error(dir.path(), &["--ignore", "complexity-function"]);
    assert!(
        stderr.contains("`complexity-function` names no rule"),
        "{stderr}"
    );
}

#[test]
fn rule_parameters_levels_and_severities() {
    let dir = repo();
    // By name: the threshold moves, both ways.
    write(
        dir.path(),
        "mlscan.toml",
        "[rules.complex-function]\nmax = 12\n",
    );
    let report = scan(dir.path(), &[], 0);
    assert_eq!(found(&report), &ALL_FOUR[2..]);
    write(
        dir.path(),
        "mlscan.toml",
        "[rules.complex-function]\nmax = 9\n",
    );
    let report = scan(dir.path(), &[], 0);
    assert_eq!(found(&report), ALL_FOUR);
    assert_eq!(
        report["findings"][0]["message"],
        "`classify` has cyclomatic complexity 11 (max 9)"
    );

    // By id: the level and severity change, the other rules keep theirs.
    write(
        dir.path(),
        "mlscan.toml",
        "[rules.MLS001]\nlevel = \"escalate\"\nseverity = \"error\"\n",
    );
    let report = scan(dir.path(), &["--fail-on", "escalate"], 1);
    assert_eq!(
        found(&report),
        [
            "src/branchy.py:1 MLS001 escalate",
            "src/lib.rs:1 MLS001 escalate",
            "src/nested.py:1 MLS002 local",
            "src/nested.py:1 MLS003 local",
        ]
    );
    assert_eq!(report["findings"][0]["severity"], "error");
    assert_eq!(report["findings"][2]["severity"], "warning");
    assert_eq!(
        report["gate"]["reasons"],
        json!(["2 findings at level escalate or above"])
    );
}

#[test]
fn invalid_configurations_name_the_file_and_line() {
    let dir = repo();
    let cases = [
        (
            "select = [\"MLS001\"]\n\n[rules.MLS999]\nmax = 1\n",
            3,
            "[rules.MLS999]: no such rule",
        ),
        (
            "[rules]\ncomplex-function = { maxx = 3 }\n",
            2,
            "[rules.complex-function] has no parameter `maxx` (it has: level, severity, max)",
        ),
        (
            "[rules]\n\nMLS001 = { max = \"12\" }\n",
            3,
            "[rules.MLS001] max must be integer, like its default 10",
        ),
        (
            "[rules]\nlong-file = { level = \"urgent\" }\n",
            2,
            "[rules.long-file] level must be local, review or escalate",
        ),
        (
            "ignore = [\"MLS001\"]\nselect = [\"complexity\", \"nope\"]\n",
            2,
            "`nope` names no rule",
        ),
        (
            "[per-path-ignores]\n\"tests/**\" = [\"MLS001\",\n  \"MLS7\"]\n",
            3,
            "`MLS7` names no rule",
        ),
        (
            "[scoring.complexity-weights]\ncognitive = 1\nfoo = 2\n",
            3,
            "[scoring.complexity-weights] has no `foo`",
        ),
        (
            "[scoring.explainability-weights]\ndocumentation = -1\n",
            2,
            "must be a number from 0 to 1,000,000",
        ),
        ("fail-on = \"sometimes\"\n", 1, "fail-on"),
        (
            "[budgets]\nmax-complexity = 3\n",
            2,
            "unknown field `max-complexity`",
        ),
        (
            "[budgets]\nmax-complexity-index = \"high\"\n",
            2,
            "invalid type",
        ),
    ];
    for (config, line, message) in cases {
        write(dir.path(), "mlscan.toml", config);
        let stderr = scan_error(dir.path(), &[]);
        assert!(stderr.contains("mlscan.toml"), "{config}: {stderr}");
        assert!(
            stderr.contains(&format!("line {line}")),
            "{config}: {stderr}"
        );
        assert!(stderr.contains(message), "{config}: {stderr}");
    }
}

#[test]
fn pyproject_tool_mlscan_works_like_mlscan_toml() {
    let dir = repo();
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.mlscan]\nfail-on = \"review\"\nignore = [\"MLS003\"]\n\n\
         [tool.mlscan.rules.complex-function]\nlevel = \"review\"\n",
    );
    let report = scan(dir.path(), &[], 1);
    assert_eq!(
        found(&report),
        [
            "src/branchy.py:1 MLS001 review",
            "src/lib.rs:1 MLS001 review",
            "src/nested.py:1 MLS002 local",
        ]
    );
    assert_eq!(
        report["gate"]["reasons"],
        json!(["2 findings at level review or above"])
    );
    // Lines count from the top of pyproject.toml.
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.mlscan]\nselect = [\"complexity\"]\n\n[tool.mlscan.rules.MLS404]\nmax = 1\n",
    );
    let stderr = scan_error(dir.path(), &[]);
    assert!(stderr.contains("pyproject.toml"), "{stderr}");
    assert!(stderr.contains("line 7"), "{stderr}");
    assert!(stderr.contains("[rules.MLS404]: no such rule"), "{stderr}");
    // mlscan.toml wins over pyproject.toml.
    write(dir.path(), "mlscan.toml", "select = [\"MLS002\"]\n");
    let out = mlscan()
        .args(["scan", "-q", "--format", "json"])
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(found(&report), ["src/nested.py:1 MLS002 local"]);
}

/// `text` with `suffix` appended to line `n` (1-based).
fn with_comment(text: &str, n: usize, suffix: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if i + 1 == n {
                format!("{line}{suffix}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect()
}

/// A notebook with `classify` (MLS001) in cells 2 and 3, on each cell's
/// first line; `suffix` is appended to that line in cell 3.
fn notebook(suffix: &str) -> String {
    let branchy = fixture("MLS001/trigger/branchy.py");
    let cell = |text: String| {
        json!({
            "cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
            "source": text.split_inclusive('\n').collect::<Vec<_>>(),
        })
    };
    json!({
        "cells": [
            { "cell_type": "markdown", "metadata": {}, "source": ["# EDA\n"] },
            cell(branchy.clone()),
            cell(with_comment(&branchy, 1, suffix)),
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    })
    .to_string()
}

#[test]
fn inline_suppressions_silence_exactly_their_finding() {
    let branchy = fixture("MLS001/trigger/branchy.py");
    let nested = fixture("MLS002/trigger/nested.py");
    let lib = fixture("MLS001/trigger/lib.rs");
    let cases: [(&str, &str, String, &[&str]); 7] = [
        (
            "Python, by id",
            "src/nested.py",
            with_comment(&nested, 1, "  # mlscan: ignore[MLS002]"),
            &[
                "src/branchy.py:1 MLS001 local",
                "src/lib.rs:1 MLS001 local",
                "src/nested.py:1 MLS003 local",
            ],
        ),
        (
            "Python, by name",
            "src/nested.py",
            with_comment(&nested, 1, "  # mlscan: ignore[deep-nesting]"),
            &ALL_FOUR[..3],
        ),
        (
            "Python, bare",
            "src/nested.py",
            with_comment(&nested, 1, "  # mlscan: ignore"),
            &ALL_FOUR[..2],
        ),
        (
            "Python, another line",
            "src/nested.py",
            with_comment(&nested, 2, "  # mlscan: ignore"),
            &ALL_FOUR,
        ),
        (
            "Rust",
            "src/lib.rs",
            with_comment(&lib, 1, " // mlscan: ignore[MLS001]"),
            &[
                "src/branchy.py:1 MLS001 local",
                "src/nested.py:1 MLS002 local",
                "src/nested.py:1 MLS003 local",
            ],
        ),
        (
            "whole file",
            "src/branchy.py",
            format!("# mlscan: ignore-file[complex-function]\n{branchy}"),
            &ALL_FOUR[1..],
        ),
        (
            "whole file, another rule",
            "src/branchy.py",
            format!("# mlscan: ignore-file[MLS002]\n{branchy}"),
            &[
                "src/branchy.py:2 MLS001 local",
                "src/lib.rs:1 MLS001 local",
                "src/nested.py:1 MLS002 local",
                "src/nested.py:1 MLS003 local",
            ],
        ),
    ];
    for (what, path, text, expected) in cases {
        let dir = repo();
        write(dir.path(), path, &text);
        let report = scan(dir.path(), &[], 0);
        assert_eq!(found(&report), expected, "{what}");
    }

    // A long file, silenced for the whole file.
    let dir = tempfile::tempdir().unwrap();
    let big = fixture("MLS005/trigger/big.py");
    write(dir.path(), "big.py", &big);
    assert_eq!(found(&scan(dir.path(), &[], 0)), ["big.py:0 MLS005 local"]);
    write(
        dir.path(),
        "big.py",
        &format!("{big}# mlscan: ignore-file[long-file]\n"),
    );
    assert_eq!(found(&scan(dir.path(), &[], 0)), Vec::<String>::new());

    // Notebooks: a suppression holds in its own cell only.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "eda.ipynb", &notebook(""));
    assert_eq!(
        found(&scan(dir.path(), &[], 0)),
        [
            "eda.ipynb:1 cell 2 MLS001 local",
            "eda.ipynb:1 cell 3 MLS001 local"
        ]
    );
    write(
        dir.path(),
        "eda.ipynb",
        &notebook("  # mlscan: ignore[MLS001]"),
    );
    assert_eq!(
        found(&scan(dir.path(), &[], 0)),
        ["eda.ipynb:1 cell 2 MLS001 local"]
    );
}

fn rules_json() -> Vec<Value> {
    let out = mlscan()
        .args(["rules", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn stdout(args: &[&str], code: i32) -> String {
    let out = mlscan().args(args).assert().code(code).get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn rules_list_explain_and_json() {
    let rules = rules_json();
    assert!(rules.len() >= 25, "{} rules", rules.len());
    let list = stdout(&["rules"], 0);
    for rule in &rules {
        let id = rule["id"].as_str().unwrap();
        let line = list
            .lines()
            .find(|l| l.trim_start().starts_with(id))
            .unwrap_or_else(|| panic!("{id} not listed"));
        assert!(line.contains(rule["name"].as_str().unwrap()), "{line}");
        for key in [
            "id", "name", "family", "level", "severity", "summary", "what", "why", "example", "fix",
        ] {
            assert!(
                rule[key].as_str().is_some_and(|s| !s.trim().is_empty()),
                "{id}: {key}"
            );
        }
        assert!(rule["params"].is_array(), "{id}: params");
    }
    let mls001 = &rules[0];
    assert_eq!(mls001["id"], "MLS001");
    assert_eq!(mls001["name"], "complex-function");
    assert_eq!(mls001["family"], "complexity");
    assert_eq!(mls001["level"], "local");
    assert_eq!(mls001["severity"], "warning");
    assert_eq!(
        mls001["params"],
        json!([{ "name": "max", "default": 10, "doc": "Largest cyclomatic complexity allowed." }])
    );
    assert_eq!(list.lines().next(), Some("complexity"), "grouped by family");

    let explained = stdout(&["rules", "explain", "MLS001"], 0);
    assert!(explained.starts_with(
        "MLS001 complex-function — Function with too many independent paths (cyclomatic complexity)\n\
         family: complexity · severity: warning · decision level: local\n"
    ));
    for section in [
        "\nWhat it does\n",
        "\nWhy is this bad?\n",
        "\nExample\n",
        "\nUse instead\n",
        "\nOptions\n- `max` (default 10): Largest cyclomatic complexity allowed.\n",
        "[rules.complex-function]\nmax = 10\n",
    ] {
        assert!(explained.contains(section), "{section:?} in\n{explained}");
    }
    assert_eq!(
        stdout(&["rules", "explain", "complex-function"], 0),
        explained
    );
    let json = stdout(&["rules", "--format", "json", "explain", "long-file"], 0);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["id"], "MLS005");

    let out = mlscan()
        .args(["rules", "explain", "MLS999"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "mlscan: error: no rule `MLS999` (`mlscan rules` lists them)\n"
    );
}

#[test]
fn vendored_code_is_scanned_but_gets_no_findings() {
    let dir = repo();
    write(
        dir.path(),
        "pkg/_vendor/click/core.py",
        &fixture("MLS001/trigger/branchy.py"),
    );
    write(
        dir.path(),
        "third_party/lib.py",
        &fixture("MLS001/trigger/branchy.py"),
    );
    let report = scan(dir.path(), &[], 0);
    assert_eq!(found(&report), ALL_FOUR);
    assert_eq!(report["summary"]["totals"]["files"], 5);
    write(
        dir.path(),
        "mlscan.toml",
        "vendored = [\"third_party/**\"]\n",
    );
    let report = scan(dir.path(), &[], 0);
    let mut expected = vec!["pkg/_vendor/click/core.py:1 MLS001 local"];
    expected.extend(ALL_FOUR);
    assert_eq!(found(&report), expected);
}
