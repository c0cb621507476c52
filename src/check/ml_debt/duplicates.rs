//! Duplicated configuration settings (MLS205).

use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;

use crate::facts::ConfigKind;
use crate::report::FileReport;

use super::super::{Active, At, Context, Sink};
use super::{is_test, listing};

/// A `(key, value)` setting repeated in more files than this is boilerplate
/// and does not count towards duplicates (it also bounds the pair count).
const MAX_FILES_PER_SETTING: usize = 100;

pub(super) fn check(cx: &Context, out: &mut Sink) {
    if let Some(rule) = cx.rule("MLS205") {
        duplicated_values(cx, rule, out);
    }
}

/// A file's distinct `(key, value)` settings, with the first line of each.
type Settings<'a> = BTreeMap<(&'a str, &'a str), u32>;

/// MLS205: for each settings file, the earlier file (by path) it shares the
/// most identical `key = value` settings with, when they are at least
/// `min-shared`.
fn duplicated_values(cx: &Context, rule: &Active, out: &mut Sink) {
    let min = usize::try_from(rule.int("min-shared")).unwrap_or(0).max(1);
    let files: Vec<(&FileReport, Settings)> = cx
        .files
        .iter()
        .filter(|f| settings_file(f))
        .filter_map(|f| {
            let config = f.facts.config.as_ref()?;
            let mut settings = BTreeMap::new();
            for v in &config.values {
                settings
                    .entry((v.key.as_str(), v.value.as_str()))
                    .or_insert(v.line);
            }
            Some((f, settings))
        })
        .collect();
    let mut holders: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, (_, settings)) in files.iter().enumerate() {
        for setting in settings.keys() {
            holders.entry(*setting).or_default().push(i);
        }
    }
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    for list in holders
        .values()
        .filter(|l| l.len() <= MAX_FILES_PER_SETTING)
    {
        for (n, &a) in list.iter().enumerate() {
            for &b in &list[n + 1..] {
                *shared.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut best: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (&(a, b), &count) in &shared {
        let slot = best.entry(b).or_insert((count, a));
        if (count, std::cmp::Reverse(a)) > (slot.0, std::cmp::Reverse(slot.1)) {
            *slot = (count, a);
        }
    }
    for (b, (count, a)) in best {
        if count < min {
            continue;
        }
        let (first, first_settings) = &files[a];
        let (second, second_settings) = &files[b];
        let mut common: Vec<(u32, &str, &str)> = second_settings
            .iter()
            .filter(|(s, _)| {
                first_settings.contains_key(*s)
                    && holders
                        .get(*s)
                        .is_some_and(|l| l.len() <= MAX_FILES_PER_SETTING)
            })
            .map(|((key, value), line)| (*line, *key, *value))
            .collect();
        common.sort_unstable();
        let line = common.first().map_or(0, |(line, _, _)| *line);
        let examples: Vec<String> = common
            .iter()
            .map(|(_, key, value)| format!("{key} = {value}"))
            .collect();
        let subject = format!("{} ↔ {}", first.path, second.path);
        let message = format!(
            "{count} identical settings with {} ({}): move them to a shared base config",
            first.path,
            listing(&examples, 3)
        );
        out.report(rule, At::new(&second.path, line, None), &subject, message);
    }
}

/// Files whose settings may be duplicates: params, Kedro parameters, Hydra
/// and generic settings files that are not tests, lock files or tool
/// configuration in hidden folders (`.github/`).
fn settings_file(file: &FileReport) -> bool {
    let kinds = [
        ConfigKind::Params,
        ConfigKind::KedroParameters,
        ConfigKind::Hydra,
        ConfigKind::Generic,
    ];
    let name = file.path.rsplit('/').next().unwrap_or(&file.path);
    file.facts
        .config
        .as_ref()
        .is_some_and(|c| kinds.contains(&c.kind))
        && !is_test(file)
        && !name.contains("lock")
        && !file.path.split('/').any(|s| s.starts_with('.'))
}
