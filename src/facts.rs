//! The facts extracted from one file: a pure function of (language, bytes,
//! analysis options). Nothing here depends on the file's path or on other
//! files, so facts can later be cached by content hash and reused across
//! revisions. Path-dependent data (role, component) lives in
//! [`crate::scan::FileReport`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Source language of a scanned file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    Notebook,
    Rust,
    Yaml,
    Toml,
    Json,
}

impl Language {
    pub const ALL: [Language; 6] = [
        Language::Python,
        Language::Notebook,
        Language::Rust,
        Language::Yaml,
        Language::Toml,
        Language::Json,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Notebook => "notebook",
            Language::Rust => "rust",
            Language::Yaml => "yaml",
            Language::Toml => "toml",
            Language::Json => "json",
        }
    }

    /// Configuration formats, as opposed to code.
    pub fn is_config(self) -> bool {
        matches!(self, Language::Yaml | Language::Toml | Language::Json)
    }
}

/// Line counts in radon's `raw` vocabulary (see docs/SCHEMA.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lines {
    /// Physical lines.
    pub loc: u32,
    /// Logical lines (statements).
    pub lloc: u32,
    /// Source lines: physical lines that hold code.
    pub sloc: u32,
    /// Lines holding a comment (alone or after code).
    pub comments: u32,
    /// Lines of multi-line strings used as statements (docstrings).
    pub multi: u32,
    /// Blank lines.
    pub blank: u32,
    /// Lines holding only a comment.
    pub single_comments: u32,
}

impl std::ops::AddAssign for Lines {
    fn add_assign(&mut self, o: Lines) {
        self.loc += o.loc;
        self.lloc += o.lloc;
        self.sloc += o.sloc;
        self.comments += o.comments;
        self.multi += o.multi;
        self.blank += o.blank;
        self.single_comments += o.single_comments;
    }
}

/// What kind of callable a [`Function`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FunctionKind {
    /// A module-level function (Python) or free `fn` (Rust).
    Function,
    /// A function defined directly in a class body, `impl` or `trait`.
    Method,
    /// A function defined inside another function.
    Nested,
    /// A Rust closure, reported on its own.
    Closure,
}

/// Metrics of one function, method, nested function or closure. Functions
/// are reported flat: a nested function's decisions are not part of its
/// parent's numbers (radon's rule), except in `--cc-rules mccabe`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Function {
    /// Qualified name: `Class.method`, `outer.inner`, `Type::method`.
    pub name: String,
    pub kind: FunctionKind,
    /// 1-based line of the `def`/`fn` keyword (within the cell for notebooks).
    pub line: u32,
    pub end_line: u32,
    /// 1-based notebook cell, for functions found in notebooks.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
    pub cyclomatic: u32,
    pub cognitive: u32,
    /// Deepest nesting of control structures inside the body (0 = flat).
    pub nesting: u32,
    pub lines: Lines,
    /// Declared parameters, excluding `self`/`cls` of methods.
    pub params: u32,
    /// Parameters with a type annotation (Rust parameters are always typed).
    pub annotated_params: u32,
    /// Whether a return type is declared.
    pub returns_annotated: bool,
    pub has_docstring: bool,
    pub is_async: bool,
}

/// Where an import statement sits, for import-graph resolution later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// The imported module as written (`a.b` in `import a.b` or
    /// `from a.b import c`; empty for `from . import c`).
    pub module: String,
    /// Names imported by `from … import names` (`*` for star imports).
    pub names: Vec<String>,
    /// Number of leading dots of a relative import (0 = absolute).
    pub level: u32,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
    /// Inside a function body (a lazy import).
    pub in_function: bool,
    /// Under `if TYPE_CHECKING:` (not a runtime dependency).
    pub type_checking: bool,
    /// Inside a `try` block (an optional dependency).
    pub in_try: bool,
}

/// A class definition with its base classes as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    /// Qualified name (`Outer.Inner`, `func.Local`).
    pub name: String,
    pub line: u32,
    pub end_line: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
    /// Base class expressions as written (`nn.Module`, `BaseEstimator`).
    pub bases: Vec<String>,
    pub has_docstring: bool,
}

/// A kind of dynamic indirection that a static reader cannot follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DynamicKind {
    /// `getattr(obj, name)` with a non-literal name.
    Getattr,
    /// `importlib.import_module(...)`.
    ImportModule,
    /// `__import__(...)`.
    DunderImport,
    Eval,
    Exec,
    /// Hydra `instantiate(...)` / `call(...)`.
    HydraInstantiate,
    /// A `_target_` key in code or config.
    HydraTarget,
    /// A decorator that registers the function or class in a registry
    /// (`@registry.register(...)`, `@register_model`).
    RegistryDecorator,
}

