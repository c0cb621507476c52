//! SARIF 2.1.0: one run, the rules as the driver's rules, one result per
//! finding located relative to `%SRCROOT%` (the scanned folder), and one
//! invocation that tells whether every input could be read. Written for
//! GitHub code scanning: stable `partialFingerprints`, help in Markdown,
//! `startLine` ≥ 1 or no region at all for findings about a whole file.
//! A notebook finding has no region either: its line counts in the cell,
//! not in the `.ipynb` file, so the cell and line go into the message and
//! the result's properties instead.

use foldhash::{HashMap, HashMapExt};
use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Value, json};

use crate::check::Finding;
use crate::report::{Diagnostic, ScanReport, Severity as DiagnosticSeverity, Tool};
use crate::ruleset::{Rule, RuleSet, Severity};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

const SRCROOT: &str = "%SRCROOT%";

pub fn write_sarif(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let rules = &RuleSet::builtin().rules;
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
            "invocations": [invocation(report)],
            "originalUriBaseIds": { SRCROOT: { "description": { "text": "The scanned folder." } } },
            "results": results(&report.findings, rules),
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
        "help": { "text": help, "markdown": help_markdown(rule) },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "family": rule.family.as_str(),
            "decision-level": rule.level.as_str(),
            "tags": ["maintainability", rule.family.as_str()],
        },
    })
}

/// The rule's documentation as `mlscan rules explain` prints it, in
/// Markdown (the examples are fenced code already).
fn help_markdown(rule: &Rule) -> String {
    let mut md = format!("**{} {}**: {}\n", rule.id, rule.name, rule.summary);
    if !rule.debt.is_empty() {
        let _ = write!(md, "\nML debt: {}\n", rule.debt);
    }
    for (title, text) in rule.sections() {
        let _ = write!(md, "\n### {title}\n\n{text}\n");
    }
    if let Some(example) = rule.config_example() {
        md.push_str("\n### Options\n\n");
        for p in &rule.params {
            let _ = writeln!(md, "- `{}` (default `{}`): {}", p.name, p.default, p.doc);
        }
        let _ = write!(
            md,
            "\nSet them in `mlscan.toml`:\n\n```toml\n{example}\n```\n"
        );
    }
    md
}

/// Whether the scan read every input, and what it could not read or
/// found odd, as notifications.
fn invocation(report: &ScanReport) -> Value {
    let notifications: Vec<Value> = report.diagnostics.iter().map(notification).collect();
    json!({
        "executionSuccessful": !report.has_errors(),
        "toolExecutionNotifications": notifications,
    })
}

fn notification(d: &Diagnostic) -> Value {
    let message = match d.cell {
        Some(cell) => format!("cell {cell}, line {}: {}", d.line, d.message),
        None => d.message.clone(),
    };
    let line = if d.cell.is_none() { d.line } else { 0 };
    json!({
        "level": match d.severity {
            DiagnosticSeverity::Error => "error",
            DiagnosticSeverity::Warning => "warning",
        },
        "message": { "text": message },
        "locations": [{ "physicalLocation": physical(&d.path, line) }],
    })
}

/// A file relative to the scanned folder, with a region when `line` is a
/// line of that file (≥ 1).
fn physical(path: &str, line: u32) -> Value {
    let mut physical = json!({
        "artifactLocation": { "uri": uri(path), "uriBaseId": SRCROOT },
    });
    if line > 0 {
        physical["region"] = json!({ "startLine": line });
    }
    physical
}

/// A relative path as a URI reference: the characters RFC 3986 does not
/// allow in a path are percent-encoded (`/` stays).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let allowed = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'/' | b'-'
                    | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if allowed {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// One result per finding. The fingerprint is the rule, the path and the
/// subject, which stay when lines move; the n-th repeat of the same key
/// in a file (the same function name defined twice) gets `:n` appended so
/// GitHub does not merge them into one alert.
fn results(findings: &[Finding], rules: &[Rule]) -> Vec<Value> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let key = format!("{}:{}:{}", f.rule, f.path, f.subject);
            let count = seen.entry(key.clone()).or_insert(0);
            *count += 1;
            let fingerprint = if *count == 1 {
                key
            } else {
                format!("{key}:{count}")
            };
            result(f, rules, fingerprint)
        })
        .collect()
}

fn result(f: &Finding, rules: &[Rule], fingerprint: String) -> Value {
    let (line, message) = match f.cell {
        Some(cell) => (0, format!("cell {cell}, line {}: {}", f.line, f.message)),
        None => (f.line, f.message.clone()),
    };
    let mut result = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": message },
        "locations": [{ "physicalLocation": physical(&f.path, line) }],
        "partialFingerprints": { "mlscan/v1": fingerprint },
        "properties": {
            "decision-level": f.level.as_str(),
            "component": f.component,
            "subject": f.subject,
        },
    });
    if let Some(index) = rules.iter().position(|r| r.id == f.rule) {
        result["ruleIndex"] = json!(index);
    }
    if let Some(cell) = f.cell {
        result["properties"]["cell"] = json!(cell);
        result["properties"]["cell-line"] = json!(f.line);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::{Family, Level};

    fn finding(path: &str, line: u32, cell: Option<u32>, subject: &str) -> Finding {
        Finding {
            path: path.into(),
            line,
            cell,
            rule: "MLS001",
            name: "complex-function",
            family: Family::Complexity,
            level: Level::Local,
            severity: Severity::Warning,
            component: "src".into(),
            subject: subject.into(),
            message: "m".into(),
        }
    }

    #[test]
    fn uris_are_percent_encoded_relative_references() {
        assert_eq!(uri("src/a b/ü#1.py"), "src/a%20b/%C3%BC%231.py");
        assert_eq!(uri("src/shop/x_y-1.py"), "src/shop/x_y-1.py");
    }

    #[test]
    fn repeated_keys_get_distinct_fingerprints_and_cells_no_region() {
        let rules = &RuleSet::builtin().rules;
        let found = [
            finding("nb.ipynb", 2, Some(3), "f"),
            finding("nb.ipynb", 4, Some(5), "f"),
            finding("a.py", 7, None, "f"),
        ];
        let results = results(&found, rules);
        let prints: Vec<&str> = results
            .iter()
            .map(|r| r["partialFingerprints"]["mlscan/v1"].as_str().unwrap())
            .collect();
        assert_eq!(
            prints,
            ["MLS001:nb.ipynb:f", "MLS001:nb.ipynb:f:2", "MLS001:a.py:f"]
        );
        let cell = &results[0];
        assert_eq!(cell["message"]["text"], "cell 3, line 2: m");
        assert_eq!(cell["properties"]["cell"], 3);
        assert_eq!(cell["properties"]["cell-line"], 2);
        assert!(cell["locations"][0]["physicalLocation"]["region"].is_null());
        assert_eq!(
            results[2]["locations"][0]["physicalLocation"]["region"]["startLine"],
            7
        );
    }

    #[test]
    fn help_markdown_has_every_section_and_the_options() {
        let rule = RuleSet::builtin().find("MLS001").unwrap();
        let md = help_markdown(rule);
        for section in [
            "### What it does",
            "### Why is this bad?",
            "### Example",
            "### Use instead",
            "### Options",
            "- `max` (default `10`)",
            "[rules.complex-function]\nmax = 10",
        ] {
            assert!(md.contains(section), "{section} missing in\n{md}");
        }
    }
}
