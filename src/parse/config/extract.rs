//! Kind recognition and the lineage facts of each kind: DVC and MLflow
//! stages, Kedro datasets, Hydra defaults and `_target_`s, pyproject
//! dependency names.

use std::collections::BTreeSet;

use super::tree::{Entry, Node};
use crate::facts::{
    ConfigDataset, ConfigFacts, ConfigKind, ConfigList, ConfigStage, ConfigTarget, ConfigValue,
};

/// The kind a file name alone implies (lower-cased base name).
///
/// `params*` names (`params.yaml`, `params_train.json`) are DVC-style
/// parameter files in any of the three formats; Kedro names
/// (`catalog*.yml`, `parameters*.yml`) and Feast's `feature_store.yaml` must
/// be YAML.
pub fn kind_from_name(file_name: &str) -> Option<ConfigKind> {
    let name = file_name.to_ascii_lowercase();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
    let yaml = matches!(ext, "yaml" | "yml");
    let kind = match name.as_str() {
        "dvc.yaml" | "dvc.yml" => ConfigKind::DvcPipeline,
        "dvc.lock" => ConfigKind::DvcLock,
        "mlproject" => ConfigKind::MlflowProject,
        "pyproject.toml" => ConfigKind::Pyproject,
        "feature_store.yaml" | "feature_store.yml" => ConfigKind::FeastFeatureStore,
        _ if yaml && stem.starts_with("catalog") => ConfigKind::KedroCatalog,
        _ if yaml && stem.starts_with("parameters") => ConfigKind::KedroParameters,
        _ if matches!(ext, "yaml" | "yml" | "json" | "toml") && is_params_stem(stem) => {
            ConfigKind::Params
        }
        _ => return None,
    };
    Some(kind)
}

/// `params`, `params_train`, `params-dev`, `params.prod`.
fn is_params_stem(stem: &str) -> bool {
    stem.strip_prefix("params")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['_', '-', '.']))
}

/// The kind of a parsed file: by name first, then by content (Hydra, Feast,
/// Kedro catalog), else generic.
pub fn recognise(file_name: &str, documents: &[Node]) -> ConfigKind {
    if let Some(kind) = kind_from_name(file_name) {
        return kind;
    }
    let first = documents.first().unwrap_or(&Node::Null);
    if matches!(first.get("defaults"), Some(Node::Seq(_))) || documents.iter().any(has_target) {
        ConfigKind::Hydra
    } else if ["project", "registry", "provider"]
        .iter()
        .all(|k| first.get(k).is_some())
    {
        ConfigKind::FeastFeatureStore
    } else if is_kedro_catalog(first) {
        ConfigKind::KedroCatalog
    } else {
        ConfigKind::Generic
    }
}

/// Whether any mapping in `node` holds a `_target_` key.
fn has_target(node: &Node) -> bool {
    match node {
        Node::Map(entries) => entries
            .iter()
            .any(|e| e.key == "_target_" || has_target(&e.value)),
        Node::Seq(items) => items.iter().any(has_target),
        _ => false,
    }
}

