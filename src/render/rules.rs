//! `mlscan rules`: the rule list, and one rule's documentation.

use std::io::{self, Write};

use console::Style;

use crate::ruleset::{Family, Rule};

pub fn write_rule_list(rules: &[Rule], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let head = Style::new().bold().force_styling(color);
    let dim = Style::new().dim().force_styling(color);
    for family in Family::ALL {
        writeln!(out, "{}", head.apply_to(family.as_str()))?;
        for rule in rules.iter().filter(|r| r.family == family) {
            writeln!(
                out,
                "  {} {:<34} {:<8} {:<8} {}",
                rule.id,
                rule.name,
                rule.severity.as_str(),
                rule.level.as_str(),
                dim.apply_to(&rule.summary)
            )?;
        }
    }
    writeln!(
        out,
        "{}",
        dim.apply_to(
            "columns: id, name, severity, decision level; `mlscan rules explain ID` documents one"
        )
    )
}

pub fn write_rule_doc(rule: &Rule, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let head = Style::new().bold().force_styling(color);
    writeln!(
        out,
        "{}",
        head.apply_to(format!("{} {} — {}", rule.id, rule.name, rule.summary))
    )?;
    writeln!(
        out,
        "family: {} · severity: {} · decision level: {}",
        rule.family.as_str(),
        rule.severity.as_str(),
        rule.level.as_str()
    )?;
    if !rule.debt.is_empty() {
        writeln!(out, "ML debt: {}", rule.debt)?;
    }
    for (title, text) in rule.sections() {
        writeln!(out, "\n{}\n{text}", head.apply_to(title))?;
    }
    if let Some(example) = rule.config_example() {
        writeln!(out, "\n{}", head.apply_to("Options"))?;
        for p in &rule.params {
            writeln!(out, "- `{}` (default {}): {}", p.name, p.default, p.doc)?;
        }
        writeln!(out, "\nSet them in mlscan.toml:\n{example}")?;
    }
    Ok(())
}
