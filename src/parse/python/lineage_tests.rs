//! Lineage facts of the fixtures in `testdata/python/lineage/`, rendered
//! one fact per line so that every field is asserted exactly:
//! calls as `line function: targets = callee(args) [receiver]`, values as
//! Python-like text (`"str"`, names bare, `?reason` for opaque values,
//! `base["a"]` for subscripts).

use super::ModuleAnalyzer;
use crate::facts::{AnalysisOptions, CallArgs, CallFact, CodeLineage, Value};

fn lineage(source: &str) -> CodeLineage {
    ModuleAnalyzer::new(AnalysisOptions::default())
        .expect("tree-sitter-python loads")
        .analyze(source)
        .lineage
}

fn value(v: &Value) -> String {
    let list = |items: &[Value]| items.iter().map(value).collect::<Vec<_>>().join(", ");
    match v {
        Value::Str(s) => format!("{s:?}"),
        Value::Const(c) | Value::Name(c) => c.clone(),
        Value::List(items) => format!("[{}]", list(items)),
        Value::Dict(pairs) => {
            let pairs: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", value(k), value(v)))
                .collect();
            format!("{{{}}}", pairs.join(", "))
        }
        Value::Call(call) => args(call),
        Value::Subscript { base, keys } => format!("{base}{keys:?}"),
        Value::Opaque(reason) => format!("?{reason}"),
    }
}

fn args(call: &CallArgs) -> String {
    let mut parts: Vec<String> = call.args.iter().map(value).collect();
    parts.extend(call.kwargs.iter().map(|(k, v)| format!("{k}={}", value(v))));
    format!("{}({})", call.callee, parts.join(", "))
}

fn place(line: u32, function: &Option<String>) -> String {
    format!("{line} {}", function.as_deref().unwrap_or("-"))
}

/// Every fact of `source`, one line each, by kind.
fn rendered(source: &str) -> Vec<String> {
    let l = lineage(source);
    let mut out = Vec::new();
    for c in &l.calls {
        let targets = if c.assigned_to.is_empty() {
            String::new()
        } else {
            format!("{} = ", c.assigned_to.join(", "))
        };
        let receiver = c
            .receiver
            .as_ref()
            .map(|r| format!(" [{r}]"))
            .unwrap_or_default();
        out.push(format!(
            "call {}: {targets}{}{receiver}",
            place(c.line, &c.function),
            args(&c.call)
        ));
    }
    for c in &l.columns {
        let rw = if c.write { "write" } else { "read" };
        out.push(format!(
            "column {}: {rw} {}[{:?}]",
            place(c.line, &c.function),
            c.frame,
            c.column
        ));
    }
    for f in &l.flows {
        out.push(format!(
            "flow {}: {:?} >> {:?}",
            f.line, f.upstream, f.downstream
        ));
    }
    for r in &l.config_reads {
        out.push(format!("config {}: {}", place(r.line, &r.function), r.key));
    }
    for d in &l.decorators {
        out.push(format!(
            "decorator {} {}: @{}",
            d.line,
            d.target,
            args(&d.decorator)
        ));
    }
    if l.main_guard {
        out.push("main guard".to_owned());
    }
    out
}

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/testdata/python/lineage/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn pandas_feature_script() {
    let want = [
        "call 8 -: open(\"params.yaml\")",
        "call 12 build: orders = pandas.read_csv(cfg.data.raw, usecols=[\"order_id\", \"price\", \"qty\"])",
        "call 16 build: subset = subset.assign(log_revenue=?lambda, tag=\"x\") [subset]",
        "call 17 build: subset.to_parquet(?f-string, index=False) [subset]",
        "call 22 spark_and_polars: lf = polars.scan_parquet.select(polars.col(\"revenue\"))",
        "call 22 spark_and_polars: polars.scan_parquet(\"data/features.parquet\")",
        "call 23 spark_and_polars: sdf = spark.read.parquet(\"data/raw\") [spark.read]",
        "call 24 spark_and_polars: sdf = sdf.withColumn(\"total\", ?expression) [sdf]",
        "call 25 spark_and_polars: sdf.write.mode.parquet(\"data/spark_out\") [sdf]",
        "column 13 build: write orders[\"revenue\"]",
        "column 13 build: read orders[\"price\"]",
        "column 13 build: read orders[\"qty\"]",
        "column 14 build: write orders[\"is_big\"]",
        "column 14 build: read orders[\"revenue\"]",
        "column 15 build: read orders[\"order_id\"]",
        "column 16 build: write subset[\"log_revenue\"]",
        "column 16 build: write subset[\"tag\"]",
        "column 16 build: read d[\"revenue\"]",
        "column 22 spark_and_polars: read [\"revenue\"]",
        "column 24 spark_and_polars: write sdf[\"total\"]",
        "column 24 spark_and_polars: read [\"price\"]",
        "column 24 spark_and_polars: read [\"qty\"]",
        "config 12 build: cfg.data.raw",
        "config 14 build: params.featurize.threshold",
        "config 17 build: cfg.data.out",
        "main guard",
    ];
    assert_eq!(rendered(&fixture("pandas_features.py")), want);
}

