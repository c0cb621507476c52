//! Scores per component and for the repository: explainability (0–100,
//! 100 = easy to explain) and the complexity index (points that add up
//! across components and over time). Formulas, weights and their sources
//! are in docs/SCORING.md; the defaults are data, `rules/scoring.toml`.

mod measures;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::config::ScoringConfig;
use crate::graph::ImportGraph;
use crate::lineage::LineageGraph;
use crate::report::FileReport;
use crate::summary::{round2, thousands};
pub use measures::Measures;

const BUILTIN: &str = include_str!("../../rules/scoring.toml");

/// How many reasons a score lists.
const REASONS: usize = 3;

/// Weights and limits, by name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scoring {
    pub explainability_weights: BTreeMap<String, f64>,
    pub explainability_limits: BTreeMap<String, f64>,
    pub complexity_weights: BTreeMap<String, f64>,
}

impl Scoring {
    /// The defaults of `rules/scoring.toml`, parsed once. A file that does
    /// not parse (a build defect, caught by the tests) degrades to no
    /// weights.
    pub fn builtin() -> &'static Scoring {
        static SCORING: OnceLock<Scoring> = OnceLock::new();
        SCORING.get_or_init(|| toml::from_str(BUILTIN).unwrap_or_default())
    }

    /// The defaults with a project's overrides (validated when the
    /// configuration was loaded).
    pub fn with(config: &ScoringConfig) -> Scoring {
        let mut scoring = Scoring::builtin().clone();
        for (table, overrides) in [
            (
                &mut scoring.explainability_weights,
                &config.explainability_weights,
            ),
            (
                &mut scoring.explainability_limits,
                &config.explainability_limits,
            ),
            (&mut scoring.complexity_weights, &config.complexity_weights),
        ] {
            for (key, value) in overrides {
                table.insert(key.get_ref().clone(), *value);
            }
        }
        scoring
    }

    fn limit(&self, name: &str) -> f64 {
        self.explainability_limits
            .get(name)
            .copied()
            .unwrap_or_default()
    }
}

/// How concentrated a component's knowledge is, from its git history
/// (`crate::activity`): the `knowledge` signal.
#[derive(Debug, Clone, PartialEq)]
pub struct Knowledge {
    /// 0 (spread among active people) to 1 (one person, or gone).
    pub difficulty: f64,
    /// The evidence, in words.
    pub detail: String,
}

/// One signal of the explainability score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    pub name: &'static str,
    pub weight: f64,
    /// 0 (no difficulty) to 1.
    pub difficulty: f64,
    /// Points this signal takes off the score.
    pub penalty: f64,
    /// The measure behind the difficulty, in words.
    pub detail: String,
}

/// One term of the complexity index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    pub name: &'static str,
    pub count: f64,
    pub weight: f64,
    pub points: f64,
}

/// The scores of one component or of the repository.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub name: String,
    /// 0–100; 100 = easy to explain.
    pub explainability: f64,
    /// Complexity points; a component's and the repository's add up.
    pub complexity_index: f64,
    /// The signals that cost the most, in words, largest first.
    pub reasons: Vec<String>,
    /// Explainability signals that apply to this scope.
    pub signals: Vec<Signal>,
    pub complexity_terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub repo: Score,
    /// By component name.
    pub components: Vec<Score>,
}

impl Scores {
    /// Scores of the scan; `knowledge` by component name, when history
    /// was read (the repository's is the mean weighted by source lines).
    pub fn compute(
        files: &[FileReport],
        imports: &ImportGraph,
        lineage: &LineageGraph,
        scoring: &Scoring,
        knowledge: &BTreeMap<String, Knowledge>,
    ) -> Scores {
        let (repo, components) = Measures::collect(files, imports, lineage, scoring);
        let repo_knowledge = repo_knowledge(&components, knowledge);
        Scores {
            repo: score("(repo)", &repo, repo_knowledge.as_ref(), scoring),
            components: components
                .iter()
                .map(|(name, m)| score(name, m, knowledge.get(name), scoring))
                .collect(),
        }
    }
}

/// The repository's knowledge difficulty: the components', weighted by
/// their source lines.
fn repo_knowledge(
    components: &BTreeMap<String, Measures>,
    knowledge: &BTreeMap<String, Knowledge>,
) -> Option<Knowledge> {
    let (mut weighted, mut lines, mut hard) = (0.0, 0u64, 0);
    for (name, k) in knowledge {
        let sloc = components.get(name).map_or(0, |m| m.sloc);
        weighted += k.difficulty * sloc as f64;
        lines += sloc;
        hard += usize::from(k.difficulty >= 0.5);
    }
    (lines > 0).then(|| Knowledge {
        difficulty: weighted / lines as f64,
        detail: format!(
            "{hard} of {} components with history have concentrated or lost knowledge",
            knowledge.len()
        ),
    })
}

