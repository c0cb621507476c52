//! The built-in rules as data: `rules/checks/*.toml`, one file per family,
//! embedded at build time. A rule is an id, a name, a family, a default
//! severity and decision level, parameters with defaults, and the
//! documentation `mlscan rules explain ID` prints. The checks that find
//! violations live in `crate::check`, one module per family.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The rule files, by family, in listing order.
const FAMILY_FILES: [(Family, &str); 5] = [
    (
        Family::Complexity,
        include_str!("../rules/checks/complexity.toml"),
    ),
    (
        Family::Coupling,
        include_str!("../rules/checks/coupling.toml"),
    ),
    (Family::MlDebt, include_str!("../rules/checks/ml-debt.toml")),
    (
        Family::Explainability,
        include_str!("../rules/checks/explainability.toml"),
    ),
    (
        Family::Governance,
        include_str!("../rules/checks/governance.toml"),
    ),
];

/// What kind of problem a rule looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Complexity,
    Coupling,
    MlDebt,
    Explainability,
    Governance,
}

impl Family {
    pub const ALL: [Family; 5] = [
        Family::Complexity,
        Family::Coupling,
        Family::MlDebt,
        Family::Explainability,
        Family::Governance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Complexity => "complexity",
            Family::Coupling => "coupling",
            Family::MlDebt => "ml-debt",
            Family::Explainability => "explainability",
            Family::Governance => "governance",
        }
    }
}

/// Who may decide on a finding: the team itself, a review across teams,
/// or an escalation. Ordered, so `--fail-on review` also fails on
/// `escalate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Local,
    Review,
    Escalate,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Local => "local",
            Level::Review => "review",
            Level::Escalate => "escalate",
        }
    }
}

/// How serious a finding is, as linters and SARIF grade it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule parameter and its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    /// An integer, a float, a boolean, a string or a list of strings.
    pub default: toml::Value,
    pub doc: String,
}

/// One rule with its documentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// `MLS` and three digits; the first digit is the family.
    pub id: String,
    /// A kebab-case name, usable instead of the id in configuration.
    pub name: String,
    #[serde(skip_deserializing, default = "default_family")]
    pub family: Family,
    pub severity: Severity,
    pub level: Level,
    /// One line: what a finding means.
    pub summary: String,
    /// What it detects, precisely.
    pub what: String,
    /// Why it matters.
    pub why: String,
    /// For ML debt: the kind of debt it is a signal of (Sculley et al. 2015).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub debt: String,
    /// An example that triggers it.
    pub example: String,
    /// How to fix it (ruff's "use instead").
    pub fix: String,
    #[serde(default)]
    pub params: Vec<Param>,
}

fn default_family() -> Family {
    Family::Complexity
}

impl Rule {
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The documentation sections, titled as ruff titles them.
    pub fn sections(&self) -> [(&'static str, &str); 4] {
        [
            ("What it does", self.what.trim()),
            ("Why is this bad?", self.why.trim()),
            ("Example", self.example.trim()),
            ("Use instead", self.fix.trim()),
        ]
    }

    /// How to set the first parameter in `mlscan.toml`, for rules with
    /// parameters.
    pub fn config_example(&self) -> Option<String> {
        let first = self.params.first()?;
        Some(format!(
            "[rules.{}]\n{} = {}",
            self.name, first.name, first.default
        ))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<Rule>,
}

/// All built-in rules, sorted by id.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The built-in rules, parsed once. Rules that do not parse (a build
    /// defect, caught by the tests) degrade to an empty set.
    pub fn builtin() -> &'static RuleSet {
        static RULES: OnceLock<RuleSet> = OnceLock::new();
        RULES.get_or_init(|| RuleSet::parse().unwrap_or_default())
    }

    fn parse() -> Result<RuleSet, String> {
        let mut rules = Vec::new();
        for (family, text) in FAMILY_FILES {
            let file: RuleFile =
                toml::from_str(text).map_err(|e| format!("{}: {e}", family.as_str()))?;
            for mut rule in file.rule {
                rule.family = family;
                rules.push(rule);
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(RuleSet { rules })
    }

    /// A rule by id (`MLS001`) or name (`complex-function`).
    pub fn find(&self, key: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == key || r.name == key)
    }

    /// The rules a selector names: an id, a name, an id prefix (`MLS2`,
    /// `MLS`), a family name or `ALL`. Empty when it names nothing.
    pub fn matching(&self, selector: &str) -> Vec<&Rule> {
        self.rules
            .iter()
            .filter(|r| {
                selector == "ALL"
                    || r.name == selector
                    || r.family.as_str() == selector
                    || (selector.starts_with("MLS") && r.id.starts_with(selector))
            })
            .collect()
    }

    /// Default parameter values per rule id.
    pub fn defaults(&self) -> BTreeMap<String, BTreeMap<String, toml::Value>> {
        self.rules
            .iter()
            .map(|r| {
                let params = r
                    .params
                    .iter()
                    .map(|p| (p.name.clone(), p.default.clone()))
                    .collect();
                (r.id.clone(), params)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn builtin_rules_parse_and_are_well_formed() {
        let set = RuleSet::parse().expect("rules/checks/*.toml are valid");
        assert!(set.rules.len() >= 20, "{} rules", set.rules.len());
        let mut ids = BTreeSet::new();
        let mut names = BTreeSet::new();
        for rule in &set.rules {
            assert!(ids.insert(&rule.id), "duplicate id {}", rule.id);
            assert!(names.insert(&rule.name), "duplicate name {}", rule.name);
            let digits = rule.id.strip_prefix("MLS").unwrap_or_default();
            assert!(
                digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{}",
                rule.id
            );
            let family_digit = Family::ALL
                .iter()
                .position(|&f| f == rule.family)
                .unwrap()
                .to_string();
            assert!(
                digits.starts_with(&family_digit),
                "{} is not numbered in its family {}",
                rule.id,
                rule.family.as_str()
            );
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                rule.name
            );
            for text in [
                &rule.summary,
                &rule.what,
                &rule.why,
                &rule.example,
                &rule.fix,
            ] {
                assert!(!text.trim().is_empty(), "{} lacks documentation", rule.id);
            }
            if rule.family == Family::MlDebt {
                assert!(!rule.debt.is_empty(), "{} names no debt", rule.id);
            }
            for param in &rule.params {
                assert!(!param.doc.is_empty(), "{}.{}", rule.id, param.name);
            }
        }
    }

    #[test]
    fn selectors_match_ids_prefixes_names_and_families() {
        let set = RuleSet::builtin();
        let ids = |s: &str| {
            set.matching(s)
                .into_iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("MLS001"), vec!["MLS001"]);
        assert!(ids("MLS0").iter().all(|id| id.starts_with("MLS0")));
        assert_eq!(ids("complexity"), ids("MLS0"));
        assert_eq!(ids("complex-function"), vec!["MLS001"]);
        assert_eq!(ids("ALL").len(), set.rules.len());
        assert!(ids("MLS9").is_empty());
        assert_eq!(
            set.find("complex-function").map(|r| r.id.as_str()),
            Some("MLS001")
        );
    }
}