#[test]
fn sklearn_training_script() {
    let want = [
        "call 10 train: df = pandas.read_parquet(path)",
        "call 11 train: df.drop(columns=[\"churned\"]) [df]",
        "call 12 train: pre = sklearn.compose.ColumnTransformer([[\"num\", sklearn.preprocessing.StandardScaler(), [\"age\", \"income\"]], [\"cat\", sklearn.preprocessing.OneHotEncoder(handle_unknown=\"ignore\"), [\"country\"]]], remainder=\"drop\")",
        "call 14 train: sklearn.preprocessing.StandardScaler()",
        "call 15 train: sklearn.preprocessing.OneHotEncoder(handle_unknown=\"ignore\")",
        "call 19 train: model = sklearn.pipeline.Pipeline([[\"pre\", pre], [\"clf\", sklearn.linear_model.LogisticRegression(C=1.0, max_iter=200)]])",
        "call 19 train: sklearn.linear_model.LogisticRegression(C=1.0, max_iter=200)",
        "call 20 train: model.fit(X, y) [model]",
        "call 21 train: joblib.dump(model, \"models/model.pkl\")",
        "column 11 train: read df[\"churned\"]",
    ];
    assert_eq!(rendered(&fixture("sklearn_train.py")), want);
}

#[test]
fn kedro_pipeline() {
    let want = [
        "call 7 create_pipeline: kedro.pipeline.pipeline([kedro.pipeline.node(.nodes.clean, inputs=\"raw_orders\", outputs=\"orders\", name=\"clean\"), kedro.pipeline.node(.nodes.build_features, inputs=[\"orders\", \"params:features\"], outputs=\"order_features\"), kedro.pipeline.node(func=.nodes.train, inputs={\"X\": \"order_features\", \"cfg\": \"params:model\"}, outputs=\"model\")], namespace=\"churn\")",
        "call 9 create_pipeline: kedro.pipeline.node(.nodes.clean, inputs=\"raw_orders\", outputs=\"orders\", name=\"clean\")",
        "call 10 create_pipeline: kedro.pipeline.node(.nodes.build_features, inputs=[\"orders\", \"params:features\"], outputs=\"order_features\")",
        "call 11 create_pipeline: kedro.pipeline.node(func=.nodes.train, inputs={\"X\": \"order_features\", \"cfg\": \"params:model\"}, outputs=\"model\")",
    ];
    assert_eq!(rendered(&fixture("kedro_pipeline.py")), want);
}

