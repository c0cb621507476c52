//! The import graph of a scanned repository: Python and Rust modules, the
//! resolved import edges between them, external dependencies by category,
//! fan-in/fan-out/instability per module and per component, the
//! component-level graph, and import cycles with a suggested edge to cut.
//! Built from the scan's per-file facts only: nothing is read or executed.
//!
//! # Python modules (grimp's rules, with the differences marked *)
//!
//! - **Import roots**: the scan root, `src/` when it holds no
//!   `__init__.py` (a src layout), and *every folder whose name is not an
//!   identifier (it can only be a `sys.path` entry: a checkout such as
//!   `scikit-learn-1.9.1/`, or `my-scripts/`). A file's module name is its
//!   path from its innermost root with `/` read as `.`
//!   (`src/shop/models/net.py` → `shop.models.net`, `shop/__init__.py` →
//!   `shop`, `my-scripts/train.py` → `train`). Any number of top-level
//!   packages and modules sit side by side.
//! - **Namespace packages** (PEP 420): every folder holding Python files
//!   without an `__init__.py` is a module of kind `namespace`, located at
//!   the folder. *A folder without `__init__.py` inside a regular package
//!   is one too (Python 3 imports it; grimp skips these "orphans").
//! - **Not importable by name**, and so importers only, named by their
//!   path (kind `importer`): notebooks; file names with more than one
//!   dot; an `__init__.py` at an import root; a file shadowed by another
//!   of the same module name (a package beats a module, which beats a
//!   folder; then the first path in order wins: `pkg/x.py` beats
//!   `src/pkg/x.py`).
//! - *`.pyi` **stubs**: a stub beside its `.py` is ignored (the module is
//!   the `.py`); a stub alone (typing for a compiled extension) is a module
//!   of kind `stub`, and its imports are `type_checking` edges. grimp
//!   ignores all stubs; ruff includes them.
//! - **Resolution** of a candidate `X` (`import X`, or `M.name` for each
//!   name of `from M import name`; `*` counts as a name): `X` if it is a
//!   module, else its immediate parent if that is one
//!   (`from pkg import CONST` → `pkg`, `import pkg.missing` → `pkg`), else
//!   nothing; parents of the target are not added. Relative imports are
//!   made absolute first: level `n` climbs `n - 1` packages from the
//!   importer's package (the importer itself for an `__init__.py`, else its
//!   parent); climbing to or above an import root leaves it unresolved.
//!   *When an absolute import does not resolve from the roots, two
//!   fallbacks follow: `src.X` is read as `X` in a src layout, and `X` is
//!   tried below the importer's nearest folder that is not a regular
//!   package (a script's own folder, or the folder holding a nested
//!   project's top-level package: what `sys.path[0]` would be).
//! - An absolute import that still does not resolve is **external**,
//!   grouped under its top-level name, unless that name is a module of the
//!   repository (then it is listed as unresolved, like every relative
//!   import that does not resolve). *A top-level namespace folder named
//!   like a known distribution or standard module (`datasets/`,
//!   `logging/`: any name of `rules/externals.toml`) only captures imports
//!   of the modules it holds (`from datasets import local`); `import
//!   datasets` or `from datasets import load_dataset` stay external, since
//!   Python finds the regular package first.
//! - **Edge kinds**, one per statement (the first that applies):
//!   `type_checking` (under `if TYPE_CHECKING:`, or in a stub), `function`
//!   (inside a function: runs only when called), `try` (in a `try` or
//!   `except` block: optional), `module` (runs at import). An import that
//!   resolves to its own module adds no edge.
//!
//! # Rust modules
//!
//! - **Crates** are folders holding a `Cargo.toml`, named by its
//!   `[lib] name` or `[package] name`, else by the folder (`-` read as `_`;
//!   `crate` at the scan root); a crate whose name is taken (by another
//!   crate, or by a Python module such as a PyO3 package of the same
//!   name) is named `name[folder]`.
//! - **Module paths** from file paths: `src/lib.rs` (or `src/main.rs`
//!   without a `lib.rs`) is the crate root `<crate>`; `src/a.rs` and
//!   `src/a/mod.rs` are `<crate>::a`, `src/a/b.rs` is `<crate>::a::b`;
//!   `src/bin/x.rs` and `src/bin/x/main.rs` are `<crate>::bin::x` (a crate
//!   root of their own); `src/main.rs` beside a `lib.rs` is
//!   `<crate>::main`, sharing the library's module tree. Other `.rs` files
//!   (`tests/`, `benches/`, `examples/`, `build.rs`, files outside any
//!   crate) are importers named by their path.
//! - `mod x { … }` adds an `inline` module; `mod x;` without a file in the
//!   scan (generated, `#[path]`, excluded) adds a `declared` module located
//!   at its declaration, so uses of it still resolve.
//! - **`use` paths**: `crate::` from the file's crate root, `self::` and
//!   `super::` from the module the `use` sits in (inline modules
//!   included), a leading name that is a child module of the current
//!   module (2018 paths), or the name of another crate of the repository.
//!   The edge goes to the longest prefix of the path that is a module
//!   (`use crate::a::b::Item` → `<crate>::a::b`). A leading name in upper
//!   case is an item in scope (`use Kind::*` after importing an enum) and
//!   adds nothing; every other leading name is an external crate (`std`,
//!   `core`, `alloc` are `stdlib`). All Rust edges are of kind `module`;
//!   `mod` items are containment, not edges.
//!
//! # Graph facts
//!
//! Fan-in and fan-out count distinct modules (all edge kinds);
//! instability = fan-out / (fan-in + fan-out), 0 for an isolated module.
//! Components (from the scan) get the same, over edges between different
//! components; a component edge's `weight` is the number of distinct module
//! pairs behind it. Cycles are the strongly connected components of more
//! than one module, twice: `runtime` (without `type_checking` edges) and
//! `all`; see [`Cycle`] for the short cycle and the suggested cut.

