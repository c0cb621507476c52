//! The repo's Python code by module name: files, functions and classes a
//! dotted name can resolve to, and which classes are models.

use foldhash::{HashMap, HashMapExt};

use crate::facts::{FileFacts, Import, Language};
use crate::report::FileReport;

/// Class bases (last name as written) that make a class a model, with the
/// top-level packages one of which the file must import.
const MODEL_BASES: &[(&str, &[&str])] = &[
    ("Module", &["torch", "flax"]),
    ("LightningModule", &["lightning", "pytorch_lightning"]),
    ("Model", &["keras", "tensorflow", "tf_keras"]),
    ("BaseEstimator", &["sklearn"]),
    ("ClassifierMixin", &["sklearn"]),
    ("RegressorMixin", &["sklearn"]),
    ("PreTrainedModel", &["transformers"]),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SymbolKind {
    Function,
    Class,
    Model,
}

/// A function or class of the repo.
#[derive(Debug, Clone)]
pub(super) struct Symbol<'a> {
    pub path: &'a str,
    /// Qualified name in its file (`Class.method`).
    pub name: &'a str,
    pub line: u32,
    pub cell: Option<u32>,
    pub kind: SymbolKind,
}

pub(super) struct Index<'a> {
    /// By path.
    files: Vec<&'a FileReport>,
    modules: HashMap<String, &'a str>,
    /// Module name of each Python file and notebook.
    module_of: HashMap<&'a str, String>,
    /// By `module.qualname`; only looked up, so hashed.
    symbols: HashMap<String, Symbol<'a>>,
}

impl<'a> Index<'a> {
    pub fn new(files: &'a [FileReport]) -> Self {
        let symbols = files
            .iter()
            .map(|f| f.facts.functions.len() + f.facts.classes.len())
            .sum();
        let mut by_path: Vec<&FileReport> = files.iter().collect();
        if !by_path.is_sorted_by(|a, b| a.path < b.path) {
            by_path.sort_by(|a, b| a.path.cmp(&b.path));
            // The last file of a path wins, as in a map.
            by_path.dedup_by(|later, kept| {
                let same = later.path == kept.path;
                if same {
                    std::mem::swap(later, kept);
                }
                same
            });
        }
        let mut index = Index {
            files: by_path,
            modules: HashMap::with_capacity(files.len()),
            module_of: HashMap::with_capacity(files.len()),
            symbols: HashMap::with_capacity(symbols),
        };
        for file in files {
            let Some(module) = module_name(&file.path) else {
                continue;
            };
            for f in &file.facts.functions {
                index.symbols.insert(
                    dotted(&module, &f.name),
                    Symbol {
                        path: &file.path,
                        name: &f.name,
                        line: f.line,
                        cell: f.cell,
                        kind: SymbolKind::Function,
                    },
                );
            }
            for c in &file.facts.classes {
                let model = c.bases.iter().any(|b| is_model_base(b, &file.facts));
                index.symbols.insert(
                    dotted(&module, &c.name),
                    Symbol {
                        path: &file.path,
                        name: &c.name,
                        line: c.line,
                        cell: c.cell,
                        kind: if model {
                            SymbolKind::Model
                        } else {
                            SymbolKind::Class
                        },
                    },
                );
            }
            if file.facts.language == Language::Python {
                index.modules.insert(module.clone(), &file.path);
            }
            index.module_of.insert(&file.path, module);
        }
        index.inherit_models();
        index
    }

    /// Classes deriving from a repo model are models too, however deep.
    fn inherit_models(&mut self) {
        // Each plain class with the repo classes its bases resolve to.
        let mut pending: Vec<(String, Vec<String>)> = Vec::new();
        for &file in &self.files {
            let Some(module) = self.module_of.get(file.path.as_str()) else {
                continue;
            };
            for c in file.facts.classes.iter().filter(|c| !c.bases.is_empty()) {
                let key = dotted(module, &c.name);
                if self
                    .symbols
                    .get(&key)
                    .is_some_and(|s| s.kind == SymbolKind::Class)
                {
                    let bases: Vec<String> = c
                        .bases
                        .iter()
                        .filter_map(|b| self.symbol_key(file, &qualify(&file.facts.imports, b)))
                        .collect();
                    pending.push((key, bases));
                }
            }
        }
        loop {
            let is_model = |key: &String| {
                self.symbols
                    .get(key)
                    .is_some_and(|s| s.kind == SymbolKind::Model)
            };
            let (found, rest): (Vec<_>, Vec<_>) = pending
                .into_iter()
                .partition(|(_, bases)| bases.iter().any(is_model));
            if found.is_empty() {
                return;
            }
            for (key, _) in found {
                if let Some(s) = self.symbols.get_mut(&key) {
                    s.kind = SymbolKind::Model;
                }
            }
            pending = rest;
        }
    }

