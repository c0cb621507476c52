//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! line per finding, which GitHub shows as an annotation on the line. A
//! finding about a whole file, or in a notebook cell (whose line counts in
//! the cell, not in the `.ipynb` file), is annotated on the file.

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
        if f.line > 0 && f.cell.is_none() {
            properties.push_str(&format!(",line={}", f.line));
        }
        let title = format!("{} {} ({})", f.rule, f.name, f.level.as_str());
        let message = match f.cell {
            Some(cell) => format!("cell {cell}, line {}: {}", f.line, f.message),
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

    fn finding() -> Finding {
        Finding {
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
        }
    }

    #[test]
    fn one_annotation_per_finding_with_escapes() {
        let mut out = Vec::new();
        write_github(&[finding()], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning file=src/a%2Cb.py,line=3,title=MLS001 complex-function (local)::100%25 sure: a%0Ab\n"
        );
    }

    #[test]
    fn whole_file_and_notebook_findings_have_no_line() {
        let whole_file = Finding {
            path: "big.py".into(),
            line: 0,
            rule: "MLS005",
            name: "long-file",
            severity: Severity::Info,
            message: "1001 source lines (max 1000)".into(),
            ..finding()
        };
        let in_cell = Finding {
            path: "nb/eda.ipynb".into(),
            line: 2,
            cell: Some(3),
            level: Level::Review,
            severity: Severity::Error,
            message: "m".into(),
            ..finding()
        };
        let mut out = Vec::new();
        write_github(&[whole_file, in_cell], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::notice file=big.py,title=MLS005 long-file (local)::1001 source lines (max 1000)\n\
             ::error file=nb/eda.ipynb,title=MLS001 complex-function (review)::cell 3, line 2: m\n"
        );
    }
}