pub mod algo;
mod cycles;
mod externals;
mod python;
mod rust;

use foldhash::HashMap;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use cycles::{Cut, Cycle, Cycles};
pub use externals::{Category, category};

use crate::facts::Language;
use crate::report::FileReport;

/// The import graph of a repository. Every list is sorted.
#[derive(Debug, Clone, Serialize)]
pub struct ImportGraph {
    /// All modules, sorted by name.
    pub modules: Vec<Module>,
    /// One edge per resolved import statement and target, sorted by
    /// (from, to, path, line).
    pub edges: Vec<ImportEdge>,
    /// Distinct (from, to) module pairs among `edges`.
    pub module_pairs: usize,
    pub externals: Vec<External>,
    /// Imports that look internal but name no module (relative imports
    /// that climb too far or name nothing, `import pkg.missing.deeper`).
    pub unresolved: Vec<Unresolved>,
    pub components: Vec<ComponentNode>,
    pub component_edges: Vec<ComponentEdge>,
    pub cycles: Cycles,
}

impl ImportGraph {
    /// The module graph (distinct pairs, every kind) for queries such as
    /// [`algo::reachable`]; node indices follow `modules`.
    pub fn digraph(&self) -> algo::Digraph<'_> {
        algo::Digraph::new(
            self.modules.iter().map(|m| m.name.as_str()),
            self.edges.iter().map(|e| (e.from.as_str(), e.to.as_str())),
        )
    }
}

/// What a module node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModuleKind {
    /// A Python `__init__.py`.
    Package,
    /// A Python or Rust module file.
    Module,
    /// A Python folder without `__init__.py`.
    Namespace,
    /// A Python `.pyi` without its `.py`.
    Stub,
    /// A Rust crate root (`lib.rs`, `main.rs`, `bin/*.rs`).
    Crate,
    /// A Rust `mod x { … }`.
    Inline,
    /// A Rust `mod x;` whose file is not in the scan.
    Declared,
    /// A file that imports but cannot be imported by name (notebooks,
    /// scripts in odd folders, Rust tests): named by its path.
    Importer,
}

/// One module with its place and its graph facts.
#[derive(Debug, Clone, Serialize)]
pub struct Module {
    /// Dotted (`shop.models.net`) or `::` path (`fastfeat::window`); the
    /// file path for importers.
    pub name: String,
    pub kind: ModuleKind,
    pub language: Language,
    /// The file holding the module (the folder, for a namespace package).
    pub path: String,
    pub component: String,
    /// Distinct modules importing this one.
    pub fan_in: u32,
    /// Distinct modules this one imports.
    pub fan_out: u32,
    pub instability: f64,
}