/// Explainability and complexity index of one scope.
fn score(name: &str, m: &Measures, knowledge: Option<&Knowledge>, scoring: &Scoring) -> Score {
    let signals = signals(m, knowledge, scoring);
    let total_weight: f64 = signals.iter().map(|s| s.weight).sum();
    let penalty: f64 = signals.iter().map(|s| s.penalty).sum();
    let explainability = if total_weight > 0.0 {
        100.0 * (1.0 - penalty / total_weight)
    } else {
        100.0
    };
    let mut ranked: Vec<&Signal> = signals.iter().filter(|s| s.penalty >= 0.05).collect();
    ranked.sort_by(|a, b| b.penalty.total_cmp(&a.penalty).then(a.name.cmp(b.name)));
    let reasons = ranked
        .iter()
        .take(REASONS)
        .map(|s| {
            format!(
                "−{:.1}: {}",
                100.0 * s.penalty / total_weight.max(f64::MIN_POSITIVE),
                s.detail
            )
        })
        .collect();
    let complexity_terms = terms(m, scoring);
    let complexity_index = round2(complexity_terms.iter().map(|t| t.points).sum());
    Score {
        name: name.to_owned(),
        explainability: round2(explainability.clamp(0.0, 100.0)),
        complexity_index,
        reasons,
        // Exact values above, two decimals in the output.
        signals: signals
            .into_iter()
            .map(|s| Signal {
                difficulty: round2(s.difficulty),
                penalty: round2(s.penalty),
                ..s
            })
            .collect(),
        complexity_terms,
    }
}

/// Share `part / whole`, 0 when there is no whole.
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// `3 of 4 modules are`, `1 of 1 module is`: the noun (singular,
/// plural) agrees with the whole, the verb with the part.
fn part_of(part: u64, whole: u64, nouns: (&str, &str), verbs: (&str, &str)) -> String {
    let noun = if whole == 1 { nouns.0 } else { nouns.1 };
    let verb = if part == 1 { verbs.0 } else { verbs.1 };
    format!("{} of {} {noun} {verb}", thousands(part), thousands(whole))
}

const BE: (&str, &str) = ("is", "are");

fn percent(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// The explainability signals that apply to `m`.
fn signals(m: &Measures, knowledge: Option<&Knowledge>, scoring: &Scoring) -> Vec<Signal> {
    let mut out = Vec::new();
    let mut add = |name: &'static str, difficulty: f64, detail: String| {
        let weight = scoring
            .explainability_weights
            .get(name)
            .copied()
            .unwrap_or_default();
        let difficulty = difficulty.clamp(0.0, 1.0);
        out.push(Signal {
            name,
            weight,
            difficulty,
            penalty: weight * difficulty,
            detail,
        });
    };
    if m.function_sloc > 0 {
        let over = share(m.complex_sloc, m.function_sloc);
        add(
            "complexity",
            over,
            format!(
                "{} of function code is in functions over the complexity limits (cyclomatic > {}, cognitive > {})",
                percent(over),
                scoring.limit("cyclomatic"),
                scoring.limit("cognitive")
            ),
        );
    }
    if m.sloc > 0 {
        let (floor, ceiling) = (
            scoring.limit("size-floor").max(1.0),
            scoring.limit("size-ceiling"),
        );
        let difficulty = if ceiling > floor {
            (m.sloc as f64 / floor).ln() / (ceiling / floor).ln()
        } else {
            0.0
        };
        add(
            "size",
            difficulty,
            format!("{} source lines", thousands(m.sloc)),
        );
    }
    if m.modules > 0 {
        let ceiling = scoring.limit("fan-out-ceiling");
        let difficulty = if ceiling > 0.0 {
            m.coupling / ceiling
        } else {
            0.0
        };
        add(
            "coupling",
            difficulty,
            format!("depends on {:.1} other components", m.coupling),
        );
        let in_cycles = share(m.modules_in_cycles, m.modules);
        add(
            "cycles",
            in_cycles,
            format!(
                "{} in import cycles",
                part_of(m.modules_in_cycles, m.modules, ("module", "modules"), BE)
            ),
        );
    }
    if m.sloc > 0 {
        let per_kloc = 1000.0 * m.opaque as f64 / m.sloc as f64;
        let ceiling = scoring.limit("indirection-ceiling");
        let difficulty = if ceiling > 0.0 {
            per_kloc / ceiling
        } else {
            0.0
        };
        add(
            "indirection",
            difficulty,
            format!(
                "{} opaque or dynamic point{} ({per_kloc:.1} per 1,000 lines)",
                m.opaque,
                if m.opaque == 1 { "" } else { "s" }
            ),
        );
    }
    if m.public_defs > 0 {
        let missing = 1.0 - share(m.documented, m.public_defs);
        add(
            "documentation",
            missing,
            format!(
                "{} no docstring",
                part_of(
                    m.public_defs - m.documented,
                    m.public_defs,
                    ("public function or class", "public functions and classes"),
                    ("has", "have")
                )
            ),
        );
    }
    if m.typed_candidates > 0 {
        let missing = 1.0 - share(m.annotated, m.typed_candidates);
        add(
            "annotations",
            missing,
            format!(
                "{} not fully annotated",
                part_of(
                    m.typed_candidates - m.annotated,
                    m.typed_candidates,
                    ("public Python function", "public Python functions"),
                    BE
                )
            ),
        );
    }
    if m.testable_modules > 0 {
        let untested = 1.0 - share(m.tested_modules, m.testable_modules);
        add(
            "tests",
            untested,
            format!(
                "{} imported by no test",
                part_of(
                    m.testable_modules - m.tested_modules,
                    m.testable_modules,
                    ("module", "modules"),
                    BE
                )
            ),
        );
    }
    // Knowledge is about code: a folder of configs is not judged by it.
    if let Some(k) = knowledge.filter(|_| m.sloc > 0) {
        add("knowledge", k.difficulty, k.detail.clone());
    }
    out
}

