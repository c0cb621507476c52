//! YAML, TOML and JSON configuration analysis.
//!
//! Files are parsed into a tree that keeps the line of every key
//! (`tree`), under fixed limits: at most 16 MiB (a leading BOM is
//! dropped), nesting at most `MAX_DEPTH` (64) levels, at most
//! `MAX_NODES` (250,000) nodes, at most 1,024 YAML documents and
//! 100,000 alias-replayed YAML events (an alias bomb stops there, after a
//! fraction of a second). A file over a limit is reported as a [`Problem`],
//! without `syntax_errors`. YAML follows serde-saphyr: YAML 1.1
//! booleans in values (`on: yes` reads `true`, keys stay as written), `<<`
//! merge keys applied, empty documents not counted. Duplicate keys keep the
//! last value, as PyYAML does, and each is reported as a [`Problem`].
//!
//! `params` lists leaf key paths: mapping keys joined with `.`, a sequence
//! shown as `[]` without indices (`stages.train.deps[]`,
//! `layers[].size`); `_target_` keys use the same paths, and each is also a
//! [`DynamicKind::HydraTarget`] point. `lists` keeps each non-empty
//! sequence of strings under a key (at the key's path and line): at most
//! 500 lists, 64 strings each, none longer than 256 characters (a list
//! with a longer one, or any other item, is not kept). Then the kind is
//! recognised and its lineage facts extracted (`extract`). `values` keeps the
//! scalar leaves (and lists of scalars) of settings files, in file order: at
//! most 5,000, none longer than 256 characters.

use crate::facts::{
    ConfigFacts, ConfigKind, ConfigTarget, DynamicKind, DynamicPoint, FileFacts, Language, Lines,
    Problem,
};

mod extract;
mod tree;

use extract::Walk;
use tree::Parsed;

/// Largest file parsed; larger ones only get line counts.
const MAX_BYTES: usize = 16 << 20;

/// Everything [`analyze`] reads from the file name, as a short string:
/// the kind the name implies, and whether it is `Cargo.toml`. Two names of
/// one class give the same facts for the same content. Keep in step with
/// `analyze`.
pub fn name_class(file_name: &str) -> String {
    let kind = extract::kind_from_name(file_name)
        .map(|kind| format!("{kind:?}"))
        .unwrap_or_default();
    if file_name == "Cargo.toml" {
        kind + "cargo"
    } else {
        kind
    }
}

/// Analyses one configuration file named `file_name` (a base name).
pub fn analyze(language: Language, file_name: &str, source: &str) -> FileFacts {
    let mut facts = FileFacts::empty(language);
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    facts.lines = count_lines(language, source);
    if source.len() > MAX_BYTES {
        let kind = extract::kind_from_name(file_name).unwrap_or(ConfigKind::Generic);
        facts.config = Some(empty_config(kind, 0));
        facts.problems.push(Problem::new(
            0,
            format!("not analysed: larger than {} MiB", MAX_BYTES >> 20),
        ));
        return facts;
    }
    let parsed = match language {
        Language::Yaml => tree::parse_yaml(source),
        Language::Toml => tree::parse_toml(source),
        Language::Json => tree::parse_json(source),
        Language::Python | Language::Notebook | Language::Rust => {
            facts
                .problems
                .push(Problem::new(0, "not a configuration language"));
            return facts;
        }
    };
    let Parsed {
        documents,
        problems,
        failure,
    } = parsed;
    facts.problems = problems;
    if let Some(failure) = failure {
        facts.syntax_errors = failure.syntax;
        facts
            .problems
            .push(Problem::new(failure.line, failure.message));
        let kind = extract::kind_from_name(file_name).unwrap_or(ConfigKind::Generic);
        facts.config = Some(empty_config(kind, 0));
        return facts;
    }

    let kind = extract::recognise(file_name, &documents);
    let mut walk = Walk {
        keep_values: keeps_values(kind, language),
        ..Walk::default()
    };
    for doc in &documents {
        walk.document(doc);
    }
    let first = documents.first().unwrap_or(&tree::Node::Null);
    if kind == ConfigKind::Pyproject {
        extract::pyproject_dependencies(first, &mut walk.params);
    }
    let mut config = empty_config(kind, u32::try_from(documents.len()).unwrap_or(u32::MAX));
    config.keys = walk.keys;
    config.depth = walk.depth;
    let total = walk.params.len();
    if total > ConfigFacts::MAX_KEYS_LISTED {
        facts.problems.push(Problem::new(
            0,
            format!(
                "{total} leaf keys: only the first {} are listed",
                ConfigFacts::MAX_KEYS_LISTED
            ),
        ));
    }
    config.params = walk
        .params
        .into_iter()
        .take(ConfigFacts::MAX_KEYS_LISTED)
        .collect();
    if file_name == "Cargo.toml" {
        config.package = extract::cargo_crate(first);
    }
    if walk.lists_seen > ConfigFacts::MAX_LISTS {
        facts.problems.push(Problem::new(
            0,
            format!(
                "{} lists of strings: only the first {} are listed",
                walk.lists_seen,
                ConfigFacts::MAX_LISTS
            ),
        ));
    }
    config.lists = walk.lists;
    config.values = walk.values;
    config.targets = walk.targets;
    config
        .targets
        .sort_by(|a, b| (a.line, &a.key).cmp(&(b.line, &b.key)));
    facts.dynamic = config.targets.iter().map(target_point).collect();
    match kind {
        ConfigKind::DvcPipeline => config.stages = extract::dvc_stages(first),
        ConfigKind::DvcLock => config.stages = extract::dvc_lock_stages(first),
        ConfigKind::MlflowProject => config.stages = extract::mlflow_stages(first),
        ConfigKind::KedroCatalog => config.datasets = extract::kedro_datasets(first),
        ConfigKind::Hydra => config.defaults = extract::hydra_defaults(first),
        ConfigKind::Params
        | ConfigKind::KedroParameters
        | ConfigKind::FeastFeatureStore
        | ConfigKind::Pyproject
        | ConfigKind::Generic => {}
    }
    facts.config = Some(config);
    facts
}

