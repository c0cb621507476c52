//! The CI gate: `--fail-on LEVEL` over the findings and the budgets of
//! the configuration over the scores. A failed gate is exit code 1.

use serde::Serialize;

use crate::check::Finding;
use crate::config::ProjectConfig;
use crate::ruleset::Level;
use crate::score::{Score, Scores};

/// One budget compared with its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetCheck {
    /// A component name, or `(repo)`.
    pub scope: String,
    /// `complexity_index` (a maximum) or `explainability` (a minimum).
    pub metric: &'static str,
    pub limit: f64,
    pub actual: f64,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<Level>,
    pub budgets: Vec<BudgetCheck>,
    pub passed: bool,
    /// Why it failed, in words.
    pub reasons: Vec<String>,
}

impl Gate {
    /// Evaluates the gate. A budget for a component the scan does not
    /// have is an error: a typo must not pass silently.
    pub fn evaluate(
        findings: &[Finding],
        scores: &Scores,
        fail_on: Option<Level>,
        project: &ProjectConfig,
    ) -> Result<Gate, String> {
        let budgets = &project.budgets;
        if let Some((name, budget)) = budgets
            .components
            .iter()
            .find(|(name, _)| !scores.components.iter().any(|c| c.name == *name.get_ref()))
        {
            let names: Vec<&str> = scores.components.iter().map(|c| c.name.as_str()).collect();
            let source = project.source.as_ref().map_or_else(
                || "the configuration".to_owned(),
                |p| p.display().to_string(),
            );
            return Err(format!(
                "invalid configuration in {source}: line {}: [budgets.components.{}]: the scan has no component `{}` (it has: {})",
                budget.line,
                name.get_ref(),
                name.get_ref(),
                names.join(", ")
            ));
        }
        let mut checks = Vec::new();
        for component in &scores.components {
            let own = budgets
                .components
                .iter()
                .find(|(name, _)| *name.get_ref() == component.name)
                .map(|(_, budget)| budget);
            let max_ci = own
                .and_then(|b| b.max_complexity_index)
                .or(budgets.max_complexity_index);
            let min_ex = own
                .and_then(|b| b.min_explainability)
                .or(budgets.min_explainability);
            add_checks(&mut checks, component, max_ci, min_ex);
        }
        add_checks(
            &mut checks,
            &scores.repo,
            budgets.repo_max_complexity_index,
            budgets.repo_min_explainability,
        );
        let mut reasons = Vec::new();
        if let Some(level) = fail_on {
            let over = findings.iter().filter(|f| f.level >= level).count();
            if over > 0 {
                reasons.push(format!(
                    "{over} finding{} at level {} or above",
                    if over == 1 { "" } else { "s" },
                    level.as_str()
                ));
            }
        }
        for check in checks.iter().filter(|c| !c.passed) {
            let (word, sign) = match check.metric {
                "explainability" => ("explainability", "<"),
                _ => ("complexity index", ">"),
            };
            reasons.push(format!(
                "{}: {word} {} {sign} budget {}",
                check.scope, check.actual, check.limit
            ));
        }
        Ok(Gate {
            fail_on,
            passed: reasons.is_empty(),
            budgets: checks,
            reasons,
        })
    }
}

fn add_checks(
    checks: &mut Vec<BudgetCheck>,
    score: &Score,
    max_complexity_index: Option<f64>,
    min_explainability: Option<f64>,
) {
    if let Some(limit) = max_complexity_index {
        checks.push(BudgetCheck {
            scope: score.name.clone(),
            metric: "complexity_index",
            limit,
            actual: score.complexity_index,
            passed: score.complexity_index <= limit,
        });
    }
    if let Some(limit) = min_explainability {
        checks.push(BudgetCheck {
            scope: score.name.clone(),
            metric: "explainability",
            limit,
            actual: score.explainability,
            passed: score.explainability >= limit,
        });
    }
}