/// How an import statement runs; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    Module,
    Function,
    Try,
    TypeChecking,
}

/// One import statement resolved to one module of the repository.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ImportEdge {
    pub from: String,
    pub to: String,
    /// The file holding the statement.
    pub path: String,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    pub kind: EdgeKind,
}

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub path: String,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
}

/// An external dependency, by top-level import name.
#[derive(Debug, Clone, Serialize)]
pub struct External {
    pub name: String,
    /// `python` (notebooks included) or `rust`.
    pub language: Language,
    pub distribution: String,
    pub category: Category,
    /// Distinct modules importing it.
    pub modules: u32,
    /// The first import of it, by path and line.
    pub first: Location,
}

/// An import that looks internal but resolves to no module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Unresolved {
    pub from: String,
    /// The import as written (`..missing`, `pkg.gone.deeper`, `super::x`).
    pub import: String,
    #[serde(flatten)]
    pub at: Location,
}

/// A component with its graph facts (edges between components only).
#[derive(Debug, Clone, Serialize)]
pub struct ComponentNode {
    pub name: String,
    pub modules: u32,
    pub fan_in: u32,
    pub fan_out: u32,
    pub instability: f64,
}

/// Module imports from one component to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentEdge {
    pub from: String,
    pub to: String,
    /// Distinct module pairs.
    pub weight: u32,
    /// Import statements.
    pub statements: u32,
}

/// Builds the import graph of scanned files (in any order).
pub fn build(files: &[FileReport]) -> ImportGraph {
    let mut builder = Builder::default();
    python::add(files, &mut builder);
    rust::add(files, &mut builder);
    builder.finish()
}

/// A module being built.
struct Node {
    name: String,
    kind: ModuleKind,
    language: Language,
    path: String,
    component: String,
}

/// An edge between node indices.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct RawEdge {
    from: usize,
    to: usize,
    at: Location,
    kind: EdgeKind,
}

/// Nodes and raw edges from the language passes.
#[derive(Default)]
struct Builder {
    nodes: Vec<Node>,
    index: HashMap<String, usize>,
    edges: Vec<RawEdge>,
    /// (language, top-level name, importer, location).
    externals: Vec<(Language, String, usize, Location)>,
    unresolved: Vec<(usize, String, Location)>,
}