/// Whether a file's scalar values are kept: the settings of an ML project
/// (params, Kedro parameters, Hydra, generic YAML and TOML), not data
/// (generic JSON) nor tool files whose lineage facts are extracted.
fn keeps_values(kind: ConfigKind, language: Language) -> bool {
    match kind {
        ConfigKind::Params | ConfigKind::KedroParameters | ConfigKind::Hydra => true,
        ConfigKind::Generic => language != Language::Json,
        _ => false,
    }
}

/// A `_target_` as a place of dynamic indirection.
fn target_point(target: &ConfigTarget) -> DynamicPoint {
    const MAX_DETAIL: usize = 100;
    let mut detail = format!("_target_: {}", target.target);
    if let Some((cut, _)) = detail.char_indices().nth(MAX_DETAIL) {
        detail.truncate(cut);
        detail.push('…');
    }
    DynamicPoint {
        kind: DynamicKind::HydraTarget,
        line: target.line,
        cell: None,
        detail,
    }
}

/// Facts of `kind` with nothing found yet.
fn empty_config(kind: ConfigKind, documents: u32) -> ConfigFacts {
    ConfigFacts {
        kind,
        documents,
        keys: 0,
        depth: 0,
        params: Vec::new(),
        stages: Vec::new(),
        datasets: Vec::new(),
        targets: Vec::new(),
        defaults: Vec::new(),
        lists: Vec::new(),
        values: Vec::new(),
        package: None,
    }
}

/// Physical, blank and `#` comment lines (YAML and TOML; JSON has no
/// comments). A comment after a value counts in `comments` when its `#`
/// stands outside quotes (and, in YAML, after a space). Lines of YAML block
/// scalars that start with `#` are counted as comments: a cheap
/// approximation. `lloc` and `multi` stay 0.
fn count_lines(language: Language, source: &str) -> Lines {
    let hash_comments = matches!(language, Language::Yaml | Language::Toml);
    let mut lines = Lines::default();
    for line in source.lines() {
        lines.loc += 1;
        let text = line.trim();
        if text.is_empty() {
            lines.blank += 1;
        } else if hash_comments && text.starts_with('#') {
            lines.single_comments += 1;
            lines.comments += 1;
        } else {
            lines.sloc += 1;
            if hash_comments && has_trailing_comment(text, language == Language::Yaml) {
                lines.comments += 1;
            }
        }
    }
    lines
}

/// Whether `line` ends with a `#` comment outside quoted strings (a quote
/// opens a string only at the start of a value, not in `it's`). YAML needs
/// a space before the `#`.
fn has_trailing_comment(line: &str, needs_space: bool) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut previous = ' ';
    for c in line.chars() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'')
                && matches!(previous, ' ' | '\t' | ':' | '[' | '{' | ',' | '=') =>
            {
                quote = Some(c)
            }
            None if c == '#' && (!needs_space || previous.is_whitespace()) => return true,
            None => {}
        }
        previous = c;
    }
    false
}

#[cfg(test)]
mod tests;
