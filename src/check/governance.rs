//! Governance rules (MLS4xx): data sources, model classes and external
//! dependencies outside the lists a team approved. Each rule does nothing
//! until its list is configured.

use foldhash::HashSet;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::facts::{FileFacts, Import};
use crate::graph::{Category, ModuleKind};
use crate::lineage::{LineageNode, ModelClass, NodeKind, model_base_packages, qualify};

use super::{Active, At, Context, Sink};

pub(super) fn check(cx: &Context, out: &mut Sink) {
    if let Some((rule, approved)) = cx.rule("MLS401").and_then(with_approved) {
        data_sources(cx, rule, &approved, out);
    }
    if let Some((rule, approved)) = cx.rule("MLS402").and_then(with_approved) {
        model_classes(cx, rule, &approved, out);
    }
    if let Some(rule) = cx.rule("MLS403") {
        dependencies(cx, rule, out);
    }
}

/// A rule with its `approved` globs; `None` while the list is empty (the
/// rule is inactive) or invalid (rejected when the configuration loads).
fn with_approved(rule: &Active) -> Option<(&Active, GlobSet)> {
    let globs = rule.strings("approved");
    if globs.is_empty() {
        return None;
    }
    Some((rule, glob_set(&globs).ok()?))
}

/// Globs whose `*` stops at `/` (`**` does not).
fn glob_set(globs: &[&str]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let compiled = GlobBuilder::new(glob)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("invalid glob {glob:?}: {e}"))?;
        builder.add(compiled);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Checks the values of the governance parameters: valid globs, known
