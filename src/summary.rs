//! Aggregates per file, per component, per role, per language and for the
//! whole repository: counts, lines, cyclomatic and cognitive totals, radon's
//! A–F rank distribution and the most complex functions.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::facts::{FileFacts, Function, Language, Lines};
use crate::report::FileReport;
use crate::role::Role;

/// How many functions the repository and each component list as the most
/// complex.
pub const TOP_FUNCTIONS: usize = 10;
pub const TOP_FUNCTIONS_PER_COMPONENT: usize = 5;

/// radon's rank letter for a cyclomatic complexity: A 1–5, B 6–10,
/// C 11–20, D 21–30, E 31–40, F 41+.
pub fn rank(cyclomatic: u32) -> char {
    match cyclomatic {
        0..=5 => 'A',
        6..=10 => 'B',
        11..=20 => 'C',
        21..=30 => 'D',
        31..=40 => 'E',
        _ => 'F',
    }
}

/// Functions per rank letter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ranks {
    #[serde(rename = "A")]
    pub a: u32,
    #[serde(rename = "B")]
    pub b: u32,
    #[serde(rename = "C")]
    pub c: u32,
    #[serde(rename = "D")]
    pub d: u32,
    #[serde(rename = "E")]
    pub e: u32,
    #[serde(rename = "F")]
    pub f: u32,
}

impl Ranks {
    fn add(&mut self, cyclomatic: u32) {
        let slot = match rank(cyclomatic) {
            'A' => &mut self.a,
            'B' => &mut self.b,
            'C' => &mut self.c,
            'D' => &mut self.d,
            'E' => &mut self.e,
            _ => &mut self.f,
        };
        *slot += 1;
    }

    /// (letter, count) pairs in rank order.
    pub fn pairs(&self) -> [(char, u32); 6] {
        [
            ('A', self.a),
            ('B', self.b),
            ('C', self.c),
            ('D', self.d),
            ('E', self.e),
            ('F', self.f),
        ]
    }
}

/// Function metrics summed over one file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct FileTotals {
    pub functions: u32,
    pub cyclomatic: u32,
    pub cyclomatic_max: u32,
    pub cyclomatic_mean: f64,
    pub cognitive: u32,
}

impl FileTotals {
    pub fn of(functions: &[Function]) -> Self {
        let n = functions.len() as u32;
        let cyclomatic = functions.iter().map(|f| f.cyclomatic).sum();
        FileTotals {
            functions: n,
            cyclomatic,
            cyclomatic_max: functions.iter().map(|f| f.cyclomatic).max().unwrap_or(0),
            cyclomatic_mean: mean(cyclomatic, n),
            cognitive: functions.iter().map(|f| f.cognitive).sum(),
        }
    }
}

/// Totals over a set of files (a component, a role, a language, the repo).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub files: u32,
    pub roles: BTreeMap<Role, u32>,
    pub languages: BTreeMap<Language, u32>,
    pub lines: Lines,
    pub functions: u32,
    pub cyclomatic_total: u32,
    pub cyclomatic_mean: f64,
    pub cyclomatic_max: u32,
    pub cognitive_total: u32,
    pub cognitive_mean: f64,
    pub ranks: Ranks,
    /// Mean Maintainability Index of the Python files and notebooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintainability_mean: Option<f64>,
    pub files_with_syntax_errors: u32,
}

#[derive(Default)]
struct Accumulator {
    totals: Totals,
    maintainability_sum: f64,
    maintainability_files: u32,
}

impl Accumulator {
    fn add(&mut self, file: &FileReport) {
        let t = &mut self.totals;
        let facts: &FileFacts = &file.facts;
        t.files += 1;
        *t.roles.entry(file.role).or_default() += 1;
        *t.languages.entry(facts.language).or_default() += 1;
        t.lines += facts.lines;
        t.files_with_syntax_errors += u32::from(facts.syntax_errors);
        for f in &facts.functions {
            t.functions += 1;
            t.cyclomatic_total += f.cyclomatic;
            t.cyclomatic_max = t.cyclomatic_max.max(f.cyclomatic);
            t.cognitive_total += f.cognitive;
            t.ranks.add(f.cyclomatic);
        }
        if let Some(mi) = facts.metrics.maintainability {
            self.maintainability_sum += mi;
            self.maintainability_files += 1;
        }
    }

    fn finish(mut self) -> Totals {
        let t = &mut self.totals;
        t.cyclomatic_mean = mean(t.cyclomatic_total, t.functions);
        t.cognitive_mean = mean(t.cognitive_total, t.functions);
        t.maintainability_mean = (self.maintainability_files > 0)
            .then(|| round2(self.maintainability_sum / f64::from(self.maintainability_files)));
        self.totals
    }
}

