//! Configuration keys: dead flags (MLS201), unread keys (MLS203) and
//! undefined keys (MLS204). Keys are matched as the lineage matches them
//! ([`KeyIndex`]): a read of `train` reads `train.lr`, a read of
//! `train.lr.x` reads `train.lr`, not `trainer.lr`.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{ConfigKind, ConfigValue};
use crate::lineage::{EdgeKind, ParamFile, param_files, strip_root};
use crate::report::FileReport;

use super::super::{Active, At, Context, Sink};
use super::keys::{KeyIndex, suffixes};
use super::{glob_param, is_test, listing};

/// Roots that argparse and the like fill, not a configuration file.
const ARGUMENT_ROOTS: [&str; 5] = ["args", "opt", "opts", "self.args", "self.opt"];
/// Roots Lightning fills from constructor arguments.
const HPARAMS_ROOTS: [&str; 2] = ["hparams", "self.hparams"];

pub(super) fn check(cx: &Context, out: &mut Sink) {
    let files = param_files(cx.files);
    let reads = reads(cx);
    if let Some(rule) = cx.rule("MLS201") {
        dead_flags(cx, rule, &files, &reads, out);
    }
    if let Some(rule) = cx.rule("MLS203") {
        unread_keys(cx, rule, &files, &reads, out);
    }
    if let Some(rule) = cx.rule("MLS204") {
        undefined_keys(cx, rule, &files, &reads, out);
    }
}

/// A config key read in code.
struct Read<'a> {
    path: &'a str,
    /// The root as written: `cfg`, `self.hparams`.
    root: &'a str,
    /// The key without its root: `train.lr`.
    key: &'a str,
    line: u32,
    cell: Option<u32>,
    test: bool,
}

impl Read<'_> {
    fn at(&self) -> At<'_> {
        At::new(self.path, self.line, self.cell)
    }

    /// Whether the root is filled by a configuration file (as far as a
    /// static reader can tell): not argparse's, not Lightning's.
    fn on_config(&self) -> bool {
        !ARGUMENT_ROOTS.contains(&self.root) && !HPARAMS_ROOTS.contains(&self.root)
    }

    fn place(&self) -> String {
        format!("{}:{}", self.path, self.line)
    }
}

/// The config reads of the scan, the first per (file, key), by path and line.
fn reads<'a>(cx: &Context<'a>) -> Vec<Read<'a>> {
    let mut reads: Vec<Read> = cx
        .files
        .iter()
        .flat_map(|file| {
            file.facts.lineage.config_reads.iter().filter_map(move |r| {
                let key = strip_root(&r.key);
                let root = r.key.get(..r.key.len().checked_sub(key.len() + 1)?)?;
                (!key.is_empty()).then_some(Read {
                    path: &file.path,
                    root,
                    key,
                    line: r.line,
                    cell: r.cell,
                    test: is_test(file),
                })
            })
        })
        .collect();
    reads.sort_by(|a, b| (a.path, a.cell, a.line).cmp(&(b.path, b.cell, b.line)));
    let mut seen = HashSet::new();
    reads.retain(|r| seen.insert((r.path, r.key)));
    reads
}

/// MLS201: a flag code reads that every config defining it sets to false,
/// and that no config anywhere (under any prefix) sets otherwise; not an
/// operational switch (the `ignore` globs: `debug`, `resume`).
fn dead_flags(cx: &Context, rule: &Active, files: &[ParamFile], reads: &[Read], out: &mut Sink) {
    let mut defined: HashMap<String, Vec<(&str, &ConfigValue)>> = HashMap::new();
    for pf in files {
        for v in &pf.config.values {
            defined
                .entry(pf.read_as(&v.key))
                .or_default()
                .push((&pf.file.path, v));
        }
    }
    let settings: Vec<(&str, &ConfigValue)> = cx
        .files
        .iter()
        .filter_map(|f| Some((f.path.as_str(), f.facts.config.as_ref()?)))
        .flat_map(|(path, c)| c.values.iter().map(move |v| (path, v)))
        .collect();
    let (operational, _) = glob_param(rule, "ignore");
    for read in reads.iter().filter(|r| !r.test && r.on_config()) {
        let Some(definitions) = defined.get(read.key) else {
            continue;
        };
        if operational.is_match(read.key.rsplit('.').next().unwrap_or(read.key)) {
            continue;
        }
        if definitions.iter().any(|(_, v)| v.value != "false") {
            continue;
        }
        let setting: Vec<&(&str, &ConfigValue)> = settings
            .iter()
            .filter(|(_, v)| same_setting(&v.key, read.key))
            .collect();
        if setting
            .iter()
            .any(|(_, v)| !matches!(v.value.as_str(), "false" | "null"))
        {
            continue;
        }
        let places: Vec<String> = setting
            .iter()
            .map(|(path, v)| format!("{path}:{}", v.line))
            .collect();
        let message = format!(
            "`{}` is false in every configuration that sets it ({}): the code behind \
             this read never runs with a configuration of the repository",
            read.key,
            places.join(", ")
        );
        out.report(rule, read.at(), read.key, message);
    }
}