impl DynamicKind {
    pub const ALL: [DynamicKind; 8] = [
        DynamicKind::Getattr,
        DynamicKind::ImportModule,
        DynamicKind::DunderImport,
        DynamicKind::Eval,
        DynamicKind::Exec,
        DynamicKind::HydraInstantiate,
        DynamicKind::HydraTarget,
        DynamicKind::RegistryDecorator,
    ];
}

/// One place of dynamic indirection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DynamicPoint {
    pub kind: DynamicKind,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
    /// The call or decorator as written, shortened.
    pub detail: String,
}

/// Rust module structure: `use` and `mod` items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustUse {
    /// The imported path as written, `::`-separated (`crate::a::b`,
    /// `std::collections::HashMap`, `serde::*`).
    pub path: String,
    pub line: u32,
    /// The inline modules (`mod x { … }`) around the item, `::`-joined;
    /// empty at file level.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustMod {
    pub name: String,
    pub line: u32,
    /// `mod x { ... }` (true) versus `mod x;` (false).
    pub inline: bool,
    /// The inline modules around this one, as for [`RustUse::scope`].
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub scope: String,
}

/// The recognised kind of a configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigKind {
    DvcPipeline,
    DvcLock,
    Params,
    Hydra,
    KedroCatalog,
    KedroParameters,
    FeastFeatureStore,
    MlflowProject,
    Pyproject,
    Generic,
}

/// A pipeline stage declared in a config (a DVC stage, an MLproject entry
/// point).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigStage {
    pub name: String,
    pub line: u32,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub cmd: String,
    pub deps: Vec<String>,
    pub outs: Vec<String>,
    /// Parameter keys the stage reads (`params:` in DVC).
    pub params: Vec<String>,
}

/// A dataset declared in a data catalog (Kedro `catalog.yml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigDataset {
    pub name: String,
    pub line: u32,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub r#type: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub path: String,
}

/// A `_target_` reference (Hydra) with the dotted key path holding it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigTarget {
    pub key: String,
    pub target: String,
    pub line: u32,
}

/// A list of strings in a config (`columns: [price, qty]`): a candidate
/// feature list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigList {
    /// The dotted key path holding it, as in [`ConfigFacts::params`]
    /// (`features.columns`, `models[].features`).
    pub key: String,
    /// Line of the key (0 when unknown).
    pub line: u32,
    /// The first [`ConfigList::MAX_VALUES`] strings, as written.
    pub values: Vec<String>,
}

/// A scalar leaf of a config (`train.lr: 0.01`), or a list of scalars at a
/// key (`layers: [64, 32]` → key `layers[]`, value `[64, 32]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigValue {
    /// The dotted key path, as in [`ConfigFacts::params`].
    pub key: String,
    /// The value as text: booleans `true`/`false`, `null`, numbers as
    /// parsed, strings as written, quoted when they would read as one of
    /// those (`"false"`, `"1"`).
    pub value: String,
    /// Line of the key (0 when unknown).
    pub line: u32,
}

impl ConfigValue {
    /// Longest value kept, in characters; longer values are left out.
    pub const MAX_CHARS: usize = 256;
}

impl ConfigList {
    pub const MAX_VALUES: usize = 64;
    /// Longest string of a list; a list holding a longer one is not kept.
    pub const MAX_CHARS: usize = 256;
}

/// Facts of one configuration file, raw material for lineage linking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigFacts {
    pub kind: ConfigKind,
    /// YAML documents in the file (1 for TOML and JSON).
    pub documents: u32,
    /// Number of mapping keys, all levels.
    pub keys: u32,
    /// Deepest nesting of mappings and sequences (a flat mapping is 1).
    pub depth: u32,
    /// Dotted paths of leaf keys (`train.lr`, `model.layers`), sorted,
    /// capped at [`ConfigFacts::MAX_KEYS_LISTED`].
    pub params: Vec<String>,
    pub stages: Vec<ConfigStage>,
    pub datasets: Vec<ConfigDataset>,
    pub targets: Vec<ConfigTarget>,
    /// Hydra `defaults:` entries as written (`model: resnet`, `_self_`).
    pub defaults: Vec<String>,
    /// Non-empty lists made only of strings, under a key, in file order;
    /// at most [`ConfigFacts::MAX_LISTS`].
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub lists: Vec<ConfigList>,
    /// Scalar values in file order, at most [`ConfigFacts::MAX_KEYS_LISTED`];
    /// only in params, Kedro parameters, Hydra and generic YAML and TOML
    /// files (the settings of an ML project, not data).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub values: Vec<ConfigValue>,
    /// The crate a `Cargo.toml` builds: `[lib] name`, else `[package] name`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub package: Option<String>,
}