#[test]
fn airflow_dag() {
    let want = [
        "call 10 -: dag = airflow.DAG(\"features\", schedule=[airflow.datasets.Dataset(\"s3://lake/orders\")], start_date=datetime.datetime(2024, 1, 1))",
        "call 10 -: airflow.datasets.Dataset(\"s3://lake/orders\")",
        "call 11 -: load = airflow.operators.python.PythonOperator(task_id=\"load\", python_callable=shop.jobs.load_orders)",
        "call 12 -: feats = airflow.operators.bash.BashOperator(task_id=\"feats\", bash_command=\"python featurize.py\", outlets=[airflow.datasets.Dataset(\"s3://lake/features\")])",
        "call 15 -: airflow.datasets.Dataset(\"s3://lake/features\")",
        "call 17 -: train = airflow.operators.bash.BashOperator(task_id=\"train\", bash_command=\"python train.py\")",
        "call 18 -: report = airflow.operators.bash.BashOperator(task_id=\"report\", bash_command=\"echo done\")",
        "flow 19: [\"load\"] >> [\"feats\"]",
        "flow 19: [\"feats\"] >> [\"train\", \"report\"]",
        "flow 20: [\"train\"] >> [\"report\"]",
    ];
    assert_eq!(rendered(&fixture("airflow_dag.py")), want);
}

#[test]
fn metaflow_flow() {
    let want = [
        "call 5 -: alpha = metaflow.Parameter(\"alpha\", default=0.5)",
        "call 10 ChurnFlow.start: self.next(self.featurize, self.validate) [self]",
        "call 14 ChurnFlow.featurize: self.next(self.join) [self]",
        "call 18 ChurnFlow.validate: self.next(self.join) [self]",
        "call 22 ChurnFlow.join: self.next(self.end) [self]",
        "decorator 7 ChurnFlow.start: @metaflow.step()",
        "decorator 12 ChurnFlow.featurize: @metaflow.step()",
        "decorator 16 ChurnFlow.validate: @metaflow.step()",
        "decorator 20 ChurnFlow.join: @metaflow.step()",
        "decorator 24 ChurnFlow.end: @metaflow.step()",
        "main guard",
    ];
    assert_eq!(rendered(&fixture("metaflow_flow.py")), want);
}

#[test]
fn feast_feature_repo() {
    let want = [
        "call 6 -: driver = feast.Entity(name=\"driver\", join_keys=[\"driver_id\"])",
        "call 8 -: driver_stats_source = feast.FileSource(path=\"data/driver_stats.parquet\", timestamp_field=\"event_ts\")",
        "call 10 -: driver_stats = feast.FeatureView(name=\"driver_stats\", entities=[driver], ttl=datetime.timedelta(days=1), schema=[feast.Field(name=\"trips_today\", dtype=feast.types.Int64), feast.Field(name=\"rating\", dtype=feast.types.Float32)], source=driver_stats_source)",
        "call 14 -: feast.Field(name=\"trips_today\", dtype=feast.types.Int64)",
        "call 14 -: feast.Field(name=\"rating\", dtype=feast.types.Float32)",
        "call 18 -: ranking_v2 = feast.FeatureService(name=\"ranking_v2\", features=[driver_stats[\"trips_today\"]])",
        "column 18 -: read driver_stats[\"trips_today\"]",
    ];
    assert_eq!(rendered(&fixture("feast_repo.py")), want);
}

#[test]
fn hydra_lightning_train() {
    let want = [
        "call 11 LitModel.__init__: self.save_hyperparameters(ignore=[\"net\"]) [self]",
        "call 20 main: net = hydra.utils.instantiate(cfg.model.net)",
        "call 21 main: datamodule = hydra.utils.instantiate(cfg.data)",
        "call 23 main: trainer = lightning.Trainer(max_epochs=cfg.trainer.get(\"max_epochs\", 10), **=cfg.trainer.extra)",
        "call 24 main: trainer.fit(model, datamodule=datamodule) [trainer]",
        "call 25 main: torch.save(model.state_dict(), cfg.paths.checkpoint)",
        "config 15 LitModel.configure_optimizers: self.hparams.lr",
        "config 20 main: cfg.model.net",
        "config 21 main: cfg.data",
        "config 22 main: cfg.optim.lr",
        "config 23 main: cfg.trainer.max_epochs",
        "config 23 main: cfg.trainer.extra",
        "config 25 main: cfg.paths.checkpoint",
        "decorator 18 main: @hydra.main(config_path=\"conf\", config_name=\"train\", version_base=None)",
        "main guard",
    ];
    assert_eq!(rendered(&fixture("hydra_lightning_train.py")), want);
}