/// Whether two dotted keys may name the same setting: one ends with the
/// other (`train.use_mixup` set as `use_mixup` in a `train` package, or
/// under an `experiment` group).
fn same_setting(a: &str, b: &str) -> bool {
    let ends = |long: &str, short: &str| {
        long == short
            || long
                .strip_suffix(short)
                .is_some_and(|rest| rest.ends_with('.'))
    };
    ends(a, b) || ends(b, a)
}

/// Keys consumed by pipeline stages: DVC `params`, Kedro `params:` inputs,
/// MLproject parameters, as (file, key); an empty key is the whole file,
/// and the file `params:` (an empty key) is Kedro's `parameters` input.
fn stage_keys<'a>(cx: &Context<'a>) -> BTreeSet<(&'a str, &'a str)> {
    let stages: HashSet<&str> = cx
        .lineage
        .nodes
        .iter()
        .filter(|n| n.is_pipeline_stage())
        .map(|n| n.id.as_str())
        .collect();
    cx.lineage
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Configures && stages.contains(e.to.as_str()))
        .filter_map(|e| {
            let config = e.from.strip_prefix("config:")?;
            Some(config.split_once('#').unwrap_or((config, "")))
        })
        .collect()
}

/// The keys `${a.b}` interpolations (Hydra, OmegaConf, DVC templating)
/// refer to: absolute ones, without a resolver such as `${oc.env:HOME}`.
fn interpolations(value: &str) -> impl Iterator<Item = &str> {
    value.split("${").skip(1).filter_map(|rest| {
        let key = rest.split('}').next()?;
        let plain = !key.is_empty()
            && !key.starts_with('.')
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'));
        plain.then_some(key)
    })
}

/// Keys a framework consumes rather than the project's code: Hydra's own
/// (`hydra.*`, `defaults`) and `_target_`-like ones (`_recursive_`).
fn framework_key(key: &str) -> bool {
    let first = key.split('.').next().unwrap_or(key);
    first == "hydra"
        || first == "defaults"
        || key
            .split('.')
            .any(|s| s.len() > 1 && s.starts_with('_') && s.ends_with('_'))
}

/// MLS203: keys of a params, Kedro parameters or Hydra file that nothing
/// reads, in files the code evidently reads (reads on config roots match
/// two of its keys or a dotted one, or, for Kedro, a node takes one as a
/// `params:` input).
fn unread_keys(cx: &Context, rule: &Active, files: &[ParamFile], reads: &[Read], out: &mut Sink) {
    if !reads.iter().any(Read::on_config) {
        return;
    }
    let code = KeyIndex::new(reads.iter().map(|r| (r.key, r)));
    let interpolated = KeyIndex::new(
        cx.files
            .iter()
            .filter_map(|f| f.facts.config.as_ref())
            .flat_map(|c| {
                let stages = c
                    .stages
                    .iter()
                    .flat_map(|s| std::iter::once(&s.cmd).chain(&s.deps).chain(&s.outs));
                c.values.iter().map(|v| &v.value).chain(stages)
            })
            .flat_map(|text| interpolations(text))
            .map(|k| (k, ())),
    );
    let staged = stage_keys(cx);
    let all_kedro = staged.contains(&("params:", ""));
    for pf in files.iter().filter(|pf| !is_test(pf.file)) {
        let path = pf.file.path.as_str();
        let kedro = pf.config.kind == ConfigKind::KedroParameters;
        let consumed_whole = staged.contains(&(path, ""))
            || (kedro && all_kedro)
            || pf.config.targets.iter().any(|t| t.key.is_empty());
        if consumed_whole {
            continue;
        }
        let staged_here = KeyIndex::new(
            staged
                .range((path, "")..)
                .take_while(|(file, _)| *file == path)
                .map(|(_, key)| (*key, ())),
        );
        let targets = KeyIndex::new(pf.config.targets.iter().map(|t| (t.key.as_str(), ())));
        // Evidence that the code's reads of this file are visible: reads on
        // config roots of two of its keys, or of one dotted key.
        let mut example: Option<&Read> = None;
        let mut matched = 0;
        let mut read_by_nodes = false;
        let mut unread: Vec<(String, u32)> = Vec::new();
        let mut seen = HashSet::new();
        for v in &pf.config.values {
            let key = v.key.replace("[]", "");
            if framework_key(&key) || !seen.insert(key.clone()) {
                continue;
            }
            let full = pf.read_as(&key);
            if let Some(read) = suffixes(&full).find_map(|k| code.matching(k)) {
                if read.on_config() {
                    matched += 1;
                    if example.is_none_or(|e| !e.key.contains('.')) {
                        example = Some(read);
                    }
                }
                continue;
            }
            let by_stage = staged_here.matching(&key).is_some();
            read_by_nodes |= by_stage && kedro;
            if by_stage
                || targets.matching(&key).is_some()
                || interpolated.matching(&full).is_some()
            {
                continue;
            }
            unread.push((key, v.line));
        }
        let evidence = match example {
            Some(read) if matched > 1 || read.key.contains('.') => {
                format!("code reads `{}` of this file at {}", read.key, read.place())
            }
            _ if read_by_nodes => "pipeline nodes read its other parameters".to_string(),
            _ => continue,
        };
        for (key, line) in unread {
            let message = format!(
                "`{key}` is read by no code, pipeline stage, `_target_` or `${{…}}` \
                 interpolation, while {evidence}"
            );
            out.report(rule, At::new(path, line, None), &key, message);
        }
    }
}

