//! The lineage linker on hand-made fixture repositories
//! (`testdata/lineage/`), with exactly known graphs.
//!
//! Each fixture is scanned for real (configs, functions, classes,
//! imports); the Python lineage facts of a file are the scanner's when it
//! has any, else the hand-written facts below (what the Python collector
//! is specified to extract), so the expected graphs hold either way.

use std::path::PathBuf;

use mlscan::config::ProjectConfig;
use mlscan::facts::{
    AnalysisOptions, CallArgs, CallFact, CodeLineage, ColumnFact, ConfigRead, DecoratorFact,
    FlowFact, Value,
};
use mlscan::lineage::{self, LineageGraph};
use mlscan::report::FileReport;
use mlscan::scan::{ScanOptions, scan};
use mlscan::walk::WalkOptions;

// ----- harness -------------------------------------------------------------

/// Scans `testdata/lineage/NAME`; `facts` gives the hand-written lineage
/// facts of a file, used when the scanner found none.
fn fixture(name: &str, facts: impl Fn(&str) -> Option<CodeLineage>) -> Vec<FileReport> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/lineage")
        .join(name);
    let options = ScanOptions {
        root,
        walk: WalkOptions {
            threads: 1,
            excludes: Vec::new(),
            default_excludes: true,
            follow_links: false,
            max_code_bytes: 1 << 20,
            max_config_bytes: 1 << 20,
        },
        analysis: AnalysisOptions::default(),
        project: ProjectConfig::default(),
        progress: false,
    };
    let mut files = scan(&options).expect("fixture scans").files;
    for file in &mut files {
        if file.facts.lineage.is_empty()
            && let Some(lineage) = facts(&file.path)
        {
            file.facts.lineage = lineage;
        }
    }
    files
}

/// The graph as sorted `"kind id"` and `"from -kind-> to"` lines.
fn lines(graph: &LineageGraph) -> (Vec<String>, Vec<String>) {
    let mut nodes: Vec<String> = graph
        .nodes
        .iter()
        .map(|n| format!("{} {}", n.kind.as_str(), n.id))
        .collect();
    let mut edges: Vec<String> = graph
        .edges
        .iter()
        .map(|e| format!("{} -{}-> {}", e.from, e.kind.as_str(), e.to))
        .collect();
    nodes.sort();
    edges.sort();
    (nodes, edges)
}

