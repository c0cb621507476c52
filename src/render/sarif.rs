//! SARIF 2.1.0: one run, the rules as the driver's rules, one result per
//! finding located relative to `%SRCROOT%` (the scanned folder).

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::check::Finding;
use crate::report::Tool;
use crate::ruleset::{Rule, RuleSet, Severity};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub fn write_sarif(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let rules = &RuleSet::builtin().rules;
    let results: Vec<Value> = findings.iter().map(|f| result(f, rules)).collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": Tool::CURRENT.name,
                "version": Tool::CURRENT.version,
                "semanticVersion": Tool::CURRENT.version,
                "rules": rules.iter().map(descriptor).collect::<Vec<_>>(),
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The scanned folder." } } },
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(rule: &Rule) -> Value {
    let help = format!(
        "{}\n\nWhy: {}\n\nFix: {}",
        rule.what.trim(),
        rule.why.trim(),
        rule.fix.trim()
    );
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.what.trim() },
        "help": { "text": help },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "family": rule.family.as_str(), "decision-level": rule.level.as_str() },
    })
}

fn result(f: &Finding, rules: &[Rule]) -> Value {
    let mut region = json!({});
    if f.line > 0 {
        region = json!({ "startLine": f.line });
    }
    let mut physical = json!({
        "artifactLocation": { "uri": f.path, "uriBaseId": "%SRCROOT%" },
    });
    if f.line > 0 {
        physical["region"] = region;
    }
    let mut result = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": f.message },
        "locations": [{ "physicalLocation": physical }],
        "partialFingerprints": { "mlscan/v1": format!("{}:{}:{}", f.rule, f.path, f.subject) },
        "properties": { "decision-level": f.level.as_str(), "component": f.component },
    });
    if let Some(index) = rules.iter().position(|r| r.id == f.rule) {
        result["ruleIndex"] = json!(index);
    }
    if let Some(cell) = f.cell {
        result["properties"]["cell"] = json!(cell);
    }
    result
}
