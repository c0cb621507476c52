//! The lineage linker end to end: each fixture repository of
//! `testdata/lineage/` is scanned (`mlscan::scan::scan`: configs, Python
//! structure and lineage facts) and linked; the exact node and edge sets
//! are asserted, as sorted `"kind id"` and `"from -kind-> to"` lines.

use std::path::PathBuf;

use mlscan::config::ProjectConfig;
use mlscan::facts::AnalysisOptions;
use mlscan::lineage::{self, LineageGraph};
use mlscan::report::FileReport;
use mlscan::scan::{ScanOptions, scan};
use mlscan::walk::WalkOptions;

/// Scans `testdata/lineage/NAME`.
fn fixture(name: &str) -> Vec<FileReport> {
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
        checks: None,
        cache: None,
        knowledge: Default::default(),
        progress: false,
    };
    scan(&options).expect("fixture scans").files
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

/// Asserts the exact node and edge sets of a fixture, that edges join
/// nodes, and that linking does not depend on the order of the files.
fn assert_graph(name: &str, nodes: &[&str], edges: &[&str]) {
    let mut files = fixture(name);
    let graph = lineage::link(&files);
    let (got_nodes, got_edges) = lines(&graph);
    let sorted = |v: &[&str]| {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(got_nodes, sorted(nodes), "nodes of {name}");
    assert_eq!(got_edges, sorted(edges), "edges of {name}");
    for edge in &graph.edges {
        let known = |id: &str| graph.nodes.iter().any(|n| n.id == id);
        assert!(known(&edge.from) && known(&edge.to), "{name}: {edge:?}");
    }
    files.reverse();
    assert_eq!(
        lineage::link(&files),
        graph,
        "{name}: order of the files matters"
    );
}

/// DVC stages over pandas scripts and an sklearn ColumnTransformer +
/// Pipeline (one column selector: opaque) fitted on the features and
/// saved with joblib; a notebook (located by cell).
#[test]
fn dvc_sklearn() {
    assert_graph(
        "dvc_sklearn",
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
            "feature feature:revenue_per_item",
            "feature feature:ts",
            "model model:src/train.py#train.pipe",
            "opaque opaque:notebooks/eda.ipynb:cell3:2",
            "opaque opaque:src/features.py:19",
            "opaque opaque:src/train.py:13",
            "stage stage:dvc.yaml#featurize",
            "stage stage:dvc.yaml#prepare",
            "stage stage:dvc.yaml#train",
            "stage stage:src/train.py#train.pipe/clf",
            "stage stage:src/train.py#train.pipe/pre",
            "transform transform:notebooks/eda.ipynb",
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
            "dataset:data/features.parquet -derives-> feature:qty",
            "dataset:data/features.parquet -derives-> feature:revenue",
            "dataset:data/features.parquet -derives-> feature:revenue_avg",
            "dataset:data/features.parquet -reads-> stage:dvc.yaml#train",
            "dataset:data/features.parquet -reads-> transform:notebooks/eda.ipynb",
            "dataset:data/features.parquet -reads-> transform:src/train.py#train",
            "feature:churned -trains_on-> model:src/train.py#train.pipe",
            "feature:country -reads-> transform:src/train.py#train.pre",
            "feature:country -trains_on-> model:src/train.py#train.pipe",
            "feature:discount -derives-> feature:is_discounted",
            "feature:price -derives-> feature:revenue",
            "feature:qty -derives-> feature:revenue",
            "feature:qty -derives-> feature:revenue_per_item",
            "feature:revenue -derives-> feature:revenue_avg",
            "feature:revenue -derives-> feature:revenue_per_item",
            "feature:revenue -reads-> transform:src/train.py#train.pre",
            "feature:revenue -trains_on-> model:src/train.py#train.pipe",
            "feature:revenue_avg -reads-> transform:src/train.py#train.pre",
            "feature:revenue_avg -trains_on-> model:src/train.py#train.pipe",
            "feature:ts -derives-> feature:order_date",
            "model:src/train.py#train.pipe -writes-> dataset:models/model.pkl",
            "opaque:notebooks/eda.ipynb:cell3:2 -reads-> transform:notebooks/eda.ipynb",
            "opaque:src/train.py:13 -reads-> transform:src/train.py#train.pre",
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
            "transform:notebooks/eda.ipynb -writes-> feature:revenue_per_item",
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

/// Hydra defaults and `_target_`s, a LightningModule instantiated and
/// fitted by a `@hydra.main` script, an MLproject entry point.
#[test]
fn hydra_lightning() {
    assert_graph(
        "hydra_lightning",
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

/// A Kedro catalog, parameters (with a feature list), and a pipeline of
/// four nodes.
#[test]
fn kedro() {
    assert_graph(
        "kedro",
        &[
            "config config:conf/base/parameters.yml#features",
            "config config:conf/base/parameters.yml#model",
            "config config:conf/base/parameters.yml#model.features",
            "data_source data_source:data/01_raw/orders.csv",
            "dataset dataset:data/02_intermediate/orders.parquet",
            "dataset dataset:data/04_feature/order_features.parquet",
            "dataset dataset:data/06_models/model.pkl",
            "dataset dataset:kedro:X",
            "dataset dataset:kedro:y",
            "feature feature:churned",
            "feature feature:discount",
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
            "config:conf/base/parameters.yml#model.features -configures-> feature:discount",
            "config:conf/base/parameters.yml#model.features -configures-> feature:revenue",
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

/// A Feast entity, file source, feature view and services, and a
/// training script fetching historical features.
#[test]
fn feast() {
    assert_graph(
        "feast",
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

/// An Airflow DAG: Python and Bash operators, a dataset outlet, an SQL
/// extract, a missing script and a `getattr` callable (opaque), `>>`; a
/// Spark job.
#[test]
fn airflow() {
    assert_graph(
        "airflow",
        &[
            "data_source data_source:table:sales.customers",
            "data_source data_source:table:sales.orders",
            "dataset dataset:data/orders.parquet",
            "dataset dataset:data/totals.parquet",
            "dataset dataset:s3://lake/features",
            "feature feature:basket",
            "feature feature:price",
            "feature feature:qty",
            "feature feature:total",
            "opaque opaque:dags/orders.py:20",
            "opaque opaque:dags/orders.py:21",
            "opaque opaque:etl/totals.py:10",
            "stage stage:dags/orders.py#extract",
            "stage stage:dags/orders.py#features",
            "stage stage:dags/orders.py#publish",
            "stage stage:dags/orders.py#report",
            "transform transform:etl/extract.py#extract_orders",
            "transform transform:etl/totals.py#run",
            "transform transform:scripts/features.py",
        ],
        &[
            "data_source:table:sales.customers -reads-> transform:etl/extract.py#extract_orders",
            "data_source:table:sales.orders -reads-> transform:etl/extract.py#extract_orders",
            "dataset:data/orders.parquet -derives-> feature:price",
            "dataset:data/orders.parquet -derives-> feature:qty",
            "dataset:data/orders.parquet -reads-> transform:etl/totals.py#run",
            "dataset:data/orders.parquet -reads-> transform:scripts/features.py",
            "feature:price -derives-> feature:basket",
            "feature:price -derives-> feature:total",
            "feature:qty -derives-> feature:basket",
            "feature:qty -derives-> feature:total",
            "opaque:etl/totals.py:10 -reads-> transform:etl/totals.py#run",
            "stage:dags/orders.py#extract -depends_on-> stage:dags/orders.py#features",
            "stage:dags/orders.py#extract -runs-> transform:etl/extract.py#extract_orders",
            "stage:dags/orders.py#features -depends_on-> stage:dags/orders.py#publish",
            "stage:dags/orders.py#features -depends_on-> stage:dags/orders.py#report",
            "stage:dags/orders.py#features -runs-> transform:scripts/features.py",
            "stage:dags/orders.py#features -writes-> dataset:s3://lake/features",
            "stage:dags/orders.py#publish -runs-> opaque:dags/orders.py:21",
            "stage:dags/orders.py#report -runs-> opaque:dags/orders.py:20",
            "transform:etl/extract.py#extract_orders -writes-> dataset:data/orders.parquet",
            "transform:etl/totals.py#run -writes-> dataset:data/totals.parquet",
            "transform:etl/totals.py#run -writes-> feature:total",
            "transform:scripts/features.py -writes-> dataset:s3://lake/features",
            "transform:scripts/features.py -writes-> feature:basket",
        ],
    );
}

/// A Metaflow flow: `@step`s, `self.next` fan-out and join, a Parameter,
/// artifacts shared through `self`.
#[test]
fn metaflow() {
    assert_graph(
        "metaflow",
        &[
            "config config:flow.py#max_depth",
            "data_source data_source:data/orders.csv",
            "dataset dataset:models/churn.pkl",
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
            "model:flow.py#ChurnFlow.model -writes-> dataset:models/churn.pkl",
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
            "transform:flow.py#ChurnFlow.end -writes-> dataset:models/churn.pkl",
            "transform:flow.py#ChurnFlow.featurize -writes-> feature:revenue",
            "transform:flow.py#ChurnFlow.train_a -writes-> model:flow.py#ChurnFlow.model",
        ],
    );
}

/// Every other fixture repository (syntax errors, odd encodings,
/// notebooks, configs of every kind) links without panicking, the same
/// way whatever the order of the files.
#[test]
fn other_fixtures_link_deterministically() {
    for name in [
        "../mlrepo",
        "../broken",
        "../python",
        "../configs",
        "../notebooks",
    ] {
        let mut files = fixture(name);
        let graph = lineage::link(&files);
        files.reverse();
        assert_eq!(lineage::link(&files), graph, "{name}");
    }
}
