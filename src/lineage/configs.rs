//! Config-only lineage: DVC and MLproject stages, the Kedro catalog,
//! parameter keys, Hydra defaults and `_target_`s.

use std::collections::BTreeMap;

use super::build::{At, Builder};
use super::index::Index;
use super::paths::{Script, dir_of, normalize, scripts};
use super::{EdgeKind, NodeKind, module_node, symbol_node};
use crate::facts::{ConfigFacts, ConfigKind, ConfigStage};
use crate::report::FileReport;

/// What the code pass needs from the configs.
#[derive(Default)]
pub(super) struct Configs<'a> {
    /// Kedro catalog name → artifact id (the first catalog by path wins).
    catalog: BTreeMap<&'a str, String>,
    /// Parameter keys declared by stages: (config node id, key).
    declared: Vec<(String, String)>,
    /// Keys of parameter files: (file, kind, Hydra group, key as code
    /// reads it: the group's key).
    keys: Vec<(&'a str, ConfigKind, String, String)>,
    /// Hydra `_target_`s by the key code reads them at (`model`):
    /// (config node id, target node id).
    targets: BTreeMap<String, Vec<(String, String)>>,
}

impl<'a> Configs<'a> {
    /// Links every config file and returns what code links to.
    pub fn link(index: &Index<'a>, b: &mut Builder) -> Self {
        let mut configs = Configs::default();
        let roots = hydra_roots(index.files());
        for file in index.files() {
            let Some(config) = &file.facts.config else {
                continue;
            };
            match config.kind {
                ConfigKind::DvcPipeline => {
                    for stage in &config.stages {
                        configs.dvc_stage(index, b, file, stage);
                    }
                }
                ConfigKind::MlflowProject => {
                    for stage in &config.stages {
                        configs.mlflow_entry(index, b, file, stage);
                    }
                }
                ConfigKind::KedroCatalog => configs.catalog(b, file, config),
                kind => {
                    if let Some(prefix) = param_prefix(&roots, &file.path, kind) {
                        configs.add_keys(file, config, &prefix);
                        if matches!(kind, ConfigKind::Hydra | ConfigKind::Generic) {
                            configs.hydra(index, b, file, config, &prefix);
                        }
                    }
                }
            }
        }
        configs
    }

    fn add_keys(&mut self, file: &'a FileReport, config: &ConfigFacts, group: &str) {
        for key in &config.params {
            let full = join(group, &key.replace("[]", ""));
            self.keys
                .push((&file.path, config.kind, group.to_string(), full));
        }
    }

