//! Project configuration: `mlscan.toml`, or `[tool.mlscan]` in
//! `pyproject.toml`, found in the scanned directory or given with
//! `--config`. Unknown keys and bad values are errors with file and line,
//! never silently ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::facts::CcRules;
use crate::role::Role;
use crate::ruleset::{Level, RuleSet, Severity};
use crate::score::Scoring;

/// The settings a project can pin. Paths and globs are relative to the
/// scanned directory, in gitignore syntax for `exclude` and glob syntax
/// (`**`, `*`, `?`, `{a,b}`) for `roles` and `components`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectConfig {
    /// Extra paths to skip.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Role overrides: `model = ["src/nets/**"]`.
    #[serde(default)]
    pub roles: BTreeMap<Role, Vec<String>>,
    /// Component overrides: `ingest = ["src/etl/**", "jobs/**"]`.
    #[serde(default)]
    pub components: BTreeMap<String, Vec<String>>,
    /// Python cyclomatic rules (`radon` or `mccabe`).
    pub cc_rules: Option<CcRules>,
    /// Largest code file to analyse, in bytes.
    pub max_file_size: Option<u64>,
    /// Rules to run: ids, id prefixes (`MLS2`), names, families or `ALL`
    /// (default: all).
    pub select: Option<Vec<Spanned<String>>>,
    /// Rules not to run, in the same syntax.
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    /// Rules not to run on paths matching a glob: `"tests/**" = ["MLS3"]`.
    #[serde(default)]
    pub per_path_ignores: BTreeMap<String, Vec<Spanned<String>>>,
    /// Per rule (by id or name): `level`, `severity` and parameters.
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, toml::Value>>,
    /// Copies of other projects' code (globs): scanned and scored, but no
    /// findings are reported there. Replaces [`DEFAULT_VENDORED`].
    pub vendored: Option<Vec<String>>,
    /// Exit with code 1 when a finding of this decision level or above is
    /// reported.
    pub fail_on: Option<Level>,
    #[serde(default)]
    pub budgets: Budgets,
    /// Score weights and limits (defaults in `rules/scoring.toml`).
    #[serde(default)]
    pub scoring: ScoringConfig,
    /// The file this configuration came from, for later error messages.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// The largest score weight or limit: sums of weights stay finite.
const MAX_WEIGHT: f64 = 1e6;

/// Where vendored code usually lives.
pub const DEFAULT_VENDORED: &[&str] = &[
    "**/_vendor/**",
    "**/vendor/**",
    "**/vendored/**",
    "**/_vendored/**",
    "**/third_party/**",
    "**/externals/**",
];

/// Limits that fail a CI run (exit code 1) when a score crosses them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Budgets {
    /// Largest complexity index of any component.
    pub max_complexity_index: Option<f64>,
    /// Lowest explainability of any component.
    pub min_explainability: Option<f64>,
    /// Largest complexity index of the whole repository.
    pub repo_max_complexity_index: Option<f64>,
    /// Lowest explainability of the whole repository.
    pub repo_min_explainability: Option<f64>,
    /// Per-component limits, replacing the two above for that component.
    #[serde(default)]
    pub components: BTreeMap<Spanned<String>, ComponentBudget>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ComponentBudget {
    pub max_complexity_index: Option<f64>,
    pub min_explainability: Option<f64>,
    /// The line of its table, for errors once components are known.
    #[serde(skip)]
    pub line: usize,
}

/// Overrides of the score weights and limits, by name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScoringConfig {
    #[serde(default)]
    pub explainability_weights: BTreeMap<Spanned<String>, f64>,
    #[serde(default)]
    pub explainability_limits: BTreeMap<Spanned<String>, f64>,
    #[serde(default)]
    pub complexity_weights: BTreeMap<Spanned<String>, f64>,
}

/// A loaded configuration (`config.source` says where it came from).
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    pub config: ProjectConfig,
}

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<PyprojectTool>,
}

#[derive(Deserialize)]
struct PyprojectTool {
    mlscan: Option<ProjectConfig>,
}