/// Every top-level entry (except `_`-prefixed templates) is a mapping whose
/// `type` names a dataset class (`pandas.CSVDataset`, `MemoryDataSet`).
fn is_kedro_catalog(root: &Node) -> bool {
    let mut entries = root
        .entries()
        .iter()
        .filter(|e| !e.key.starts_with('_'))
        .peekable();
    entries.peek().is_some()
        && entries.all(|e| {
            e.value
                .get("type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.ends_with("Dataset") || t.ends_with("DataSet"))
        })
}

/// Facts that accumulate over the documents of a file.
#[derive(Default)]
pub struct Walk {
    pub keys: u32,
    pub depth: u32,
    pub params: BTreeSet<String>,
    pub targets: Vec<ConfigTarget>,
    /// Lists of strings, the first [`ConfigFacts::MAX_LISTS`].
    pub lists: Vec<ConfigList>,
    /// Lists of strings seen, kept or not.
    pub lists_seen: usize,
    /// Whether to keep `values`.
    pub keep_values: bool,
    /// Scalar values, the first [`ConfigFacts::MAX_KEYS_LISTED`].
    pub values: Vec<ConfigValue>,
}

impl Walk {
    /// Adds one document: keys, depth, leaf paths, `_target_`s and lists of
    /// strings.
    pub fn document(&mut self, root: &Node) {
        self.node(root, "", 0, 0);
    }

    /// Walks `node` found at `path` (a key at `line`), `level` containers
    /// deep. Recursion is bounded by the parser's depth limit.
    fn node(&mut self, node: &Node, path: &str, line: u32, level: u32) {
        match node {
            Node::Map(entries) if !entries.is_empty() => {
                self.depth = self.depth.max(level + 1);
                self.keys = self
                    .keys
                    .saturating_add(u32::try_from(entries.len()).unwrap_or(u32::MAX));
                for entry in entries {
                    let child = join(path, &entry.key);
                    if entry.key == "_target_"
                        && let Some(target) = entry.value.scalar_text()
                    {
                        self.targets.push(ConfigTarget {
                            key: path.to_string(),
                            target,
                            line: entry.line,
                        });
                    }
                    self.node(&entry.value, &child, entry.line, level + 1);
                }
            }
            Node::Seq(items) if !items.is_empty() => {
                self.depth = self.depth.max(level + 1);
                self.list(items, path, line);
                let child = format!("{path}[]");
                if self.keep_values
                    && items
                        .iter()
                        .all(|i| !matches!(i, Node::Seq(_) | Node::Map(_)))
                {
                    self.value(&child, inline(node), line);
                }
                for item in items {
                    self.node(item, &child, line, level + 1);
                }
            }
            Node::Map(_) | Node::Seq(_) => {
                self.depth = self.depth.max(level + 1);
                let leaf = if matches!(node, Node::Seq(_)) {
                    format!("{path}[]")
                } else {
                    path.to_string()
                };
                if !leaf.is_empty() {
                    self.params.insert(leaf);
                }
            }
            scalar => {
                if !path.is_empty() {
                    self.params.insert(path.to_string());
                    if !path.ends_with("[]") {
                        self.value(path, value_text(scalar), line);
                    }
                }
            }
        }
    }

    /// Keeps a value when values are kept and it is short enough.
    fn value(&mut self, key: &str, value: String, line: u32) {
        if self.keep_values
            && self.values.len() < ConfigFacts::MAX_KEYS_LISTED
            && value.chars().nth(ConfigValue::MAX_CHARS).is_none()
        {
            self.values.push(ConfigValue {
                key: key.to_string(),
                value,
                line,
            });
        }
    }

    /// Keeps `items` when they are all short strings under a key.
    fn list(&mut self, items: &[Node], path: &str, line: u32) {
        let short = |n: &Node| {
            n.as_str()
                .is_some_and(|s| s.chars().nth(ConfigList::MAX_CHARS).is_none())
        };
        if path.is_empty() || !items.iter().all(short) {
            return;
        }
        self.lists_seen += 1;
        if self.lists.len() < ConfigFacts::MAX_LISTS {
            self.lists.push(ConfigList {
                key: path.to_string(),
                line,
                values: items
                    .iter()
                    .filter_map(Node::as_str)
                    .take(ConfigList::MAX_VALUES)
                    .map(str::to_owned)
                    .collect(),
            });
        }
    }
}

/// `path.key`, or `key` at the root.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// DVC `dvc.yaml` stages. A `foreach`/`do` stage is one stage, named as
/// declared, with the fields of its `do` body. Outputs include `metrics`
/// and `plots` (DVC outputs too).
pub fn dvc_stages(root: &Node) -> Vec<ConfigStage> {
    entries_under(root, "stages", |entry| {
        let body = entry.value.get("do").unwrap_or(&entry.value);
        let mut outs = paths(body.get("outs"));
        outs.extend(paths(body.get("metrics")));
        outs.extend(paths(body.get("plots")));
        ConfigStage {
            name: entry.key.clone(),
            line: entry.line,
            cmd: command(body.get("cmd")),
            deps: paths(body.get("deps")),
            outs,
            params: dvc_params(body.get("params")),
        }
    })
}

/// Maps each entry of the mapping under `key` (nothing when it is absent).
fn entries_under<T>(root: &Node, key: &str, f: impl FnMut(&Entry) -> T) -> Vec<T> {
    root.get(key)
        .map_or(&[][..], Node::entries)
        .iter()
        .map(f)
        .collect()
}

/// `dvc.lock` stages: `cmd`, the `path` of each dep and out, and the
/// `file:key` of each locked parameter.
pub fn dvc_lock_stages(root: &Node) -> Vec<ConfigStage> {
    entries_under(root, "stages", |entry| {
        let body = &entry.value;
        let mut params = Vec::new();
        for file in body.get("params").map_or(&[][..], Node::entries) {
            for key in file.value.entries() {
                params.push(format!("{}:{}", file.key, key.key));
            }
        }
        ConfigStage {
            name: entry.key.clone(),
            line: entry.line,
            cmd: command(body.get("cmd")),
            deps: locked_paths(body.get("deps")),
            outs: locked_paths(body.get("outs")),
            params,
        }
    })
}

/// MLflow `MLproject` entry points: `command` and the parameter names.
pub fn mlflow_stages(root: &Node) -> Vec<ConfigStage> {
    entries_under(root, "entry_points", |entry| ConfigStage {
        name: entry.key.clone(),
        line: entry.line,
        cmd: command(entry.value.get("command")),
        deps: Vec::new(),
        outs: Vec::new(),
        params: entry
            .value
            .get("parameters")
            .map_or(&[][..], Node::entries)
            .iter()
            .map(|p| p.key.clone())
            .collect(),
    })
}

/// A command: a string, or a list of commands joined with ` && `.
fn command(node: Option<&Node>) -> String {
    match node {
        Some(Node::Seq(items)) => items
            .iter()
            .filter_map(Node::scalar_text)
            .collect::<Vec<_>>()
            .join(" && "),
        Some(node) => node.scalar_text().unwrap_or_default(),
        None => String::new(),
    }
}

/// DVC paths: a string, or a list of strings and single-key mappings
/// (`- model.pkl: {cache: false}`) naming the path.
fn paths(node: Option<&Node>) -> Vec<String> {
    match node {
        Some(Node::Seq(items)) => items
            .iter()
            .flat_map(|item| match item {
                Node::Map(entries) => entries.iter().map(|e| e.key.clone()).collect(),
                other => other.scalar_text().into_iter().collect::<Vec<_>>(),
            })
            .collect(),
        Some(Node::Str(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// `dvc.lock` paths: the `path` of each list item.
fn locked_paths(node: Option<&Node>) -> Vec<String> {
    match node {
        Some(Node::Seq(items)) => items
            .iter()
            .filter_map(|item| item.get("path").and_then(Node::scalar_text))
            .collect(),
        _ => Vec::new(),
    }
}

/// DVC stage `params`: keys as written, `{file: [keys]}` as `file:key`,
/// `{file: }` (every parameter of the file) as `file`.
fn dvc_params(node: Option<&Node>) -> Vec<String> {
    let Some(Node::Seq(items)) = node else {
        return Vec::new();
    };
    let mut params = Vec::new();
    for item in items {
        match item {
            Node::Map(files) => {
                for file in files {
                    match &file.value {
                        Node::Seq(keys) if !keys.is_empty() => params.extend(
                            keys.iter()
                                .filter_map(Node::scalar_text)
                                .map(|k| format!("{}:{k}", file.key)),
                        ),
                        _ => params.push(file.key.clone()),
                    }
                }
            }
            other => params.extend(other.scalar_text()),
        }
    }
    params
}

/// Kedro catalog datasets: top-level mappings, except `_`-prefixed
/// templates, with their `type` and path.
pub fn kedro_datasets(root: &Node) -> Vec<ConfigDataset> {
    root.entries()
        .iter()
        .filter(|e| !e.key.starts_with('_') && matches!(e.value, Node::Map(_)))
        .map(|e| ConfigDataset {
            name: e.key.clone(),
            line: e.line,
            r#type: e
                .value
                .get("type")
                .and_then(Node::scalar_text)
                .unwrap_or_default(),
            path: dataset_path(&e.value).unwrap_or_default(),
        })
        .collect()
}

/// A dataset's `filepath` or `path`, else that of a wrapped `dataset:`
/// (`CachedDataset`).
fn dataset_path(body: &Node) -> Option<String> {
    body.get("filepath")
        .or_else(|| body.get("path"))
        .and_then(Node::scalar_text)
        .or_else(|| {
            let inner = body.get("dataset")?;
            inner
                .get("filepath")
                .or_else(|| inner.get("path"))
                .and_then(Node::scalar_text)
        })
}

/// Hydra `defaults:` entries as written: `_self_`, `model: resnet`,
/// `override hydra/launcher: joblib`, `db: [mysql, sqlite]`.
pub fn hydra_defaults(root: &Node) -> Vec<String> {
    let Some(Node::Seq(items)) = root.get("defaults") else {
        return Vec::new();
    };
    items
        .iter()
        .flat_map(|item| match item {
            Node::Map(entries) => entries
                .iter()
                .map(|e| format!("{}: {}", e.key, inline(&e.value)))
                .collect(),
            other => other.scalar_text().into_iter().collect::<Vec<_>>(),
        })
        .collect()
}

/// A value on one line: scalars as text, lists of scalars as `[a, b]`.
fn inline(node: &Node) -> String {
    match node {
        Node::Seq(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Map(_) => "{...}".to_string(),
        scalar => scalar.scalar_text().unwrap_or_default(),
    }
}

/// A scalar's text for [`ConfigValue::value`]: a string that would read as
/// a boolean, null or number is quoted.
fn value_text(scalar: &Node) -> String {
    match scalar {
        Node::Str(s)
            if matches!(s.as_str(), "true" | "false" | "null") || s.parse::<f64>().is_ok() =>
        {
            format!("\"{s}\"")
        }
        other => other.scalar_text().unwrap_or_default(),
    }
}

/// pyproject dependency lists whose items become `<list>.<name>` params.
const DEPENDENCY_LISTS: [&str; 2] = ["project.dependencies", "build-system.requires"];
/// pyproject tables of dependency lists (`<table>.<group>.<name>`).
const DEPENDENCY_TABLES: [&str; 2] = ["project.optional-dependencies", "dependency-groups"];

/// Replaces pyproject's PEP 508 dependency lists (`project.dependencies[]`)
/// by one param per distribution name, normalised as PEP 503 does
/// (`project.dependencies.scikit-learn`).
pub fn pyproject_dependencies(root: &Node, params: &mut BTreeSet<String>) {
    let mut lists: Vec<(String, &Node)> = Vec::new();
    for path in DEPENDENCY_LISTS {
        if let Some(list) = lookup(root, path) {
            lists.push((path.to_string(), list));
        }
    }
    for path in DEPENDENCY_TABLES {
        for group in lookup(root, path).map_or(&[][..], Node::entries) {
            lists.push((format!("{path}.{}", group.key), &group.value));
        }
    }
    for (path, list) in lists {
        let Node::Seq(items) = list else { continue };
        let mut any = false;
        for name in items.iter().filter_map(Node::as_str).filter_map(dist_name) {
            params.insert(format!("{path}.{name}"));
            any = true;
        }
        let only_strings = items.iter().all(|i| matches!(i, Node::Str(_)));
        if any && only_strings {
            params.remove(&format!("{path}[]"));
        }
    }
}

/// The crate name of a `Cargo.toml`: `[lib] name`, else `[package] name`.
pub fn cargo_crate(root: &Node) -> Option<String> {
    ["lib.name", "package.name"]
        .iter()
        .find_map(|path| lookup(root, path)?.as_str())
        .map(str::to_owned)
}

/// The node at a dotted `path` of mapping keys.
fn lookup<'n>(root: &'n Node, path: &str) -> Option<&'n Node> {
    path.split('.').try_fold(root, |node, key| node.get(key))
}

/// The normalised distribution name of a PEP 508 requirement
/// (`Scikit_Learn>=1.3; python_version>'3.8'` → `scikit-learn`).
fn dist_name(requirement: &str) -> Option<String> {
    let name: String = requirement
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    let mut normal = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !normal.ends_with('-') {
                normal.push('-');
            }
        } else {
            normal.push(c.to_ascii_lowercase());
        }
    }
    let normal = normal.trim_matches('-');
    (!normal.is_empty()).then(|| normal.to_string())
}