impl ConfigFacts {
    pub const MAX_KEYS_LISTED: usize = 5000;
    pub const MAX_LISTS: usize = 500;
}

/// A problem met while reading or parsing a file. The scan goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
    pub message: String,
}

impl Problem {
    pub fn new(line: u32, message: impl Into<String>) -> Self {
        Problem {
            line,
            cell: None,
            message: message.into(),
        }
    }
}

/// Per-file metric totals that are not plain sums of the function list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileMetrics {
    /// Python: radon's module `total_complexity` (module-level decisions
    /// plus top-level functions and classes, closures excluded), always
    /// under radon's rules since it feeds the Maintainability Index.
    /// Rust: the sum over all functions and closures.
    pub cyclomatic_total: u32,
    /// Halstead volume of the whole file (Python only).
    pub halstead_volume: f64,
    /// radon's Maintainability Index, 0–100 (Python only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub maintainability: Option<f64>,
    /// Python: calls in the file.
    #[serde(skip_serializing_if = "is_zero", default)]
    pub calls: u32,
    /// Python: calls of a name imported from an ML, data or feature
    /// framework (`torch.tensor`, `pd.DataFrame`, `train_test_split`; see
    /// `rules/externals.toml`), by top-level package.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub framework_calls: BTreeMap<String, u32>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A value written in code, as far as a static reader can tell. Bounded:
/// lists, dicts and argument lists keep at most 64 items, nesting at most 4
/// levels, and one fact holds at most 256 values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Value {
    /// A string literal (implicit concatenations joined; no f-strings),
    /// escapes as written, cut at 256 characters (then ending in `…`).
    Str(String),
    /// A number, `True`/`False`/`None`, as written.
    Const(String),
    /// A list, tuple or set literal.
    List(Vec<Value>),
    /// A dict literal: (key, value) pairs.
    Dict(Vec<(Value, Value)>),
    /// A name or attribute chain: `clean`, `self.train`, `cfg.data.path`,
    /// resolved through the file's imports when its root is imported
    /// (`pd.DataFrame` → `pandas.DataFrame`).
    Name(String),
    /// A call, with its resolved callee and arguments.
    Call(Box<CallArgs>),
    /// A subscript with a string key: `fv[["a", "b"]]` → base `fv`.
    Subscript { base: String, keys: Vec<String> },
    /// Anything else (f-strings, arithmetic, comprehensions): the reason a
    /// static reader cannot resolve it: `f-string`, `lambda`,
    /// `comprehension`, `splat` (`*x`), `expression`, or `depth`/`size`
    /// where the bounds cut the value.
    Opaque(String),
}

/// A callee and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallArgs {
    /// The callee resolved through the file's imports (`pandas.read_csv`,
    /// `sklearn.pipeline.Pipeline`, `kedro.pipeline.node`); relative
    /// imports keep their dots (`..nodes.clean`); a method on a local value
    /// is written as `receiver.method` (`df.to_parquet`); in a method chain
    /// calls and subscripts are elided (`spark.read.format("csv").load(p)`
    /// → `spark.read.format.load`, `pd.read_csv(p).to_parquet(q)` →
    /// `pandas.read_csv.to_parquet`).
    pub callee: String,
    pub args: Vec<Value>,
    /// Keyword arguments in source order; `**x` is stored under `**`.
    pub kwargs: Vec<(String, Value)>,
}

/// A call that matters for lineage (the API tables are in
/// `rules/lineage.toml`): readers, writers, estimators, pipeline and
/// feature-store constructors, `fit`, `next`, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallFact {
    #[serde(flatten)]
    pub call: CallArgs,
    /// For a method call on a local value, that value (`df`, `self`,
    /// `model`); for a method chain, its root name (`df` in
    /// `df.groupby("a").sum().to_csv(p)`); `None` for plain function calls
    /// and for chains that start at an import or a call (`f(x).save(p)`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub receiver: Option<String>,
    /// Names the result is assigned to (`x = …`, `x, y = …`, `self.m = …`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub assigned_to: Vec<String>,
    /// Qualified name of the enclosing function (`None` at module level).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub function: Option<String>,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
}

