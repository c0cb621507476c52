//! The lineage linker: one graph of data sources, datasets, features,
//! transforms, models, stages and configs, linked across the files of a
//! scan from their facts. Nothing is executed.
//!
//! ## Direction
//!
//! Edges follow the data, so "upstream of X" is everything X depends on:
//! artifact → reader (`reads`), writer → artifact (`writes`), input
//! column or feature → derived feature (`derives`), data or feature →
//! model (`trains_on`), config → consumer (`configures`), stage → the code
//! it runs (`runs`), upstream stage → downstream stage (`depends_on`).
//!
//! ## Ids
//!
//! `KIND:WHAT`, readable and stable: `dataset:data/features.parquet`,
//! `data_source:table:orders`, `stage:dvc.yaml#train`,
//! `transform:src/shop/features/build.py#add_features` (a function),
//! `transform:src/train.py` (a module run as a script),
//! `model:src/shop/models/net.py#DemandNet` (a class),
//! `model:src/train.py#main.pipe` (a value bound in `main`),
//! `feature:revenue`, `feature:driver_stats:trips` (a Feast field),
//! `config:params.yaml#train.lr`, `config:conf/model` (a Hydra group),
//! `opaque:src/x.py:12` (`opaque:nb.ipynb:cell3:12` in notebooks).
//!
//! ## Rules
//!
//! - **Paths**: literal paths in code are relative to the repo root (where
//!   DVC, MLflow and most runners start scripts); paths in `dvc.yaml` and
//!   `MLproject` to their folder; Kedro catalog paths to the project root
//!   (the folder holding `conf/`); `@hydra.main` paths to the script.
//!   `./` and `x/..` are folded; URLs and absolute paths are kept.
//!   A name bound to an artifact stands for it (`f` of `with open(p) as
//!   f`). Templated paths (`${item}`, `{name}`), f-strings, other names
//!   and expressions are opaque (a path read from a config key is linked
//!   to that key). A scanned config file read by code (`open("params.yaml")`)
//!   `configures` the reader instead. An artifact is a `dataset` when the
//!   repo writes it (or a folder holding it, or a file inside it), else a
//!   `data_source`. Simple SQL (`FROM`/`JOIN` names, no subquery) reads
//!   `table:NAME` artifacts.
//! - **Code**: a fact belongs to its function's transform
//!   (`transform:PATH#QUALNAME`, made only when linked) or, at module
//!   level, to the module's (`transform:PATH`). A file's module name is
//!   its path without `.py`, `/__init__` and a leading `src/`, slashes as
//!   dots; names in calls, Hydra targets and `python -m` resolve against
//!   these (relative names from the file's package), then against names
//!   bound in the file: a call's result is bound to its targets (`df` →
//!   the artifact read, `pipe` → a model), per function, flow-insensitive;
//!   `self.x` in a method also finds `self.x` bound in any method of the
//!   class and a class attribute `x`. Calls no table knows pass on what
//!   their receiver and arguments stand for (`train_test_split(X, y)`).
//!   Calls into repo functions are not facts: arguments do not flow into
//!   parameters.
//! - **Config keys**: a code read drops its root (`cfg.train.lr`,
//!   `params["train"]["lr"]` → `train.lr`; `self.hparams.lr` → `lr`, or
//!   `KEY.lr` in a class that a Hydra `_target_` at KEY names). It matches
//!   a key when equal or when one is a dotted prefix of the other: first
//!   the keys stages declare (DVC `params`, MLproject parameters), else the
//!   keys of params, Kedro parameters and Hydra files (a Hydra group
//!   file's keys are prefixed by its group), the node being the shorter
//!   key, relative to its file. Whole-file DVC params are not matched.
//! - **Feature lists**: in params, Kedro parameters, Hydra and generic
//!   config files, a list of strings whose key's last segment names
//!   features or columns (contains `feature` or `column`, or has the word
//!   `cols`: `features`, `feature_columns`, `cat_cols`) is a config node
//!   `config:FILE#KEY` (key relative to its file, `[]` dropped) that
//!   `configures` one `feature:NAME` per string; code reads of the key
//!   link as above.
//! - **DVC** stages `stage:dvc.yaml#NAME`: `cmd` runs the scripts it
//!   names (`python a.py`, `python -m pkg.mod`: the module node, which runs
//!   every function of that file in the graph; not in the repo: opaque);
//!   `deps` are read except files and folders of the scan (code and
//!   configs, covered by `cmd` and `params`); `outs`, `metrics` and
//!   `plots` are written; `params` configure. Any two stages (of any
//!   framework) are `depends_on` when one writes what the other reads
//!   (same path or inside its folder, as `dvc dag`). `dvc.lock` is not
//!   read (it repeats `dvc.yaml`).
//! - **MLproject** entry points are stages like DVC's; parameters are
//!   `config:MLproject#NAME`.
//! - **Kedro**: catalog entries are artifacts named by the catalog name,
//!   keyed by path (`kedro:NAME` without one or outside the catalog);
//!   `node(func, inputs, outputs, name=)` is `stage:PIPELINE.py#NAME` (the
//!   function's name without `name=`) that runs `func`, reads its inputs,
//!   writes its outputs; `params:KEY` inputs configure it;
//!   `pipeline([...])` collects its nodes.
//! - **Hydra**: a `_target_` links its key's config node (the file for a
//!   root target) to the repo class or function (a model when the class
//!   is one), else to an external `transform:`/`model:` node by dotted
//!   name; `defaults` link option files → their group → the primary
//!   config; `instantiate(cfg.KEY)` stands for the targets at KEY, whose
//!   configs configure the caller; `@hydra.main` links the config file.
//! - **Models**: every class whose base's last name is `Module`,
//!   `LightningModule`, `Model`, `BaseEstimator`, … when the file imports
//!   the framework, and their repo subclasses; estimators bound to a name
//!   (`model:PATH#FN.VAR`, `model:PATH#CLASS.ATTR` for `self.ATTR`), with
//!   the configs passed to them by name; `m.fit(X, y)`: what X and y
//!   stand for `trains_on` m and the fitting function `writes` m
//!   (`trainer.fit(model, data)`: the first argument is the model when
//!   the receiver is none). A model saved by a writer `writes` the file.
//! - **sklearn**: a `Pipeline` bound to a name is a model with one stage
//!   per step (`stage:PATH#FN.VAR/STEP`, chained by `depends_on`; a step
//!   runs the transform or model its estimator names, the last step runs
//!   the pipeline); a `ColumnTransformer` is a transform (or, inline, its
//!   step) that reads its column lists (opaque when not literal:
//!   `make_column_selector`, a name, a slice).
//! - **Features**: columns by statement (function and line) are
//!   `feature:NAME`; a written column derives from the columns read in the
//!   same statement, else from its frame's artifacts, and its function
//!   `writes` it; a read column derives from its frame's artifacts unless
//!   the file writes that column, and from the Feast fields of its name
//!   the function fetched. Feast: an `Entity`'s join keys, `FeatureView`
//!   `feature:NAME` derived from its entities and source with one
//!   `feature:NAME:FIELD` per schema field, `FeatureService` derived from
//!   what it lists, `get_*_features` read by the caller.
//! - **Stages in code**: Airflow operators (any call with a literal
//!   `task_id`: `stage:PATH#TASK`) run their `python_callable` (opaque
//!   when unresolved) and the scripts of `bash_command`, read `inlets`,
//!   write `outlets`; `>>`, `chain`, `set_downstream`/`set_upstream`
//!   order them. `@task` and Metaflow/ZenML `@step` functions are stages
//!   running their function (`stage:PATH#Flow.step`), ordered by
//!   `self.next(self.b)`; a Metaflow `Parameter` is `config:PATH#NAME`.
//! - **Opaque**: besides unresolvable paths, SQL that is not simple,
//!   `instantiate` without a known target and scripts not in the repo,
//!   every `getattr`, dynamic import, `eval`, `exec` and registry
//!   decorator of the scan is an opaque node at its line.
//!
//! Names are bound over rounds until the bindings stop changing (at most
//! `MAX_ROUNDS`); the round that changed nothing is the code's graph.

