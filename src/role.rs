//! Classifying files into roles (model, feature, pipeline, config, test,
//! other) from path conventions and content, with the reason kept. The
//! rules are data: `rules/roles.toml`, embedded at build time.

use std::collections::{BTreeMap, BTreeSet};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::facts::FileFacts;

/// What a file is for in an ML system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Model,
    Feature,
    Pipeline,
    Config,
    Test,
    Other,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Model,
        Role::Feature,
        Role::Pipeline,
        Role::Config,
        Role::Test,
        Role::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Model => "model",
            Role::Feature => "feature",
            Role::Pipeline => "pipeline",
            Role::Config => "config",
            Role::Test => "test",
            Role::Other => "other",
        }
    }
}

const BUILTIN_RULES: &str = include_str!("../rules/roles.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    role: Vec<RuleSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: Role,
    paths: Vec<String>,
    #[serde(default)]
    imports: Vec<String>,
    #[serde(default)]
    bases: Vec<String>,
}

struct RoleRule {
    role: Role,
    paths: Vec<String>,
    imports: Vec<String>,
    bases: Vec<String>,
}

/// The role of a file and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub role: Role,
    pub reason: String,
}

/// Classifies files; built once per scan.
pub struct Classifier {
    overrides: Vec<(Role, Vec<String>, GlobSet)>,
    rules: Vec<RoleRule>,
    /// Every rule's path globs in one set, in rule order, and the (rule,
    /// glob) of each: the first match is the first rule's first glob.
    paths: GlobSet,
    path_owners: Vec<(usize, usize)>,
    /// Top-level packages and modules of the scanned repository: importing
    /// them is no signal (kedro's own code imports `kedro`).
    first_party: BTreeSet<String>,
}

impl Classifier {
    /// Builds the classifier from the built-in rules plus per-glob
    /// overrides from the project config (checked first, in role order).
    /// `files` are all scanned relative paths, for the first-party names.
    pub fn new<'a>(
        overrides: &BTreeMap<Role, Vec<String>>,
        files: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, String> {
        let file: RuleFile =
            toml::from_str(BUILTIN_RULES).map_err(|e| format!("rules/roles.toml: {e}"))?;
        let rules: Vec<RoleRule> = file
            .role
            .into_iter()
            .map(|spec| {
                Ok(RoleRule {
                    role: spec.name,
                    paths: spec.paths,
                    imports: spec.imports,
                    bases: spec.bases,
                })
            })
            .collect::<Result<_, String>>()?;
        let path_owners: Vec<(usize, usize)> = rules
            .iter()
            .enumerate()
            .flat_map(|(r, rule)| (0..rule.paths.len()).map(move |i| (r, i)))
            .collect();
        let all_paths: Vec<String> = rules.iter().flat_map(|r| r.paths.clone()).collect();
        let overrides = overrides
            .iter()
            .map(|(role, globs)| Ok((*role, globs.clone(), glob_set(globs)?)))
            .collect::<Result<_, String>>()?;
        Ok(Classifier {
            overrides,
            paths: glob_set(&all_paths)?,
            path_owners,
            rules,
            first_party: first_party(files),
        })
    }

    /// Classifies the file at relative path `rel` with its facts.
    pub fn classify(&self, rel: &str, facts: &FileFacts) -> Classification {
        let found = |role, reason| Classification { role, reason };
        for (role, globs, set) in &self.overrides {
            if let Some(i) = set.matches(rel).into_iter().next() {
                return found(*role, format!("config override {:?}", globs[i]));
            }
        }
        // A config file is a test's or config; other files take the first
        // rule a path glob of which matches.
        let config = facts.language.is_config();
        let first = self
            .paths
            .matches(rel)
            .into_iter()
            .filter_map(|m| self.path_owners.get(m))
            .filter_map(|&(r, i)| {
                let rule = self.rules.get(r)?;
                Some((rule, rule.paths.get(i)?))
            })
            .find(|(rule, _)| !config || rule.role == Role::Test);
        if let Some((rule, glob)) = first {
            return found(rule.role, format!("path matches {glob:?}"));
        }
        if config {
            return found(Role::Config, "configuration file".to_owned());
        }
        for rule in &self.rules {
            if let Some(reason) = content_signal(rule, facts, &self.first_party) {
                return found(rule.role, reason);
            }
        }
        found(
            Role::Other,
            "no model, feature or pipeline signal".to_owned(),
        )
    }
}

/// Compiles globs into one set, naming the first invalid glob.
pub(crate) fn glob_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(Glob::new(glob).map_err(|e| format!("invalid glob {glob:?}: {e}"))?);
    }
    builder.build().map_err(|e| e.to_string())
}

/// The first import or base class in `facts` that the rule lists.
fn content_signal(
    rule: &RoleRule,
    facts: &FileFacts,
    first_party: &BTreeSet<String>,
) -> Option<String> {
    let external = |module: &str| !first_party.contains(module.split('.').next().unwrap_or(module));
    for import in facts
        .imports
        .iter()
        .filter(|i| i.level == 0 && external(&i.module))
    {
        let named = import
            .names
            .iter()
            .map(|n| format!("{}.{n}", import.module));
        for module in std::iter::once(import.module.clone()).chain(named) {
            if let Some(prefix) = rule.imports.iter().find(|p| is_module_or_child(&module, p)) {
                return Some(format!("imports {prefix} (line {})", import.line));
            }
        }
    }
    for item in &facts.uses {
        let module = item.path.replace("::", ".");
        if let Some(prefix) = rule.imports.iter().find(|p| is_module_or_child(&module, p)) {
            return Some(format!(
                "uses {} (line {})",
                prefix.replace('.', "::"),
                item.line
            ));
        }
    }
    for class in &facts.classes {
        for base in &class.bases {
            if rule.bases.iter().any(|b| base_matches(base, b)) {
                let name = class.name.rsplit('.').next().unwrap_or(&class.name);
                return Some(format!("class {name}({base}) (line {})", class.line));
            }
        }
    }
    None
}