/// A dataframe column written or read with a literal name:
/// `df["x"] = …`, `df.loc[:, "x"] = …`, `df.assign(x=…)`,
/// `df.withColumn("x", …)` (write), `df["x"]`, `df[["a", "b"]]`,
/// `pl.col("x")` (read). The frame is a name known as one in the file:
/// assigned a reader's result (`pd.read_csv`), a frame method's
/// (`df.merge`) or a selection (`df[cols]`), a parameter named `df`, `X_*`,
/// … or annotated `pd.DataFrame`, or used as one (`x.to_parquet`); see
/// `rules/lineage.toml` `[frames]`. Dunder and punctuation-only keys are
/// not columns. Listed once per (function, frame, column, write):
/// the first occurrence, and again in each statement (function and line)
/// that both writes and reads columns, for its derivations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnFact {
    /// The frame as written (`df`, `orders`); empty for `pl.col("x")`.
    pub frame: String,
    pub column: String,
    pub write: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub function: Option<String>,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
}

/// A task dependency written with bit shifts (Airflow): `a >> b`,
/// `[a, b] >> c`, `a >> b >> c` (one fact per `>>`), `a << b` (stored as
/// `b >> a`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowFact {
    pub upstream: Vec<String>,
    pub downstream: Vec<String>,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
}

/// A configuration key read in code: `cfg.train.lr`, `params["train"]["lr"]`
/// (stored as `params.train.lr`), `self.hparams.lr`, `cfg.get("lr")`, on
/// roots named like configs (`cfg`, `config`, `conf`, `params`, `hparams`,
/// `args`, `self.cfg`, …; the list is in `rules/lineage.toml`). The longest
/// key of a chain only; listed once per (function, key): the first
/// occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigRead {
    /// The dotted path, root included (`cfg.train.lr`).
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub function: Option<String>,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
}

/// A decorator on a function or class, resolved through imports
/// (`metaflow.step`, `airflow.decorators.task`, `hydra.main`); a decorator
/// that is not a call (`@step`) has no arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecoratorFact {
    /// Qualified name of the decorated function or class.
    pub target: String,
    pub decorator: CallArgs,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
}

/// Raw material for the lineage graph, extracted from Python code. Linking
/// across files happens later, in `map`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeLineage {
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub calls: Vec<CallFact>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub columns: Vec<ColumnFact>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub flows: Vec<FlowFact>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub config_reads: Vec<ConfigRead>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub decorators: Vec<DecoratorFact>,
    /// The file has an `if __name__ == "__main__":` block (a script).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub main_guard: bool,
}

impl CodeLineage {
    pub fn is_empty(&self) -> bool {
        *self == CodeLineage::default()
    }
}

/// An inline suppression comment: `# mlscan: ignore[MLS001, long-file]`
/// (`// mlscan: ignore[…]` in Rust) silences those rules on its line, or
/// every rule without brackets; `mlscan: ignore-file[…]` anywhere in a
/// comment silences them in the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<u32>,
    /// Rule ids or names as written; empty = every rule.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub rules: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub whole_file: bool,
}

/// Everything learned from one file's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    pub language: Language,
    pub lines: Lines,
    pub metrics: FileMetrics,
    /// True when the parser met syntax errors: metrics then cover what parsed.
    pub syntax_errors: bool,
    pub functions: Vec<Function>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub classes: Vec<Class>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub imports: Vec<Import>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub dynamic: Vec<DynamicPoint>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub uses: Vec<RustUse>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub mods: Vec<RustMod>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub config: Option<ConfigFacts>,
    /// Python lineage material (calls, columns, flows, config reads).
    #[serde(skip_serializing_if = "CodeLineage::is_empty", default)]
    pub lineage: CodeLineage,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub suppressions: Vec<Suppression>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub problems: Vec<Problem>,
}

impl FileFacts {
    /// Empty facts for a file of `language`, to be filled by a parser.
    pub fn empty(language: Language) -> Self {
        FileFacts {
            language,
            lines: Lines::default(),
            metrics: FileMetrics::default(),
            syntax_errors: false,
            functions: Vec::new(),
            classes: Vec::new(),
            imports: Vec::new(),
            dynamic: Vec::new(),
            uses: Vec::new(),
            mods: Vec::new(),
            config: None,
            lineage: CodeLineage::default(),
            suppressions: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// Which cyclomatic-complexity rule set to apply to Python.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CcRules {
    /// radon 6.0.1 `cc`: boolean operators, comprehensions, ternaries,
    /// loop/try `else` and `assert` count; closures are separate.
    #[default]
    Radon,
    /// mccabe / ruff C901: statements only; nested functions are added to
    /// their parent.
    Mccabe,
}

/// Options that change what a parser computes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AnalysisOptions {
    pub cc_rules: CcRules,
}
