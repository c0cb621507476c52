//! Python lineage: the calls, columns, flows, config reads and decorators
//! of each Python file and notebook, linked through names bound to nodes.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;

use super::apis::{self, Api, Arg};
use super::build::{At, Builder, is_artifact};
use super::configs::{Configs, run_command};
use super::index::Index;
use super::paths::{dir_of, normalize, sql_tables};
use super::{EdgeKind, FUNCTION, NodeKind, module_node, symbol_node};
use crate::facts::{CallArgs, DecoratorFact, DynamicKind, FlowFact, Language, Value};
use crate::report::FileReport;

pub(super) type Ids = BTreeSet<String>;

/// Names bound to graph nodes (`df` → the artifact it was read from,
/// `pipe` → a model): per file and enclosing function, and module-level
/// names by dotted path for other files (`feature_repo.entities.driver`).
#[derive(Default, PartialEq, Eq)]
pub(super) struct Bindings {
    /// File → name → enclosing function (`""` at module level) → nodes.
    local: BTreeMap<String, BTreeMap<String, BTreeMap<String, Ids>>>,
    global: BTreeMap<String, Ids>,
}

/// What the linker reads of each Python file and notebook, the same in
/// every round of a revision.
pub(super) struct CodeFiles<'a> {
    files: Vec<CodeFile<'a>>,
}

struct CodeFile<'a> {
    file: &'a FileReport,
    /// Columns the file writes.
    written: BTreeSet<&'a str>,
    /// Where the file's functions are defined: qualified name → (line,
    /// cell); made when first asked (few files need it).
    defs: OnceCell<HashMap<&'a str, (u32, Option<u32>)>>,
}

impl<'a> CodeFiles<'a> {
    pub fn new(index: &Index<'a>) -> Self {
        let files = index
            .files()
            .filter(|f| matches!(f.facts.language, Language::Python | Language::Notebook))
            .map(|file| CodeFile {
                file,
                written: written_columns(file),
                defs: OnceCell::new(),
            })
            .collect();
        CodeFiles { files }
    }
}

impl<'a> CodeFile<'a> {
    fn def(&self, name: &str) -> Option<(u32, Option<u32>)> {
        self.defs
            .get_or_init(|| {
                self.file
                    .facts
                    .functions
                    .iter()
                    .map(|f| (f.name.as_str(), (f.line, f.cell)))
                    .collect()
            })
            .get(name)
            .copied()
    }
}

/// Links the code of every Python file and notebook with the names of
/// `bound` (the previous round); returns the names bound by this round.
pub(super) fn link<'a>(
    index: &Index<'a>,
    code: &CodeFiles<'a>,
    configs: &Configs<'a>,
    bound: &Bindings,
    b: &mut Builder,
) -> Bindings {
    let mut out = Bindings::default();
    for code in &code.files {
        let mut linker = Linker {
            index,
            configs,
            bound,
            file: code.file,
            code,
            module: index.module_of(code.file),
            b: &mut *b,
            out: &mut out,
            columns: Vec::new(),
            fields: BTreeMap::new(),
        };
        linker.run();
    }
    out
}

/// A column written or read, from a [`crate::facts::ColumnFact`] or a
/// column-creating call.
struct Column<'a> {
    frame: &'a str,
    column: &'a str,
    write: bool,
    function: Option<&'a str>,
    line: u32,
    cell: Option<u32>,
}

/// A statement: enclosing function, line, cell.
type Statement<'a> = (Option<&'a str>, u32, Option<u32>);

struct Linker<'l, 'a> {
    index: &'l Index<'a>,
    configs: &'l Configs<'a>,
    bound: &'l Bindings,
    file: &'a FileReport,
    code: &'l CodeFile<'a>,
    module: &'l str,
    b: &'l mut Builder,
    out: &'l mut Bindings,
    columns: Vec<Column<'a>>,
    /// Feast fields read by `get_*_features`, by (function, field name).
    fields: BTreeMap<(Option<&'a str>, &'a str), Ids>,
}