mod apis;
mod build;
mod code;
mod configs;
mod index;
mod paths;

use serde::Serialize;

use crate::report::FileReport;
use build::{At, Builder};
pub use code::strip_root;
pub use configs::{ParamFile, param_files};
pub use index::qualify;
use index::{Index, Symbol, SymbolKind};

/// Bound on the rounds of name binding (a chain of assignments longer
/// than this is cut).
const MAX_ROUNDS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// An artifact read but never written inside the repo.
    DataSource,
    /// An artifact written by the repo's code or stages.
    Dataset,
    Feature,
    Transform,
    Model,
    Stage,
    Config,
    /// Something a static reader cannot resolve; `detail` says why.
    Opaque,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::DataSource => "data_source",
            NodeKind::Dataset => "dataset",
            NodeKind::Feature => "feature",
            NodeKind::Transform => "transform",
            NodeKind::Model => "model",
            NodeKind::Stage => "stage",
            NodeKind::Config => "config",
            NodeKind::Opaque => "opaque",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    Reads,
    Writes,
    Derives,
    TrainsOn,
    Configures,
    Runs,
    DependsOn,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Reads => "reads",
            EdgeKind::Writes => "writes",
            EdgeKind::Derives => "derives",
            EdgeKind::TrainsOn => "trains_on",
            EdgeKind::Configures => "configures",
            EdgeKind::Runs => "runs",
            EdgeKind::DependsOn => "depends_on",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineageNode {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    /// The file it was found in (relative POSIX path).
    pub path: String,
    /// 1-based line; 0 when unknown (a config key seen only in a key list).
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// The reason of an opaque node, the API or dataset type, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl LineageNode {
    /// A stage of a declared pipeline (DVC, MLflow, Kedro, Airflow,
    /// Metaflow, ZenML), not a step of an sklearn `Pipeline`
    /// (`stage:PATH#FN.VAR/STEP`).
    pub fn is_pipeline_stage(&self) -> bool {
        self.kind == NodeKind::Stage
            && !self
                .id
                .split_once('#')
                .is_some_and(|(_, name)| name.contains('/'))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineageEdge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// Where the link is written (the first place, by path and line).
    pub path: String,
    pub line: u32,
}

/// Nodes sorted by id, edges by (from, to, kind); both deduplicated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LineageGraph {
    pub nodes: Vec<LineageNode>,
    pub edges: Vec<LineageEdge>,
}

