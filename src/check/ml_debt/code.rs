//! Code debt: experimental leftovers (MLS202) and glue code (MLS208).

use foldhash::{HashMap, HashSet};
use std::collections::BTreeSet;

use crate::facts::{DynamicKind, Language};
use crate::report::FileReport;

use super::super::{Active, At, Context, Sink};
use super::{glob_param, is_test, listing};

pub(super) fn check(cx: &Context, declared: &BTreeSet<&str>, out: &mut Sink) {
    if let Some(rule) = cx.rule("MLS202") {
        leftovers(cx, declared, rule, out);
    }
    if let Some(rule) = cx.rule("MLS208") {
        glue(cx, rule, out);
    }
}

/// Python modules of the repository, tests and `__init__.py` left out.
fn modules<'a>(cx: &Context<'a>) -> impl Iterator<Item = (&'a FileReport, &'a str)> {
    cx.files.iter().filter_map(|f| {
        let stem = f.path.rsplit('/').next()?.strip_suffix(".py")?;
        (f.facts.language == Language::Python && stem != "__init__" && !is_test(f))
            .then_some((f, stem))
    })
}

/// MLS202: modules named like copies or experiments (outside a folder so
/// named) that nothing imports, runs, configures (`_target_`) or imports
/// dynamically by name, and that are no script; nor plugins registered by
/// a decorator (found at run time).
/// `declared`: the files of [`super::declared_files`].
fn leftovers(cx: &Context, declared: &BTreeSet<&str>, rule: &Active, out: &mut Sink) {
    let (globs, patterns) = glob_param(rule, "patterns");
    let imported: HashMap<&str, u32> = cx
        .imports
        .modules
        .iter()
        .map(|m| (m.path.as_str(), m.fan_in))
        .collect();
    let referenced = referenced_files(cx);
    // What dynamic imports name (`importlib.import_module(f"models.{name}")`).
    let dynamic: Vec<&str> = cx
        .files
        .iter()
        .flat_map(|f| &f.facts.dynamic)
        .filter(|d| {
            matches!(
                d.kind,
                DynamicKind::ImportModule | DynamicKind::DunderImport
            )
        })
        .map(|d| d.detail.as_str())
        .collect();
    for (file, stem) in modules(cx) {
        let Some(&pattern) = globs.matches(stem).first().and_then(|&i| patterns.get(i)) else {
            continue;
        };
        // In a folder so marked (`legacy/`, `deepseek_v2/`), the folder
        // names it: archived, or a product name.
        let mut folders = file.path.split('/').rev().skip(1);
        if folders.any(|folder| globs.is_match(folder)) {
            continue;
        }
        let facts = &file.facts;
        let folder = file.path.rsplit('/').nth(1).unwrap_or("");
        let used = imported.get(file.path.as_str()).is_some_and(|&n| n > 0)
            || facts.lineage.main_guard
            || declared.contains(file.path.as_str())
            || referenced.contains(file.path.as_str())
            || facts
                .dynamic
                .iter()
                .any(|d| d.kind == DynamicKind::RegistryDecorator)
            || dynamic
                .iter()
                .any(|d| d.contains(stem) || (!folder.is_empty() && d.contains(folder)));
        if used {
            continue;
        }
        let message = format!(
            "`{}` is named like a leftover (`{pattern}`), and no module imports it, no pipeline \
             stage runs it and it has no `__main__` block",
            file.path
        );
        out.report(rule, At::new(&file.path, 0, None), &file.path, message);
    }
}

/// Files whose code another file's lineage node points at: a Hydra
/// `_target_`, a Kedro node, an Airflow callable.
fn referenced_files<'a>(cx: &Context<'a>) -> HashSet<&'a str> {
    let path_of: HashMap<&str, &str> = cx
        .lineage
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.path.as_str()))
        .collect();
    cx.lineage
        .edges
        .iter()
        .filter_map(|e| {
            let (from, to) = (path_of.get(e.from.as_str())?, path_of.get(e.to.as_str())?);
            (from != to).then_some(*to)
        })
        .collect()
}

/// MLS208: modules of many thin functions whose calls mostly go into
/// external ML, data or feature frameworks (not the repository's own
/// package, not the `ignore` list).
fn glue(cx: &Context, rule: &Active, out: &mut Sink) {
    let min_functions = usize::try_from(rule.int("min-functions"))
        .unwrap_or(0)
        .max(1);
    let min_share = rule.float("min-share");
    let ignored = rule.strings("ignore");
    let external: HashSet<&str> = cx
        .imports
        .externals
        .iter()
        .filter(|e| e.language == Language::Python && !ignored.contains(&e.name.as_str()))
        .map(|e| e.name.as_str())
        .collect();
    for (file, _) in modules(cx) {
        let facts = &file.facts;
        let functions = facts.functions.len();
        let calls = facts.metrics.calls;
        if functions < min_functions || calls == 0 {
            continue;
        }
        let cyclomatic: u32 = facts.functions.iter().map(|f| f.cyclomatic).sum();
        let mean = f64::from(cyclomatic) / functions as f64;
        let wrapped: Vec<(&str, u32)> = facts
            .metrics
            .framework_calls
            .iter()
            .filter(|(name, _)| external.contains(name.as_str()))
            .map(|(name, n)| (name.as_str(), *n))
            .collect();
        let framework_calls: u32 = wrapped.iter().map(|(_, n)| n).sum();
        let share = f64::from(framework_calls) / f64::from(calls);
        if mean > 1.5 || share < min_share {
            continue;
        }
        let names: Vec<&str> = wrapped.iter().map(|(name, _)| *name).collect();
        let message = format!(
            "{functions} thin functions (mean cyclomatic complexity {mean:.1}) whose calls go \
             into {} ({framework_calls} of {calls}, {:.0} %): a layer of glue around them",
            listing(&names, 4),
            share * 100.0,
        );
        out.report(rule, At::new(&file.path, 0, None), &file.path, message);
    }
}