    pub fn file(&self, path: &str) -> Option<&'a FileReport> {
        let at = self
            .files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()?;
        self.files.get(at).copied()
    }

    /// In path order.
    pub fn files(&self) -> impl Iterator<Item = &'a FileReport> + '_ {
        self.files.iter().copied()
    }

    /// The module name of a Python file or notebook (`""` for others).
    pub fn module_of(&self, file: &FileReport) -> &str {
        self.module_of
            .get(file.path.as_str())
            .map_or("", String::as_str)
    }

    /// The model classes of the repo.
    pub fn models(&self) -> impl Iterator<Item = &Symbol<'a>> {
        self.symbols
            .values()
            .filter(|s| s.kind == SymbolKind::Model)
    }

    /// The file of a module (`python -m pkg.mod`).
    pub fn module_path(&self, module: &str) -> Option<&'a str> {
        self.modules
            .get(module)
            .or_else(|| self.modules.get(module.strip_prefix("src.")?))
            .copied()
    }

    /// Absolute dotted candidates for `name` seen in `file`: relative names
    /// from the file's package; others as written, without a leading
    /// `src.`, and as a definition of the file itself.
    pub fn candidates(&self, file: &FileReport, name: &str) -> Vec<String> {
        let module = self.module_of(file);
        if name.starts_with('.') {
            return vec![absolute(&file.path, module, name)];
        }
        let mut out = vec![name.to_string()];
        if let Some(rest) = name.strip_prefix("src.") {
            out.push(rest.to_string());
        }
        out.push(format!("{module}.{name}"));
        out
    }

    /// The repo function or class `name` (as seen in `file`) resolves to.
    pub fn symbol(&self, file: &FileReport, name: &str) -> Option<&Symbol<'a>> {
        self.find(&self.candidates(file, name))
    }

    /// The first of `candidates` that is a repo function or class.
    pub fn find(&self, candidates: &[String]) -> Option<&Symbol<'a>> {
        candidates.iter().find_map(|c| self.symbols.get(c))
    }

    /// The dotted key of that function or class.
    fn symbol_key(&self, file: &FileReport, name: &str) -> Option<String> {
        self.candidates(file, name)
            .into_iter()
            .find(|c| self.symbols.contains_key(c))
    }
}

/// Module name of a Python file or notebook: the path without `.py`
/// (`.ipynb`) and `/__init__`, without a leading `src/`, slashes as dots.
pub(super) fn module_name(path: &str) -> Option<String> {
    let stem = path
        .strip_suffix(".py")
        .or_else(|| path.strip_suffix(".ipynb"))?;
    let stem = stem.strip_prefix("src/").unwrap_or(stem);
    let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
    Some(stem.replace('/', "."))
}

/// A relative dotted name (`..nodes.clean`) made absolute from the
/// package of the file at `path` (module `module`).
fn absolute(path: &str, module: &str, name: &str) -> String {
    let rest = name.trim_start_matches('.');
    let level = name.len() - rest.len();
    let mut parts: Vec<&str> = module.split('.').collect();
    // A package's `__init__` is its own package; a module's is its parent.
    let drop = if path.ends_with("__init__.py") {
        level - 1
    } else {
        level
    };
    parts.truncate(parts.len().saturating_sub(drop));
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts.join(".")
}

/// A name as written (a class base) qualified through the file's imports:
/// `nodes.Base` with `from . import nodes` → `.nodes.Base`.
pub fn qualify(imports: &[Import], name: &str) -> String {
    let first = name.split('.').next().unwrap_or(name);
    for import in imports {
        if import.names.iter().any(|n| n == first) {
            let dots = ".".repeat(import.level as usize);
            let sep = if import.module.is_empty() { "" } else { "." };
            return format!("{dots}{}{sep}{name}", import.module);
        }
    }
    name.to_string()
}

/// The packages defining the model base whose last name is `name`
/// ([`MODEL_BASES`]); `None` when it is not one.
pub(super) fn model_base_packages(name: &str) -> Option<&'static [&'static str]> {
    MODEL_BASES
        .iter()
        .find(|(base, _)| *base == name)
        .map(|(_, packages)| *packages)
}

/// A base is a model base when its last name is in [`MODEL_BASES`] and the
/// file imports one of the packages defining it.
fn is_model_base(base: &str, facts: &FileFacts) -> bool {
    let last = base.rsplit('.').next().unwrap_or(base);
    MODEL_BASES.iter().any(|(name, packages)| {
        *name == last
            && facts.imports.iter().any(|i| {
                i.level == 0 && packages.contains(&i.module.split('.').next().unwrap_or(""))
            })
    })
}

/// `module.name`, without the formatting machinery (a symbol key per
/// function and class of the repo, per revision).
fn dotted(module: &str, name: &str) -> String {
    let mut key = String::with_capacity(module.len() + 1 + name.len());
    key.push_str(module);
    key.push('.');
    key.push_str(name);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_strip_src_and_init() {
        assert_eq!(
            module_name("src/shop/models/net.py").unwrap(),
            "shop.models.net"
        );
        assert_eq!(module_name("shop/__init__.py").unwrap(), "shop");
        assert_eq!(module_name("conf/x.yaml"), None);
    }

    #[test]
    fn relative_names_resolve_from_the_package() {
        assert_eq!(
            absolute("src/p/pipe.py", "p.pipe", ".nodes.clean"),
            "p.nodes.clean"
        );
        assert_eq!(
            absolute("src/p/q/pipe.py", "p.q.pipe", "..nodes"),
            "p.nodes"
        );
        assert_eq!(absolute("src/p/__init__.py", "p", ".nodes"), "p.nodes");
    }
}