    /// The nodes of the file keys `key` (as code reads it) matches: the
    /// shorter of the two keys, relative to the file (the file itself when
    /// that is its whole Hydra group).
    fn file_keys(&self, b: &mut Builder, key: &str, kind: Option<ConfigKind>) -> Vec<String> {
        let mut ids = Vec::new();
        for (file, k, group, full) in &self.keys {
            if kind.is_some_and(|wanted| wanted != *k) {
                continue;
            }
            let Some(c) = common(key, full) else {
                continue;
            };
            let rel = c
                .strip_prefix(group.as_str())
                .map_or("", |r| r.trim_start_matches('.'));
            let at = At::new(file, 0, None);
            let id = if rel.is_empty() {
                b.node(format!("config:{file}"), NodeKind::Config, file, at, None)
            } else {
                b.node(
                    format!("config:{file}#{rel}"),
                    NodeKind::Config,
                    rel,
                    at,
                    None,
                )
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// A DVC stage: `cmd` runs scripts, `deps` are read (code and config
    /// files of the scan excepted: `cmd` and `params` cover them), `outs`
    /// (with metrics and plots) are written, `params` configure it.
    fn dvc_stage(&mut self, index: &Index, b: &mut Builder, file: &FileReport, s: &ConfigStage) {
        let at = At::new(&file.path, s.line, None);
        let base = dir_of(&file.path);
        let stage = b.node(
            format!("stage:{}#{}", file.path, s.name),
            NodeKind::Stage,
            &s.name,
            at,
            Some("dvc stage".to_string()),
        );
        run_command(index, b, &s.cmd, base, &stage, at);
        for dep in &s.deps {
            match normalize(base, dep) {
                Ok(path) if is_scanned(index, &path) => {}
                Ok(path) => {
                    let artifact = b.artifact(&path, &path, at, None);
                    b.edge(&artifact, &stage, EdgeKind::Reads, at);
                }
                Err(reason) => {
                    let opaque = b.opaque(at, reason);
                    b.edge(&opaque, &stage, EdgeKind::Reads, at);
                }
            }
        }
        for out in &s.outs {
            let artifact = match normalize(base, out) {
                Ok(path) => b.artifact(&path, &path, at, None),
                Err(reason) => b.opaque(at, reason),
            };
            b.edge(&stage, &artifact, EdgeKind::Writes, at);
        }
        for param in &s.params {
            let (params_file, key) = match param.split_once(':') {
                Some((f, k)) => (f, k),
                None if is_params_file(param) => (param.as_str(), ""),
                None => ("params.yaml", param.as_str()),
            };
            let params_file = normalize(base, params_file).unwrap_or_default();
            let id = self.declare(b, &params_file, key, at);
            b.edge(&id, &stage, EdgeKind::Configures, at);
        }
    }

    /// An MLflow entry point: its command runs scripts, its parameters
    /// configure it.
    fn mlflow_entry(&mut self, index: &Index, b: &mut Builder, file: &FileReport, s: &ConfigStage) {
        let at = At::new(&file.path, s.line, None);
        let stage = b.node(
            format!("stage:{}#{}", file.path, s.name),
            NodeKind::Stage,
            &s.name,
            at,
            Some("mlflow entry point".to_string()),
        );
        run_command(index, b, &s.cmd, dir_of(&file.path), &stage, at);
        for param in &s.params {
            let id = self.declare(b, &file.path, param, at);
            b.edge(&id, &stage, EdgeKind::Configures, at);
        }
    }

    /// A key declared by a stage: `config:FILE#KEY` (`config:FILE` for the
    /// whole file, which code reads are not matched against).
    fn declare(&mut self, b: &mut Builder, file: &str, key: &str, at: At) -> String {
        if key.is_empty() {
            return b.node(format!("config:{file}"), NodeKind::Config, file, at, None);
        }
        let id = b.node(
            format!("config:{file}#{key}"),
            NodeKind::Config,
            key,
            at,
            None,
        );
        self.declared.push((id.clone(), key.to_string()));
        id
    }

    /// Kedro catalog entries: artifacts keyed by their path (relative to
    /// the project root, the folder holding `conf/`), or `kedro:NAME`
    /// without one; dataset factories (`{name}_csv`) are patterns, skipped.
    fn catalog(&mut self, b: &mut Builder, file: &'a FileReport, config: &'a ConfigFacts) {
        let root = kedro_root(&file.path);
        for d in config.datasets.iter().filter(|d| !d.name.contains('{')) {
            let at = At::new(&file.path, d.line, None);
            let detail = (!d.r#type.is_empty()).then(|| d.r#type.clone());
            let id = if d.path.is_empty() {
                b.artifact(&format!("kedro:{}", d.name), &d.name, at, detail)
            } else {
                match normalize(root, &d.path) {
                    Ok(path) => b.artifact(&path, &d.name, at, detail),
                    Err(reason) => b.opaque(at, reason),
                }
            };
            self.catalog.entry(&d.name).or_insert(id);
        }
    }

    /// The artifact of a Kedro dataset name; names outside the catalog are
    /// `MemoryDataset`s, `kedro:NAME`.
    pub fn kedro_dataset(&self, b: &mut Builder, name: &str, at: At) -> String {
        match self.catalog.get(name) {
            Some(id) => id.clone(),
            None => b.artifact(
                &format!("kedro:{name}"),
                name,
                at,
                Some("MemoryDataset (not in the catalog)".to_string()),
            ),
        }
    }

    /// A Kedro `params:KEY` input: the key in the first parameters file
    /// that has it (or keys under it), else `config:params:KEY`.
    pub fn kedro_param(&self, b: &mut Builder, key: &str, at: At) -> String {
        let found = self.file_keys(b, key, Some(ConfigKind::KedroParameters));
        match found.into_iter().next() {
            Some(id) => id,
            None => b.node(
                format!("config:params:{key}"),
                NodeKind::Config,
                key,
                at,
                Some("not found in any parameters file".to_string()),
            ),
        }
    }

    /// The config nodes of a key read in code (`cfg.train.lr`, root
    /// dropped: `train.lr`): the keys declared by stages that it matches,
    /// else the matching keys of parameter and Hydra files. Two keys match
    /// when equal or when one is a dotted prefix of the other; a file's
    /// node is the shorter of the two.
    pub fn read(&self, b: &mut Builder, key: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .declared
            .iter()
            .filter(|(_, k)| common(key, k).is_some())
            .map(|(id, _)| id.clone())
            .collect();
        if ids.is_empty() {
            ids = self.file_keys(b, key, None);
        }
        ids
    }

    /// The Hydra `_target_`s configured at a key read in code
    /// (`instantiate(cfg.model)` → `model`): (config id, target id).
    pub fn targets(&self, key: &str) -> &[(String, String)] {
        self.targets.get(key).map_or(&[], Vec::as_slice)
    }

    /// Whether any `_target_` was found.
    pub fn has_targets(&self) -> bool {
        !self.targets.is_empty()
    }

    /// The keys at which a `_target_` names the node `target`.
    pub fn target_keys(&self, target: &str) -> Vec<&str> {
        self.targets
            .iter()
            .filter(|(_, pairs)| pairs.iter().any(|(_, t)| t == target))
            .map(|(key, _)| key.as_str())
            .collect()
    }

    /// A Hydra file: `_target_`s link their key's config node to the class
    /// or function named (`model:`/`transform:` in the repo, else an
    /// external `transform:`/`model:` by its dotted name); `defaults`
    /// compose option files → groups → this file.
    fn hydra(
        &mut self,
        index: &Index,
        b: &mut Builder,
        file: &FileReport,
        config: &ConfigFacts,
        prefix: &str,
    ) {
        let path = file.path.as_str();
        for t in &config.targets {
            let at = At::new(path, t.line, None);
            let holder = if t.key.is_empty() {
                b.node(format!("config:{path}"), NodeKind::Config, path, at, None)
            } else {
                b.node(
                    format!("config:{path}#{}", t.key),
                    NodeKind::Config,
                    &t.key,
                    at,
                    None,
                )
            };
            let target = match index.symbol(file, &t.target) {
                Some(symbol) => symbol_node(b, symbol),
                None => super::external_node(b, &t.target, at),
            };
            b.edge(&holder, &target, EdgeKind::Configures, at);
            self.targets
                .entry(join(prefix, &t.key))
                .or_default()
                .push((holder, target));
        }
        if config.defaults.is_empty() {
            return;
        }
        let at = At::new(path, 1, None);
        let primary = b.node(format!("config:{path}"), NodeKind::Config, path, at, None);
        let dir = dir_of(path);
        for entry in &config.defaults {
            let entry = entry
                .trim_start_matches("override ")
                .trim_start_matches("optional ");
            let (group, options) = match entry.split_once(':') {
                Some((g, o)) => (Some(g.split('@').next().unwrap_or(g).trim()), o.trim()),
                None => (None, entry.trim()),
            };
            if entry == "_self_" || group.is_some_and(|g| g == "hydra" || g.starts_with("hydra/")) {
                continue;
            }
            let options = options.trim_start_matches('[').trim_end_matches(']');
            let consumer = match group {
                Some(g) => {
                    let group_path = join_path(dir, g);
                    let id = b.node(
                        format!("config:{group_path}"),
                        NodeKind::Config,
                        g,
                        at,
                        Some("hydra config group".to_string()),
                    );
                    b.edge(&id, &primary, EdgeKind::Configures, at);
                    id
                }
                None => primary.clone(),
            };
            let folder = group.map_or(dir.to_string(), |g| join_path(dir, g));
            for option in options.split(',').map(str::trim) {
                if option.is_empty() || option == "null" {
                    continue;
                }
                let found = ["yaml", "yml"]
                    .iter()
                    .map(|ext| join_path(&folder, &format!("{option}.{ext}")))
                    .find(|p| index.file(p).is_some());
                if let Some(option_path) = found {
                    let id = b.node(
                        format!("config:{option_path}"),
                        NodeKind::Config,
                        &option_path,
                        At::new(&option_path, 1, None),
                        None,
                    );
                    b.edge(&id, &consumer, EdgeKind::Configures, at);
                }
            }
        }
    }
}

/// A file whose keys code reads as configuration, with the prefix its keys
/// are read under (its Hydra group; empty for params and Kedro parameters).
pub struct ParamFile<'a> {
    pub file: &'a FileReport,
    pub config: &'a ConfigFacts,
    pub prefix: String,
}

impl ParamFile<'_> {
    /// A key of the file as code reads it: under the prefix, `[]` dropped
    /// (`model.layers[].size` in group `net` → `net.model.layers.size`).
    pub fn read_as(&self, key: &str) -> String {
        join(&self.prefix, &key.replace("[]", ""))
    }
}

/// The files whose keys code reads as configuration: params, Kedro
/// parameters, Hydra configs and the YAML files of a Hydra config tree.
pub fn param_files(files: &[FileReport]) -> Vec<ParamFile<'_>> {
    let roots = hydra_roots(files.iter());
    files
        .iter()
        .filter_map(|file| {
            let config = file.facts.config.as_ref()?;
            let prefix = param_prefix(&roots, &file.path, config.kind)?;
            Some(ParamFile {
                file,
                config,
                prefix,
            })
        })
        .collect()
}

/// The folders of primary Hydra configs (YAML files with `defaults:`).
fn hydra_roots<'a>(files: impl Iterator<Item = &'a FileReport>) -> Vec<&'a str> {
    files
        .filter(|f| {
            f.facts
                .config
                .as_ref()
                .is_some_and(|c| c.kind == ConfigKind::Hydra && !c.defaults.is_empty())
        })
        .map(|f| dir_of(&f.path))
        .collect()
}