/// Loads `explicit` if given, else `mlscan.toml` or a `pyproject.toml`
/// with a `[tool.mlscan]` table in `root` (when `root` is a directory).
pub fn load(root: &Path, explicit: Option<&Path>) -> Result<LoadedConfig, String> {
    if let Some(path) = explicit {
        return load_file(path)?
            .ok_or_else(|| format!("{}: no [tool.mlscan] table in this file", path.display()));
    }
    if !root.is_dir() {
        return Ok(LoadedConfig::default());
    }
    for name in ["mlscan.toml", "pyproject.toml"] {
        let path = root.join(name);
        if path.is_file()
            && let Some(loaded) = load_file(&path)?
        {
            return Ok(loaded);
        }
    }
    Ok(LoadedConfig::default())
}

/// Reads one config file; `None` for a pyproject without `[tool.mlscan]`.
fn load_file(path: &Path) -> Result<Option<LoadedConfig>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let error = |e: toml::de::Error| format!("invalid configuration in {}: {e}", path.display());
    let config = if is_pyproject {
        let pyproject: Pyproject = toml::from_str(&text).map_err(error)?;
        match pyproject.tool.and_then(|t| t.mlscan) {
            Some(config) => config,
            None => return Ok(None),
        }
    } else {
        toml::from_str(&text).map_err(error)?
    };
    let mut config = config;
    validate(&config, &text)
        .map_err(|e| format!("invalid configuration in {}: {e}", path.display()))?;
    for (name, budget) in &mut config.budgets.components {
        budget.line = line_at(&text, name.span().start);
    }
    config.source = Some(path.to_path_buf());
    Ok(Some(LoadedConfig { config }))
}

/// Checks what serde cannot: that rules, selectors, parameters and score
/// weights name something that exists, with values of the right type.
fn validate(config: &ProjectConfig, text: &str) -> Result<(), String> {
    let line = |span: std::ops::Range<usize>| line_at(text, span.start);
    validate_globs(config, text)?;
    validate_budgets(&config.budgets, text)?;
    let rules = RuleSet::builtin();
    let selectors = config
        .select
        .iter()
        .flatten()
        .chain(&config.ignore)
        .chain(config.per_path_ignores.values().flatten());
    for selector in selectors {
        if rules.matching(selector.get_ref()).is_empty() {
            return Err(format!(
                "line {}: `{}` names no rule (use an id such as MLS001, a prefix such as MLS2, a rule name, a family or ALL)",
                line(selector.span()),
                selector.get_ref()
            ));
        }
    }
    for (key, table) in &config.rules {
        let at = line(key.span());
        let rule = rules
            .find(key.get_ref())
            .ok_or_else(|| format!("line {at}: [rules.{}]: no such rule", key.get_ref()))?;
        for (name, value) in table {
            let at = line(name.span());
            let name = name.get_ref();
            let expected = match name.as_str() {
                "level" => {
                    Level::deserialize(value.clone()).map_err(|_| {
                        format!(
                            "line {at}: [rules.{}] level must be local, review or escalate",
                            key.get_ref()
                        )
                    })?;
                    continue;
                }
                "severity" => {
                    Severity::deserialize(value.clone()).map_err(|_| {
                        format!(
                            "line {at}: [rules.{}] severity must be info, warning or error",
                            key.get_ref()
                        )
                    })?;
                    continue;
                }
                _ => match rule.param(name) {
                    Some(param) => &param.default,
                    None => {
                        let known: Vec<&str> =
                            rule.params.iter().map(|p| p.name.as_str()).collect();
                        return Err(format!(
                            "line {at}: [rules.{}] has no parameter `{name}` (it has: level, severity{}{})",
                            key.get_ref(),
                            if known.is_empty() { "" } else { ", " },
                            known.join(", ")
                        ));
                    }
                },
            };
            if !same_type(expected, value) {
                return Err(format!(
                    "line {at}: [rules.{}] {name} must be {}, like its default {expected}",
                    key.get_ref(),
                    expected.type_str()
                ));
            }
            crate::check::validate_param(&rule.id, name, value)
                .map_err(|e| format!("line {at}: [rules.{}] {name}: {e}", key.get_ref()))?;
        }
    }
    let defaults = Scoring::builtin();
    for (table, map, known) in [
        (
            "explainability-weights",
            &config.scoring.explainability_weights,
            &defaults.explainability_weights,
        ),
        (
            "explainability-limits",
            &config.scoring.explainability_limits,
            &defaults.explainability_limits,
        ),
        (
            "complexity-weights",
            &config.scoring.complexity_weights,
            &defaults.complexity_weights,
        ),
    ] {
        for (key, value) in map {
            if !known.contains_key(key.get_ref()) {
                let names: Vec<&str> = known.keys().map(String::as_str).collect();
                return Err(format!(
                    "line {}: [scoring.{table}] has no `{}` (it has: {})",
                    line(key.span()),
                    key.get_ref(),
                    names.join(", ")
                ));
            }
            if !(0.0..=MAX_WEIGHT).contains(value) {
                return Err(format!(
                    "line {}: [scoring.{table}] {} must be a number from 0 to 1,000,000",
                    line(key.span()),
                    key.get_ref()
                ));
            }
        }
    }
    Ok(())
}