/// The structure behind one rendered line.
#[test]
fn call_fact_structure() {
    let l =
        lineage("import pandas as pd\ndef f(cfg):\n    self.df = pd.read_csv(cfg.path, sep=';')\n");
    let want = CallFact {
        call: CallArgs {
            callee: "pandas.read_csv".to_owned(),
            args: vec![Value::Name("cfg.path".to_owned())],
            kwargs: vec![("sep".to_owned(), Value::Str(";".to_owned()))],
        },
        receiver: None,
        assigned_to: vec!["self.df".to_owned()],
        function: Some("f".to_owned()),
        line: 3,
        cell: None,
    };
    assert_eq!(l.calls, [want]);
}

#[test]
fn aliases_resolve_file_wide() {
    let source = "\
def early():
    return np.load('a.npy')
from ..nodes import clean as c
import torch.nn as nn, os.path
def late():
    import numpy as np
    from . import io
    x, y = c(1), nn.Linear(2, 3)
    os.path.join('a', 'b').join('c')
    return io.read_table(p), torch.load('m.pt')
";
    let want = [
        "call 2 early: numpy.load(\"a.npy\")",
        "call 9 late: os.path.join.join(\"c\")",
        // Not imported: a method on a value named `torch`.
        "call 10 late: torch.load(\"m.pt\") [torch]",
    ];
    assert_eq!(rendered(source), want);
}

#[test]
fn values_are_bounded() {
    let items = vec!["'x'"; 100].join(", ");
    let deep = "[[[[[['x']]]]]]";
    let source = format!("import joblib\njoblib.dump([{items}], {deep}, f'{{a}}', *xs, **kw)\n");
    let l = lineage(&source);
    let call = &l.calls.first().expect("one call").call;
    let Some(Value::List(first)) = call.args.first() else {
        panic!("a list first: {call:?}");
    };
    assert_eq!(first.len(), 64);
    let mut v = call.args.get(1).expect("second argument");
    let mut depth = 0;
    while let Value::List(inner) = v {
        v = inner.first().expect("one item");
        depth += 1;
    }
    assert_eq!((depth, v), (4, &Value::Opaque("depth".to_owned())));
    assert_eq!(
        call.args.get(2..),
        Some(
            &[
                Value::Opaque("f-string".to_owned()),
                Value::Opaque("splat".to_owned())
            ][..]
        )
    );
    assert_eq!(
        call.kwargs,
        [("**".to_owned(), Value::Name("kw".to_owned()))]
    );
}

#[test]
fn hostile_shapes_stay_small() {
    let chain = format!("cfg{}\n", ".a".repeat(5000));
    let shifts = format!("{}\n", vec!["t"; 5000].join(" >> "));
    let nested = format!(
        "import joblib\njoblib.dump({}1{})\n",
        "(".repeat(3000),
        ")".repeat(3000)
    );
    for source in [chain, shifts, nested] {
        let l = lineage(&source);
        assert!(
            l.flows.len() <= 256 && l.config_reads.len() <= 1,
            "{}",
            source.len()
        );
    }
    let many = "import pandas as pd\ndf = pd.read_csv(p)\n".to_owned()
        + &"df['x'] = 1\n".repeat(3)
        + &"a >> b\n".repeat(10_050);
    let facts = ModuleAnalyzer::new(AnalysisOptions::default())
        .expect("loads")
        .analyze(&many);
    assert_eq!(facts.lineage.flows.len(), 10_000);
    assert_eq!(facts.lineage.columns.len(), 1);
    assert_eq!(facts.problems.len(), 1);
}