/// The prefix of a parameter file's keys (see [`ParamFile`]); `None` for
/// files that hold no parameter keys.
fn param_prefix(roots: &[&str], path: &str, kind: ConfigKind) -> Option<String> {
    match kind {
        ConfigKind::Params | ConfigKind::KedroParameters => Some(String::new()),
        ConfigKind::Hydra | ConfigKind::Generic if is_yaml(path) => {
            let group = hydra_group(roots, path);
            (kind == ConfigKind::Hydra || group.is_some()).then(|| group.unwrap_or_default())
        }
        _ => None,
    }
}

/// Feature lists: in params, Kedro parameters, Hydra and generic config
/// files, each string of a list whose key names features or columns is a
/// `feature:NAME` that the list's key node `configures`. Run after the
/// code, so that a feature also used in code is located there.
pub(super) fn feature_lists(index: &Index, b: &mut Builder) {
    for file in index.files() {
        let Some(config) = &file.facts.config else {
            continue;
        };
        let kinds = [
            ConfigKind::Params,
            ConfigKind::KedroParameters,
            ConfigKind::Hydra,
            ConfigKind::Generic,
        ];
        if !kinds.contains(&config.kind) {
            continue;
        }
        for list in config.lists.iter().filter(|l| names_features(&l.key)) {
            let key = list.key.replace("[]", "");
            let at = At::new(&file.path, list.line, None);
            let holder = b.node(
                format!("config:{}#{key}", file.path),
                NodeKind::Config,
                &key,
                at,
                None,
            );
            for name in list
                .values
                .iter()
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
            {
                let feature = b.node(format!("feature:{name}"), NodeKind::Feature, name, at, None);
                b.edge(&holder, &feature, EdgeKind::Configures, at);
            }
        }
    }
}