/// The 1-based line holding byte `offset` of `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(0, |before| before.matches('\n').count() + 1)
}

/// The line of the first quoted occurrence of `value` (globs are strings
/// in lists and keys, which carry no position of their own).
fn line_of_string(text: &str, value: &str) -> usize {
    text.find(&format!("\"{value}\""))
        .or_else(|| text.find(&format!("'{value}'")))
        .map_or(0, |at| line_at(text, at))
}

/// The line of the first `key = …` (0 when not found).
fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(0, |i| i + 1)
}

/// Globs must compile: roles, components and per-path ignores use glob
/// syntax, `exclude` gitignore syntax.
fn validate_globs(config: &ProjectConfig, text: &str) -> Result<(), String> {
    let globs = config
        .roles
        .values()
        .chain(config.components.values())
        .flatten()
        .chain(config.per_path_ignores.keys())
        .chain(config.vendored.iter().flatten());
    for glob in globs {
        if let Err(e) = globset::Glob::new(glob) {
            return Err(format!(
                "line {}: invalid glob {glob:?}: {e}",
                line_of_string(text, glob)
            ));
        }
    }
    let mut gitignore = ignore::gitignore::GitignoreBuilder::new("");
    for pattern in &config.exclude {
        if let Err(e) = gitignore.add_line(None, pattern) {
            return Err(format!(
                "line {}: invalid exclude pattern {pattern:?}: {e}",
                line_of_string(text, pattern)
            ));
        }
    }
    Ok(())
}

/// Budgets must be reachable: an index of at least 0, an explainability
/// between 0 and 100.
fn validate_budgets(budgets: &Budgets, text: &str) -> Result<(), String> {
    let limits = [
        (
            "max-complexity-index",
            budgets.max_complexity_index,
            f64::MAX,
        ),
        (
            "repo-max-complexity-index",
            budgets.repo_max_complexity_index,
            f64::MAX,
        ),
        ("min-explainability", budgets.min_explainability, 100.0),
        (
            "repo-min-explainability",
            budgets.repo_min_explainability,
            100.0,
        ),
    ]
    .into_iter()
    .chain(budgets.components.values().flat_map(|b| {
        [
            ("max-complexity-index", b.max_complexity_index, f64::MAX),
            ("min-explainability", b.min_explainability, 100.0),
        ]
    }));
    for (key, value, max) in limits {
        if let Some(v) = value
            && !(v.is_finite() && (0.0..=max).contains(&v))
        {
            let at = line_of_key(text, key);
            let range = if max == 100.0 {
                "between 0 and 100"
            } else {
                "at least 0"
            };
            return Err(format!("line {at}: [budgets] {key} = {v} must be {range}"));
        }
    }
    Ok(())
}