/// Links the facts of a scan into the lineage graph. Deterministic: the
/// result depends only on the files' paths and facts, not their order.
pub fn link(files: &[FileReport]) -> LineageGraph {
    let index = Index::new(files);
    let mut graph = Builder::default();
    for model in index.models() {
        symbol_node(&mut graph, model);
    }
    let configs = configs::Configs::link(&index, &mut graph);
    let code = code::CodeFiles::new(&index);
    let mut bound = code::Bindings::default();
    let mut settled = None;
    for _ in 0..MAX_ROUNDS {
        let mut round = Builder::default();
        let next = code::link(&index, &code, &configs, &bound, &mut round);
        if next == bound {
            // The round with the final bindings built the code's part.
            settled = Some(round);
            break;
        }
        bound = next;
    }
    match settled {
        Some(round) => graph.absorb(round),
        None => {
            code::link(&index, &code, &configs, &bound, &mut graph);
        }
    }
    configs::feature_lists(&index, &mut graph);
    graph.finish()
}

/// The detail of a function's transform node.
const FUNCTION: &str = "function";
/// The detail of a repo class's node.
const CLASS: &str = "class";
/// The detail of a node for a class or function outside the repo.
const EXTERNAL: &str = "external";

/// The class a model node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelClass<'a> {
    /// A class of the repository: the node's `name` in the node's `path`.
    Repo,
    /// A class outside the repository, by dotted name as resolved through
    /// the file's imports (`sklearn.ensemble.RandomForestClassifier`).
    External(&'a str),
}

