//! Integration tests: run the `mlscan` binary on the fixture repositories.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn mlscan() -> Command {
    let mut cmd = Command::cargo_bin("mlscan").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Runs `mlscan scan ARGS --format json`, checks the exit code, parses stdout.
fn scan_json(args: &[&str], code: i32) -> Value {
    let out = mlscan()
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("stdout is JSON")
}

fn file<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in report"))
}

fn paths(report: &Value) -> Vec<&str> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect()
}

#[test]
fn example_repo_files_roles_and_components() {
    let report = scan_json(&["testdata/mlrepo"], 0);
    assert_eq!(report["schema_version"], 3);
    let expected = [
        ("conf/config.yaml", "yaml", "config", "conf"),
        ("conf/model/resnet.yaml", "yaml", "config", "conf"),
        ("dvc.yaml", "yaml", "config", "training"),
        ("notebooks/eda.ipynb", "notebook", "feature", "notebooks"),
        ("params.yaml", "yaml", "config", "training"),
        ("pyproject.toml", "toml", "config", "(root)"),
        (
            "rust/fastfeat/Cargo.toml",
            "toml",
            "config",
            "rust/fastfeat",
        ),
        ("rust/fastfeat/src/lib.rs", "rust", "other", "rust/fastfeat"),
        (
            "rust/fastfeat/src/window.rs",
            "rust",
            "other",
            "rust/fastfeat",
        ),
        ("src/shop/__init__.py", "python", "other", "shop"),
        (
            "src/shop/features/build.py",
            "python",
            "feature",
            "shop/features",
        ),
        (
            "src/shop/models/__init__.py",
            "python",
            "model",
            "shop/models",
        ),
        ("src/shop/models/net.py", "python", "model", "shop/models"),
        (
            "src/shop/pipelines/train.py",
            "python",
            "pipeline",
            "training",
        ),
        ("src/shop/registry.py", "python", "other", "shop"),
        ("tests/test_features.py", "python", "test", "tests"),
    ];
    assert_eq!(
        paths(&report),
        expected.iter().map(|e| e.0).collect::<Vec<_>>()
    );
    for (path, language, role, component) in expected {
        let f = file(&report, path);
        assert_eq!(
            (
                f["language"].as_str(),
                f["role"].as_str(),
                f["component"].as_str()
            ),
            (Some(language), Some(role), Some(component)),
            "{path}"
        );
    }
    assert_eq!(
        file(&report, "notebooks/eda.ipynb")["role_reason"],
        "imports pandas (line 2)"
    );
    assert_eq!(
        file(&report, "src/shop/models/net.py")["role_reason"],
        "path matches \"**/models/**\""
    );
    assert_eq!(report["diagnostics"], serde_json::json!([]));
}

#[test]
fn json_is_identical_for_any_thread_count() {
    for dir in ["testdata/mlrepo", "testdata/broken", "testdata"] {
        let run = |threads: &str| {
            mlscan()
                .args(["scan", dir, "--format", "json", "--threads", threads])
                .output()
                .unwrap()
                .stdout
        };
        let one = run("1");
        assert!(!one.is_empty());
        assert_eq!(one, run("2"), "{dir}");
        assert_eq!(one, run("7"), "{dir}");
    }
}

#[test]
fn broken_files_are_diagnostics_not_crashes() {
    let report = scan_json(&["testdata/broken"], 0);
    let diagnostics: Vec<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["severity"], "warning");
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let has = |path: &str, line: u64, start: &str| {
        diagnostics
            .iter()
            .any(|(p, l, m)| p == path && *l == line && m.starts_with(start))
    };
    assert!(has("binary.py", 0, "binary content"), "{diagnostics:#?}");
    assert!(
        has("latin1_undeclared.py", 1, "not valid UTF-8"),
        "{diagnostics:#?}"
    );
    // Symbolic links are not followed by default: no loop, no dangling link.
    assert!(
        !diagnostics
            .iter()
            .any(|(p, ..)| p == "loop" || p == "dangling.py")
    );
    let declared = file(&report, "latin1_declared.py");
    assert!(declared["problems"].is_null(), "{declared}");
}

#[test]
fn symlink_loops_are_reported_when_following_links() {
    let report = scan_json(&["testdata/broken", "--follow-links"], 0);
    let messages: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}: {}",
                d["path"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        messages.contains(&"loop: symbolic link loop back to .; not followed".to_owned()),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"dangling.py: broken symbolic link; skipped".to_owned()),
        "{messages:#?}"
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    mlscan().args(["scan", "--no-such-flag"]).assert().code(2);
    mlscan()
        .args(["scan", "testdata/does-not-exist"])
        .assert()
        .code(2);
    mlscan()
        .args(["scan", "testdata/mlrepo", "--format", "yaml"])
        .assert()
        .code(2);
    let out = mlscan()
        .args(["scan", "testdata/mlrepo", "--exclude", "a[b"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("invalid exclude glob \"a[b\""), "{stderr}");
}