#[test]
fn config_keys_and_frames() {
    let source = "\
def f(args, df, opts):
    a = args.lr * params['train'].get('epochs') + args.lr
    opts.model.items()
    cfg.x = 1
    d = {'k': 1}
    d['k'], df['y'] = 2, 3
    df.loc['row']
    return self.config.model.name, self.cfg['a'][0], self['x']
";
    let want = [
        "column 6 f: write df[\"y\"]",
        "config 2 f: args.lr",
        "config 2 f: params.train.epochs",
        "config 3 f: opts.model",
        "config 8 f: self.config.model.name",
        "config 8 f: self.cfg.a",
    ];
    assert_eq!(rendered(source), want);
}

#[test]
fn repeated_columns_are_kept_where_a_statement_derives_from_them() {
    let source = "\
def f(df):
    df[\"revenue\"] = df[\"price\"] * df[\"qty\"]
    df[\"rolling_qty\"] = df[\"qty\"].rolling(3).mean()
    df[\"price\"] = df[\"price\"] + df[\"price\"]
    df[\"price\"] = 0.0
    df = df[df[\"qty\"] > 0]
    return df[\"revenue\"]
";
    let want = [
        "column 2 f: write df[\"revenue\"]",
        "column 2 f: read df[\"price\"]",
        "column 2 f: read df[\"qty\"]",
        "column 3 f: write df[\"rolling_qty\"]",
        "column 3 f: read df[\"qty\"]",
        "column 4 f: write df[\"price\"]",
        "column 4 f: read df[\"price\"]",
        "column 7 f: read df[\"revenue\"]",
    ];
    assert_eq!(rendered(source), want);
}

/// `(frame, column, write)` of every column fact.
fn columns(source: &str) -> Vec<(String, String, bool)> {
    lineage(source)
        .columns
        .into_iter()
        .map(|c| (c.frame, c.column, c.write))
        .collect()
}

#[test]
fn frames_need_evidence() {
    let col = |f: &str, c: &str, w: bool| (f.to_owned(), c.to_owned(), w);
    // A dict-like local with string keys is not a frame.
    assert_eq!(
        columns("def f(p):\n    r = load(p)\n    r[\"a\"] = r[\"b\"]\n"),
        vec![]
    );
    // A parameter named `df` is.
    assert_eq!(
        columns("def f(df):\n    return df[\"a\"]\n"),
        vec![col("df", "a", false)]
    );
    // A name assigned from `pd.read_parquet` is, and one from its `merge`.
    let source = "import pandas as pd\nt = pd.read_parquet(p)\nm = t.merge(o)\nm[\"z\"] = 1\n";
    assert_eq!(columns(source), vec![col("m", "z", true)]);
    // A parameter annotated with a frame type is.
    let source = "import polars as pl\ndef f(t: pl.DataFrame):\n    return t[\"a\"]\n";
    assert_eq!(columns(source), vec![col("t", "a", false)]);
    // Dunder and punctuation-only keys are not columns.
    let source = "def f(df, x):\n    result = df.copy()\n    result[\"__default__\"] = x\n    result[\"()\"] = x\n";
    assert_eq!(columns(source), vec![]);
}

#[test]
fn calls_into_frameworks_are_counted_by_package() {
    let source = "\
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from .utils import helper
import os


def split(df):
    x = pd.read_csv(os.path.join('a', 'b')).head()
    helper(x)
    print(np.asarray(x).sum())  # a chain on a framework call counts too
    return train_test_split(x, test_size=0.2)
";
    let metrics = ModuleAnalyzer::new(AnalysisOptions::default())
        .expect("tree-sitter-python loads")
        .analyze(source)
        .metrics;
    assert_eq!(metrics.calls, 8);
    let frameworks: Vec<(&str, u32)> = metrics
        .framework_calls
        .iter()
        .map(|(name, n)| (name.as_str(), *n))
        .collect();
    assert_eq!(frameworks, [("numpy", 2), ("pandas", 2), ("sklearn", 1)]);
}
