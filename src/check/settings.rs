//! The rules in effect for one scan: selection (`select`, `ignore`,
//! `--select`, `--ignore`), per-path ignores, and each rule's level,
//! severity and parameters after the project's overrides.

use foldhash::{HashSet, HashSetExt};
use std::collections::BTreeMap;

use globset::GlobSet;
use serde::Deserialize;

use crate::config::{DEFAULT_VENDORED, ProjectConfig};
use crate::role::glob_set;
use crate::ruleset::{Level, Rule, RuleSet, Severity};

/// A selected rule with its effective settings.
#[derive(Debug, Clone)]
pub struct Active {
    pub rule: &'static Rule,
    pub level: Level,
    pub severity: Severity,
    params: BTreeMap<String, toml::Value>,
}

impl Active {
    fn param(&self, name: &str) -> Option<&toml::Value> {
        self.params.get(name)
    }

    /// An integer (or float, rounded down) parameter; 0 if absent.
    pub fn int(&self, name: &str) -> i64 {
        match self.param(name) {
            Some(toml::Value::Integer(i)) => *i,
            Some(toml::Value::Float(f)) => *f as i64,
            _ => 0,
        }
    }

    /// A float (or integer) parameter; 0 if absent.
    pub fn float(&self, name: &str) -> f64 {
        match self.param(name) {
            Some(toml::Value::Float(f)) => *f,
            Some(toml::Value::Integer(i)) => *i as f64,
            _ => 0.0,
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(self.param(name), Some(toml::Value::Boolean(true)))
    }

    /// A list-of-strings parameter; empty if absent.
    pub fn strings(&self, name: &str) -> Vec<&str> {
        match self.param(name) {
            Some(toml::Value::Array(items)) => items.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}

/// The selected rules, by id, and the per-path ignores.
#[derive(Debug, Default)]
pub struct Settings {
    active: BTreeMap<&'static str, Active>,
    per_path: Vec<(GlobSet, HashSet<&'static str>)>,
    /// Paths of vendored code, where no finding is reported.
    vendored: GlobSet,
    /// Exit code 1 when a finding has this level or above.
    pub fail_on: Option<Level>,
}

impl Settings {
    /// Settings from the project configuration (validated when loaded)
    /// and the command line: `select` replaces the configured selection,
    /// `ignore` adds to it, `fail_on` replaces the configured level.
    pub fn new(
        config: &ProjectConfig,
        select: &[String],
        ignore: &[String],
        fail_on: Option<Level>,
    ) -> Result<Settings, String> {
        let rules = RuleSet::builtin();
        let names = |selectors: &[&str]| -> Result<HashSet<&'static str>, String> {
            let mut ids = HashSet::new();
            for selector in selectors {
                let matched = rules.matching(selector);
                if matched.is_empty() {
                    return Err(format!(
                        "`{selector}` names no rule (use an id such as MLS001, a prefix such as MLS2, a rule name, a family or ALL; `mlscan rules` lists them)"
                    ));
                }
                ids.extend(matched.into_iter().map(|r| r.id.as_str()));
            }
            Ok(ids)
        };
        let configured: Vec<&str> = match &config.select {
            Some(list) => list.iter().map(|s| s.get_ref().as_str()).collect(),
            None => vec!["ALL"],
        };
        let selected = if select.is_empty() {
            names(&configured)?
        } else {
            names(&select.iter().map(String::as_str).collect::<Vec<_>>())?
        };
        let ignored = names(
            &config
                .ignore
                .iter()
                .map(|s| s.get_ref().as_str())
                .chain(ignore.iter().map(String::as_str))
                .collect::<Vec<_>>(),
        )?;
        let mut active = BTreeMap::new();
        for rule in &rules.rules {
            if !selected.contains(rule.id.as_str()) || ignored.contains(rule.id.as_str()) {
                continue;
            }
            let mut settings = Active {
                rule,
                level: rule.level,
                severity: rule.severity,
                params: rule
                    .params
                    .iter()
                    .map(|p| (p.name.clone(), p.default.clone()))
                    .collect(),
            };
            let overrides = config
                .rules
                .iter()
                .filter(|(key, _)| *key.get_ref() == rule.id || *key.get_ref() == rule.name);
            for (_, table) in overrides {
                for (name, value) in table {
                    let name = name.get_ref();
                    match name.as_str() {
                        "level" => {
                            settings.level = Level::deserialize(value.clone())
                                .map_err(|e| format!("[rules.{}] level: {e}", rule.id))?;
                        }
                        "severity" => {
                            settings.severity = Severity::deserialize(value.clone())
                                .map_err(|e| format!("[rules.{}] severity: {e}", rule.id))?;
                        }
                        _ => {
                            settings.params.insert(name.clone(), value.clone());
                        }
                    }
                }
            }
            active.insert(rule.id.as_str(), settings);
        }
        let per_path = config
            .per_path_ignores
            .iter()
            .map(|(glob, selectors)| {
                let selectors: Vec<&str> = selectors.iter().map(|s| s.get_ref().as_str()).collect();
                Ok((glob_set(std::slice::from_ref(glob))?, names(&selectors)?))
            })
            .collect::<Result<_, String>>()?;
        Ok(Settings {
            active,
            per_path,
            vendored: glob_set(
                &config
                    .vendored
                    .clone()
                    .unwrap_or_else(|| DEFAULT_VENDORED.iter().map(|g| g.to_string()).collect()),
            )?,
            fail_on: fail_on.or(config.fail_on),
        })
    }

    /// The rule `id` when it is selected.
    pub fn rule(&self, id: &str) -> Option<&Active> {
        self.active.get(id)
    }

    /// Whether `path` is vendored code (no rule applies to it).
    pub fn is_vendored(&self, path: &str) -> bool {
        self.vendored.is_match(path)
    }

    /// Whether `path` is in a per-path ignore of `rule`.
    pub fn ignores(&self, rule: &Active, path: &str) -> bool {
        self.per_path
            .iter()
            .any(|(globs, ids)| ids.contains(rule.rule.id.as_str()) && globs.is_match(path))
    }
}