/// Why a node is opaque.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opacity {
    /// Dynamic indirection: `getattr`, a dynamic import, `eval`, `exec`,
    /// a registry decorator.
    Dynamic,
    /// A path read from a config key (linked to the key).
    ConfigPath,
    /// A reader or writer called without a path: mostly not data access
    /// at all (`obj.to_json()` returns a string, `config.save()`).
    NoPath,
    /// Anything else: a path, table, target or script no static reader
    /// resolves.
    Unresolved,
}

impl LineageNode {
    /// The class of a model node; `None` for other kinds.
    pub fn model_class(&self) -> Option<ModelClass<'_>> {
        if self.kind != NodeKind::Model {
            return None;
        }
        match self.detail.as_deref() {
            Some(CLASS) => Some(ModelClass::Repo),
            Some(EXTERNAL) => Some(ModelClass::External(class_of(&self.name))),
            // An estimator bound to a name records what it calls.
            Some(callee) => Some(ModelClass::External(class_of(callee))),
            None => None,
        }
    }

    /// Why an opaque node is opaque; `None` for other kinds.
    pub fn opacity(&self) -> Option<Opacity> {
        if self.kind != NodeKind::Opaque {
            return None;
        }
        let reason = self.detail.as_deref().unwrap_or_default();
        Some(if code::is_dynamic_reason(reason) {
            Opacity::Dynamic
        } else if reason.starts_with(code::CONFIG_PATH) {
            Opacity::ConfigPath
        } else if reason == code::NO_PATH {
            Opacity::NoPath
        } else {
            Opacity::Unresolved
        })
    }
}

/// The class of a dotted callee: up to its last capitalised name
/// (`transformers.AutoModel.from_pretrained` → `transformers.AutoModel`);
/// the callee itself when no name is capitalised (`make_pipeline`).
fn class_of(callee: &str) -> &str {
    let (mut start, mut end) = (0, None);
    for segment in callee.split('.') {
        if segment.starts_with(|c: char| c.is_ascii_uppercase()) {
            end = Some(start + segment.len());
        }
        start += segment.len() + 1;
    }
    end.map_or(callee, |end| &callee[..end])
}

/// The frameworks (top-level packages) of a model base by its last name
/// (`Module` → `torch`, `flax`); `None` when the name makes no model.
/// A class with such a base is a model when its file imports one of them.
pub fn model_base_packages(name: &str) -> Option<&'static [&'static str]> {
    index::model_base_packages(name)
}

/// The node of a repo function or class.
fn symbol_node(b: &mut Builder, symbol: &Symbol) -> String {
    let (kind, detail) = match symbol.kind {
        SymbolKind::Model => (NodeKind::Model, CLASS),
        SymbolKind::Class => (NodeKind::Transform, CLASS),
        SymbolKind::Function => (NodeKind::Transform, FUNCTION),
    };
    let id = format!("{}:{}#{}", kind.as_str(), symbol.path, symbol.name);
    let at = At::new(symbol.path, symbol.line, symbol.cell);
    b.node(id, kind, symbol.name, at, Some(detail.to_string()))
}

/// The node of a module run as a script: `transform:PATH`.
fn module_node(b: &mut Builder, path: &str) -> String {
    let name = index::module_name(path).unwrap_or_else(|| path.to_string());
    let at = At::new(path, 1, None);
    b.node(
        format!("transform:{path}"),
        NodeKind::Transform,
        &name,
        at,
        Some("module".to_string()),
    )
}