/// Whether a key's last segment names features or columns: it contains
/// `feature` or `column` (any case), or has a `_`/`-` word `cols`
/// (`features`, `numeric_features`, `feature_columns`, `cat_cols`).
fn names_features(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key).trim_end_matches("[]");
    let last = last.to_ascii_lowercase();
    last.contains("feature")
        || last.contains("column")
        || last.split(['_', '-']).any(|word| word == "cols")
}

/// Links a stage to the scripts its command runs: `transform:PATH` for a
/// file of the scan, else an opaque node.
pub(super) fn run_command(
    index: &Index,
    b: &mut Builder,
    cmd: &str,
    base: &str,
    stage: &str,
    at: At,
) {
    for script in scripts(cmd) {
        let found = match script {
            Script::File(raw) => normalize(base, raw)
                .ok()
                .and_then(|p| index.file(&p).map(|f| f.path.as_str())),
            Script::Module(m) => index.module_path(m),
        };
        let target = match (found, script) {
            (Some(path), _) => module_node(b, path),
            (None, Script::File(raw)) => b.opaque(at, format!("script `{raw}` not in the repo")),
            (None, Script::Module(m)) => b.opaque(at, format!("module `{m}` not in the repo")),
        };
        b.edge(stage, &target, EdgeKind::Runs, at);
    }
}