/// categories.
pub(super) fn validate_param(rule: &str, name: &str, value: &toml::Value) -> Result<(), String> {
    let strings: Vec<&str> = value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
        .collect();
    match (rule, name) {
        ("MLS401" | "MLS402", "approved") => glob_set(&strings).map(|_| ()),
        ("MLS403", "approved-categories") => match strings
            .iter()
            .find(|s| !Category::ALL.iter().any(|c| c.as_str() == **s))
        {
            Some(unknown) => Err(format!(
                "unknown category `{unknown}` (known: {})",
                Category::ALL.map(Category::as_str).join(", ")
            )),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// MLS401: data sources of the lineage, by id without its `data_source:`
/// prefix, that match no approved glob.
fn data_sources(cx: &Context, rule: &Active, approved: &GlobSet, out: &mut Sink) {
    for node in &cx.lineage.nodes {
        if node.kind != NodeKind::DataSource {
            continue;
        }
        let source = node.id.split_once(':').map_or(node.id.as_str(), |(_, s)| s);
        if !approved.is_match(source) {
            let message = format!("reads `{source}`, which matches no approved data source");
            out.report(rule, at(node), source, message);
        }
    }
}

/// MLS402: external model classes, and the external model bases of the
/// repository's model classes, that match no approved glob.
fn model_classes(cx: &Context, rule: &Active, approved: &GlobSet, out: &mut Sink) {
    let repo_packages: HashSet<&str> = cx
        .imports
        .modules
        .iter()
        .filter(|m| m.kind != ModuleKind::Importer)
        .map(|m| m.name.split(['.', ':']).next().unwrap_or_default())
        .collect();
    let in_repo = |class: &str| repo_packages.contains(class.split('.').next().unwrap_or_default());
    for node in &cx.lineage.nodes {
        match node.model_class() {
            Some(ModelClass::External(class)) if !in_repo(class) && !approved.is_match(class) => {
                let message = format!(
                    "model `{}` is a `{class}`, which matches no approved model class",
                    node.name
                );
                out.report(rule, at(node), class, message);
            }
            Some(ModelClass::Repo) => {
                let Some(file) = cx.file(&node.path) else {
                    continue;
                };
                let unapproved: Vec<String> = model_bases(&file.facts, &node.name)
                    .into_iter()
                    .filter(|b| !b.starts_with('.') && !in_repo(b) && !approved.is_match(b))
                    .map(|b| format!("`{b}`"))
                    .collect();
                if !unapproved.is_empty() {
                    let message = format!(
                        "model class `{}` derives from {}, which matches no approved model class",
                        node.name,
                        unapproved.join(" and ")
                    );
                    out.report(rule, at(node), &node.name, message);
                }
            }
            _ => {}
        }
    }
}

/// The model bases of the class `name` (by last name, see
/// [`model_base_packages`]) resolved through the file's imports, without
/// classes of the same file and bases resolved into another package the
/// file imports (`_pytest.doctest.Module` is no `torch` module).
fn model_bases(facts: &FileFacts, name: &str) -> Vec<String> {
    let Some(class) = facts.classes.iter().find(|c| c.name == name) else {
        return Vec::new();
    };
    let imported = |top: &str| {
        facts
            .imports
            .iter()
            .any(|i| i.level == 0 && i.module.split('.').next() == Some(top))
    };
    class
        .bases
        .iter()
        .filter(|b| !facts.classes.iter().any(|c| c.name == **b))
        .filter_map(|b| {
            let packages = model_base_packages(b.rsplit('.').next().unwrap_or(b))?;
            let resolved = resolve_base(&facts.imports, b);
            let top = resolved.split('.').next().unwrap_or_default();
            let elsewhere = !packages.contains(&top) && imported(top);
            (!elsewhere).then_some(resolved)
        })
        .collect()
}

/// A base class as written, by dotted name through the file's imports:
/// `from torch import nn`, and `import torch.nn as nn` (the facts keep no
/// alias: recognised by the module's last name), make `nn.Module`
/// `torch.nn.Module`. Relative names keep their leading dots.
fn resolve_base(imports: &[Import], base: &str) -> String {
    let qualified = qualify(imports, base);
    if qualified != base {
        return qualified;
    }
    let (head, rest) = base.split_once('.').unwrap_or((base, ""));
    let aliased = imports.iter().find(|i| {
        i.level == 0
            && i.names.is_empty()
            && i.module != head
            && i.module.rsplit('.').next() == Some(head)
    });
    match aliased {
        Some(i) if rest.is_empty() => i.module.clone(),
        Some(i) => format!("{}.{rest}", i.module),
        None => qualified,
    }
}

/// MLS403: external packages whose category and name are both
/// unapproved, at their first import.
fn dependencies(cx: &Context, rule: &Active, out: &mut Sink) {
    let categories = rule.strings("approved-categories");
    let packages = rule.strings("approved-packages");
    if categories.is_empty() && packages.is_empty() {
        return;
    }
    for external in &cx.imports.externals {
        let category = external.category.as_str();
        if categories.contains(&category) || packages.contains(&external.name.as_str()) {
            continue;
        }
        let s = if external.modules == 1 { "" } else { "s" };
        let message = format!(
            "imports `{}` ({category}, distribution `{}`, in {} module{s}): neither its category nor the package is approved",
            external.name, external.distribution, external.modules
        );
        let first = &external.first;
        out.report(
            rule,
            At::new(&first.path, first.line, first.cell),
            &external.name,
            message,
        );
    }
}

fn at(node: &LineageNode) -> At<'_> {
    At::new(&node.path, node.line, node.cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(module: &str, names: &[&str], level: u32) -> Import {
        Import {
            module: module.to_string(),
            names: names.iter().map(|n| n.to_string()).collect(),
            level,
            line: 1,
            cell: None,
            in_function: false,
            type_checking: false,
            in_try: false,
        }
    }

    #[test]
    fn bases_resolve_through_imports_and_conventional_aliases() {
        let from = [import("torch", &["nn"], 0), import("", &["base"], 1)];
        assert_eq!(resolve_base(&from, "nn.Module"), "torch.nn.Module");
        assert_eq!(resolve_base(&from, "base.Net"), ".base.Net");
        let plain = [import("torch.nn", &[], 0), import("tensorflow", &[], 0)];
        assert_eq!(resolve_base(&plain, "nn.Module"), "torch.nn.Module");
        assert_eq!(resolve_base(&plain, "torch.nn.Module"), "torch.nn.Module");
        assert_eq!(resolve_base(&plain, "tf.keras.Model"), "tf.keras.Model");
    }

    #[test]
    fn stars_stop_at_slashes_but_not_at_dots() {
        let set = glob_set(&["data/raw/*", "sklearn.*"]).unwrap();
        assert!(set.is_match("data/raw/orders.csv"));
        assert!(!set.is_match("data/raw/2024/orders.csv"));
        assert!(set.is_match("sklearn.ensemble.RandomForestClassifier"));
        assert!(glob_set(&["a/{b"]).is_err());
    }

    #[test]
    fn parameter_values_are_validated() {
        let list = |items: &[&str]| toml::Value::from(items.to_vec());
        assert!(
            validate_param("MLS403", "approved-categories", &list(&["stdlib", "data"])).is_ok()
        );
        let err = validate_param("MLS403", "approved-categories", &list(&["tabular"])).unwrap_err();
        assert!(err.starts_with("unknown category `tabular`"), "{err}");
        assert!(validate_param("MLS402", "approved", &list(&["torch.nn.*"])).is_ok());
        assert!(validate_param("MLS401", "approved", &list(&["[a"])).is_err());
        assert!(validate_param("MLS001", "max", &toml::Value::from(3)).is_ok());
    }
}
