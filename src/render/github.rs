//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! line per finding, which GitHub shows as an annotation on the line.

use std::io::{self, Write};

use crate::check::Finding;
use crate::ruleset::Severity;

pub fn write_github(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    for f in findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = format!("file={}", escape_property(&f.path));
        if f.line > 0 {
            properties.push_str(&format!(",line={}", f.line));
        }
        let title = format!("{} {} ({})", f.rule, f.name, f.level.as_str());
        let message = match f.cell {
            Some(cell) => format!("cell {cell}: {}", f.message),
            None => f.message.clone(),
        };
        writeln!(
            out,
            "::{command} {properties},title={}::{}",
            escape_property(&title),
            escape_data(&message)
        )?;
    }
    Ok(())
}

/// Escapes a message as GitHub's toolkit does (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::{Family, Level};

    #[test]
    fn one_annotation_per_finding_with_escapes() {
        let finding = Finding {
            path: "src/a,b.py".into(),
            line: 3,
            cell: None,
            rule: "MLS001",
            name: "complex-function",
            family: Family::Complexity,
            level: Level::Local,
            severity: Severity::Warning,
            component: "src".into(),
            subject: "f".into(),
            message: "100% sure: a\nb".into(),
        };
        let mut out = Vec::new();
        write_github(&[finding], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning file=src/a%2Cb.py,line=3,title=MLS001 complex-function (local)::100%25 sure: a%0Ab\n"
        );
    }
}
