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
//!   Templated paths (`${item}`, `{name}`), f-strings, variables and
//!   expressions are opaque (a variable read from a config key is linked
//!   to that key). An artifact is a `dataset` when the repo writes it (or
//!   a folder holding it, or a file inside it), else a `data_source`.
//! - **Modules**: a file's module name is its path without `.py`,
//!   `/__init__` and a leading `src/`, slashes as dots. Names in calls,
//!   Hydra targets and `python -m` resolve against these (relative names
//!   from the file's package).
//! - **Config keys**: a code read drops its root (`cfg.train.lr`,
//!   `params["train"]["lr"]` → `train.lr`; `self.hparams.lr` → `lr`). It
//!   matches a key when equal or when one is a dotted prefix of the other:
//!   first the keys stages declare (DVC `params`, MLproject parameters),
//!   else the keys of params, Kedro parameters and Hydra files (a Hydra
//!   group file's keys are prefixed by its group), the node being the
//!   shorter key. Whole-file DVC params are not matched.
//! - **DVC** stages `stage:dvc.yaml#NAME`: `cmd` runs the scripts it
//!   names (`python a.py`, `python -m pkg.mod`: the module node, which runs
//!   every function of that file in the graph; not in the repo: opaque);
//!   `deps` are read except files and folders of the scan (code and
//!   configs, covered by `cmd` and `params`); `outs`, `metrics` and
//!   `plots` are written; `params` configure. Any two stages (of any
//!   framework) are `depends_on` when one writes what the other reads
//!   (same path or inside its folder, as `dvc dag`).
//! - **MLproject** entry points are stages like DVC's; parameters are
//!   `config:MLproject#NAME`.
//! - **Kedro**: catalog entries are artifacts named by the catalog name,
//!   keyed by path (`kedro:NAME` without one or outside the catalog);
//!   `node(func, inputs, outputs, name=)` is `stage:PIPELINE.py#NAME` that
//!   runs `func`, reads inputs, writes outputs; `params:KEY` inputs
//!   configure it; `pipeline([...])` collects its nodes.
//! - **Hydra**: a `_target_` links its key's config node to the repo class
//!   or function (a model when its class is one), else to an external
//!   `transform:`/`model:` node by dotted name; `defaults` link option
//!   files → their group → the primary config; `instantiate(cfg.KEY)`
//!   stands for the targets at KEY, whose configs configure the caller.
//! - **Models**: classes whose base's last name is `Module`,
//!   `LightningModule`, `Model`, `BaseEstimator`, … when the file imports
//!   the framework, and their repo subclasses; estimator constructions
//!   bound to a name; `m.fit(X, y)`: what X and y refer to `trains_on` m,
//!   and the fitting function `writes` m (`trainer.fit(model, data)`: the
//!   first argument is the model). A model saved by a writer `writes` the
//!   artifact.
//! - **Features**: columns (`df["x"]`, `df[["a", "b"]]`, `assign`,
//!   `with_columns`, `withColumn`); a written column derives from the
//!   columns read in the same statement (function and line), else from
//!   the artifacts of its frame; `ColumnTransformer` column lists are read
//!   by it (or by the Pipeline step holding it). Feast: an `Entity`'s join
//!   keys, `FeatureView` `feature:NAME` derived from entities and source
//!   with one `feature:NAME:FIELD` per schema field, `FeatureService`
//!   derived from the views and fields it lists, `get_*_features` reads.
//! - **Stages** in code: Airflow operators (a literal `task_id`) with
//!   `python_callable`, `bash_command`, `inlets`/`outlets`, and `>>`,
//!   `chain`, `set_downstream`; `@task`, Metaflow and ZenML `@step`
//!   functions (`stage:PATH#Flow.step`, running the method) and
//!   `self.next(self.b)`; sklearn Pipeline steps.
//! - **Opaque**: unresolvable paths, SQL that is not a simple
//!   `FROM`/`JOIN` list, `instantiate` without a known target, scripts not
//!   in the repo, and every `getattr`, dynamic import, `eval`, `exec` and
//!   registry decorator.
//!
//! Names are bound to nodes per function (flow-insensitive) and module;
//! the code pass runs until the bindings stop changing (at most
//! [`MAX_ROUNDS`]), then once more to build the graph.

mod apis;
mod build;
mod code;
mod configs;
mod index;
mod paths;

use serde::Serialize;

use crate::report::FileReport;
use build::{At, Builder};
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
    let mut bound = code::Bindings::default();
    for _ in 0..MAX_ROUNDS {
        let next = code::link(&index, &configs, &bound, &mut Builder::default());
        if next == bound {
            break;
        }
        bound = next;
    }
    code::link(&index, &configs, &bound, &mut graph);
    graph.finish()
}

/// The detail of a function's transform node.
const FUNCTION: &str = "function";

/// The node of a repo function or class.
fn symbol_node(b: &mut Builder, symbol: &Symbol) -> String {
    let (kind, detail) = match symbol.kind {
        SymbolKind::Model => (NodeKind::Model, "class"),
        SymbolKind::Class => (NodeKind::Transform, "class"),
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
    b.node(id, kind, dotted, at, Some("external".to_string()))
}