/// A class or function outside the repo named by a dotted path: a model
/// when it is a known estimator, else a transform.
fn external_node(b: &mut Builder, dotted: &str, at: At) -> String {
    let kind = match apis::classify(dotted, None) {
        Some(apis::Api::Estimator | apis::Api::Pipeline { .. }) => NodeKind::Model,
        _ => NodeKind::Transform,
    };
    let id = format!("{}:{dotted}", kind.as_str());
    b.node(id, kind, dotted, at, Some(EXTERNAL.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{
        CallArgs, CallFact, ColumnFact, ConfigFacts, ConfigKind, ConfigStage, ConfigTarget,
        DecoratorFact, FileFacts, FlowFact, Language, Value,
    };
    use crate::role::Role;
    use crate::summary::FileTotals;

    fn report(path: &str, facts: FileFacts) -> FileReport {
        FileReport {
            path: path.to_string(),
            role: Role::Other,
            role_reason: String::new(),
            component: String::new(),
            bytes: 0,
            totals: FileTotals::of(&[]),
            facts,
        }
    }

    fn call(callee: &str, receiver: Option<&str>, args: Vec<Value>) -> CallFact {
        let kwargs = vec![("task_id".to_string(), Value::Const("1".to_string()))];
        CallFact {
            call: CallArgs {
                callee: callee.to_string(),
                args,
                kwargs,
            },
            receiver: receiver.map(str::to_string),
            assigned_to: vec![String::new(), "x".to_string()],
            function: Some(".".to_string()),
            line: 0,
            cell: Some(0),
        }
    }

    fn config(kind: ConfigKind, stages: Vec<ConfigStage>, defaults: &[&str]) -> FileFacts {
        let mut facts = FileFacts::empty(Language::Yaml);
        facts.config = Some(ConfigFacts {
            kind,
            documents: 1,
            keys: 0,
            depth: 0,
            params: vec![String::new(), "[]".to_string(), ".".to_string()],
            stages,
            datasets: Vec::new(),
            targets: vec![ConfigTarget {
                key: String::new(),
                target: ".".to_string(),
                line: 0,
            }],
            defaults: defaults.iter().map(|d| d.to_string()).collect(),
            lists: Vec::new(),
            values: Vec::new(),
            package: None,
        });
        facts
    }

    #[test]
    fn model_classes_drop_factory_methods() {
        assert_eq!(
            class_of("transformers.AutoModel.from_pretrained"),
            "transformers.AutoModel"
        );
        assert_eq!(class_of("xgboost.XGBClassifier"), "xgboost.XGBClassifier");
        assert_eq!(
            class_of("sklearn.pipeline.make_pipeline"),
            "sklearn.pipeline.make_pipeline"
        );
    }

    #[test]
    fn opaque_reasons_are_told_apart() {
        let node = |detail: &str| LineageNode {
            id: "opaque:a.py:1".to_string(),
            kind: NodeKind::Opaque,
            name: "a.py:1".to_string(),
            path: "a.py".to_string(),
            line: 1,
            cell: None,
            detail: Some(detail.to_string()),
        };
        let opacity = |detail: &str| node(detail).opacity();
        assert_eq!(
            opacity("getattr dispatch: getattr(m, n)"),
            Some(Opacity::Dynamic)
        );
        assert_eq!(opacity("registry: register_model"), Some(Opacity::Dynamic));
        assert_eq!(
            opacity("path from config `data.path`"),
            Some(Opacity::ConfigPath)
        );
        assert_eq!(opacity("no path argument"), Some(Opacity::NoPath));
        assert_eq!(opacity("path from f-string"), Some(Opacity::Unresolved));
        assert_eq!(
            opacity("templated path `a/${x}`"),
            Some(Opacity::Unresolved)
        );
    }

    /// Empty, dotted and templated names everywhere: no panic, and every
    /// edge joins two nodes.
    #[test]
    fn odd_facts_link_without_panic() {
        let paths = ["", "..", "/", "${a}", "{b}", "s3://", "./", "a/../../b"];
        let values: Vec<Value> = paths
            .iter()
            .map(|p| Value::Str(p.to_string()))
            .chain([
                Value::Subscript {
                    base: String::new(),
                    keys: vec![String::new()],
                },
                Value::List(vec![Value::List(vec![Value::Name("self.".into())])]),
                Value::Call(Box::new(CallArgs {
                    callee: String::new(),
                    args: Vec::new(),
                    kwargs: Vec::new(),
                })),
            ])
            .collect();
        let callees = [
            "",
            ".",
            "pandas.read_csv",
            "pandas.read_sql",
            "joblib.dump",
            "open",
            "sklearn.pipeline.Pipeline",
            "sklearn.compose.make_column_transformer",
            "kedro.pipeline.node",
            "kedro.pipeline.pipeline",
            "airflow.chain",
            "feast.FeatureView",
            "feast.Entity",
            "feast.FeatureService",
            "feast.FileSource",
            "hydra.utils.instantiate",
            "metaflow.Parameter",
            "self.next",
            "x.fit",
            "x.assign",
            "x.withColumn",
            "spark.sql",
            "x.write.saveAsTable",
            "x.set_upstream",
        ];
        let mut code = FileFacts::empty(Language::Python);
        for callee in callees {
            for receiver in [None, Some(""), Some("self")] {
                code.lineage
                    .calls
                    .push(call(callee, receiver, values.clone()));
            }
        }
        code.lineage.columns.push(ColumnFact {
            frame: String::new(),
            column: String::new(),
            write: true,
            function: None,
            line: 0,
            cell: None,
        });
        code.lineage.flows.push(FlowFact {
            upstream: vec![String::new()],
            downstream: vec!["x".to_string()],
            line: 0,
            cell: None,
        });
        for callee in ["hydra.main", "metaflow.step", "airflow.task"] {
            code.lineage.decorators.push(DecoratorFact {
                target: String::new(),
                decorator: CallArgs {
                    callee: callee.to_string(),
                    args: Vec::new(),
                    kwargs: vec![
                        ("config_path".to_string(), Value::Str("../..".to_string())),
                        ("config_name".to_string(), Value::Str(String::new())),
                    ],
                },
                line: 0,
                cell: None,
            });
        }
        let stage = ConfigStage {
            name: String::new(),
            line: 0,
            cmd: "python && python -m && x.py ; |".to_string(),
            deps: paths.iter().map(|p| p.to_string()).collect(),
            outs: paths.iter().map(|p| p.to_string()).collect(),
            params: vec![":".to_string(), "a.yaml".to_string(), "a.yaml:".to_string()],
        };
        let files = vec![
            report("", code.clone()),
            report("__init__.py", code.clone()),
            report("conf/.py", code),
            report(
                "dvc.yaml",
                config(ConfigKind::DvcPipeline, vec![stage.clone()], &[]),
            ),
            report(
                "MLproject",
                config(ConfigKind::MlflowProject, vec![stage], &[]),
            ),
            report(
                "conf/c.yaml",
                config(
                    ConfigKind::Hydra,
                    Vec::new(),
                    &["", ":", "override :", "g: []", "_self_"],
                ),
            ),
            report(
                "conf/conf/catalog.yml",
                config(ConfigKind::KedroCatalog, Vec::new(), &[]),
            ),
        ];
        let graph = link(&files);
        let ids: std::collections::BTreeSet<&str> =
            graph.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids.len(), graph.nodes.len());
        for edge in &graph.edges {
            assert!(ids.contains(edge.from.as_str()), "{edge:?}");
            assert!(ids.contains(edge.to.as_str()), "{edge:?}");
        }
        assert!(graph.nodes.iter().any(|n| n.kind == NodeKind::Opaque));
    }
}