#[test]
fn invalid_config_is_an_error_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mlscan.toml"),
        "[roles]\nmodel = [\"nets/**\"]\nfeatures = [\"x\"]\n",
    )
    .unwrap();
    let out = mlscan().arg("scan").arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("mlscan.toml"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn walk_honours_ignores_default_excludes_and_size_limits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "generated/\n");
    write(root, "generated/a.py", "x = 1\n");
    write(root, "env/pyvenv.cfg", "home = /usr\n");
    write(root, "env/lib/b.py", "x = 1\n");
    write(root, "node_modules/c/index.json", "{}\n");
    write(
        root,
        "target/CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n",
    );
    write(root, "target/debug/build.rs", "fn main() {}\n");
    write(root, "legacy/old.py", "x = 1\n");
    write(root, "keep/d.py", "x = 1\n");
    write(root, "keep/big.py", &"x = 1\n".repeat(100));
    write(root, "keep/data.csv", "a,b\n");
    write(root, ".github/workflows/ci.yml", "on: push\n");
    let root_arg = root.to_str().unwrap();
    let report = scan_json(
        &[root_arg, "--exclude", "legacy/", "--max-file-size", "100"],
        0,
    );
    assert_eq!(paths(&report), [".github/workflows/ci.yml", "keep/d.py"]);
    let d = &report["diagnostics"][0];
    assert_eq!(d["path"], "keep/big.py");
    assert_eq!(
        d["message"],
        "file is 600 B, over the 100 B limit (--max-file-size); skipped"
    );

    let all = scan_json(&[root_arg, "--no-default-excludes"], 0);
    assert!(paths(&all).contains(&"node_modules/c/index.json"));
    assert!(
        !paths(&all).contains(&"generated/a.py"),
        ".gitignore still applies"
    );
    assert!(
        !paths(&all).contains(&"env/lib/b.py"),
        "virtualenvs are always skipped"
    );
}

#[test]
fn single_file_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("report.json");
    mlscan()
        .args([
            "scan",
            "testdata/mlrepo/src/shop/registry.py",
            "--format",
            "json",
            "--output",
        ])
        .arg(&out_path)
        .assert()
        .code(0)
        .stdout("");
    let report: Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert_eq!(paths(&report), ["registry.py"]);
}

#[test]
fn text_panel_sections() {
    let out = mlscan()
        .args(["scan", "testdata/mlrepo"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for heading in [
        "ROLE",
        "CYCLOMATIC COMPLEXITY",
        "COMPONENTS by complexity index",
        "MOST COMPLEX FUNCTIONS",
    ] {
        assert!(text.contains(heading), "missing {heading}:\n{text}");
    }
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes when stdout is not a terminal"
    );
}

/// (path, function) → cyclomatic, for every function of a report.
fn cyclomatic_by_function(report: &Value) -> Vec<(String, String, u64)> {
    let mut out = Vec::new();
    for f in report["files"].as_array().unwrap() {
        for func in f["functions"].as_array().unwrap() {
            out.push((
                f["path"].as_str().unwrap().to_owned(),
                func["name"].as_str().unwrap().to_owned(),
                func["cyclomatic"].as_u64().unwrap(),
            ));
        }
    }
    out
}

#[test]
fn example_repo_aggregates_are_the_hand_computed_ones() {
    let report = scan_json(&["testdata/mlrepo"], 0);
    let totals = &report["summary"]["totals"];
    // Python: registry 3+1+1, train 1+7+1+2, build 6+1, net 2+6+3, test 3
    // (1 + two asserts), notebook 2; Rust: 4 + 1 + closure 2.
    assert_eq!(totals["functions"], 17);
    assert_eq!(totals["cyclomatic_total"], 46);
    assert_eq!(totals["cyclomatic_max"], 7);
    assert_eq!(totals["cyclomatic_mean"], 2.71);
    assert_eq!(
        totals["ranks"],
        serde_json::json!({"A": 14, "B": 3, "C": 0, "D": 0, "E": 0, "F": 0})
    );
    assert_eq!(
        totals["roles"],
        serde_json::json!({"model": 2, "feature": 2, "pipeline": 1, "config": 6, "test": 1, "other": 4})
    );
    assert_eq!(
        totals["languages"],
        serde_json::json!({"python": 7, "notebook": 1, "rust": 2, "yaml": 4, "toml": 2})
    );
    let training = report["summary"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "training")
        .unwrap();
    assert_eq!(training["totals"]["files"], 3);
    assert_eq!(training["totals"]["cyclomatic_total"], 11);
    assert_eq!(training["top_functions"][0]["name"], "Trainer.fit");
    let top = &report["summary"]["top_functions"][0];
    assert_eq!(
        (&top["path"], &top["line"], &top["rank"]),
        (
            &"src/shop/pipelines/train.py".into(),
            &18.into(),
            &"B".into()
        )
    );
    let notebook = file(&report, "notebooks/eda.ipynb");
    let weekly = &notebook["functions"][0];
    assert_eq!(
        (&weekly["name"], &weekly["cell"], &weekly["line"]),
        (&"weekly".into(), &3.into(), &1.into())
    );
    assert_eq!(notebook["imports"][0]["cell"], 2);
}

#[test]
fn cc_rules_switch_between_radon_and_mccabe() {
    let radon = cyclomatic_by_function(&scan_json(&["testdata/mlrepo/src"], 0));
    let mccabe = cyclomatic_by_function(&scan_json(
        &["testdata/mlrepo/src", "--cc-rules", "mccabe"],
        0,
    ));
    let pick = |all: &[(String, String, u64)], name: &str| {
        all.iter()
            .find(|(_, n, _)| n == name)
            .map(|(.., cc)| *cc)
            .unwrap()
    };
    // fit: for + loop-else + if + elif + `or` + generator (radon) versus
    // for + if + elif (mccabe, same as ruff C901).
    assert_eq!(
        (pick(&radon, "Trainer.fit"), pick(&mccabe, "Trainer.fit")),
        (7, 4)
    );
    // clean: comprehension + its `if` + `and` + handler + try-else (radon)
    // versus handler + try-else.
    assert_eq!((pick(&radon, "clean"), pick(&mccabe, "clean")), (6, 3));
    // register: the nested `wrap` is added to its parent under mccabe only.
    assert_eq!(
        (pick(&radon, "register"), pick(&mccabe, "register")),
        (1, 2)
    );
    let report = scan_json(&["testdata/mlrepo/src", "--cc-rules", "mccabe"], 0);
    assert_eq!(report["options"]["cc_rules"], "mccabe");
}
