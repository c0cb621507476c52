//! Findings: the rules of `rules/checks/` applied to a scan. Each family
//! has its module with one `check` function that reads the scan's files
//! and graphs and reports through a [`Sink`]; the sink applies the
//! project's selection, per-path ignores, inline suppressions, levels and
//! severities, so the checks only decide what is wrong.

mod complexity;
mod coupling;
mod explainability;
mod governance;
mod ml_debt;
mod settings;

use foldhash::HashMap;

use serde::Serialize;

use crate::graph::ImportGraph;
use crate::lineage::LineageGraph;
use crate::report::FileReport;
use crate::ruleset::{Family, Level, Severity};
use crate::scan::Parts;
pub use settings::{Active, Settings};

/// One place where a rule is broken.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub path: String,
    /// 1-based line; 0 when the finding concerns a whole file.
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// The rule id (`MLS001`).
    pub rule: &'static str,
    /// The rule name (`complex-function`).
    pub name: &'static str,
    pub family: Family,
    /// The decision level: who may decide on it.
    pub level: Level,
    pub severity: Severity,
    /// The component of `path`.
    pub component: String,
    /// What the finding is about, stable when lines move: a function's
    /// qualified name, a module, a config key. With `rule` and `path` it
    /// identifies the finding across revisions.
    pub subject: String,
    pub message: String,
}

/// What the checks read.
pub struct Context<'a> {
    pub files: &'a [FileReport],
    pub imports: &'a ImportGraph,
    pub lineage: &'a LineageGraph,
    pub settings: &'a Settings,
    by_path: HashMap<&'a str, &'a FileReport>,
}

impl<'a> Context<'a> {
    pub fn new(
        files: &'a [FileReport],
        imports: &'a ImportGraph,
        lineage: &'a LineageGraph,
        settings: &'a Settings,
    ) -> Self {
        Context {
            files,
            imports,
            lineage,
            settings,
            by_path: files.iter().map(|f| (f.path.as_str(), f)).collect(),
        }
    }

    /// The scanned file at `path`.
    pub fn file(&self, path: &str) -> Option<&'a FileReport> {
        self.by_path.get(path).copied()
    }

    /// The rule `id` with its parameters, when it is selected.
    pub fn rule(&self, id: &str) -> Option<&'a Active> {
        self.settings.rule(id)
    }
}

/// A place in a file, for [`Sink::report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At<'a> {
    pub path: &'a str,
    pub line: u32,
    pub cell: Option<u32>,
}

impl<'a> At<'a> {
    pub fn new(path: &'a str, line: u32, cell: Option<u32>) -> Self {
        At { path, line, cell }
    }
}

/// Collects the findings of one family, dropping those the project does
/// not want (per-path ignores, inline suppressions).
pub struct Sink<'c, 'a> {
    cx: &'c Context<'a>,
    findings: Vec<Finding>,
    /// The last path reported at and whether it is vendored (a rule
    /// reports a file's findings one after the other).
    last: Option<(String, bool)>,
}

impl<'c, 'a> Sink<'c, 'a> {
    fn new(cx: &'c Context<'a>) -> Self {
        Sink {
            cx,
            findings: Vec::new(),
            last: None,
        }
    }

    fn is_vendored(&mut self, path: &str) -> bool {
        match &self.last {
            Some((last, vendored)) if last == path => *vendored,
            _ => {
                let vendored = self.cx.settings.is_vendored(path);
                self.last = Some((path.to_owned(), vendored));
                vendored
            }
        }
    }

    /// Reports that `rule` is broken at `at`, about `subject`.
    pub fn report(&mut self, rule: &Active, at: At, subject: &str, message: String) {
        let file = self.cx.file(at.path);
        if self.is_vendored(at.path)
            || self.cx.settings.ignores(rule, at.path)
            || file.is_some_and(|f| suppressed(f, rule, at))
        {
            return;
        }
        self.findings.push(Finding {
            path: at.path.to_owned(),
            line: at.line,
            cell: at.cell,
            rule: &rule.rule.id,
            name: &rule.rule.name,
            family: rule.rule.family,
            level: rule.level,
            severity: rule.severity,
            component: file.map(|f| f.component.clone()).unwrap_or_default(),
            subject: subject.to_owned(),
            message,
        });
    }
}

/// Whether an inline comment silences `rule` at `at`.
fn suppressed(file: &FileReport, rule: &Active, at: At) -> bool {
    file.facts.suppressions.iter().any(|s| {
        (s.whole_file || (s.line == at.line && s.cell == at.cell))
            && (s.rules.is_empty()
                || s.rules
                    .iter()
                    .any(|r| *r == rule.rule.id || *r == rule.rule.name))
    })
}

/// Whether a name (one segment of a dotted or `::` path) is private by
/// Python's convention: a leading `_`, and not a dunder (`__init__`).
fn is_private(name: &str) -> bool {
    let dunder = name.len() > 4 && name.starts_with("__") && name.ends_with("__");
    name.starts_with('_') && !dunder
}

/// Whether a file's role is in the rule's `roles` parameter.
fn in_roles(rule: &Active) -> impl Fn(&FileReport) -> bool + '_ {
    let roles = rule.strings("roles");
    move |file| roles.contains(&file.role.as_str())
}

/// Checks a rule parameter's value beyond its type (the configuration
/// validates types): glob lists and category names.
pub fn validate_param(rule: &str, name: &str, value: &toml::Value) -> Result<(), String> {
    governance::validate_param(rule, name, value)
}

type Check = fn(&Context, &mut Sink);

/// The families' checks, in family order.
const CHECKS: [Check; 5] = [
    complexity::check,
    coupling::check,
    ml_debt::check,
    explainability::check,
    governance::check,
];

/// Runs every family's checks (side by side, or in turn) and returns the
/// findings sorted by path, line and rule.
pub fn run(cx: &Context, parts: Parts) -> Result<Vec<Finding>, String> {
    let findings_of = |check: &Check| {
        let mut sink = Sink::new(cx);
        check(cx, &mut sink);
        sink.findings
    };
    let mut findings = match parts {
        Parts::InTurn => CHECKS.iter().flat_map(findings_of).collect(),
        Parts::SideBySide => std::thread::scope(|scope| {
            let workers: Vec<_> = CHECKS
                .iter()
                .map(|check| scope.spawn(move || findings_of(check)))
                .collect();
            let mut all = Vec::new();
            for (worker, family) in workers.into_iter().zip(Family::ALL) {
                let found = worker
                    .join()
                    .map_err(|_| format!("the {} checks failed", family.as_str()))?;
                all.extend(found);
            }
            Ok::<_, String>(all)
        })?,
    };
    // Findings that compare equal are equal in every field: an unstable
    // sort gives the same order.
    findings.sort_unstable();
    findings.dedup();
    Ok(findings)
}