/// Names importable from the scan root or a `src/` layout: folders holding
/// an `__init__.py`, and top-level `.py` files.
fn first_party<'a>(files: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for rel in files {
        let rel = rel.strip_prefix("src/").unwrap_or(rel);
        match rel.split_once('/') {
            Some((top, "__init__.py")) => names.insert(top.to_owned()),
            None => rel
                .strip_suffix(".py")
                .is_some_and(|stem| names.insert(stem.to_owned())),
            _ => false,
        };
    }
    names
}

fn is_module_or_child(module: &str, prefix: &str) -> bool {
    module
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// A dotted rule entry matches that dotted suffix; a bare name matches the
/// base's last segment.
fn base_matches(base: &str, entry: &str) -> bool {
    base == entry
        || base
            .strip_suffix(entry)
            .is_some_and(|head| head.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Class, Import, Language};

    fn python(imports: &[(&str, &[&str])], bases: &[&str]) -> FileFacts {
        let mut facts = FileFacts::empty(Language::Python);
        for (i, (module, names)) in imports.iter().enumerate() {
            facts.imports.push(Import {
                module: module.to_string(),
                names: names.iter().map(|n| n.to_string()).collect(),
                level: 0,
                line: i as u32 + 1,
                cell: None,
                in_function: false,
                type_checking: false,
                in_try: false,
            });
        }
        if !bases.is_empty() {
            facts.classes.push(Class {
                name: "Net".into(),
                line: 10,
                end_line: 20,
                cell: None,
                bases: bases.iter().map(|b| b.to_string()).collect(),
                has_docstring: false,
            });
        }
        facts
    }

    fn classify(rel: &str, facts: &FileFacts) -> (Role, String) {
        let c = Classifier::new(&BTreeMap::new(), [])
            .unwrap()
            .classify(rel, facts);
        (c.role, c.reason)
    }

    #[test]
    fn path_conventions_win_over_content() {
        let facts = python(&[("torch.nn", &[])], &[]);
        assert_eq!(
            classify("src/pipelines/train.py", &facts),
            (Role::Pipeline, "path matches \"**/pipelines/**\"".into())
        );
        assert_eq!(classify("tests/test_net.py", &facts).0, Role::Test);
    }

    #[test]
    fn from_import_of_a_submodule_counts_as_that_module() {
        let facts = python(&[("pandas", &[]), ("torch", &["nn"])], &[]);
        assert_eq!(
            classify("src/net.py", &facts),
            (Role::Model, "imports torch.nn (line 2)".into())
        );
    }

    #[test]
    fn pipeline_imports_beat_feature_imports() {
        let facts = python(&[("pandas", &[]), ("airflow.decorators", &["dag"])], &[]);
        assert_eq!(classify("jobs/nightly.py", &facts).0, Role::Pipeline);
        let facts = python(&[("pandas", &[])], &[]);
        assert_eq!(
            classify("jobs/clean.py", &facts),
            (Role::Feature, "imports pandas (line 1)".into())
        );
    }

    #[test]
    fn base_classes_mark_models() {
        let facts = python(&[], &["pl.LightningModule"]);
        assert_eq!(
            classify("src/lit.py", &facts),
            (
                Role::Model,
                "class Net(pl.LightningModule) (line 10)".into()
            )
        );
        assert_eq!(
            classify("src/x.py", &python(&[], &["Modulex"])).0,
            Role::Other
        );
        assert_eq!(
            classify("src/x.py", &python(&[], &["torch.nn.Module"])).0,
            Role::Model
        );
    }

    #[test]
    fn configs_and_overrides() {
        let yaml = FileFacts::empty(Language::Yaml);
        assert_eq!(classify("conf/model/resnet.yaml", &yaml).0, Role::Config);
        let mut overrides = BTreeMap::new();
        overrides.insert(Role::Feature, vec!["legacy/**".to_owned()]);
        let c = Classifier::new(&overrides, []).unwrap();
        let got = c.classify("legacy/models/old.py", &FileFacts::empty(Language::Python));
        assert_eq!(got.role, Role::Feature);
        assert_eq!(got.reason, "config override \"legacy/**\"");
    }

    #[test]
    fn imports_of_the_scanned_repo_itself_are_no_signal() {
        let facts = python(&[("kedro.io", &["DataCatalog"]), ("pandas", &[])], &[]);
        let files = ["kedro/__init__.py", "kedro/io/core.py", "setup.py"];
        let c = Classifier::new(&BTreeMap::new(), files).unwrap();
        let got = c.classify("kedro/io/core.py", &facts);
        assert_eq!(
            (got.role, got.reason.as_str()),
            (Role::Feature, "imports pandas (line 2)")
        );
        assert_eq!(
            first_party(files),
            BTreeSet::from(["kedro".to_owned(), "setup".to_owned()])
        );
    }

    #[test]
    fn prefixes_respect_module_boundaries() {
        assert!(is_module_or_child("torch.nn.functional", "torch.nn"));
        assert!(!is_module_or_child("torch.nnx", "torch.nn"));
        assert!(!is_module_or_child("kerasx", "keras"));
    }
}
