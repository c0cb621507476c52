//! The raw measures behind the scores, per component and for the
//! repository, gathered in one pass over the files and the two graphs.

use foldhash::{HashMap, HashSet, HashSetExt};
use std::collections::BTreeMap;

use crate::facts::{FunctionKind, Language};
use crate::graph::{ImportGraph, ModuleKind};
use crate::lineage::{LineageGraph, NodeKind};
use crate::report::FileReport;
use crate::role::Role;

use super::Scoring;

/// Counts for one scope (a component or the repository).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measures {
    /// Source lines of code files (not configs).
    pub sloc: u64,
    /// Source lines inside functions, and inside functions over the
    /// complexity limits.
    pub function_sloc: u64,
    pub complex_sloc: u64,
    /// Sum of cognitive complexity over functions.
    pub cognitive: u64,
    /// Public functions and classes long enough to need a docstring
    /// (outside test files), and those that have one.
    pub public_defs: u64,
    pub documented: u64,
    /// Public Python functions outside test files, and those fully
    /// annotated (every parameter and the return).
    pub typed_candidates: u64,
    pub annotated: u64,
    /// Modules of the import graph, and those in a runtime cycle (Rust
    /// parent/child cycles excepted).
    pub modules: u64,
    pub modules_in_cycles: u64,
    /// Distinct module pairs imported within the scope, and to modules of
    /// other components.
    pub import_pairs: u64,
    pub cross_pairs: u64,
    /// Other components depended on (for the repository, the mean over
    /// components weighted by source lines).
    pub coupling: f64,
    /// Python modules outside test files, and those a test file imports.
    pub testable_modules: u64,
    pub tested_modules: u64,
    /// Opaque lineage points (dynamic indirection included).
    pub opaque: u64,
    pub config_keys: u64,
    /// Lineage nodes other than opaque ones.
    pub lineage_nodes: u64,
}

impl Measures {
    /// Measures of the repository and of each component, by name.
    pub fn collect(
        files: &[FileReport],
        imports: &ImportGraph,
        lineage: &LineageGraph,
        scoring: &Scoring,
    ) -> (Measures, BTreeMap<String, Measures>) {
        let mut components: BTreeMap<String, Measures> = BTreeMap::new();
        for file in files {
            components
                .entry(file.component.clone())
                .or_default()
                .add_file(file, scoring);
        }
        let by_path: HashMap<&str, &FileReport> =
            files.iter().map(|f| (f.path.as_str(), f)).collect();
        add_imports(imports, &by_path, &mut components);
        for node in &lineage.nodes {
            let Some(file) = by_path.get(node.path.as_str()) else {
                continue;
            };
            if let Some(m) = components.get_mut(&file.component) {
                if node.kind == NodeKind::Opaque {
                    m.opaque += 1;
                } else {
                    m.lineage_nodes += 1;
                }
            }
        }
        let mut repo = Measures::default();
        let mut weighted_coupling = 0.0;
        for m in components.values() {
            repo.sloc += m.sloc;
            repo.function_sloc += m.function_sloc;
            repo.complex_sloc += m.complex_sloc;
            repo.cognitive += m.cognitive;
            repo.public_defs += m.public_defs;
            repo.documented += m.documented;
            repo.typed_candidates += m.typed_candidates;
            repo.annotated += m.annotated;
            repo.modules += m.modules;
            repo.modules_in_cycles += m.modules_in_cycles;
            repo.import_pairs += m.import_pairs;
            repo.cross_pairs += m.cross_pairs;
            repo.testable_modules += m.testable_modules;
            repo.tested_modules += m.tested_modules;
            repo.opaque += m.opaque;
            repo.config_keys += m.config_keys;
            repo.lineage_nodes += m.lineage_nodes;
            weighted_coupling += m.coupling * m.sloc as f64;
        }
        if repo.sloc > 0 {
            repo.coupling = weighted_coupling / repo.sloc as f64;
        }
        (repo, components)
    }