/// The shorter of two keys when one is a dotted prefix of the other.
fn common<'k>(a: &'k str, b: &'k str) -> Option<&'k str> {
    let prefix = |short: &'k str, long: &str| {
        (long == short || long.strip_prefix(short).is_some_and(|r| r.starts_with('.')))
            .then_some(short)
    };
    if a.len() <= b.len() {
        prefix(a, b)
    } else {
        prefix(b, a)
    }
}

/// `prefix.key`, or either alone.
fn join(prefix: &str, key: &str) -> String {
    match (prefix.is_empty(), key.is_empty()) {
        (true, _) => key.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{key}"),
    }
}

fn join_path(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn is_yaml(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

fn is_params_file(name: &str) -> bool {
    [".yaml", ".yml", ".json", ".toml", ".py"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// A scanned file, or a folder holding one.
fn is_scanned(index: &Index, path: &str) -> bool {
    index.file(path).is_some()
        || index.files().any(|f| {
            f.path
                .strip_prefix(path)
                .is_some_and(|r| r.starts_with('/'))
        })
}

/// The Hydra config group of a YAML file: its folder relative to the
/// deepest primary config folder (one holding a file with `defaults:`)
/// above it, dotted (`conf/model/net.yaml` → `model`).
fn hydra_group(roots: &[&str], path: &str) -> Option<String> {
    let dir = dir_of(path);
    roots
        .iter()
        .filter_map(|root| {
            let rest = if root.is_empty() {
                dir
            } else {
                dir.strip_prefix(root)?.strip_prefix('/')?
            };
            (!rest.is_empty()).then(|| (root.len(), rest.replace('/', ".")))
        })
        .max()
        .map(|(_, group)| group)
}

/// The Kedro project root of a catalog: the folder holding `conf/`.
fn kedro_root(path: &str) -> &str {
    match path.rfind("conf/") {
        Some(0) => "",
        Some(i) if path.as_bytes()[i - 1] == b'/' => &path[..i - 1],
        _ => dir_of(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_by_dotted_prefix() {
        assert_eq!(common("train", "train.lr"), Some("train"));
        assert_eq!(common("train.lr.x", "train.lr"), Some("train.lr"));
        assert_eq!(common("train", "trainer.lr"), None);
    }

    #[test]
    fn feature_list_keys() {
        for key in [
            "features",
            "features.columns",
            "model.numeric_features[]",
            "data.FeatureColumns",
            "cat_cols",
            "drop-cols",
        ] {
            assert!(names_features(key), "{key}");
        }
        for key in [
            "features.names",
            "tags",
            "colsample",
            "usecols",
            "columns.x",
        ] {
            assert!(!names_features(key), "{key}");
        }
    }

    #[test]
    fn hydra_groups_and_kedro_roots() {
        assert_eq!(
            hydra_group(&["conf"], "conf/model/net.yaml").as_deref(),
            Some("model")
        );
        assert_eq!(hydra_group(&["conf"], "conf/config.yaml"), None);
        assert_eq!(kedro_root("proj/conf/base/catalog.yml"), "proj");
        assert_eq!(kedro_root("conf/base/catalog.yml"), "");
    }
}
