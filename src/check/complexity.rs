//! Complexity rules (MLS0xx): per-function thresholds and file length.

use crate::facts::Function;

use super::{At, Context, Sink};

pub(super) fn check(cx: &Context, out: &mut Sink) {
    let function_rules = [
        cx.rule("MLS001")
            .map(|r| (r, r.int("max"), Metric::Cyclomatic)),
        cx.rule("MLS002")
            .map(|r| (r, r.int("max"), Metric::Cognitive)),
        cx.rule("MLS003")
            .map(|r| (r, r.int("max"), Metric::Nesting)),
        cx.rule("MLS004").map(|r| (r, r.int("max"), Metric::Lines)),
    ];
    let long_file = cx.rule("MLS005");
    for file in cx.files {
        if file.facts.language.is_config() {
            continue;
        }
        for f in &file.facts.functions {
            let at = At::new(&file.path, f.line, f.cell);
            for (rule, max, metric) in function_rules.iter().flatten() {
                let value = metric.of(f);
                if i64::from(value) > *max {
                    let message = format!("`{}` {} (max {max})", f.name, metric.describe(value));
                    out.report(rule, at, &f.name, message);
                }
            }
        }
        if let Some(rule) = long_file {
            let (sloc, max) = (file.facts.lines.sloc, rule.int("max"));
            if i64::from(sloc) > max {
                let message = format!("{sloc} source lines (max {max})");
                out.report(rule, At::new(&file.path, 0, None), &file.path, message);
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Metric {
    Cyclomatic,
    Cognitive,
    Nesting,
    Lines,
}

impl Metric {
    fn of(self, f: &Function) -> u32 {
        match self {
            Metric::Cyclomatic => f.cyclomatic,
            Metric::Cognitive => f.cognitive,
            Metric::Nesting => f.nesting,
            Metric::Lines => f.lines.sloc,
        }
    }

    fn describe(self, value: u32) -> String {
        match self {
            Metric::Cyclomatic => format!("has cyclomatic complexity {value}"),
            Metric::Cognitive => format!("has cognitive complexity {value}"),
            Metric::Nesting => format!("nests control structures {value} deep"),
            Metric::Lines => format!("is {value} source lines long"),
        }
    }
}