    fn add_file(&mut self, file: &FileReport, scoring: &Scoring) {
        let facts = &file.facts;
        if let Some(config) = &facts.config {
            self.config_keys += u64::from(config.keys);
            return;
        }
        self.sloc += u64::from(facts.lines.sloc);
        let limit = |name: &str| {
            scoring
                .explainability_limits
                .get(name)
                .copied()
                .unwrap_or_default()
        };
        let (max_cc, max_cognitive, min_doc) = (
            limit("cyclomatic"),
            limit("cognitive"),
            limit("docstring-min-lines"),
        );
        let api = file.role != Role::Test;
        let python = matches!(facts.language, Language::Python | Language::Notebook);
        for f in &facts.functions {
            let sloc = u64::from(f.lines.sloc);
            self.function_sloc += sloc;
            self.cognitive += u64::from(f.cognitive);
            if f64::from(f.cyclomatic) > max_cc || f64::from(f.cognitive) > max_cognitive {
                self.complex_sloc += sloc;
            }
            let public = matches!(f.kind, FunctionKind::Function | FunctionKind::Method)
                && is_public(&f.name);
            if !(api && public) {
                continue;
            }
            if sloc as f64 >= min_doc {
                self.public_defs += 1;
                self.documented += u64::from(f.has_docstring);
            }
            if python {
                self.typed_candidates += 1;
                self.annotated += u64::from(f.annotated_params == f.params && f.returns_annotated);
            }
        }
        if api {
            for class in facts.classes.iter().filter(|c| is_public(&c.name)) {
                if f64::from(class.end_line.saturating_sub(class.line) + 1) >= min_doc {
                    self.public_defs += 1;
                    self.documented += u64::from(class.has_docstring);
                }
            }
        }
    }
}

/// Whether the last segment of a qualified name (`A.b`, `T::f`) is public:
/// no leading underscore (dunders included: they are protocol, not API).
pub fn is_public(qualified: &str) -> bool {
    let start = qualified
        .bytes()
        .rposition(|b| matches!(b, b'.' | b':'))
        .map_or(0, |i| i + 1);
    qualified.as_bytes().get(start) != Some(&b'_')
}

/// Module counts, cycles, import pairs, coupling and test reach.
fn add_imports(
    imports: &ImportGraph,
    by_path: &HashMap<&str, &FileReport>,
    components: &mut BTreeMap<String, Measures>,
) {
    let role_of = |path: &str| by_path.get(path).map(|f| f.role);
    let module_of: HashMap<&str, &crate::graph::Module> = imports
        .modules
        .iter()
        .map(|m| (m.name.as_str(), m))
        .collect();
    let in_cycles: HashSet<&str> = imports
        .cycles
        .runtime
        .iter()
        .filter(|c| !c.is_rust_parent_child())
        .flat_map(|c| c.modules.iter().map(String::as_str))
        .collect();
    let mut tested: HashSet<&str> = HashSet::new();
    let mut pairs: HashSet<(&str, &str)> = HashSet::new();
    for edge in &imports.edges {
        if !pairs.insert((edge.from.as_str(), edge.to.as_str())) {
            continue;
        }
        let (Some(from), Some(to)) = (
            module_of.get(edge.from.as_str()),
            module_of.get(edge.to.as_str()),
        ) else {
            continue;
        };
        if role_of(&from.path) == Some(Role::Test) {
            tested.insert(to.name.as_str());
        }
        if let Some(m) = components.get_mut(&from.component) {
            if from.component == to.component {
                m.import_pairs += 1;
            } else {
                m.cross_pairs += 1;
            }
        }
    }
    for module in &imports.modules {
        let Some(m) = components.get_mut(&module.component) else {
            continue;
        };
        m.modules += 1;
        m.modules_in_cycles += u64::from(in_cycles.contains(module.name.as_str()));
        let testable = module.language == Language::Python
            && matches!(module.kind, ModuleKind::Module | ModuleKind::Package)
            && role_of(&module.path).is_some_and(|r| r != Role::Test);
        if testable {
            m.testable_modules += 1;
            m.tested_modules += u64::from(tested.contains(module.name.as_str()));
        }
    }
    for node in &imports.components {
        if let Some(m) = components.get_mut(&node.name) {
            m.coupling = f64::from(node.fan_out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_part_of_a_name_decides_if_it_is_public() {
        for public in ["fit", "Model.fit", "Type::new", "_Private.fit", "a._b.c"] {
            assert!(is_public(public), "{public}");
        }
        for hidden in ["_fit", "Model._fit", "Model.__init__", "Type::_new"] {
            assert!(!is_public(hidden), "{hidden}");
        }
    }
}