/// Asserts the exact node and edge sets, and that linking is independent
/// of the order of the files.
fn assert_graph(mut files: Vec<FileReport>, nodes: &[&str], edges: &[&str]) -> LineageGraph {
    let graph = lineage::link(&files);
    let (got_nodes, got_edges) = lines(&graph);
    let sorted = |v: &[&str]| {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(got_nodes, sorted(nodes), "nodes");
    assert_eq!(got_edges, sorted(edges), "edges");
    files.reverse();
    assert_eq!(lineage::link(&files), graph, "order of the files matters");
    graph
}

// ----- hand-written facts ----------------------------------------------------

fn s(v: &str) -> Value {
    Value::Str(v.to_string())
}

fn n(v: &str) -> Value {
    Value::Name(v.to_string())
}

fn l(items: Vec<Value>) -> Value {
    Value::List(items)
}

fn strs(items: &[&str]) -> Value {
    l(items.iter().map(|i| s(i)).collect())
}

fn sub(base: &str, keys: &[&str]) -> Value {
    Value::Subscript {
        base: base.to_string(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
    }
}

fn opaque(why: &str) -> Value {
    Value::Opaque(why.to_string())
}

fn args(callee: &str, args: Vec<Value>, kwargs: Vec<(&str, Value)>) -> CallArgs {
    CallArgs {
        callee: callee.to_string(),
        args,
        kwargs: kwargs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    }
}

fn nested(callee: &str, a: Vec<Value>, kw: Vec<(&str, Value)>) -> Value {
    Value::Call(Box::new(args(callee, a, kw)))
}

/// A call at `line` in `function` (`""`: module level), its result bound
/// to `to` (comma-separated); a callee `recv.method` is a method call on
/// `recv` when `method` is true.
#[allow(clippy::too_many_arguments)]
fn call(
    line: u32,
    function: &str,
    to: &str,
    callee: &str,
    method: bool,
    a: Vec<Value>,
    kw: Vec<(&str, Value)>,
) -> CallFact {
    CallFact {
        call: args(callee, a, kw),
        receiver: method.then(|| callee.rsplit_once('.').map_or("", |r| r.0).to_string()),
        assigned_to: to
            .split(',')
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect(),
        function: (!function.is_empty()).then(|| function.to_string()),
        line,
        cell: None,
    }
}

/// Columns of one statement: `"+x"` written, `"y"` read.
fn cols(line: u32, function: &str, frame: &str, columns: &[&str]) -> Vec<ColumnFact> {
    columns
        .iter()
        .map(|c| ColumnFact {
            frame: frame.to_string(),
            column: c.trim_start_matches('+').to_string(),
            write: c.starts_with('+'),
            function: (!function.is_empty()).then(|| function.to_string()),
            line,
            cell: None,
        })
        .collect()
}

fn read(line: u32, function: &str, key: &str) -> ConfigRead {
    ConfigRead {
        key: key.to_string(),
        function: (!function.is_empty()).then(|| function.to_string()),
        line,
        cell: None,
    }
}

fn deco(line: u32, target: &str, callee: &str, kw: Vec<(&str, Value)>) -> DecoratorFact {
    DecoratorFact {
        target: target.to_string(),
        decorator: args(callee, Vec::new(), kw),
        line,
        cell: None,
    }
}

fn flow(line: u32, up: &[&str], down: &[&str]) -> FlowFact {
    FlowFact {
        upstream: up.iter().map(|s| s.to_string()).collect(),
        downstream: down.iter().map(|s| s.to_string()).collect(),
        line,
        cell: None,
    }
}

fn script(calls: Vec<CallFact>) -> CodeLineage {
    CodeLineage {
        calls,
        main_guard: true,
        ..CodeLineage::default()
    }
}

// ----- DVC + pandas + scikit-learn -------------------------------------------

fn dvc_sklearn_facts(path: &str) -> Option<CodeLineage> {
    Some(match path {
        "src/prepare.py" => CodeLineage {
            columns: cols(7, "main", "df", &["+order_date", "ts"]),
            ..script(vec![
                call(
                    6,
                    "main",
                    "df",
                    "pandas.read_csv",
                    false,
                    vec![s("data/raw/orders.csv")],
                    vec![],
                ),
                call(
                    8,
                    "main",
                    "",
                    "df.to_csv",
                    true,
                    vec![s("data/clean.csv")],
                    vec![("index", Value::Const("False".into()))],
                ),
            ])
        },
        "src/features.py" => CodeLineage {
            columns: [
                cols(7, "add_features", "df", &["+revenue", "price", "qty"]),
                cols(8, "add_features", "df", &["+is_discounted", "discount"]),
                cols(10, "add_features", "df", &["+revenue_avg", "revenue"]),
            ]
            .concat(),
            config_reads: vec![
                read(9, "add_features", "params.features.window"),
                read(19, "main", "params.features.window"),
            ],
            ..script(vec![
                call(
                    15,
                    "main",
                    "",
                    "open",
                    false,
                    vec![s("params.yaml")],
                    vec![],
                ),
                call(
                    17,
                    "main",
                    "df",
                    "pandas.read_csv",
                    false,
                    vec![s("data/clean.csv")],
                    vec![],
                ),
                call(
                    19,
                    "main",
                    "",
                    "df.to_parquet",
                    true,
                    vec![opaque("f-string")],
                    vec![],
                ),
                call(
                    20,
                    "main",
                    "",
                    "df.to_parquet",
                    true,
                    vec![s("data/features.parquet")],
                    vec![],
                ),
            ])
        },
        "src/train.py" => CodeLineage {
            columns: cols(
                20,
                "train",
                "df",
                &["revenue", "revenue_avg", "country", "churned"],
            ),
            config_reads: vec![read(19, "train", "params.train.C")],
            ..script(vec![
                call(
                    12,
                    "train",
                    "df",
                    "pandas.read_parquet",
                    false,
                    vec![s("data/features.parquet")],
                    vec![],
                ),
                call(
                    13,
                    "train",
                    "pre",
                    "sklearn.compose.ColumnTransformer",
                    false,
                    vec![l(vec![
                        l(vec![
                            s("num"),
                            nested("sklearn.preprocessing.StandardScaler", vec![], vec![]),
                            strs(&["revenue", "revenue_avg"]),
                        ]),
                        l(vec![
                            s("cat"),
                            nested(
                                "sklearn.preprocessing.OneHotEncoder",
                                vec![],
                                vec![("handle_unknown", s("ignore"))],
                            ),
                            strs(&["country"]),
                        ]),
                    ])],
                    vec![],
                ),
                call(
                    15,
                    "train",
                    "",
                    "sklearn.preprocessing.StandardScaler",
                    false,
                    vec![],
                    vec![],
                ),
                call(
                    16,
                    "train",
                    "",
                    "sklearn.preprocessing.OneHotEncoder",
                    false,
                    vec![],
                    vec![("handle_unknown", s("ignore"))],
                ),
                call(
                    19,
                    "train",
                    "pipe",
                    "sklearn.pipeline.Pipeline",
                    false,
                    vec![l(vec![
                        l(vec![s("pre"), n("pre")]),
                        l(vec![
                            s("clf"),
                            nested(
                                "sklearn.linear_model.LogisticRegression",
                                vec![],
                                vec![("C", opaque("expression"))],
                            ),
                        ]),
                    ])],
                    vec![],
                ),
                call(
                    19,
                    "train",
                    "",
                    "sklearn.linear_model.LogisticRegression",
                    false,
                    vec![],
                    vec![("C", opaque("expression"))],
                ),
                call(
                    20,
                    "train",
                    "",
                    "pipe.fit",
                    true,
                    vec![
                        sub("df", &["revenue", "revenue_avg", "country"]),
                        sub("df", &["churned"]),
                    ],
                    vec![],
                ),
                call(
                    21,
                    "train",
                    "",
                    "joblib.dump",
                    false,
                    vec![n("pipe"), s("models/model.pkl")],
                    vec![],
                ),
                call(26, "", "", "open", false, vec![s("params.yaml")], vec![]),
            ])
        },
        _ => return None,
    })
}

#[test]
fn dvc_sklearn() {
    assert_graph(
        fixture("dvc_sklearn", dvc_sklearn_facts),
        &[
            "config config:params.yaml",
            "config config:params.yaml#features.window",
            "config config:params.yaml#train.C",
            "data_source data_source:data/raw/orders.csv",
            "dataset dataset:data/clean.csv",
            "dataset dataset:data/features.parquet",
            "dataset dataset:models/model.pkl",
            "dataset dataset:reports/metrics.json",
            "feature feature:churned",
            "feature feature:country",
            "feature feature:discount",
            "feature feature:is_discounted",
            "feature feature:order_date",
            "feature feature:price",
            "feature feature:qty",
            "feature feature:revenue",
            "feature feature:revenue_avg",
            "feature feature:ts",
            "model model:src/train.py#train.pipe",
            "opaque opaque:src/features.py:19",
            "stage stage:dvc.yaml#featurize",
            "stage stage:dvc.yaml#prepare",
            "stage stage:dvc.yaml#train",
            "stage stage:src/train.py#train.pipe/clf",
            "stage stage:src/train.py#train.pipe/pre",
            "transform transform:src/features.py",
            "transform transform:src/features.py#add_features",
            "transform transform:src/features.py#main",
            "transform transform:src/prepare.py",
            "transform transform:src/prepare.py#main",
            "transform transform:src/train.py",
            "transform transform:src/train.py#train",
            "transform transform:src/train.py#train.pre",
        ],
        &[
            "config:params.yaml -configures-> transform:src/features.py#main",
            "config:params.yaml -configures-> transform:src/train.py",
            "config:params.yaml#features.window -configures-> stage:dvc.yaml#featurize",
            "config:params.yaml#features.window -configures-> transform:src/features.py#add_features",
            "config:params.yaml#features.window -configures-> transform:src/features.py#main",
            "config:params.yaml#train.C -configures-> stage:dvc.yaml#train",
            "config:params.yaml#train.C -configures-> transform:src/train.py#train",
            "data_source:data/raw/orders.csv -derives-> feature:ts",
            "data_source:data/raw/orders.csv -reads-> stage:dvc.yaml#prepare",
            "data_source:data/raw/orders.csv -reads-> transform:src/prepare.py#main",
            "dataset:data/clean.csv -reads-> stage:dvc.yaml#featurize",
            "dataset:data/clean.csv -reads-> transform:src/features.py#main",
            "dataset:data/features.parquet -derives-> feature:churned",
            "dataset:data/features.parquet -derives-> feature:country",
            "dataset:data/features.parquet -derives-> feature:revenue",
            "dataset:data/features.parquet -derives-> feature:revenue_avg",
            "dataset:data/features.parquet -reads-> stage:dvc.yaml#train",
            "dataset:data/features.parquet -reads-> transform:src/train.py#train",
            "feature:churned -trains_on-> model:src/train.py#train.pipe",
            "feature:country -reads-> transform:src/train.py#train.pre",
            "feature:country -trains_on-> model:src/train.py#train.pipe",
            "feature:discount -derives-> feature:is_discounted",
            "feature:price -derives-> feature:revenue",
            "feature:qty -derives-> feature:revenue",
            "feature:revenue -derives-> feature:revenue_avg",
            "feature:revenue -reads-> transform:src/train.py#train.pre",
            "feature:revenue -trains_on-> model:src/train.py#train.pipe",
            "feature:revenue_avg -reads-> transform:src/train.py#train.pre",
            "feature:revenue_avg -trains_on-> model:src/train.py#train.pipe",
            "feature:ts -derives-> feature:order_date",
            "model:src/train.py#train.pipe -writes-> dataset:models/model.pkl",
            "stage:dvc.yaml#featurize -depends_on-> stage:dvc.yaml#train",
            "stage:dvc.yaml#featurize -runs-> transform:src/features.py",
            "stage:dvc.yaml#featurize -writes-> dataset:data/features.parquet",
            "stage:dvc.yaml#prepare -depends_on-> stage:dvc.yaml#featurize",
            "stage:dvc.yaml#prepare -runs-> transform:src/prepare.py",
            "stage:dvc.yaml#prepare -writes-> dataset:data/clean.csv",
            "stage:dvc.yaml#train -runs-> transform:src/train.py",
            "stage:dvc.yaml#train -writes-> dataset:models/model.pkl",
            "stage:dvc.yaml#train -writes-> dataset:reports/metrics.json",
            "stage:src/train.py#train.pipe/clf -runs-> model:src/train.py#train.pipe",
            "stage:src/train.py#train.pipe/pre -depends_on-> stage:src/train.py#train.pipe/clf",
            "stage:src/train.py#train.pipe/pre -runs-> transform:src/train.py#train.pre",
            "transform:src/features.py -runs-> transform:src/features.py#add_features",
            "transform:src/features.py -runs-> transform:src/features.py#main",
            "transform:src/features.py#add_features -writes-> feature:is_discounted",
            "transform:src/features.py#add_features -writes-> feature:revenue",
            "transform:src/features.py#add_features -writes-> feature:revenue_avg",
            "transform:src/features.py#main -writes-> dataset:data/features.parquet",
            "transform:src/features.py#main -writes-> opaque:src/features.py:19",
            "transform:src/prepare.py -runs-> transform:src/prepare.py#main",
            "transform:src/prepare.py#main -writes-> dataset:data/clean.csv",
            "transform:src/prepare.py#main -writes-> feature:order_date",
            "transform:src/train.py -runs-> transform:src/train.py#train",
            "transform:src/train.py#train -writes-> dataset:models/model.pkl",
            "transform:src/train.py#train -writes-> model:src/train.py#train.pipe",
        ],
    );
}

// ----- Hydra + Lightning (+ an MLproject) --------------------------------------

fn hydra_lightning_facts(path: &str) -> Option<CodeLineage> {
    Some(match path {
        "src/train.py" => CodeLineage {
            decorators: vec![deco(
                8,
                "main",
                "hydra.main",
                vec![
                    ("config_path", s("../conf")),
                    ("config_name", s("config")),
                    ("version_base", Value::Const("None".into())),
                ],
            )],
            config_reads: vec![
                read(10, "main", "cfg.seed"),
                read(11, "main", "cfg.model"),
                read(12, "main", "cfg.data"),
                read(13, "main", "cfg.trainer.max_epochs"),
            ],
            ..script(vec![
                call(
                    11,
                    "main",
                    "model",
                    "hydra.utils.instantiate",
                    false,
                    vec![n("cfg.model")],
                    vec![],
                ),
                call(
                    12,
                    "main",
                    "data",
                    "hydra.utils.instantiate",
                    false,
                    vec![n("cfg.data")],
                    vec![],
                ),
                call(
                    13,
                    "main",
                    "trainer",
                    "lightning.Trainer",
                    false,
                    vec![],
                    vec![("max_epochs", n("cfg.trainer.max_epochs"))],
                ),
                call(
                    14,
                    "main",
                    "",
                    "trainer.fit",
                    true,
                    vec![n("model")],
                    vec![("datamodule", n("data"))],
                ),
                call(
                    15,
                    "main",
                    "",
                    "torch.save",
                    false,
                    vec![
                        nested("model.state_dict", vec![], vec![]),
                        s("models/demand.pt"),
                    ],
                    vec![],
                ),
            ])
        },
        "src/shop/data.py" => CodeLineage {
            calls: vec![call(
                12,
                "OrdersDataModule.setup",
                "self.frame",
                "pandas.read_parquet",
                false,
                vec![n("self.hparams.path")],
                vec![],
            )],
            config_reads: vec![read(12, "OrdersDataModule.setup", "self.hparams.path")],
            ..CodeLineage::default()
        },
        _ => return None,
    })
}

#[test]
fn hydra_lightning() {
    assert_graph(
        fixture("hydra_lightning", hydra_lightning_facts),
        &[
            "config config:MLproject#max_epochs",
            "config config:conf/config.yaml",
            "config config:conf/config.yaml#seed",
            "config config:conf/config.yaml#trainer.max_epochs",
            "config config:conf/data",
            "config config:conf/data/orders.yaml",
            "config config:conf/data/orders.yaml#path",
            "config config:conf/model",
            "config config:conf/model/demand_net.yaml",
            "config config:conf/model/demand_net.yaml#optimizer",
            "dataset dataset:models/demand.pt",
            "model model:src/shop/models/net.py#DemandNet",
            "model model:src/shop/models/net.py#Encoder",
            "model model:src/shop/models/net.py#WideDemandNet",
            "opaque opaque:src/shop/data.py:12",
            "stage stage:MLproject#main",
            "transform transform:src/shop/data.py#OrdersDataModule",
            "transform transform:src/shop/data.py#OrdersDataModule.setup",
            "transform transform:src/train.py",
            "transform transform:src/train.py#main",
            "transform transform:torch.optim.Adam",
        ],
        &[
            "config:MLproject#max_epochs -configures-> stage:MLproject#main",
            "config:conf/config.yaml -configures-> transform:src/train.py#main",
            "config:conf/config.yaml#seed -configures-> transform:src/train.py#main",
            "config:conf/config.yaml#trainer.max_epochs -configures-> transform:src/train.py#main",
            "config:conf/data -configures-> config:conf/config.yaml",
            "config:conf/data/orders.yaml -configures-> config:conf/data",
            "config:conf/data/orders.yaml -configures-> transform:src/shop/data.py#OrdersDataModule",
            "config:conf/data/orders.yaml -configures-> transform:src/train.py#main",
            "config:conf/data/orders.yaml#path -configures-> opaque:src/shop/data.py:12",
            "config:conf/data/orders.yaml#path -configures-> transform:src/shop/data.py#OrdersDataModule.setup",
            "config:conf/model -configures-> config:conf/config.yaml",
            "config:conf/model/demand_net.yaml -configures-> config:conf/model",
            "config:conf/model/demand_net.yaml -configures-> model:src/shop/models/net.py#DemandNet",
            "config:conf/model/demand_net.yaml -configures-> transform:src/train.py#main",
            "config:conf/model/demand_net.yaml#optimizer -configures-> transform:torch.optim.Adam",
            "model:src/shop/models/net.py#DemandNet -writes-> dataset:models/demand.pt",
            "opaque:src/shop/data.py:12 -reads-> transform:src/shop/data.py#OrdersDataModule.setup",
            "stage:MLproject#main -runs-> transform:src/train.py",
            "transform:src/shop/data.py#OrdersDataModule -trains_on-> model:src/shop/models/net.py#DemandNet",
            "transform:src/train.py -runs-> transform:src/train.py#main",
            "transform:src/train.py#main -writes-> dataset:models/demand.pt",
            "transform:src/train.py#main -writes-> model:src/shop/models/net.py#DemandNet",
        ],
    );
}

// ----- Kedro -----------------------------------------------------------------

fn kedro_facts(path: &str) -> Option<CodeLineage> {
    let node = |line: u32, a: Vec<Value>, kw: Vec<(&str, Value)>| {
        call(
            line,
            "create_pipeline",
            "",
            "kedro.pipeline.node",
            false,
            a,
            kw,
        )
    };
    let dict =
        |pairs: &[(&str, &str)]| Value::Dict(pairs.iter().map(|(k, v)| (s(k), s(v))).collect());
    Some(match path {
        "src/churn/pipelines/training/pipeline.py" => {
            let nodes = vec![
                node(
                    10,
                    vec![n(".nodes.clean")],
                    vec![
                        ("inputs", s("raw_orders")),
                        ("outputs", s("orders")),
                        ("name", s("clean")),
                    ],
                ),
                node(
                    11,
                    vec![n(".nodes.build_features")],
                    vec![
                        ("inputs", strs(&["orders", "params:features"])),
                        ("outputs", s("order_features")),
                    ],
                ),
                node(
                    12,
                    vec![n(".nodes.split"), s("order_features"), strs(&["X", "y"])],
                    vec![],
                ),
                node(
                    13,
                    vec![n(".nodes.train")],
                    vec![
                        (
                            "inputs",
                            dict(&[("X", "X"), ("y", "y"), ("params", "params:model")]),
                        ),
                        ("outputs", s("model")),
                        ("name", s("train_model")),
                    ],
                ),
            ];
            let list = l(nodes
                .iter()
                .map(|c| Value::Call(Box::new(c.call.clone())))
                .collect());
            let mut calls = vec![call(
                8,
                "create_pipeline",
                "",
                "kedro.pipeline.pipeline",
                false,
                vec![list],
                vec![],
            )];
            calls.extend(nodes);
            CodeLineage {
                calls,
                ..CodeLineage::default()
            }
        }
        "src/churn/pipelines/training/nodes.py" => CodeLineage {
            calls: vec![
                call(
                    16,
                    "split",
                    "",
                    "features.drop",
                    true,
                    vec![],
                    vec![("columns", strs(&["churned"]))],
                ),
                call(
                    20,
                    "train",
                    "model",
                    "sklearn.ensemble.RandomForestClassifier",
                    false,
                    vec![],
                    vec![("n_estimators", sub("params", &["n_estimators"]))],
                ),
                call(
                    21,
                    "train",
                    "",
                    "model.fit",
                    true,
                    vec![n("X"), n("y")],
                    vec![],
                ),
            ],
            columns: [
                cols(
                    11,
                    "build_features",
                    "orders",
                    &["+revenue", "price", "qty"],
                ),
                cols(16, "split", "features", &["churned"]),
            ]
            .concat(),
            config_reads: vec![read(20, "train", "params.n_estimators")],
            ..CodeLineage::default()
        },
        _ => return None,
    })
}

#[test]
fn kedro() {
    assert_graph(
        fixture("kedro", kedro_facts),
        &[
            "config config:conf/base/parameters.yml#features",
            "config config:conf/base/parameters.yml#model",
            "data_source data_source:data/01_raw/orders.csv",
            "dataset dataset:data/02_intermediate/orders.parquet",
            "dataset dataset:data/04_feature/order_features.parquet",
            "dataset dataset:data/06_models/model.pkl",
            "dataset dataset:kedro:X",
            "dataset dataset:kedro:y",
            "feature feature:churned",
            "feature feature:price",
            "feature feature:qty",
            "feature feature:revenue",
            "model model:src/churn/pipelines/training/nodes.py#train.model",
            "stage stage:src/churn/pipelines/training/pipeline.py#build_features",
            "stage stage:src/churn/pipelines/training/pipeline.py#clean",
            "stage stage:src/churn/pipelines/training/pipeline.py#split",
            "stage stage:src/churn/pipelines/training/pipeline.py#train_model",
            "transform transform:src/churn/pipelines/training/nodes.py#build_features",
            "transform transform:src/churn/pipelines/training/nodes.py#clean",
            "transform transform:src/churn/pipelines/training/nodes.py#split",
            "transform transform:src/churn/pipelines/training/nodes.py#train",
        ],
        &[
            "config:conf/base/parameters.yml#features -configures-> stage:src/churn/pipelines/training/pipeline.py#build_features",
            "config:conf/base/parameters.yml#model -configures-> stage:src/churn/pipelines/training/pipeline.py#train_model",
            "data_source:data/01_raw/orders.csv -reads-> stage:src/churn/pipelines/training/pipeline.py#clean",
            "dataset:data/02_intermediate/orders.parquet -reads-> stage:src/churn/pipelines/training/pipeline.py#build_features",
            "dataset:data/04_feature/order_features.parquet -reads-> stage:src/churn/pipelines/training/pipeline.py#split",
            "dataset:kedro:X -reads-> stage:src/churn/pipelines/training/pipeline.py#train_model",
            "dataset:kedro:y -reads-> stage:src/churn/pipelines/training/pipeline.py#train_model",
            "feature:price -derives-> feature:revenue",
            "feature:qty -derives-> feature:revenue",
            "stage:src/churn/pipelines/training/pipeline.py#build_features -depends_on-> stage:src/churn/pipelines/training/pipeline.py#split",
            "stage:src/churn/pipelines/training/pipeline.py#build_features -runs-> transform:src/churn/pipelines/training/nodes.py#build_features",
            "stage:src/churn/pipelines/training/pipeline.py#build_features -writes-> dataset:data/04_feature/order_features.parquet",
            "stage:src/churn/pipelines/training/pipeline.py#clean -depends_on-> stage:src/churn/pipelines/training/pipeline.py#build_features",
            "stage:src/churn/pipelines/training/pipeline.py#clean -runs-> transform:src/churn/pipelines/training/nodes.py#clean",
            "stage:src/churn/pipelines/training/pipeline.py#clean -writes-> dataset:data/02_intermediate/orders.parquet",
            "stage:src/churn/pipelines/training/pipeline.py#split -depends_on-> stage:src/churn/pipelines/training/pipeline.py#train_model",
            "stage:src/churn/pipelines/training/pipeline.py#split -runs-> transform:src/churn/pipelines/training/nodes.py#split",
            "stage:src/churn/pipelines/training/pipeline.py#split -writes-> dataset:kedro:X",
            "stage:src/churn/pipelines/training/pipeline.py#split -writes-> dataset:kedro:y",
            "stage:src/churn/pipelines/training/pipeline.py#train_model -runs-> transform:src/churn/pipelines/training/nodes.py#train",
            "stage:src/churn/pipelines/training/pipeline.py#train_model -writes-> dataset:data/06_models/model.pkl",
            "transform:src/churn/pipelines/training/nodes.py#build_features -writes-> feature:revenue",
            "transform:src/churn/pipelines/training/nodes.py#train -writes-> model:src/churn/pipelines/training/nodes.py#train.model",
        ],
    );
}

// ----- Feast -----------------------------------------------------------------

fn feast_facts(path: &str) -> Option<CodeLineage> {
    let field = |name: &str, dtype: &str| {
        nested(
            "feast.Field",
            vec![],
            vec![("name", s(name)), ("dtype", n(dtype))],
        )
    };
    Some(match path {
        "entities.py" => CodeLineage {
            calls: vec![call(
                3,
                "",
                "driver",
                "feast.Entity",
                false,
                vec![],
                vec![("name", s("driver")), ("join_keys", strs(&["driver_id"]))],
            )],
            ..CodeLineage::default()
        },
        "features.py" => CodeLineage {
            calls: vec![
                call(
                    8,
                    "",
                    "driver_stats_source",
                    "feast.FileSource",
                    false,
                    vec![],
                    vec![
                        ("name", s("driver_stats_source")),
                        ("path", s("data/driver_stats.parquet")),
                        ("timestamp_field", s("event_timestamp")),
                    ],
                ),
                call(
                    14,
                    "",
                    "driver_stats",
                    "feast.FeatureView",
                    false,
                    vec![],
                    vec![
                        ("name", s("driver_hourly_stats")),
                        ("entities", l(vec![n("entities.driver")])),
                        (
                            "ttl",
                            nested(
                                "datetime.timedelta",
                                vec![],
                                vec![("days", Value::Const("1".into()))],
                            ),
                        ),
                        (
                            "schema",
                            l(vec![
                                field("conv_rate", "feast.types.Float32"),
                                field("trips_today", "feast.types.Int64"),
                            ]),
                        ),
                        ("source", n("driver_stats_source")),
                    ],
                ),
                call(
                    19,
                    "",
                    "",
                    "feast.Field",
                    false,
                    vec![],
                    vec![
                        ("name", s("conv_rate")),
                        ("dtype", n("feast.types.Float32")),
                    ],
                ),
                call(
                    20,
                    "",
                    "",
                    "feast.Field",
                    false,
                    vec![],
                    vec![
                        ("name", s("trips_today")),
                        ("dtype", n("feast.types.Int64")),
                    ],
                ),
                call(
                    25,
                    "",
                    "ranking_v1",
                    "feast.FeatureService",
                    false,
                    vec![],
                    vec![
                        ("name", s("driver_ranking_v1")),
                        ("features", l(vec![sub("driver_stats", &["conv_rate"])])),
                    ],
                ),
                call(
                    26,
                    "",
                    "ranking_v2",
                    "feast.FeatureService",
                    false,
                    vec![],
                    vec![
                        ("name", s("driver_ranking_v2")),
                        ("features", l(vec![n("driver_stats")])),
                    ],
                ),
            ],
            ..CodeLineage::default()
        },
        "train.py" => CodeLineage {
            calls: vec![
                call(
                    5,
                    "",
                    "store",
                    "feast.FeatureStore",
                    false,
                    vec![],
                    vec![("repo_path", s("."))],
                ),
                call(
                    9,
                    "main",
                    "entity_df",
                    "pandas.read_parquet",
                    false,
                    vec![s("data/driver_orders.parquet")],
                    vec![],
                ),
                call(
                    10,
                    "main",
                    "job",
                    "store.get_historical_features",
                    true,
                    vec![],
                    vec![
                        ("entity_df", n("entity_df")),
                        (
                            "features",
                            strs(&[
                                "driver_hourly_stats:conv_rate",
                                "driver_hourly_stats:trips_today",
                            ]),
                        ),
                    ],
                ),
                call(
                    15,
                    "main",
                    "model",
                    "sklearn.linear_model.LinearRegression",
                    false,
                    vec![],
                    vec![],
                ),
                call(
                    16,
                    "main",
                    "",
                    "model.fit",
                    true,
                    vec![
                        sub("training", &["conv_rate", "trips_today"]),
                        sub("training", &["label"]),
                    ],
                    vec![],
                ),
            ],
            columns: cols(
                16,
                "main",
                "training",
                &["conv_rate", "trips_today", "label"],
            ),
            ..CodeLineage::default()
        },
        _ => return None,
    })
}

#[test]
fn feast() {
    assert_graph(
        fixture("feast", feast_facts),
        &[
            "data_source data_source:data/driver_orders.parquet",
            "data_source data_source:data/driver_stats.parquet",
            "feature feature:conv_rate",
            "feature feature:driver_hourly_stats",
            "feature feature:driver_hourly_stats:conv_rate",
            "feature feature:driver_hourly_stats:trips_today",
            "feature feature:driver_id",
            "feature feature:driver_ranking_v1",
            "feature feature:driver_ranking_v2",
            "feature feature:label",
            "feature feature:trips_today",
            "model model:train.py#main.model",
            "transform transform:train.py#main",
        ],
        &[
            "data_source:data/driver_orders.parquet -reads-> transform:train.py#main",
            "data_source:data/driver_stats.parquet -derives-> feature:driver_hourly_stats",
            "feature:conv_rate -trains_on-> model:train.py#main.model",
            "feature:driver_hourly_stats -derives-> feature:driver_hourly_stats:conv_rate",
            "feature:driver_hourly_stats -derives-> feature:driver_hourly_stats:trips_today",
            "feature:driver_hourly_stats -derives-> feature:driver_ranking_v2",
            "feature:driver_hourly_stats:conv_rate -derives-> feature:conv_rate",
            "feature:driver_hourly_stats:conv_rate -derives-> feature:driver_ranking_v1",
            "feature:driver_hourly_stats:conv_rate -reads-> transform:train.py#main",
            "feature:driver_hourly_stats:trips_today -derives-> feature:trips_today",
            "feature:driver_hourly_stats:trips_today -reads-> transform:train.py#main",
            "feature:driver_id -derives-> feature:driver_hourly_stats",
            "feature:label -trains_on-> model:train.py#main.model",
            "feature:trips_today -trains_on-> model:train.py#main.model",
            "transform:train.py#main -writes-> model:train.py#main.model",
        ],
    );
}

// ----- Airflow ---------------------------------------------------------------

fn airflow_facts(path: &str) -> Option<CodeLineage> {
    let operator = |line: u32, to: &str, class: &str, kw: Vec<(&str, Value)>| {
        call(
            line,
            "",
            to,
            &format!("airflow.operators.{class}"),
            false,
            vec![],
            kw,
        )
    };
    Some(match path {
        "dags/orders.py" => CodeLineage {
            calls: vec![
                call(
                    13,
                    "",
                    "",
                    "airflow.DAG",
                    false,
                    vec![],
                    vec![
                        ("dag_id", s("orders")),
                        (
                            "start_date",
                            nested(
                                "datetime.datetime",
                                vec![Value::Const("2024".into())],
                                vec![],
                            ),
                        ),
                        ("schedule", s("@daily")),
                    ],
                ),
                operator(
                    14,
                    "extract",
                    "python.PythonOperator",
                    vec![
                        ("task_id", s("extract")),
                        ("python_callable", n("etl.extract.extract_orders")),
                    ],
                ),
                operator(
                    15,
                    "features",
                    "bash.BashOperator",
                    vec![
                        ("task_id", s("features")),
                        ("bash_command", s("python scripts/features.py")),
                        (
                            "outlets",
                            l(vec![nested(
                                "airflow.datasets.Dataset",
                                vec![s("s3://lake/features")],
                                vec![],
                            )]),
                        ),
                    ],
                ),
                call(
                    18,
                    "",
                    "",
                    "airflow.datasets.Dataset",
                    false,
                    vec![s("s3://lake/features")],
                    vec![],
                ),
                operator(
                    20,
                    "report",
                    "bash.BashOperator",
                    vec![
                        ("task_id", s("report")),
                        ("bash_command", s("python scripts/report.py")),
                    ],
                ),
                operator(
                    21,
                    "publish",
                    "python.PythonOperator",
                    vec![
                        ("task_id", s("publish")),
                        (
                            "python_callable",
                            nested("getattr", vec![n("etl.load"), n("TASK")], vec![]),
                        ),
                    ],
                ),
            ],
            flows: vec![
                flow(22, &["extract"], &["features"]),
                flow(22, &["features"], &["report", "publish"]),
            ],
            ..CodeLineage::default()
        },
        "etl/extract.py" => CodeLineage {
            calls: vec![
                call(
                    5,
                    "extract_orders",
                    "orders",
                    "pandas.read_sql",
                    false,
                    vec![
                        s(
                            "SELECT * FROM sales.orders JOIN sales.customers ON orders.customer_id = customers.id",
                        ),
                        s("postgresql://warehouse/sales"),
                    ],
                    vec![],
                ),
                call(
                    9,
                    "extract_orders",
                    "",
                    "orders.to_parquet",
                    true,
                    vec![s("data/orders.parquet")],
                    vec![],
                ),
            ],
            ..CodeLineage::default()
        },
        "scripts/features.py" => CodeLineage {
            calls: vec![
                call(
                    3,
                    "",
                    "df",
                    "pandas.read_parquet",
                    false,
                    vec![s("data/orders.parquet")],
                    vec![],
                ),
                call(
                    5,
                    "",
                    "",
                    "df.to_parquet",
                    true,
                    vec![s("s3://lake/features")],
                    vec![],
                ),
            ],
            columns: cols(4, "", "df", &["+basket", "qty", "price"]),
            ..CodeLineage::default()
        },
        _ => return None,
    })
}

#[test]
fn airflow() {
    assert_graph(
        fixture("airflow", airflow_facts),
        &[
            "data_source data_source:table:sales.customers",
            "data_source data_source:table:sales.orders",
            "dataset dataset:data/orders.parquet",
            "dataset dataset:s3://lake/features",
            "feature feature:basket",
            "feature feature:price",
            "feature feature:qty",
            "opaque opaque:dags/orders.py:20",
            "opaque opaque:dags/orders.py:21",
            "stage stage:dags/orders.py#extract",
            "stage stage:dags/orders.py#features",
            "stage stage:dags/orders.py#publish",
            "stage stage:dags/orders.py#report",
            "transform transform:etl/extract.py#extract_orders",
            "transform transform:scripts/features.py",
        ],
        &[
            "data_source:table:sales.customers -reads-> transform:etl/extract.py#extract_orders",
            "data_source:table:sales.orders -reads-> transform:etl/extract.py#extract_orders",
            "dataset:data/orders.parquet -derives-> feature:price",
            "dataset:data/orders.parquet -derives-> feature:qty",
            "dataset:data/orders.parquet -reads-> transform:scripts/features.py",
            "feature:price -derives-> feature:basket",
            "feature:qty -derives-> feature:basket",
            "stage:dags/orders.py#extract -depends_on-> stage:dags/orders.py#features",
            "stage:dags/orders.py#extract -runs-> transform:etl/extract.py#extract_orders",
            "stage:dags/orders.py#features -depends_on-> stage:dags/orders.py#publish",
            "stage:dags/orders.py#features -depends_on-> stage:dags/orders.py#report",
            "stage:dags/orders.py#features -runs-> transform:scripts/features.py",
            "stage:dags/orders.py#features -writes-> dataset:s3://lake/features",
            "stage:dags/orders.py#publish -runs-> opaque:dags/orders.py:21",
            "stage:dags/orders.py#report -runs-> opaque:dags/orders.py:20",
            "transform:etl/extract.py#extract_orders -writes-> dataset:data/orders.parquet",
            "transform:scripts/features.py -writes-> dataset:s3://lake/features",
            "transform:scripts/features.py -writes-> feature:basket",
        ],
    );
}

// ----- Metaflow --------------------------------------------------------------

fn metaflow_facts(path: &str) -> Option<CodeLineage> {
    if path != "flow.py" {
        return None;
    }
    let next = |line: u32, from: &str, to: &[&str]| {
        let to = to.iter().map(|t| n(&format!("self.{t}"))).collect();
        call(
            line,
            &format!("ChurnFlow.{from}"),
            "",
            "self.next",
            true,
            to,
            vec![],
        )
    };
    let steps = [
        (9, "start"),
        (14, "featurize"),
        (19, "train_a"),
        (25, "train_b"),
        (29, "join"),
        (33, "end"),
    ];
    Some(CodeLineage {
        calls: vec![
            call(
                7,
                "",
                "max_depth",
                "metaflow.Parameter",
                false,
                vec![s("max_depth")],
                vec![("default", Value::Const("3".into()))],
            ),
            call(
                11,
                "ChurnFlow.start",
                "self.orders",
                "pandas.read_csv",
                false,
                vec![s("data/orders.csv")],
                vec![],
            ),
            next(12, "start", &["featurize"]),
            next(17, "featurize", &["train_a", "train_b"]),
            call(
                21,
                "ChurnFlow.train_a",
                "self.model",
                "sklearn.ensemble.GradientBoostingClassifier",
                false,
                vec![],
                vec![("max_depth", n("self.max_depth"))],
            ),
            call(
                22,
                "ChurnFlow.train_a",
                "",
                "self.model.fit",
                true,
                vec![
                    sub("self.orders", &["revenue"]),
                    sub("self.orders", &["churned"]),
                ],
                vec![],
            ),
            next(23, "train_a", &["join"]),
            next(27, "train_b", &["join"]),
            next(31, "join", &["end"]),
        ],
        columns: [
            cols(
                16,
                "ChurnFlow.featurize",
                "self.orders",
                &["+revenue", "price", "qty"],
            ),
            cols(
                22,
                "ChurnFlow.train_a",
                "self.orders",
                &["revenue", "churned"],
            ),
        ]
        .concat(),
        decorators: steps
            .iter()
            .map(|(line, step)| deco(*line, &format!("ChurnFlow.{step}"), "metaflow.step", vec![]))
            .collect(),
        main_guard: true,
        ..CodeLineage::default()
    })
}

#[test]
fn metaflow() {
    assert_graph(
        fixture("metaflow", metaflow_facts),
        &[
            "config config:flow.py#max_depth",
            "data_source data_source:data/orders.csv",
            "feature feature:churned",
            "feature feature:price",
            "feature feature:qty",
            "feature feature:revenue",
            "model model:flow.py#ChurnFlow.model",
            "stage stage:flow.py#ChurnFlow.end",
            "stage stage:flow.py#ChurnFlow.featurize",
            "stage stage:flow.py#ChurnFlow.join",
            "stage stage:flow.py#ChurnFlow.start",
            "stage stage:flow.py#ChurnFlow.train_a",
            "stage stage:flow.py#ChurnFlow.train_b",
            "transform transform:flow.py#ChurnFlow.end",
            "transform transform:flow.py#ChurnFlow.featurize",
            "transform transform:flow.py#ChurnFlow.join",
            "transform transform:flow.py#ChurnFlow.start",
            "transform transform:flow.py#ChurnFlow.train_a",
            "transform transform:flow.py#ChurnFlow.train_b",
        ],
        &[
            "config:flow.py#max_depth -configures-> model:flow.py#ChurnFlow.model",
            "data_source:data/orders.csv -derives-> feature:churned",
            "data_source:data/orders.csv -derives-> feature:price",
            "data_source:data/orders.csv -derives-> feature:qty",
            "data_source:data/orders.csv -reads-> transform:flow.py#ChurnFlow.start",
            "feature:churned -trains_on-> model:flow.py#ChurnFlow.model",
            "feature:price -derives-> feature:revenue",
            "feature:qty -derives-> feature:revenue",
            "feature:revenue -trains_on-> model:flow.py#ChurnFlow.model",
            "stage:flow.py#ChurnFlow.end -runs-> transform:flow.py#ChurnFlow.end",
            "stage:flow.py#ChurnFlow.featurize -depends_on-> stage:flow.py#ChurnFlow.train_a",
            "stage:flow.py#ChurnFlow.featurize -depends_on-> stage:flow.py#ChurnFlow.train_b",
            "stage:flow.py#ChurnFlow.featurize -runs-> transform:flow.py#ChurnFlow.featurize",
            "stage:flow.py#ChurnFlow.join -depends_on-> stage:flow.py#ChurnFlow.end",
            "stage:flow.py#ChurnFlow.join -runs-> transform:flow.py#ChurnFlow.join",
            "stage:flow.py#ChurnFlow.start -depends_on-> stage:flow.py#ChurnFlow.featurize",
            "stage:flow.py#ChurnFlow.start -runs-> transform:flow.py#ChurnFlow.start",
            "stage:flow.py#ChurnFlow.train_a -depends_on-> stage:flow.py#ChurnFlow.join",
            "stage:flow.py#ChurnFlow.train_a -runs-> transform:flow.py#ChurnFlow.train_a",
            "stage:flow.py#ChurnFlow.train_b -depends_on-> stage:flow.py#ChurnFlow.join",
            "stage:flow.py#ChurnFlow.train_b -runs-> transform:flow.py#ChurnFlow.train_b",
            "transform:flow.py#ChurnFlow.featurize -writes-> feature:revenue",
            "transform:flow.py#ChurnFlow.train_a -writes-> model:flow.py#ChurnFlow.model",
        ],
    );
}
