//! The scan's output model: what every renderer reads.

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use crate::check::Finding;
use crate::facts::{FileFacts, Problem};
use crate::gate::Gate;
use crate::graph::ImportGraph;
use crate::lineage::LineageGraph;
use crate::role::Role;
use crate::score::Scores;
use crate::summary::{FileTotals, Summary};

/// Version of the JSON output; see docs/SCHEMA.md for the change policy.
pub const SCHEMA_VERSION: u32 = 3;

/// How bad a diagnostic is. Errors (the scan could not read something)
/// make the exit code 2; warnings (odd content) do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A problem with one input, located by path and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Relative POSIX path ("." for the scan root itself).
    pub path: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    /// A problem with a file's content (a warning).
    pub fn warning(path: &str, problem: &Problem) -> Self {
        Diagnostic {
            path: path.to_owned(),
            line: problem.line,
            cell: problem.cell,
            severity: Severity::Warning,
            message: problem.message.clone(),
        }
    }

    /// A warning about a whole file or folder.
    pub fn file_warning(path: &str, message: impl Into<String>) -> Self {
        Diagnostic::warning(path, &Problem::new(0, message))
    }

    /// Something that could not be read (an error: exit code 2).
    pub fn error(path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            ..Diagnostic::file_warning(path, message)
        }
    }
}

/// One scanned file: where it is, what it is for, and its facts.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// Relative POSIX path from the scan root.
    pub path: String,
    pub role: Role,
    /// Why the file got its role, in words.
    pub role_reason: String,
    pub component: String,
    pub bytes: u64,
    pub totals: FileTotals,
    #[serde(flatten)]
    pub facts: FileFacts,
}

/// Everything a scan produced.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub schema_version: u32,
    pub tool: Tool,
    /// The scanned path as given on the command line.
    pub root: String,
    pub options: ReportOptions,
    pub summary: Summary,
    #[serde(serialize_with = "serialize_in_parallel")]
    pub files: Vec<FileReport>,
    /// The resolved import graph (schema 2).
    pub imports: ImportGraph,
    /// The lineage graph (schema 2).
    pub lineage: LineageGraph,
    /// Rule violations, sorted by path, line and rule (schema 3).
    pub findings: Vec<Finding>,
    /// Explainability and complexity index (schema 3); absent when the
    /// scan was not assessed (`mlscan map`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<Scores>,
    /// The CI gate: `--fail-on` and budgets (schema 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Tool {
    pub const CURRENT: Tool = Tool {
        name: env!("CARGO_PKG_NAME"),
        version: env!("CARGO_PKG_VERSION"),
    };
}

/// Options that change the numbers, recorded so outputs are comparable.
#[derive(Debug, Clone, Serialize)]
pub struct ReportOptions {
    pub cc_rules: crate::facts::CcRules,
}

impl ScanReport {
    /// True when some input could not be read (exit code 2).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Serializes the file list on all cores: each chunk of files is rendered
/// to JSON text on its own thread and spliced in verbatim, in order. The
/// file list is most of a report, and one core needed a quarter of a
/// second for transformers' 36 MB.
fn serialize_in_parallel<S: Serializer>(
    files: &[FileReport],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(threads).max(1);
    let rendered = std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|file| serde_json::to_string(file).and_then(RawValue::from_string))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        let mut all = Vec::with_capacity(files.len());
        for worker in workers {
            let part = worker
                .join()
                .map_err(|_| S::Error::custom("a JSON rendering thread failed"))?;
            all.extend(part.map_err(S::Error::custom)?);
        }
        Ok(all)
    })?;
    let mut seq = serializer.serialize_seq(Some(rendered.len()))?;
    for file in &rendered {
        seq.serialize_element(file)?;
    }
    seq.end()
}
