//! Coupling rules (MLS1xx), read from the import graph: cycles, extreme
//! fan-in and fan-out, and imports of another component's internals.

use foldhash::{HashMap, HashSet};

use crate::facts::Import;
use crate::graph::{ImportEdge, Module, ModuleKind};
use crate::role::Role;

use super::{Active, At, Context, Sink, is_private};

pub(super) fn check(cx: &Context, out: &mut Sink) {
    if let Some(rule) = cx.rule("MLS101") {
        cycles(cx, rule, out);
    }
    let modules = by_name(cx);
    for (id, fan_in) in [("MLS102", true), ("MLS103", false)] {
        if let Some(rule) = cx.rule(id) {
            fan(cx, &modules, (rule, fan_in), out);
        }
    }
    if let Some(rule) = cx.rule("MLS104") {
        private_imports(cx, &modules, rule, out);
    }
}

/// MLS101: one finding per runtime cycle, at its suggested cut.
fn cycles(cx: &Context, rule: &Active, out: &mut Sink) {
    let skip_parent_child = rule.flag("skip-rust-parent-child");
    for cycle in &cx.imports.cycles.runtime {
        if skip_parent_child && cycle.is_rust_parent_child() {
            continue;
        }
        let Some(first) = cycle.modules.first() else {
            continue;
        };
        let mut steps: Vec<&str> = cycle.cycle.iter().map(String::as_str).collect();
        steps.extend(steps.first().copied());
        let steps = steps.join(" → ");
        let size = cycle.modules.len();
        let shape = if size == cycle.cycle.len() {
            format!("import cycle of {size} modules: {steps}")
        } else {
            format!("import cycle among {size} modules, shortest through {first}: {steps}")
        };
        let cut = &cycle.cut;
        let message = format!(
            "{shape}; cut: {} imports {} at {}:{} ({} statement{})",
            cut.from,
            cut.to,
            cut.at.path,
            cut.at.line,
            cut.statements,
            if cut.statements == 1 { "" } else { "s" }
        );
        let at = At::new(&cut.at.path, cut.at.line, cut.at.cell);
        out.report(rule, at, first, message);
    }
}

/// MLS102 (`fan_in`) and MLS103: modules with more importers, or more
/// imported modules, than `max`. Tests are left out on both sides: a test
/// importing a module is not a dependent, and tests import what they
/// test. So are a package's (or crate root's) imports of its own
/// submodules, which re-export its API, and namespace packages (folders).
fn fan(cx: &Context, modules: &Modules, (rule, fan_in): (&Active, bool), out: &mut Sink) {
    let max = rule.int("max");
    let is_test = |path: &str| cx.file(path).is_some_and(|f| f.role == Role::Test);
    // `check::run` sorts the findings: no order needed here.
    let mut linked: HashMap<&str, HashSet<&str>> = HashMap::default();
    for e in &cx.imports.edges {
        if is_test(&e.path) {
            continue;
        }
        if fan_in {
            linked.entry(&e.to).or_default().insert(&e.from);
        } else {
            let reexport = modules
                .get(e.from.as_str())
                .is_some_and(|m| matches!(m.kind, ModuleKind::Package | ModuleKind::Crate))
                && is_inside(&e.to, &e.from);
            if !reexport {
                linked.entry(&e.from).or_default().insert(&e.to);
            }
        }
    }
    let what = if fan_in { "imported by" } else { "imports" };
    for (name, others) in linked {
        let Some(m) = modules
            .get(name)
            .filter(|m| m.kind != ModuleKind::Namespace)
        else {
            continue;
        };
        let count = others.len();
        if i64::try_from(count).unwrap_or(i64::MAX) > max {
            let message = format!("{what} {count} modules, tests aside (max {max})");
            out.report(rule, At::new(&m.path, 0, None), name, message);
        }
    }
}

/// The modules of the import graph by name.
type Modules<'a> = HashMap<&'a str, &'a Module>;

fn by_name<'a>(cx: &Context<'a>) -> Modules<'a> {
    cx.imports
        .modules
        .iter()
        .map(|m| (m.name.as_str(), m))
        .collect()
}

/// MLS104: an import from one component that reaches a private module or
/// name of another. By Python's convention a private module or name is
/// private to the package holding it, so an importer inside that package
/// may use it (`pkg._config` from `pkg.sub.mod`). Tests are left out.
fn private_imports(cx: &Context, modules: &Modules, rule: &Active, out: &mut Sink) {
    let shared = rule.strings("shared");
    // Components of shared internal code (`utils`, `common`): their
    // private helpers are meant for the whole package.
    let is_shared = |component: &str| {
        let last = component.rsplit('/').next().unwrap_or(component);
        shared.contains(&last)
    };
    for edge in &cx.imports.edges {
        let (Some(from), Some(to)) = (
            modules.get(edge.from.as_str()),
            modules.get(edge.to.as_str()),
        ) else {
            continue;
        };
        let Some(file) = cx.file(&edge.path) else {
            continue;
        };
        // Tests may reach into what they test.
        // A package's `__init__` importing from its own subpackages
        // re-exports them: the package's API, not a reach into internals.
        let reexport = from.kind == ModuleKind::Package && is_inside(&edge.to, &edge.from);
        if from.component == to.component
            || file.role == Role::Test
            || is_shared(&to.component)
            || reexport
        {
            continue;
        }
        let statements = &file.facts.imports;
        let is_package = matches!(to.kind, ModuleKind::Package | ModuleKind::Namespace);
        let reached = private_targets(edge, is_package, statements, |name| {
            modules.contains_key(name)
        });
        let reached: Vec<String> = reached
            .into_iter()
            .filter(|(owner, _)| !is_inside(&edge.from, owner))
            .map(|(_, what)| what)
            .collect();
        if reached.is_empty() {
            continue;
        }
        let message = format!(
            "imports {} of component `{}` from component `{}`",
            reached.join(", "),
            to.component,
            from.component
        );
        let at = At::new(&edge.path, edge.line, edge.cell);
        out.report(rule, at, &edge.to, message);
    }
}

