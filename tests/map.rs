//! Integration tests of `mlscan map`: graphs, queries and renderings of
//! the fixture repositories.

use assert_cmd::Command;
use serde_json::Value;

fn mlscan(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("mlscan")
        .expect("binary builds")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("mlscan runs")
}

fn map_json(args: &[&str]) -> Value {
    let out = mlscan(&[&["map", "--format", "json"], args].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn strings(values: &Value, f: impl Fn(&Value) -> String) -> Vec<String> {
    values.as_array().expect("array").iter().map(f).collect()
}

#[test]
fn example_repo_import_edges() {
    let map = map_json(&["testdata/mlrepo", "--kind", "imports"]);
    assert!(map["lineage"].is_null());
    let edges = strings(&map["imports"]["edges"], |e| {
        format!(
            "{} -> {} {}:{} {}",
            e["from"].as_str().unwrap(),
            e["to"].as_str().unwrap(),
            e["path"].as_str().unwrap(),
            e["line"],
            e["kind"].as_str().unwrap()
        )
    });
    assert_eq!(
        edges,
        [
            "fastfeat -> fastfeat::window rust/fastfeat/src/lib.rs:6 module",
            "shop.models -> shop.models.net src/shop/models/__init__.py:1 module",
            "shop.pipelines.train -> shop.models src/shop/pipelines/train.py:8 module",
            "tests.test_features -> shop.features.build tests/test_features.py:3 module",
        ]
    );
    let externals = strings(&map["imports"]["externals"], |e| {
        format!(
            "{} {}",
            e["name"].as_str().unwrap(),
            e["category"].as_str().unwrap()
        )
    });
    for expected in [
        "torch ml_framework",
        "pandas data",
        "importlib stdlib",
        "std stdlib",
    ] {
        assert!(externals.contains(&expected.to_owned()), "{externals:?}");
    }
}

#[test]
fn example_repo_lineage_links_dvc_stages_to_data_code_and_params() {
    let map = map_json(&["testdata/mlrepo", "--kind", "lineage"]);
    let edges = strings(&map["lineage"]["edges"], |e| {
        format!(
            "{} -{}-> {}",
            e["from"].as_str().unwrap(),
            e["kind"].as_str().unwrap(),
            e["to"].as_str().unwrap()
        )
    });
    for expected in [
        "data_source:data/raw/orders.csv -reads-> stage:dvc.yaml#featurize",
        "stage:dvc.yaml#featurize -writes-> dataset:data/features.parquet",
        "dataset:data/features.parquet -reads-> stage:dvc.yaml#train",
        "stage:dvc.yaml#featurize -depends_on-> stage:dvc.yaml#train",
        "stage:dvc.yaml#featurize -runs-> transform:src/shop/features/build.py",
        "stage:dvc.yaml#train -runs-> transform:src/shop/pipelines/train.py",
        "config:params.yaml#train.lr -configures-> stage:dvc.yaml#train",
        "config:conf/model/resnet.yaml -configures-> model:src/shop/models/net.py#DemandNet",
        "feature:price -derives-> feature:revenue",
        "feature:qty -derives-> feature:rolling_qty",
        "config:params.yaml#features.columns -configures-> feature:price",
        "config:params.yaml#features.columns -configures-> feature:qty",
        "config:params.yaml#features.columns -configures-> feature:discount",
    ] {
        assert!(
            edges.contains(&expected.to_owned()),
            "missing {expected}: {edges:#?}"
        );
    }
    let opaque = strings(&map["lineage"]["nodes"], |n| {
        format!(
            "{} {}:{}",
            n["kind"].as_str().unwrap(),
            n["path"].as_str().unwrap(),
            n["line"]
        )
    });
    assert!(
        opaque.contains(&"opaque src/shop/pipelines/train.py:35".to_owned()),
        "{opaque:#?}"
    );
}

#[test]
fn queries_follow_the_documented_directions() {
    // Downstream of a raw file: the stages and data it feeds, by distance.
    let map = map_json(&[
        "testdata/mlrepo",
        "--kind",
        "lineage",
        "--downstream",
        "data/raw/orders.csv",
        "--depth",
        "2",
    ]);
    let q = &map["query"];
    assert_eq!(
        q["starts"],
        serde_json::json!(["data_source:data/raw/orders.csv"])
    );
    let reached = strings(&q["lineage"], |r| {
        format!("{} {}", r["distance"], r["id"].as_str().unwrap())
    });
    assert_eq!(
        reached,
        [
            "1 stage:dvc.yaml#featurize",
            "1 transform:notebooks/eda.ipynb",
            "2 dataset:data/features.parquet",
            "2 stage:dvc.yaml#train",
            "2 transform:src/shop/features/build.py",
        ]
    );
    // The output graph keeps only the starts and what they reach.
    assert_eq!(map["lineage"]["nodes"].as_array().unwrap().len(), 6);

    // Upstream of a module: what it imports; downstream: who imports it.
    let up = map_json(&[
        "testdata/mlrepo",
        "--kind",
        "imports",
        "--upstream",
        "shop.pipelines.train",
    ]);
    let reached = strings(&up["query"]["imports"], |r| {
        format!("{} {}", r["distance"], r["id"].as_str().unwrap())
    });
    assert_eq!(reached, ["1 shop.models", "2 shop.models.net"]);
    let down = map_json(&[
        "testdata/mlrepo",
        "--kind",
        "imports",
        "--downstream",
        "src/shop/models/net.py",
    ]);
    let reached = strings(&down["query"]["imports"], |r| {
        format!("{} {}", r["distance"], r["id"].as_str().unwrap())
    });
    assert_eq!(reached, ["1 shop.models", "2 shop.pipelines.train"]);
}

#[test]
fn unknown_query_nodes_are_usage_errors_with_suggestions() {
    let out = mlscan(&["map", "testdata/mlrepo", "--upstream", "Demand"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no module, file or lineage node is named \"Demand\"; similar: DemandNet"),
        "{stderr}"
    );
    let out = mlscan(&[
        "map",
        "testdata/mlrepo",
        "--upstream",
        "a",
        "--downstream",
        "b",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn map_json_is_identical_for_any_thread_count() {
    let run = |threads: &str| {
        mlscan(&["map", "testdata", "--format", "json", "--threads", threads]).stdout
    };
    assert_eq!(run("1"), run("3"));
}

#[test]
fn dot_and_mermaid_renderings_are_stable() {
    let text = |args: &[&str]| String::from_utf8(mlscan(args).stdout).expect("UTF-8");
    insta::assert_snapshot!(
        "mlrepo_lineage_dot",
        text(&[
            "map",
            "testdata/mlrepo",
            "--kind",
            "lineage",
            "--format",
            "dot"
        ])
    );
    insta::assert_snapshot!(
        "mlrepo_lineage_mermaid",
        text(&[
            "map",
            "testdata/mlrepo",
            "--kind",
            "lineage",
            "--format",
            "mermaid"
        ])
    );
    insta::assert_snapshot!(
        "cycle_imports_dot",
        text(&[
            "map",
            "testdata/graphs/cycle",
            "--kind",
            "imports",
            "--format",
            "dot"
        ])
    );
    insta::assert_snapshot!(
        "cycle_imports_mermaid",
        text(&[
            "map",
            "testdata/graphs/cycle",
            "--kind",
            "imports",
            "--format",
            "mermaid"
        ])
    );
    insta::assert_snapshot!("mlrepo_map_text", text(&["map", "testdata/mlrepo"]));
}