impl<'a> Linker<'_, 'a> {
    fn run(&mut self) {
        let facts = &self.file.facts;
        self.columns = facts
            .lineage
            .columns
            .iter()
            .map(|c| Column {
                frame: &c.frame,
                column: &c.column,
                write: c.write,
                function: c.function.as_deref(),
                line: c.line,
                cell: c.cell,
            })
            .collect();
        for c in &facts.lineage.calls {
            let at = self.at(c.line, c.cell);
            let function = c.function.as_deref();
            let ids = self.call(&c.call, c.receiver.as_deref(), function, &c.assigned_to, at);
            for var in &c.assigned_to {
                self.bind(function, var, &ids);
            }
        }
        for d in &facts.lineage.decorators {
            self.decorator(d);
        }
        for flow in &facts.lineage.flows {
            self.flow(flow);
        }
        self.link_columns();
        for read in &facts.lineage.config_reads {
            let at = self.at(read.line, read.cell);
            self.config_read(read.function.as_deref(), &read.key, None, at);
        }
        for point in &facts.dynamic {
            if let Some(what) = opaque_kind(point.kind) {
                let at = self.at(point.line, point.cell);
                self.b.opaque(at, format!("{what}: {}", point.detail));
            }
        }
    }

    fn at(&self, line: u32, cell: Option<u32>) -> At<'a> {
        At::new(&self.file.path, line, cell)
    }

    fn bind(&mut self, function: Option<&str>, var: &str, ids: &Ids) {
        if ids.is_empty() {
            return;
        }
        self.out
            .local
            .entry(self.file.path.clone())
            .or_default()
            .entry(var.to_string())
            .or_default()
            .entry(function.unwrap_or_default().to_string())
            .or_default()
            .extend(ids.iter().cloned());
        if function.is_none() {
            let global = format!("{}.{var}", self.module);
            self.out
                .global
                .entry(global)
                .or_default()
                .extend(ids.iter().cloned());
        }
    }

    /// The nodes a name stands for: bound in the function, then in the
    /// module, then (`self.x` in a method) in any method of the class or
    /// as a class attribute `x`, then a module-level name of another file,
    /// then a repo function or class.
    fn lookup(&mut self, function: Option<&str>, name: &str) -> Ids {
        let local = self.bound.local.get(self.file.path.as_str());
        let scopes = local.and_then(|l| l.get(name));
        let scoped = |f: &str| scopes.and_then(|s| s.get(f));
        if let Some(ids) = scoped(function.unwrap_or_default()).or_else(|| scoped("")) {
            return ids.clone();
        }
        if let (Some(attr), Some((class, _))) = (
            name.strip_prefix("self."),
            function.and_then(|f| f.rsplit_once('.')),
        ) {
            let prefix = format!("{class}.");
            let methods = scopes
                .into_iter()
                .flatten()
                .filter(|(f, _)| f.starts_with(&prefix));
            let class_attr = local.and_then(|l| l.get(attr)?.get_key_value(""));
            let ids: Ids = methods
                .chain(class_attr)
                .flat_map(|(_, ids)| ids.iter().cloned())
                .collect();
            if !ids.is_empty() {
                return ids;
            }
        }
        let candidates = self.index.candidates(self.file, name);
        for candidate in &candidates {
            if let Some(ids) = self.bound.global.get(candidate) {
                return ids.clone();
            }
        }
        match self.index.find(&candidates) {
            Some(symbol) => Ids::from([symbol_node(self.b, symbol)]),
            None => Ids::new(),
        }
    }

    /// The nodes a name stands for in any scope of the file (for flows,
    /// which are not located in a function).
    fn lookup_anywhere(&mut self, name: &str) -> Ids {
        let scopes = self
            .bound
            .local
            .get(self.file.path.as_str())
            .and_then(|l| l.get(name));
        let ids: Ids = scopes
            .into_iter()
            .flatten()
            .flat_map(|(_, ids)| ids.iter().cloned())
            .collect();
        if ids.is_empty() {
            return self.lookup(None, name);
        }
        ids
    }

    /// The nodes a value refers to: bound names, columns and feature-view
    /// fields of subscripts, what nested calls produce.
    fn refs(&mut self, function: Option<&'a str>, value: &'a Value, at: At<'a>) -> Ids {
        match value {
            Value::Name(name) => self.lookup(function, name),
            Value::Subscript { base, keys } => {
                let bases = self.lookup(function, base);
                let views: Vec<&String> =
                    bases.iter().filter(|i| i.starts_with("feature:")).collect();
                let mut ids = Ids::new();
                for key in keys {
                    if views.is_empty() {
                        let feature = self.feature(key, at, None);
                        self.source_derives(&bases, key, &feature, at);
                        ids.insert(feature);
                    }
                    for view in &views {
                        let field = format!("{view}:{key}");
                        let name = &field["feature:".len()..];
                        let field = self
                            .b
                            .node(field.clone(), NodeKind::Feature, name, at, None);
                        self.b.edge(view, &field, EdgeKind::Derives, at);
                        ids.insert(field);
                    }
                }
                ids
            }
            Value::List(items) => items
                .iter()
                .flat_map(|v| self.refs(function, v, at))
                .collect(),
            Value::Dict(pairs) => pairs
                .iter()
                .flat_map(|(_, v)| self.refs(function, v, at))
                .collect(),
            Value::Call(call) => self.call(call, None, function, &[], at),
            Value::Str(_) | Value::Const(_) | Value::Opaque(_) => Ids::new(),
        }
    }

    /// Links a config key read in code to `consumer` (by default the
    /// function's transform, made only when a key matches). In a method
    /// of a class that a Hydra `_target_` at KEY names, `self.hparams.x`
    /// and `self.cfg.x` are read at `KEY.x`.
    fn config_read(&mut self, function: Option<&str>, raw: &str, consumer: Option<&str>, at: At) {
        let key = strip_root(raw);
        if key.is_empty() {
            return;
        }
        let class = (raw.starts_with("self.") && self.configs.has_targets())
            .then(|| function.and_then(|f| f.rsplit_once('.')))
            .flatten()
            .map(|(c, _)| c);
        let targeted: Vec<String> = match class {
            Some(class) => ["model", "transform"]
                .iter()
                .flat_map(|kind| {
                    let id = format!("{kind}:{}#{class}", self.file.path);
                    self.configs.target_keys(&id)
                })
                .map(|target| format!("{target}.{key}"))
                .collect(),
            None => Vec::new(),
        };
        let configs: Vec<String> = if targeted.is_empty() {
            self.configs.read(self.b, key)
        } else {
            targeted
                .iter()
                .flat_map(|k| self.configs.read(self.b, k))
                .collect()
        };
        if configs.is_empty() {
            return;
        }
        let consumer = consumer.map_or_else(|| self.consumer(function), str::to_string);
        for config in configs {
            self.b.edge(&config, &consumer, EdgeKind::Configures, at);
        }
    }

    /// The transform a fact inside `function` belongs to: the function
    /// (`transform:PATH#QUALNAME`) or, at module level, the module.
    fn consumer(&mut self, function: Option<&str>) -> String {
        let Some(name) = function else {
            return module_node(self.b, &self.file.path);
        };
        let (line, cell) = self.code.def(name).unwrap_or_default();
        let at = self.at(line, cell);
        let id = format!("transform:{}#{name}", self.file.path);
        self.b.node(
            id,
            NodeKind::Transform,
            name,
            at,
            Some(FUNCTION.to_string()),
        )
    }

    /// `feature:NAME`.
    fn feature(&mut self, name: &str, at: At, detail: Option<String>) -> String {
        self.b.node(
            format!("feature:{name}"),
            NodeKind::Feature,
            name,
            at,
            detail,
        )
    }

    /// A node for a value bound to a variable: `KIND:PATH#[FUNCTION.]VAR`,
    /// or `KIND:PATH#CLASS.ATTR` for `self.ATTR` in a method.
    fn var_node(
        &mut self,
        kind: NodeKind,
        function: Option<&str>,
        var: &str,
        at: At,
        detail: &str,
    ) -> String {
        let class = function.and_then(|f| f.rsplit_once('.')).map(|(c, _)| c);
        let (scope, var) = match (var.strip_prefix("self."), class) {
            (Some(attr), Some(class)) => (Some(class), attr),
            _ => (function, var),
        };
        let scope = scope.map_or(String::new(), |f| format!("{f}."));
        let id = format!("{}:{}#{scope}{var}", kind.as_str(), self.file.path);
        self.b.node(id, kind, var, at, Some(detail.to_string()))
    }

    /// The artifacts named by a path argument: a literal path, or a name
    /// bound to artifacts (`f` of `with open(p) as f`); else an opaque
    /// node with the reason. A path held by a config key is linked to it.
    fn path_artifacts(&mut self, function: Option<&str>, value: Option<&Value>, at: At) -> Ids {
        let reason = match value {
            Some(Value::Str(raw)) => match normalize("", raw) {
                Ok(path) => return Ids::from([self.b.artifact(&path, &path, at, None)]),
                Err(reason) => reason,
            },
            Some(Value::Name(name)) => {
                let from_config = self.file.facts.lineage.config_reads.iter().any(|r| {
                    r.line == at.line && r.key == *name && r.function.as_deref() == function
                });
                if from_config {
                    let opaque = self.b.opaque(at, format!("{CONFIG_PATH} `{name}`"));
                    self.config_read(function, name, Some(&opaque), at);
                    return Ids::from([opaque]);
                }
                let bound: Ids = self
                    .lookup(function, name)
                    .into_iter()
                    .filter(|i| is_artifact(i))
                    .collect();
                if !bound.is_empty() {
                    return bound;
                }
                format!("path in variable `{name}`")
            }
            Some(Value::Opaque(what)) => format!("path from {what}"),
            Some(_) => "path from an expression".to_string(),
            None => NO_PATH.to_string(),
        };
        Ids::from([self.b.opaque(at, reason)])
    }

    /// A read of the path `value` by the enclosing function: the artifact
    /// `reads` → the function; a config file of the scan `configures` it.
    fn read(&mut self, function: Option<&str>, value: Option<&Value>, at: At) -> Ids {
        let consumer = self.consumer(function);
        let config = match value {
            Some(Value::Str(raw)) => normalize("", raw)
                .ok()
                .filter(|p| self.index.file(p).is_some_and(|f| f.facts.config.is_some())),
            _ => None,
        };
        if let Some(path) = config {
            let id = self.b.node(
                format!("config:{path}"),
                NodeKind::Config,
                &path,
                At::new(&path, 1, None),
                None,
            );
            self.b.edge(&id, &consumer, EdgeKind::Configures, at);
            return Ids::from([id]);
        }
        let artifacts = self.path_artifacts(function, value, at);
        for artifact in &artifacts {
            self.b.edge(artifact, &consumer, EdgeKind::Reads, at);
        }
        artifacts
    }

    /// A write of `objects` to the path `value` by the enclosing function:
    /// the function, and the models among `objects`, `write` the artifact.
    fn write(
        &mut self,
        function: Option<&str>,
        value: Option<&Value>,
        objects: &Ids,
        at: At,
    ) -> Ids {
        let artifacts = self.path_artifacts(function, value, at);
        let consumer = self.consumer(function);
        for artifact in &artifacts {
            self.b.edge(&consumer, artifact, EdgeKind::Writes, at);
            for model in objects.iter().filter(|i| i.starts_with("model:")) {
                self.b.edge(model, artifact, EdgeKind::Writes, at);
            }
        }
        artifacts
    }

    /// Links one call; returns the nodes its result stands for.
    fn call(
        &mut self,
        call: &'a CallArgs,
        receiver: Option<&'a str>,
        function: Option<&'a str>,
        vars: &[String],
        at: At<'a>,
    ) -> Ids {
        if let Some(task) = kwarg(call, "task_id").and_then(as_str) {
            return self.operator(call, task, at);
        }
        let Some(api) = apis::classify(&call.callee, receiver) else {
            return self.construct(call, receiver, function, at);
        };
        let var = vars.first().map(String::as_str);
        match api {
            Api::Read { path } => self.read(function, path.of(call), at),
            Api::Open => match apis::open(call) {
                (path, false) => self.read(function, path, at),
                (path, true) => self.write(function, path, &Ids::new(), at),
            },
            Api::Write { path, object } => {
                let objects = match (object.and_then(|o| o.of(call)), receiver) {
                    (Some(value), _) => self.refs(function, value, at),
                    (None, Some(name)) => self.lookup(function, name),
                    (None, None) => Ids::new(),
                };
                self.write(function, path.of(call), &objects, at);
                Ids::new()
            }
            Api::Query => {
                let tables = match apis::query(call) {
                    Some(Value::Str(sql)) => sql_tables(sql).ok_or("SQL query not simple"),
                    _ => Err("SQL query built at run time"),
                };
                let ids: Ids = match tables {
                    Ok(tables) => tables.iter().map(|t| self.table(t, at)).collect(),
                    Err(reason) => Ids::from([self.b.opaque(at, reason.to_string())]),
                };
                let consumer = self.consumer(function);
                for id in &ids {
                    self.b.edge(id, &consumer, EdgeKind::Reads, at);
                }
                ids
            }
            Api::ReadTable | Api::WriteTable => {
                let table = match apis::table(call) {
                    Some(Value::Str(t)) => self.table(t, at),
                    _ => self
                        .b
                        .opaque(at, "table name built at run time".to_string()),
                };
                let consumer = self.consumer(function);
                if matches!(api, Api::ReadTable) {
                    self.b.edge(&table, &consumer, EdgeKind::Reads, at);
                    Ids::from([table])
                } else {
                    self.b.edge(&consumer, &table, EdgeKind::Writes, at);
                    Ids::new()
                }
            }
            Api::Estimator | Api::Transformer => match var {
                Some(var) => {
                    let kind = if matches!(api, Api::Estimator) {
                        NodeKind::Model
                    } else {
                        NodeKind::Transform
                    };
                    let id = self.var_node(kind, function, var, at, &call.callee);
                    for name in call.kwargs.iter().filter_map(|(_, v)| as_name(v)) {
                        let configs = self.lookup(function, name);
                        for config in configs.iter().filter(|i| i.starts_with("config:")) {
                            self.b.edge(config, &id, EdgeKind::Configures, at);
                        }
                    }
                    Ids::from([id])
                }
                None => Ids::new(),
            },
            Api::MetaflowParameter => {
                let name = Arg {
                    pos: 0,
                    names: &["name"],
                }
                .of(call)
                .and_then(as_str)
                .or(var);
                let Some(name) = name else {
                    return Ids::new();
                };
                let id = format!("config:{}#{name}", self.file.path);
                let detail = Some(call.callee.clone());
                Ids::from([self.b.node(id, NodeKind::Config, name, at, detail)])
            }
            Api::Pipeline { make } => match var {
                Some(var) => self.pipeline(call, make, function, var, at),
                None => Ids::new(),
            },
            Api::ColumnTransformer { make } => match var {
                Some(var) => {
                    let id = self.var_node(NodeKind::Transform, function, var, at, &call.callee);
                    self.column_lists(call, make, &id, at);
                    Ids::from([id])
                }
                None => Ids::new(),
            },
            Api::Fit => {
                self.fit(call, receiver, function, at);
                Ids::new()
            }
            Api::KedroNode => self.kedro_node(call, function, at),
            Api::KedroPipeline => {
                let nodes = Arg {
                    pos: 0,
                    names: &["nodes"],
                }
                .of(call);
                let items = match nodes {
                    Some(Value::List(items)) => items.as_slice(),
                    _ => &[],
                };
                items
                    .iter()
                    .flat_map(|v| self.refs(function, v, at))
                    .collect()
            }
            Api::AirflowChain => {
                let groups: Vec<Ids> = call
                    .args
                    .iter()
                    .map(|v| self.refs(function, v, at))
                    .collect();
                for pair in groups.windows(2) {
                    self.depends(&pair[0], &pair[1], at);
                }
                Ids::new()
            }
            Api::SetStream { down } => {
                let this = receiver.map_or(Ids::new(), |r| self.lookup(function, r));
                let other: Ids = call
                    .args
                    .iter()
                    .flat_map(|v| self.refs(function, v, at))
                    .collect();
                if down {
                    self.depends(&this, &other, at);
                } else {
                    self.depends(&other, &this, at);
                }
                Ids::new()
            }
            Api::MetaflowNext => {
                if let Some((class, _)) = function.and_then(|f| f.rsplit_once('.')) {
                    let from = self.step(function.unwrap_or_default(), at, None);
                    for next in call.args.iter().filter_map(as_name) {
                        if let Some(step) = next.strip_prefix("self.") {
                            let to = self.step(&format!("{class}.{step}"), at, None);
                            self.b.edge(&from, &to, EdgeKind::DependsOn, at);
                        }
                    }
                }
                Ids::new()
            }
            Api::FeastEntity => self.feast_entity(call, var, at),
            Api::FeastSource => self.feast_source(call, function, at),
            Api::FeastView => self.feast_view(call, function, var, at),
            Api::FeastService => {
                let Some(name) = kwarg(call, "name").and_then(as_str).or(var) else {
                    return Ids::new();
                };
                let detail = Some("feast FeatureService".to_string());
                let service = self.feature(name, at, detail);
                let features = Arg {
                    pos: 1,
                    names: &["features"],
                }
                .of(call);
                for id in features.map_or(Ids::new(), |v| self.refs(function, v, at)) {
                    self.b.edge(&id, &service, EdgeKind::Derives, at);
                }
                Ids::from([service])
            }
            Api::FeastField => Ids::new(),
            Api::FeastRead => {
                let features = Arg {
                    pos: 1,
                    names: &["features"],
                }
                .of(call);
                let mut ids = features.map_or(Ids::new(), |v| self.refs(function, v, at));
                for name in features.map_or(Vec::new(), strings) {
                    let id = self.feature(name, at, None);
                    if let Some((_, field)) = name.split_once(':') {
                        let key = (function, field);
                        self.fields.entry(key).or_default().insert(id.clone());
                    }
                    ids.insert(id);
                }
                if !ids.is_empty() {
                    let consumer = self.consumer(function);
                    for id in &ids {
                        self.b.edge(id, &consumer, EdgeKind::Reads, at);
                    }
                }
                ids
            }
            Api::HydraInstantiate => self.instantiate(call, function, at),
            Api::AssignColumns | Api::WithColumn => {
                let frame = receiver.unwrap_or_default();
                for column in created_columns(api, call) {
                    self.columns.push(Column {
                        frame,
                        column,
                        write: true,
                        function,
                        line: at.line,
                        cell: at.cell,
                    });
                }
                receiver.map_or(Ids::new(), |r| self.lookup(function, r))
            }
        }
    }

    /// `table:NAME`, an artifact.
    fn table(&mut self, name: &str, at: At) -> String {
        self.b.artifact(
            &format!("table:{name}"),
            name,
            at,
            Some("table".to_string()),
        )
    }

    /// A call no table knows: an instance of a repo class stands for that
    /// class's node; anything else stands for what its receiver and
    /// arguments stand for (`train_test_split(X, y)`, `df.merge(other)`).
    fn construct(
        &mut self,
        call: &'a CallArgs,
        receiver: Option<&'a str>,
        function: Option<&'a str>,
        at: At<'a>,
    ) -> Ids {
        if receiver.is_none()
            && let Some(symbol) = self.index.symbol(self.file, &call.callee)
            && symbol.kind != super::index::SymbolKind::Function
        {
            let symbol = symbol.clone();
            return Ids::from([symbol_node(self.b, &symbol)]);
        }
        // A nested call has no receiver: its callee's root stands for it.
        let root = receiver.or_else(|| call.callee.split_once('.').map(|(r, _)| r));
        let mut ids = root.map_or(Ids::new(), |r| self.lookup(function, r));
        for value in call.args.iter().chain(call.kwargs.iter().map(|(_, v)| v)) {
            ids.extend(self.refs(function, value, at));
        }
        ids
    }

    /// `model.fit(X, y)`: the data and features of the arguments →
    /// `trains_on` → the receiver's models; when the receiver is no model
    /// (`trainer.fit(model, data)`), the first argument's models train on
    /// the rest. The fitting function `writes` the model.
    fn fit(
        &mut self,
        call: &'a CallArgs,
        receiver: Option<&str>,
        function: Option<&'a str>,
        at: At<'a>,
    ) {
        let is_model = |id: &String| id.starts_with("model:");
        let mut models: Ids = receiver
            .map_or(Ids::new(), |r| self.lookup(function, r))
            .into_iter()
            .filter(is_model)
            .collect();
        let mut values: Vec<&'a Value> = call.args.iter().collect();
        if models.is_empty() && !values.is_empty() {
            let first = values.remove(0);
            models = self
                .refs(function, first, at)
                .into_iter()
                .filter(is_model)
                .collect();
        }
        values.extend(call.kwargs.iter().map(|(_, v)| v));
        let data: Ids = values
            .into_iter()
            .flat_map(|v| self.refs(function, v, at))
            .filter(|id| !is_model(id))
            .collect();
        if models.is_empty() {
            return;
        }
        let consumer = self.consumer(function);
        for model in &models {
            for d in &data {
                self.b.edge(d, model, EdgeKind::TrainsOn, at);
            }
            self.b.edge(&consumer, model, EdgeKind::Writes, at);
        }
    }

    /// An sklearn `Pipeline`: a model `model:PATH#[FN.]VAR`, one stage per
    /// step `stage:PATH#[FN.]VAR/STEP` chained by `depends_on`; a step
    /// `runs` the transform or model its estimator names, the last step
    /// runs the pipeline's model. `make_pipeline` names steps by their
    /// lower-cased class name, as sklearn does.
    fn pipeline(
        &mut self,
        call: &'a CallArgs,
        make: bool,
        function: Option<&'a str>,
        var: &str,
        at: At<'a>,
    ) -> Ids {
        let model = self.var_node(NodeKind::Model, function, var, at, &call.callee);
        let steps: Vec<(String, &'a Value)> = if make {
            call.args
                .iter()
                .map(|v| (describe(v).to_lowercase(), v))
                .collect()
        } else {
            match (Arg {
                pos: 0,
                names: &["steps"],
            })
            .of(call)
            {
                Some(Value::List(items)) => items
                    .iter()
                    .filter_map(|item| match item {
                        Value::List(parts) => {
                            Some((as_str(parts.first()?)?.to_string(), parts.get(1)?))
                        }
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            }
        };
        let scope = function.map_or(String::new(), |f| format!("{f}."));
        let mut previous: Option<String> = None;
        for (i, (name, estimator)) in steps.iter().enumerate() {
            let id = format!("stage:{}#{scope}{var}/{name}", self.file.path);
            let stage = self
                .b
                .node(id, NodeKind::Stage, name, at, Some(describe(estimator)));
            match estimator {
                Value::Call(inner) => {
                    if let Some(Api::ColumnTransformer { make }) =
                        apis::classify(&inner.callee, None)
                    {
                        self.column_lists(inner, make, &stage, at);
                    }
                }
                other => {
                    for id in self.refs(function, other, at) {
                        self.b.edge(&stage, &id, EdgeKind::Runs, at);
                    }
                }
            }
            if i + 1 == steps.len() {
                self.b.edge(&stage, &model, EdgeKind::Runs, at);
            }
            if let Some(previous) = &previous {
                self.b.edge(previous, &stage, EdgeKind::DependsOn, at);
            }
            previous = Some(stage);
        }
        Ids::from([model])
    }

    /// The column lists of a `ColumnTransformer`: each column, a feature,
    /// `reads` → `consumer`; columns not listed literally are opaque.
    fn column_lists(&mut self, call: &'a CallArgs, make: bool, consumer: &str, at: At) {
        let items: &[Value] = if make {
            &call.args
        } else {
            match (Arg {
                pos: 0,
                names: &["transformers"],
            })
            .of(call)
            {
                Some(Value::List(items)) => items,
                _ => &[],
            }
        };
        for item in items {
            let Value::List(parts) = item else { continue };
            let Some(columns) = parts.get(if make { 1 } else { 2 }) else {
                continue;
            };
            let names = strings(columns);
            if names.is_empty() {
                // `make_column_selector(...)`, a slice, a callable, a name.
                let why = format!("columns chosen at run time: {}", describe(columns));
                let opaque = self.b.opaque(at, why);
                self.b.edge(&opaque, consumer, EdgeKind::Reads, at);
            }
            for column in names {
                let feature = self.feature(column, at, None);
                self.b.edge(&feature, consumer, EdgeKind::Reads, at);
            }
        }
    }

    /// A Kedro `node(func, inputs, outputs, name=)`: a stage
    /// `stage:PATH#NAME` (the function's name without `name=`) that runs
    /// the function; inputs are catalog datasets it reads, or parameters
    /// (`params:KEY`, `parameters`) that configure it; outputs are
    /// datasets it writes.
    fn kedro_node(&mut self, call: &'a CallArgs, function: Option<&'a str>, at: At<'a>) -> Ids {
        let func = Arg {
            pos: 0,
            names: &["func"],
        }
        .of(call);
        let name = kwarg(call, "name")
            .and_then(as_str)
            .map(str::to_string)
            .or_else(|| {
                func.and_then(as_name)
                    .map(|n| n.rsplit('.').next().unwrap_or(n).to_string())
            })
            .unwrap_or_else(|| format!("node@{}", at.line));
        let id = format!("stage:{}#{name}", self.file.path);
        let stage = self.b.node(
            id,
            NodeKind::Stage,
            &name,
            at,
            Some("kedro node".to_string()),
        );
        match func {
            Some(Value::Name(_)) | None => {
                for id in func.map_or(Ids::new(), |f| self.refs(function, f, at)) {
                    self.b.edge(&stage, &id, EdgeKind::Runs, at);
                }
            }
            Some(other) => {
                let opaque = self
                    .b
                    .opaque(at, format!("node function {}", describe(other)));
                self.b.edge(&stage, &opaque, EdgeKind::Runs, at);
            }
        }
        let inputs = Arg {
            pos: 1,
            names: &["inputs"],
        }
        .of(call);
        for input in inputs.map_or(Vec::new(), strings) {
            if input == "parameters" {
                let id = self.configs.kedro_param(self.b, "", at);
                self.b.edge(&id, &stage, EdgeKind::Configures, at);
            } else if let Some(key) = input.strip_prefix("params:") {
                let id = self.configs.kedro_param(self.b, key, at);
                self.b.edge(&id, &stage, EdgeKind::Configures, at);
            } else {
                let id = self.configs.kedro_dataset(self.b, input, at);
                self.b.edge(&id, &stage, EdgeKind::Reads, at);
            }
        }
        let outputs = Arg {
            pos: 2,
            names: &["outputs"],
        }
        .of(call);
        for output in outputs.map_or(Vec::new(), strings) {
            let id = self.configs.kedro_dataset(self.b, output, at);
            self.b.edge(&stage, &id, EdgeKind::Writes, at);
        }
        Ids::from([stage])
    }

    /// An Airflow operator (any call with a literal `task_id`): a stage
    /// `stage:PATH#TASK_ID` that runs its `python_callable` and the scripts
    /// of its `bash_command`, reads its `inlets` and writes its `outlets`.
    fn operator(&mut self, call: &'a CallArgs, task: &str, at: At<'a>) -> Ids {
        let id = format!("stage:{}#{task}", self.file.path);
        let stage = self
            .b
            .node(id, NodeKind::Stage, task, at, Some(call.callee.clone()));
        if let Some(callable) = kwarg(call, "python_callable") {
            let mut code = self.refs(None, callable, at);
            if code.is_empty() {
                let why = format!("python_callable {}", describe(callable));
                code.insert(self.b.opaque(at, why));
            }
            for id in code {
                self.b.edge(&stage, &id, EdgeKind::Runs, at);
            }
        }
        if let Some(cmd) = kwarg(call, "bash_command").and_then(as_str) {
            run_command(self.index, self.b, cmd, "", &stage, at);
        }
        for (key, kind) in [("inlets", EdgeKind::Reads), ("outlets", EdgeKind::Writes)] {
            let items = match kwarg(call, key) {
                Some(Value::List(items)) => items.as_slice(),
                _ => &[],
            };
            for item in items {
                let uri = match item {
                    Value::Call(c) => Arg {
                        pos: 0,
                        names: &["uri", "url", "path", "name"],
                    }
                    .of(c),
                    other => Some(other),
                };
                for artifact in self.path_artifacts(None, uri, at) {
                    match kind {
                        EdgeKind::Reads => self.b.edge(&artifact, &stage, kind, at),
                        _ => self.b.edge(&stage, &artifact, kind, at),
                    }
                }
            }
        }
        Ids::from([stage])
    }

    /// `upstream` stages `depends_on` → `downstream` stages.
    fn depends(&mut self, upstream: &Ids, downstream: &Ids, at: At) {
        let stages = |ids: &Ids| {
            ids.iter()
                .filter(|i| i.starts_with("stage:"))
                .cloned()
                .collect::<Vec<_>>()
        };
        for from in stages(upstream) {
            for to in stages(downstream) {
                self.b.edge(&from, &to, EdgeKind::DependsOn, at);
            }
        }
    }

    /// A stage for a step function or method `stage:PATH#QUALNAME`.
    fn step(&mut self, name: &str, at: At, detail: Option<String>) -> String {
        let at = match self.code.def(name) {
            Some((line, cell)) => self.at(line, cell),
            None => at,
        };
        let id = format!("stage:{}#{name}", self.file.path);
        self.b.node(id, NodeKind::Stage, name, at, detail)
    }

    /// Feast `Entity`: its join keys (else its name) as features.
    fn feast_entity(&mut self, call: &'a CallArgs, var: Option<&str>, at: At) -> Ids {
        let name = kwarg(call, "name")
            .or(call.args.first())
            .and_then(as_str)
            .or(var);
        let Some(name) = name else { return Ids::new() };
        let keys = kwarg(call, "join_keys").map_or(Vec::new(), strings);
        let keys = if keys.is_empty() { vec![name] } else { keys };
        let detail = format!("feast entity {name}");
        keys.into_iter()
            .map(|key| self.feature(key, at, Some(detail.clone())))
            .collect()
    }

    /// A Feast data source: its `path` (an artifact) or `table`.
    fn feast_source(&mut self, call: &'a CallArgs, function: Option<&'a str>, at: At) -> Ids {
        if let Some(table) = kwarg(call, "table").and_then(as_str) {
            return Ids::from([self.table(table, at)]);
        }
        match kwarg(call, "path") {
            Some(path) => self.path_artifacts(function, Some(path), at),
            None => Ids::new(),
        }
    }

    /// A Feast `FeatureView`: `feature:NAME`, derived from its entities'
    /// join keys and its source; each schema `Field` is `feature:NAME:FIELD`.
    fn feast_view(
        &mut self,
        call: &'a CallArgs,
        function: Option<&'a str>,
        var: Option<&str>,
        at: At<'a>,
    ) -> Ids {
        let Some(name) = kwarg(call, "name").and_then(as_str).or(var) else {
            return Ids::new();
        };
        let view = self.feature(name, at, Some("feast FeatureView".to_string()));
        for key in ["entities", "source"] {
            for id in kwarg(call, key).map_or(Ids::new(), |v| self.refs(function, v, at)) {
                self.b.edge(&id, &view, EdgeKind::Derives, at);
            }
        }
        let fields = match kwarg(call, "schema") {
            Some(Value::List(items)) => items.as_slice(),
            _ => &[],
        };
        for field in fields {
            let Value::Call(field) = field else { continue };
            let field_name = Arg {
                pos: 0,
                names: &["name"],
            }
            .of(field)
            .and_then(as_str);
            if let Some(field_name) = field_name {
                let id = self.feature(&format!("{name}:{field_name}"), at, None);
                self.b.edge(&view, &id, EdgeKind::Derives, at);
            }
        }
        Ids::from([view])
    }

    /// Hydra `instantiate(cfg.KEY)`: the `_target_`s configured at KEY;
    /// their config nodes configure the calling function. Unresolved, an
    /// opaque node.
    fn instantiate(&mut self, call: &'a CallArgs, function: Option<&'a str>, at: At) -> Ids {
        let config = Arg {
            pos: 0,
            names: &["config"],
        }
        .of(call);
        let Some(Value::Name(name)) = config else {
            let what = config.map_or("nothing".to_string(), describe);
            return Ids::from([self.b.opaque(at, format!("instantiate of {what}"))]);
        };
        let targets = self.configs.targets(strip_root(name));
        if targets.is_empty() {
            return Ids::from([self
                .b
                .opaque(at, format!("instantiate of `{name}`: no `_target_` found"))]);
        }
        let consumer = self.consumer(function);
        let mut ids = Ids::new();
        for (config, target) in targets {
            self.b.edge(config, &consumer, EdgeKind::Configures, at);
            ids.insert(target.clone());
        }
        ids
    }

    /// Step decorators (Metaflow, ZenML, Airflow `@task`) make the function
    /// a stage that runs it; `@hydra.main(config_path, config_name)` links
    /// the config file (relative to the script) to the function.
    fn decorator(&mut self, d: &'a DecoratorFact) {
        let at = self.at(d.line, d.cell);
        let callee = d.decorator.callee.as_str();
        let root = callee.split('.').next().unwrap_or_default();
        let last = callee.rsplit('.').next().unwrap_or_default();
        let is_task = root == "airflow" && callee.split('.').any(|p| p == "task");
        if matches!((root, last), ("metaflow" | "zenml", "step")) || is_task {
            let stage = match kwarg(&d.decorator, "task_id").and_then(as_str) {
                Some(task) => {
                    let id = format!("stage:{}#{task}", self.file.path);
                    self.b
                        .node(id, NodeKind::Stage, task, at, Some(callee.to_string()))
                }
                None => self.step(&d.target, at, Some(callee.to_string())),
            };
            let code = self.consumer(Some(&d.target));
            self.b.edge(&stage, &code, EdgeKind::Runs, at);
        } else if (root, last) == ("hydra", "main") {
            let dir = kwarg(&d.decorator, "config_path").and_then(as_str);
            let name = kwarg(&d.decorator, "config_name").and_then(as_str);
            let (Some(dir), Some(name)) = (dir, name) else {
                return;
            };
            let base = normalize(dir_of(&self.file.path), dir).unwrap_or_default();
            let path = normalize(&base, &format!("{name}.yaml")).unwrap_or_default();
            let found = self.index.file(&path).is_some();
            let node_at = if found { At::new(&path, 1, None) } else { at };
            let detail = (!found).then(|| "not in the scan".to_string());
            let config = self.b.node(
                format!("config:{path}"),
                NodeKind::Config,
                &path,
                node_at,
                detail,
            );
            let code = self.consumer(Some(&d.target));
            self.b.edge(&config, &code, EdgeKind::Configures, at);
        }
    }

    /// `a >> b`: the stages bound to `a` `depends_on` → those of `b`.
    fn flow(&mut self, flow: &FlowFact) {
        let at = self.at(flow.line, flow.cell);
        let up: Ids = flow
            .upstream
            .iter()
            .flat_map(|n| self.lookup_anywhere(n))
            .collect();
        let down: Ids = flow
            .downstream
            .iter()
            .flat_map(|n| self.lookup_anywhere(n))
            .collect();
        self.depends(&up, &down, at);
    }

    /// Columns by statement (function and line): each column is a feature
    /// `feature:NAME`; a written column `derives` from the columns read in
    /// the same statement, else from the artifacts of its frame; a read
    /// column derives from the artifacts of its frame and from the Feast
    /// fields of its name the function fetched; the function `writes` the
    /// columns it creates.
    fn link_columns(&mut self) {
        let columns = std::mem::take(&mut self.columns);
        let mut statements: BTreeMap<Statement, Vec<&Column>> = BTreeMap::new();
        for c in &columns {
            statements
                .entry((c.function, c.line, c.cell))
                .or_default()
                .push(c);
        }
        for ((function, line, cell), group) in statements {
            let at = self.at(line, cell);
            let mut read = Ids::new();
            for c in group.iter().filter(|c| !c.write) {
                let feature = self.feature(c.column, at, None);
                self.frame_derives(function, c, &feature, at);
                for field in self.fields.get(&(function, c.column)).into_iter().flatten() {
                    self.b.edge(field, &feature, EdgeKind::Derives, at);
                }
                read.insert(feature);
            }
            for c in group.iter().filter(|c| c.write) {
                let feature = self.feature(c.column, at, None);
                if read.is_empty() {
                    self.frame_derives(function, c, &feature, at);
                }
                for r in &read {
                    self.b.edge(r, &feature, EdgeKind::Derives, at);
                }
                let consumer = self.consumer(function);
                self.b.edge(&consumer, &feature, EdgeKind::Writes, at);
            }
        }
    }

    /// The artifacts a frame was read from `derives` → the feature of
    /// its column `column`.
    fn frame_derives(&mut self, function: Option<&str>, c: &Column, feature: &str, at: At) {
        if !c.frame.is_empty() {
            let sources = self.lookup(function, c.frame);
            self.source_derives(&sources, c.column, feature, at);
        }
    }

    /// The artifacts among `sources` `derives` → the feature of `column`,
    /// unless the file writes that column (it is then computed, not read).
    fn source_derives(&mut self, sources: &Ids, column: &str, feature: &str, at: At) {
        if self.code.written.contains(column) {
            return;
        }
        for artifact in sources.iter().filter(|i| is_artifact(i)) {
            self.b.edge(artifact, feature, EdgeKind::Derives, at);
        }
    }
}

/// The columns a file writes: column writes, and the columns of
/// `assign`/`with_columns`/`withColumn` calls.
fn written_columns(file: &FileReport) -> BTreeSet<&str> {
    let lineage = &file.facts.lineage;
    let mut written: BTreeSet<&str> = lineage
        .columns
        .iter()
        .filter(|c| c.write)
        .map(|c| c.column.as_str())
        .collect();
    for c in &lineage.calls {
        if let Some(api) = apis::classify(&c.call.callee, c.receiver.as_deref()) {
            written.extend(created_columns(api, &c.call));
        }
    }
    written
}

/// The columns a call creates: the keywords of `assign`/`with_columns`,
/// the first argument of `withColumn`.
fn created_columns(api: Api, call: &CallArgs) -> Vec<&str> {
    match api {
        Api::AssignColumns => call.kwargs.iter().map(|(k, _)| k.as_str()).collect(),
        Api::WithColumn => call.args.first().and_then(as_str).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A config read's key without its root: `cfg.train.lr` → `train.lr`,
/// `self.hparams.lr` → `lr`.
pub fn strip_root(key: &str) -> &str {
    let key = key.strip_prefix("self.").unwrap_or(key);
    key.split_once('.').map_or("", |(_, rest)| rest)
}

/// The reason a dynamic point is opaque; `None` for Hydra's, which the
/// linker resolves through the configs.
/// The start of the reason of a path read from a config key.
pub(super) const CONFIG_PATH: &str = "path from config";
/// The reason of a reader or writer called without a path.
pub(super) const NO_PATH: &str = "no path argument";

/// Whether an opaque node's reason is dynamic indirection
/// (`WHAT: detail`, `WHAT` from [`opaque_kind`]).
pub(super) fn is_dynamic_reason(reason: &str) -> bool {
    reason.split_once(": ").is_some_and(|(what, _)| {
        DynamicKind::ALL
            .iter()
            .any(|&kind| opaque_kind(kind) == Some(what))
    })
}

fn opaque_kind(kind: DynamicKind) -> Option<&'static str> {
    Some(match kind {
        DynamicKind::Getattr => "getattr dispatch",
        DynamicKind::ImportModule | DynamicKind::DunderImport => "dynamic import",
        DynamicKind::Eval => "eval",
        DynamicKind::Exec => "exec",
        DynamicKind::RegistryDecorator => "registry",
        DynamicKind::HydraInstantiate | DynamicKind::HydraTarget => return None,
    })
}

fn kwarg<'v>(call: &'v CallArgs, name: &str) -> Option<&'v Value> {
    call.kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn as_str(value: &Value) -> Option<&str> {
    match value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

fn as_name(value: &Value) -> Option<&str> {
    match value {
        Value::Name(s) => Some(s),
        _ => None,
    }
}

/// The strings of a string, a list of strings, or a dict's string values.
fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::Str(s) => vec![s],
        Value::List(items) => items.iter().filter_map(as_str).collect(),
        Value::Dict(pairs) => pairs.iter().filter_map(|(_, v)| as_str(v)).collect(),
        _ => Vec::new(),
    }
}

/// A short description of a value: a call's class name, a name.
fn describe(value: &Value) -> String {
    match value {
        Value::Call(c) => c.callee.rsplit('.').next().unwrap_or(&c.callee).to_string(),
        Value::Name(n) => n.rsplit('.').next().unwrap_or(n).to_string(),
        Value::Opaque(why) => why.clone(),
        _ => "a value".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_roots_are_dropped() {
        assert_eq!(strip_root("cfg.train.lr"), "train.lr");
        assert_eq!(strip_root("self.hparams.lr"), "lr");
        assert_eq!(strip_root("params"), "");
    }
}