impl Builder {
    /// Adds a node unless one of that name exists; returns its index.
    fn add(&mut self, node: Node) -> usize {
        if let Some(&i) = self.index.get(&node.name) {
            return i;
        }
        self.index.insert(node.name.clone(), self.nodes.len());
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Records an edge; an edge to the importer itself is dropped.
    fn edge(&mut self, from: usize, to: usize, at: Location, kind: EdgeKind) {
        if from != to {
            self.edges.push(RawEdge { from, to, at, kind });
        }
    }

    fn finish(self) -> ImportGraph {
        let Builder {
            nodes,
            edges,
            externals,
            unresolved,
            ..
        } = self;
        // Renumber nodes in name order so every output is sorted.
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_unstable_by(|&a, &b| nodes[a].name.cmp(&nodes[b].name));
        let mut rank = vec![0; nodes.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        let mut edges: Vec<RawEdge> = edges
            .into_iter()
            .map(|e| RawEdge {
                from: rank[e.from],
                to: rank[e.to],
                ..e
            })
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
        let nodes: Vec<Node> = order.iter().filter_map(|&i| slots[i].take()).collect();

        let pairs = pair_counts(&edges);
        let degrees = degrees(nodes.len(), pairs.keys().copied());
        let cycles = cycles::find(&nodes, &edges);
        let (components, component_edges) = components(&nodes, &pairs);
        let external_list = collect_externals(externals);
        let mut unresolved: Vec<Unresolved> = unresolved
            .into_iter()
            .map(|(from, import, at)| Unresolved {
                from: nodes[rank[from]].name.clone(),
                import,
                at,
            })
            .collect();
        unresolved.sort();
        unresolved.dedup();

        let modules = nodes
            .iter()
            .zip(degrees)
            .map(|(n, (fan_in, fan_out))| Module {
                name: n.name.clone(),
                kind: n.kind,
                language: n.language,
                path: n.path.clone(),
                component: n.component.clone(),
                fan_in,
                fan_out,
                instability: instability(fan_in, fan_out),
            })
            .collect();
        let edges = edges
            .into_iter()
            .map(|e| ImportEdge {
                from: nodes[e.from].name.clone(),
                to: nodes[e.to].name.clone(),
                path: e.at.path,
                line: e.at.line,
                cell: e.at.cell,
                kind: e.kind,
            })
            .collect();
        ImportGraph {
            modules,
            edges,
            module_pairs: pairs.len(),
            externals: external_list,
            unresolved,
            components,
            component_edges,
            cycles,
        }
    }
}

/// Import statements per distinct (from, to) pair.
fn pair_counts(edges: &[RawEdge]) -> BTreeMap<(usize, usize), u32> {
    let mut pairs = BTreeMap::new();
    for e in edges {
        *pairs.entry((e.from, e.to)).or_insert(0) += 1;
    }
    pairs
}

/// (fan-in, fan-out) per node from distinct pairs.
fn degrees(n: usize, pairs: impl Iterator<Item = (usize, usize)>) -> Vec<(u32, u32)> {
    let mut degrees = vec![(0u32, 0u32); n];
    for (from, to) in pairs {
        degrees[to].0 += 1;
        degrees[from].1 += 1;
    }
    degrees
}

fn instability(fan_in: u32, fan_out: u32) -> f64 {
    let total = fan_in + fan_out;
    if total == 0 {
        0.0
    } else {
        f64::from(fan_out) / f64::from(total)
    }
}

/// Component nodes and the component-level graph.
fn components(
    nodes: &[Node],
    pairs: &BTreeMap<(usize, usize), u32>,
) -> (Vec<ComponentNode>, Vec<ComponentEdge>) {
    let mut modules: BTreeMap<&str, u32> = BTreeMap::new();
    for n in nodes {
        *modules.entry(n.component.as_str()).or_insert(0) += 1;
    }
    let mut links: BTreeMap<(&str, &str), (u32, u32)> = BTreeMap::new();
    for (&(from, to), &statements) in pairs {
        let (a, b) = (nodes[from].component.as_str(), nodes[to].component.as_str());
        if a != b {
            let link = links.entry((a, b)).or_insert((0, 0));
            link.0 += 1;
            link.1 += statements;
        }
    }
    let names: Vec<&str> = modules.keys().copied().collect();
    let position: HashMap<&str, usize> = names.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let degrees = degrees(
        names.len(),
        links.keys().map(|(a, b)| (position[a], position[b])),
    );
    let nodes = names
        .iter()
        .zip(degrees)
        .map(|(&name, (fan_in, fan_out))| ComponentNode {
            name: name.to_owned(),
            modules: modules[name],
            fan_in,
            fan_out,
            instability: instability(fan_in, fan_out),
        })
        .collect();
    let edges = links
        .into_iter()
        .map(|((from, to), (weight, statements))| ComponentEdge {
            from: from.to_owned(),
            to: to.to_owned(),
            weight,
            statements,
        })
        .collect();
    (nodes, edges)
}

/// Externals grouped by (language, name), with the table's category.
fn collect_externals(raw: Vec<(Language, String, usize, Location)>) -> Vec<External> {
    let table = externals::Table::builtin();
    let mut grouped: BTreeMap<(Language, String), (BTreeSet<usize>, Location)> = BTreeMap::new();
    for (language, name, from, at) in raw {
        let entry = grouped
            .entry((language, name))
            .or_insert_with(|| (BTreeSet::new(), at.clone()));
        entry.0.insert(from);
        if at < entry.1 {
            entry.1 = at;
        }
    }
    grouped
        .into_iter()
        .map(|((language, name), (importers, first))| External {
            distribution: table.distribution(&name).to_owned(),
            category: table.category(&name),
            modules: u32::try_from(importers.len()).unwrap_or(u32::MAX),
            first,
            language,
            name,
        })
        .collect()
}