/// MLS204: keys read on a config root that no params, Kedro parameters or
/// Hydra file defines (as a key, under or above one, or as the tail of one),
/// in files where another read on the same root is defined (so the root is
/// evidently one of those configs).
fn undefined_keys(
    cx: &Context,
    rule: &Active,
    files: &[ParamFile],
    reads: &[Read],
    out: &mut Sink,
) {
    if files.iter().all(|pf| pf.config.params.is_empty()) || structured_configs(cx.files) {
        return;
    }
    let keys: BTreeSet<String> = files
        .iter()
        .flat_map(|pf| pf.config.params.iter().map(|key| pf.read_as(key)))
        .collect();
    let staged = stage_keys(cx);
    let defined = KeyIndex::new(
        keys.iter()
            .map(String::as_str)
            .chain(staged.iter().map(|(_, key)| *key))
            .flat_map(suffixes)
            .map(|k| (k, ())),
    );
    let mut by_root: BTreeMap<(&str, &str), Vec<&Read>> = BTreeMap::new();
    for read in reads
        .iter()
        .filter(|r| !r.test && r.on_config() && !framework_key(r.key))
    {
        by_root
            .entry((read.path, read.root))
            .or_default()
            .push(read);
    }
    for group in by_root.values() {
        let Some(anchor) = group.iter().find(|r| defined.matching(r.key).is_some()) else {
            continue;
        };
        for read in group.iter().filter(|r| defined.matching(r.key).is_none()) {
            let near = nearest(&keys, read.key);
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!("; defined nearby: {}", listing(&near, 3))
            };
            let message = format!(
                "`{}.{}` is defined in no params, Kedro parameters or Hydra file, \
                 while `{}.{}` at line {} is{hint}",
                read.root, read.key, anchor.root, anchor.key, anchor.line
            );
            out.report(rule, read.at(), read.key, message);
        }
    }
}

/// Defined keys under the longest dotted prefix of `key` that has some.
fn nearest<'k>(keys: &'k BTreeSet<String>, key: &str) -> Vec<&'k str> {
    let prefixes: Vec<&str> = key.match_indices('.').map(|(i, _)| &key[..i]).collect();
    for prefix in prefixes.iter().rev() {
        let under: Vec<&str> = keys
            .iter()
            .filter(|k| {
                k.strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
            .map(String::as_str)
            .collect();
        if !under.is_empty() {
            return under;
        }
    }
    Vec::new()
}

/// Whether the repo defines configs in code (Hydra's `ConfigStore`), which
/// this check cannot see.
fn structured_configs(files: &[FileReport]) -> bool {
    files.iter().any(|f| {
        f.facts.imports.iter().any(|i| {
            i.module.starts_with("hydra.core.config_store")
                || i.names.iter().any(|n| n == "ConfigStore")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolated_keys() {
        let keys: Vec<&str> =
            interpolations("${data.root}/${run.name}-${oc.env:HOME}/${..up}/${}").collect();
        assert_eq!(keys, ["data.root", "run.name"]);
        assert_eq!(interpolations("plain").count(), 0);
        assert_eq!(
            interpolations("${unclosed").collect::<Vec<_>>(),
            ["unclosed"]
        );
    }

    #[test]
    fn settings_and_framework_keys() {
        assert!(same_setting("train.use_mixup", "use_mixup"));
        assert!(same_setting("use_mixup", "experiment.train.use_mixup"));
        assert!(!same_setting("train.use_mixup", "mixup"));
        assert!(framework_key("hydra.run.dir"));
        assert!(framework_key("defaults"));
        assert!(framework_key("model._recursive_"));
        assert!(!framework_key("model._private"));
        assert!(!framework_key("train.lr"));
    }
}