/// The complexity index's terms for `m`.
fn terms(m: &Measures, scoring: &Scoring) -> Vec<Term> {
    [
        ("cognitive", m.cognitive),
        ("import-edge", m.import_pairs),
        ("cross-component-edge", m.cross_pairs),
        ("cycle-module", m.modules_in_cycles),
        ("opaque-point", m.opaque),
        ("config-key", m.config_keys),
        ("lineage-node", m.lineage_nodes),
    ]
    .into_iter()
    .map(|(name, count)| {
        let weight = scoring
            .complexity_weights
            .get(name)
            .copied()
            .unwrap_or_default();
        Term {
            name,
            count: count as f64,
            weight,
            points: round2(weight * count as f64),
        }
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_scoring_parses_and_names_every_key_the_code_reads() {
        let scoring: Scoring = toml::from_str(BUILTIN).expect("rules/scoring.toml is valid");
        let m = Measures {
            sloc: 1,
            function_sloc: 1,
            modules: 1,
            public_defs: 1,
            typed_candidates: 1,
            testable_modules: 1,
            ..Measures::default()
        };
        let k = Knowledge {
            difficulty: 0.0,
            detail: String::new(),
        };
        let used: Vec<&str> = signals(&m, Some(&k), &scoring)
            .iter()
            .map(|s| s.name)
            .collect();
        let weights: Vec<&str> = scoring
            .explainability_weights
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = used.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, weights);
        let terms: Vec<&str> = terms(&m, &scoring).iter().map(|t| t.name).collect();
        let mut sorted = terms.clone();
        sorted.sort_unstable();
        let weights: Vec<&str> = scoring
            .complexity_weights
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(sorted, weights);
        for limit in [
            "cyclomatic",
            "cognitive",
            "size-floor",
            "size-ceiling",
            "fan-out-ceiling",
            "indirection-ceiling",
            "docstring-min-lines",
        ] {
            assert!(scoring.explainability_limits.contains_key(limit), "{limit}");
        }
        assert_eq!(scoring.explainability_limits.len(), 7);
    }

    #[test]
    fn a_simple_documented_tested_scope_scores_100_and_difficulty_is_linear() {
        let scoring = Scoring::builtin();
        let easy = Measures {
            sloc: 400,
            function_sloc: 300,
            modules: 4,
            public_defs: 10,
            documented: 10,
            typed_candidates: 10,
            annotated: 10,
            testable_modules: 4,
            tested_modules: 4,
            ..Measures::default()
        };
        let s = score("x", &easy, None, scoring);
        assert_eq!(s.explainability, 100.0);
        assert!(s.reasons.is_empty());
        // Half the public API undocumented: documentation difficulty 0.5,
        // weight 15 of 100 → 92.5.
        let half = Measures {
            documented: 5,
            ..easy
        };
        let s = score("x", &half, None, scoring);
        assert_eq!(s.explainability, 92.5);
        assert_eq!(
            s.reasons,
            vec!["−7.5: 5 of 10 public functions and classes have no docstring"]
        );
    }

    #[test]
    fn knowledge_joins_the_score_only_when_history_was_read() {
        let scoring = Scoring::builtin();
        let m = Measures {
            sloc: 400,
            function_sloc: 300,
            modules: 4,
            testable_modules: 4,
            tested_modules: 4,
            ..Measures::default()
        };
        assert_eq!(score("x", &m, None, scoring).explainability, 100.0);
        let k = Knowledge {
            difficulty: 1.0,
            detail: "bus factor 1, main author inactive".into(),
        };
        // Applicable weights: complexity 25, size, coupling, cycles,
        // indirection, tests 10 each, knowledge 15 → 90; penalty 15.
        let s = score("x", &m, Some(&k), scoring);
        assert_eq!(s.explainability, 83.33);
        assert_eq!(s.reasons, vec!["−16.7: bus factor 1, main author inactive"]);
    }
}