/// A function in a ranking, with where to find it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionRef {
    pub path: String,
    pub name: String,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    pub cyclomatic: u32,
    pub cognitive: u32,
    pub nesting: u32,
    pub sloc: u32,
    pub rank: char,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentSummary {
    pub name: String,
    pub totals: Totals,
    pub top_functions: Vec<FunctionRef>,
}

/// The repository-level picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub totals: Totals,
    pub by_role: BTreeMap<Role, Totals>,
    pub by_language: BTreeMap<Language, Totals>,
    /// Sorted by name.
    pub components: Vec<ComponentSummary>,
    pub top_functions: Vec<FunctionRef>,
    /// Config-format files skipped as too large to be configuration.
    pub skipped_large_configs: u32,
}

/// Builds the summary of `files` (which must be sorted by path).
pub fn summarize(files: &[FileReport], skipped_large_configs: u32) -> Summary {
    let mut repo = Accumulator::default();
    let mut by_role: BTreeMap<Role, Accumulator> = BTreeMap::new();
    let mut by_language: BTreeMap<Language, Accumulator> = BTreeMap::new();
    let mut by_component: BTreeMap<&str, (Accumulator, Vec<&FileReport>)> = BTreeMap::new();
    for file in files {
        repo.add(file);
        by_role.entry(file.role).or_default().add(file);
        by_language
            .entry(file.facts.language)
            .or_default()
            .add(file);
        let (acc, members) = by_component.entry(&file.component).or_default();
        acc.add(file);
        members.push(file);
    }
    let components = by_component
        .into_iter()
        .map(|(name, (acc, members))| ComponentSummary {
            name: name.to_owned(),
            totals: acc.finish(),
            top_functions: top_functions(members.iter().copied(), TOP_FUNCTIONS_PER_COMPONENT),
        })
        .collect();
    Summary {
        totals: repo.finish(),
        by_role: by_role.into_iter().map(|(k, a)| (k, a.finish())).collect(),
        by_language: by_language
            .into_iter()
            .map(|(k, a)| (k, a.finish()))
            .collect(),
        components,
        top_functions: top_functions(files.iter(), TOP_FUNCTIONS),
        skipped_large_configs,
    }
}

/// The `n` most complex functions: highest cyclomatic, then cognitive,
/// then by path and line for a stable order.
fn top_functions<'a>(files: impl Iterator<Item = &'a FileReport>, n: usize) -> Vec<FunctionRef> {
    let mut all: Vec<(&FileReport, &Function)> = files
        .flat_map(|file| file.facts.functions.iter().map(move |f| (file, f)))
        .collect();
    // Input order breaks the remaining ties, so the order is total and
    // only the top `n` need sorting.
    let order = |(fa, a): &(&FileReport, &Function), (fb, b): &(&FileReport, &Function)| {
        (b.cyclomatic, b.cognitive)
            .cmp(&(a.cyclomatic, a.cognitive))
            .then_with(|| (&fa.path, a.cell, a.line).cmp(&(&fb.path, b.cell, b.line)))
            .then_with(|| std::ptr::from_ref(*a).cmp(&std::ptr::from_ref(*b)))
    };
    if all.len() > n && n > 0 {
        all.select_nth_unstable_by(n - 1, order);
        all.truncate(n);
    }
    all.sort_unstable_by(order);
    all.into_iter()
        .take(n)
        .map(|(file, f)| FunctionRef {
            path: file.path.clone(),
            name: f.name.clone(),
            line: f.line,
            cell: f.cell,
            cyclomatic: f.cyclomatic,
            cognitive: f.cognitive,
            nesting: f.nesting,
            sloc: f.lines.sloc,
            rank: rank(f.cyclomatic),
        })
        .collect()
}

fn mean(total: u32, count: u32) -> f64 {
    if count == 0 {
        0.0
    } else {
        round2(f64::from(total) / f64::from(count))
    }
}

/// Rounds to two decimals, so JSON floats stay short and stable.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radon_rank_boundaries() {
        let got: String = [1, 5, 6, 10, 11, 20, 21, 30, 31, 40, 41, 99]
            .into_iter()
            .map(rank)
            .collect();
        assert_eq!(got, "AABBCCDDEEFF");
    }

    #[test]
    fn means_round_to_two_decimals() {
        assert_eq!(mean(10, 3), 3.33);
        assert_eq!(mean(0, 0), 0.0);
    }
}