/// The private things an edge reaches, each with the module or package it
/// is private to and a description: the first private segment of the
/// target module, then the private names the statement imports from it.
fn private_targets(
    edge: &ImportEdge,
    is_package: bool,
    statements: &[Import],
    is_module: impl Fn(&str) -> bool,
) -> Vec<(String, String)> {
    let separator = if edge.to.contains("::") { "::" } else { "." };
    let segments: Vec<&str> = edge.to.split(separator).collect();
    let mut reached = Vec::new();
    if let Some(i) = segments.iter().position(|s| is_private(s)) {
        let module = segments[..=i].join(separator);
        reached.push((
            segments[..i].join(separator),
            format!("private module `{module}`"),
        ));
    }
    // Names of `from M import n` that resolve to the edge's target: `M`
    // itself (written relative, its last names), not a submodule `M.n`
    // (an edge of its own).
    let last = segments.last().copied().unwrap_or_default();
    let names = statements
        .iter()
        .filter(|i| i.line == edge.line && i.cell == edge.cell)
        .filter(|i| {
            if i.level == 0 {
                i.module == edge.to
            } else {
                !i.names.iter().any(|n| n == last)
                    && (i.module.is_empty()
                        || edge.to == i.module
                        || edge
                            .to
                            .strip_suffix(i.module.as_str())
                            .is_some_and(|rest| rest.ends_with('.')))
            }
        })
        .flat_map(|i| &i.names)
        .filter(|n| is_private(n) && !is_module(&format!("{}.{n}", edge.to)));
    // A module's private name is private to the module's package, as its
    // sibling modules use it (`sklearn.base._fit_context` in `sklearn`); a
    // package's to the package.
    let package = if is_package {
        edge.to.clone()
    } else {
        segments[..segments.len().saturating_sub(1)].join(separator)
    };
    for name in names {
        reached.push((
            package.clone(),
            format!("private name `{}.{name}`", edge.to),
        ));
    }
    reached
}

/// Whether `module` is `package` or inside it (for any separator).
fn is_inside(module: &str, package: &str) -> bool {
    package.is_empty()
        || module == package
        || module
            .strip_prefix(package)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with("::"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::EdgeKind;

    fn edge(to: &str) -> ImportEdge {
        ImportEdge {
            from: "serving.app".to_string(),
            to: to.to_string(),
            path: "serving/app.py".to_string(),
            line: 3,
            cell: None,
            kind: EdgeKind::Module,
        }
    }

    fn import(module: &str, names: &[&str], level: u32) -> Import {
        Import {
            module: module.to_string(),
            names: names.iter().map(|n| n.to_string()).collect(),
            level,
            line: 3,
            cell: None,
            in_function: false,
            type_checking: false,
            in_try: false,
        }
    }

    #[test]
    fn private_modules_and_names_are_found_with_their_owner() {
        let modules = ["pkg", "pkg._sub", "pkg.utils"];
        let is_module = |m: &str| modules.contains(&m);
        let statement = [import(
            "pkg",
            &["_sub", "_helper", "public", "__version__"],
            0,
        )];
        assert_eq!(
            private_targets(&edge("pkg._sub"), false, &statement, is_module),
            vec![("pkg".to_string(), "private module `pkg._sub`".to_string())]
        );
        assert_eq!(
            private_targets(&edge("pkg"), true, &statement, is_module),
            vec![("pkg".to_string(), "private name `pkg._helper`".to_string())]
        );
        let relative = [import("utils", &["_x"], 2)];
        assert_eq!(
            private_targets(&edge("pkg.utils"), false, &relative, is_module),
            vec![("pkg".to_string(), "private name `pkg.utils._x`".to_string())]
        );
        assert!(private_targets(&edge("pkg.utils"), false, &statement, is_module).is_empty());
    }

    #[test]
    fn insiders_are_modules_below_the_package() {
        assert!(is_inside("pkg.sub.mod", "pkg"));
        assert!(is_inside("pkg", "pkg"));
        assert!(is_inside("krate::a::b", "krate::a"));
        assert!(!is_inside("pkgx.mod", "pkg"));
        assert!(is_inside("anything", ""));
        assert!(is_private("_helper") && is_private("__x") && !is_private("__init__"));
    }
}