/// Whether a configured value can replace a default (integers stand for
/// floats; lists hold strings).
fn same_type(default: &toml::Value, value: &toml::Value) -> bool {
    use toml::Value as V;
    match (default, value) {
        (V::Integer(_), V::Integer(_))
        | (V::Float(_), V::Float(_) | V::Integer(_))
        | (V::Boolean(_), V::Boolean(_))
        | (V::String(_), V::String(_)) => true,
        (V::Array(_), V::Array(items)) => items.iter().all(toml::Value::is_str),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn reads_mlscan_toml() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "mlscan.toml",
            "exclude = [\"legacy/\"]\ncc-rules = \"mccabe\"\n[roles]\nmodel = [\"nets/**\"]\n",
        );
        let loaded = load(dir.path(), None).unwrap();
        assert_eq!(loaded.config.exclude, vec!["legacy/"]);
        assert_eq!(loaded.config.cc_rules, Some(CcRules::Mccabe));
        assert_eq!(loaded.config.roles[&Role::Model], vec!["nets/**"]);
    }

    #[test]
    fn reads_tool_mlscan_from_pyproject_and_skips_pyprojects_without_it() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "pyproject.toml", "[project]\nname = \"x\"\n");
        assert_eq!(
            load(dir.path(), None).unwrap().config,
            ProjectConfig::default()
        );
        write(
            dir.path(),
            "pyproject.toml",
            "[project]\nname = \"x\"\n[tool.mlscan.components]\ningest = [\"etl/**\"]\n",
        );
        let loaded = load(dir.path(), None).unwrap();
        assert_eq!(loaded.config.components["ingest"], vec!["etl/**"]);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "mlscan.toml",
            "exclude = []\n\nexlcude = [\"x\"]\n",
        );
        let err = load(dir.path(), None).unwrap_err();
        assert!(err.contains("mlscan.toml"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("unknown field `exlcude`"), "{err}");
    }

    #[test]
    fn governance_lists_are_checked_when_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let text = "[rules.unapproved-data-source]\napproved = [\"data/{raw\"]\n";
        write(dir.path(), "mlscan.toml", text);
        let err = load(dir.path(), None).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("invalid glob \"data/{raw\""), "{err}");
        let text = "[rules.MLS403]\napproved-categories = [\"stdlib\", \"ml-framework\"]\n";
        write(dir.path(), "mlscan.toml", text);
        let err = load(dir.path(), None).unwrap_err();
        assert!(err.contains("unknown category `ml-framework`"), "{err}");
    }

    #[test]
    fn bad_role_names_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "mlscan.toml", "[roles]\nmodels = [\"x/**\"]\n");
        let err = load(dir.path(), None).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn invalid_globs_and_unreachable_budgets_are_errors_with_a_line() {
        let dir = tempfile::tempdir().unwrap();
        for (text, expected) in [
            (
                "[per-path-ignores]\n\"src/[a\" = [\"MLS001\"]\n",
                "line 2: invalid glob \"src/[a\"",
            ),
            (
                "[components]\nx = [\"a/**\", \"b/{c\"]\n",
                "line 2: invalid glob \"b/{c\"",
            ),
            (
                "[budgets]\nmax-complexity-index = 10\nmin-explainability = 250\n",
                "line 3: [budgets] min-explainability = 250 must be between 0 and 100",
            ),
            (
                "[budgets.components.x]\nmax-complexity-index = -5\n",
                "line 2: [budgets] max-complexity-index = -5 must be at least 0",
            ),
        ] {
            write(dir.path(), "mlscan.toml", text);
            let err = load(dir.path(), None).unwrap_err();
            assert!(
                err.contains("mlscan.toml") && err.contains(expected),
                "{err}"
            );
        }
    }

    #[test]
    fn component_budgets_remember_their_line_and_file() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "mlscan.toml",
            "fail-on = \"review\"\n\n[budgets.components.ingest]\nmin-explainability = 40\n",
        );
        let config = load(dir.path(), None).unwrap().config;
        let (name, budget) = config.budgets.components.iter().next().unwrap();
        assert_eq!((name.get_ref().as_str(), budget.line), ("ingest", 3));
        assert_eq!(config.source, Some(dir.path().join("mlscan.toml")));
    }
}
