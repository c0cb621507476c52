//! Jupyter notebook analysis: code cells analysed as Python.
//!
//! The `.ipynb` JSON (nbformat 4, or 3 with `worksheets` and `input`) is
//! read with serde, skipping outputs unread. In each Python code cell, the
//! logical lines IPython rewrites (`%magic`, `!shell`, `?obj`, `obj?`,
//! `f()??`, autocall `/f x`, `x = !ls`, `x = %time f()`, a leading
//! `%%time`) are replaced by a placeholder of the same length (`pass` or
//! `0` at the same indentation; the `\`-continued lines of a command become
//! blank), so line numbers stay true, and the cell is analysed on its own
//! by [`crate::parse::python::ModuleAnalyzer`]. Lines inside brackets or strings
//! are left alone. Cells with a non-Python cell magic (`%%bash`, `%%sql`…)
//! or language (nbformat 3 `language`, VS Code's `languageId`) and
//! notebooks whose kernel is not Python are skipped. Findings carry their
//! 1-based cell number (among all cells, as the notebook UI counts them)
//! and their line in the cell. For lineage, names resolve through the
//! imports of the cell and of every analysed cell before it.

use serde::Deserialize;

use crate::facts::{FileFacts, Language, Problem};
use crate::parse::python;
use crate::parse::python::halstead;

/// Cell magics whose body is Python run by IPython.
const PYTHON_CELL_MAGICS: [&str; 9] = [
    "time", "timeit", "capture", "prun", "python", "python3", "debug", "memit", "px",
];

#[derive(Deserialize)]
struct Notebook {
    #[serde(default)]
    metadata: Metadata,
    cells: Option<Vec<Cell>>,
    /// nbformat 3.
    worksheets: Option<Vec<Worksheet>>,
}

#[derive(Deserialize)]
struct Worksheet {
    #[serde(default)]
    cells: Vec<Cell>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    kernelspec: Option<Named>,
    language_info: Option<Named>,
    /// nbformat 3 `language` at the notebook level.
    language: Option<String>,
}

#[derive(Deserialize)]
struct Named {
    language: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct Cell {
    cell_type: String,
    source: Option<Text>,
    /// nbformat 3 code cells.
    input: Option<Text>,
    /// nbformat 3 code cells.
    language: Option<String>,
    #[serde(default)]
    metadata: CellMetadata,
}

#[derive(Deserialize, Default)]
struct CellMetadata {
    vscode: Option<VsCode>,
}

/// VS Code's per-cell language (`"sql"` in a Python notebook).
#[derive(Deserialize)]
struct VsCode {
    #[serde(rename = "languageId")]
    language_id: Option<String>,
}

/// A multi-line string: one string or a list of lines.
#[derive(Deserialize)]
#[serde(untagged)]
enum Text {
    One(String),
    Lines(Vec<String>),
}

impl Text {
    fn append_to(&self, out: &mut String) {
        match self {
            Text::One(s) => out.push_str(s),
            Text::Lines(lines) => lines.iter().for_each(|l| out.push_str(l)),
        }
    }
}

fn is_python(language: &str) -> bool {
    let language = language.to_ascii_lowercase();
    language.starts_with("python") || language.starts_with("ipython")
}

/// Analyses one `.ipynb` document.
pub fn analyze(source: &str, python: &mut python::ModuleAnalyzer) -> FileFacts {
    let mut facts = FileFacts::empty(Language::Notebook);
    let notebook: Notebook = match serde_json::from_str(source) {
        Ok(notebook) => notebook,
        Err(e) => {
            let line = u32::try_from(e.line()).unwrap_or(u32::MAX);
            facts
                .problems
                .push(Problem::new(line, format!("not a readable notebook: {e}")));
            return facts;
        }
    };
    let cells: Vec<&Cell> = match (&notebook.cells, &notebook.worksheets) {
        (Some(cells), _) => cells.iter().collect(),
        (None, Some(sheets)) => sheets.iter().flat_map(|w| &w.cells).collect(),
        (None, None) => {
            facts
                .problems
                .push(Problem::new(0, "not a readable notebook: no cells"));
            return facts;
        }
    };
    let meta = &notebook.metadata;
    let kernel = [
        meta.kernelspec.as_ref().and_then(|k| k.language.as_deref()),
        meta.language_info.as_ref().and_then(|l| l.name.as_deref()),
        meta.language.as_deref(),
    ];
    if kernel.into_iter().flatten().any(|l| !is_python(l)) {
        return facts;
    }
    let mut code = String::new();
    let mut volume = 0.0;
    let mut analysed = 0;
    let mut aliases = python::Aliases::default();
    for (index, cell) in cells.into_iter().enumerate() {
        let Some(text) = cell.source.as_ref().or(cell.input.as_ref()) else {
            continue;
        };
        let vscode = cell
            .metadata
            .vscode
            .as_ref()
            .and_then(|v| v.language_id.as_deref());
        if cell.cell_type != "code"
            || [cell.language.as_deref(), vscode]
                .into_iter()
                .flatten()
                .any(|l| !is_python(l))
        {
            continue;
        }
        code.clear();
        text.append_to(&mut code);
        if !neutralise(&mut code) {
            continue;
        }
        let n = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let mut cell_facts = python.analyze_cell(&code, &mut aliases);
        cell_facts.suppressions = super::suppress::find(&code);
        volume += cell_facts.metrics.halstead_volume;
        analysed += 1;
        merge(&mut facts, cell_facts, n);
    }
    if analysed == 0 {
        return facts;
    }
    halstead::rate(&mut facts, volume);
    facts
}

/// Adds one cell's facts, tagged with the cell number.
fn merge(facts: &mut FileFacts, cell: FileFacts, n: u32) {
    facts.lines += cell.lines;
    facts.metrics.cyclomatic_total += cell.metrics.cyclomatic_total;
    facts.metrics.calls = facts.metrics.calls.saturating_add(cell.metrics.calls);
    for (name, n) in cell.metrics.framework_calls {
        let total = facts.metrics.framework_calls.entry(name).or_default();
        *total = total.saturating_add(n);
    }
    facts.syntax_errors |= cell.syntax_errors;
    facts.functions.extend(
        cell.functions
            .into_iter()
            .map(|f| crate::facts::Function { cell: Some(n), ..f }),
    );
    facts.classes.extend(
        cell.classes
            .into_iter()
            .map(|c| crate::facts::Class { cell: Some(n), ..c }),
    );
    facts.imports.extend(
        cell.imports
            .into_iter()
            .map(|i| crate::facts::Import { cell: Some(n), ..i }),
    );
    facts.dynamic.extend(
        cell.dynamic
            .into_iter()
            .map(|d| crate::facts::DynamicPoint { cell: Some(n), ..d }),
    );
    let lineage = &mut facts.lineage;
    let from = cell.lineage;
    lineage.calls.extend(
        from.calls
            .into_iter()
            .map(|c| crate::facts::CallFact { cell: Some(n), ..c }),
    );
    lineage.columns.extend(
        from.columns
            .into_iter()
            .map(|c| crate::facts::ColumnFact { cell: Some(n), ..c }),
    );
    lineage.flows.extend(
        from.flows
            .into_iter()
            .map(|f| crate::facts::FlowFact { cell: Some(n), ..f }),
    );
    lineage.config_reads.extend(
        from.config_reads
            .into_iter()
            .map(|r| crate::facts::ConfigRead { cell: Some(n), ..r }),
    );
    lineage.decorators.extend(
        from.decorators
            .into_iter()
            .map(|d| crate::facts::DecoratorFact { cell: Some(n), ..d }),
    );
    lineage.main_guard |= from.main_guard;
    facts.suppressions.extend(
        cell.suppressions
            .into_iter()
            .map(|s| crate::facts::Suppression { cell: Some(n), ..s }),
    );
    facts.problems.extend(
        cell.problems
            .into_iter()
            .map(|p| Problem { cell: Some(n), ..p }),
    );
}

/// Replaces IPython-only lines of a cell in place, keeping every line's
/// length. Returns `false` for a cell that is not Python (a `%%bash`-like
/// cell magic).
fn neutralise(code: &mut String) -> bool {
    let mut state = Continuation::default();
    let mut first = true;
    let mut continued_magic = false;
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let starts_logical = !state.inside();
        let help = state.scan(body) == Some(b'?');
        let trimmed = body.trim_start();
        let magic = if continued_magic {
            true
        } else if !starts_logical {
            false
        } else if first && trimmed.starts_with("%%") {
            let name = trimmed.get(2..).and_then(|m| m.split_whitespace().next());
            let name = name.unwrap_or("");
            if !PYTHON_CELL_MAGICS.contains(&name) {
                return false;
            }
            true
        } else {
            help || is_ipython(trimmed)
        };
        if !trimmed.is_empty() {
            first = false;
        }
        if magic {
            // A magic or shell line continues over a trailing `\`; its
            // continuation lines become blank (any indentation is valid).
            if continued_magic {
                out.extend(std::iter::repeat_n(' ', body.len()));
            } else {
                placeholder(&mut out, body);
            }
            continued_magic = body.trim_end().ends_with('\\');
            state = Continuation::default();
            out.push_str(line.get(body.len()..).unwrap_or(""));
        } else {
            out.push_str(line);
        }
    }
    *code = out;
    true
}

/// `%magic`, `!cmd`, `?obj`, autocall (`/f x`, `,f a`, `;f a`),
/// `x = !cmd`, `x = %magic` (`obj?` is found by [`Continuation::scan`]).
fn is_ipython(trimmed: &str) -> bool {
    if trimmed.starts_with(['%', '!', '?', '/', ',', ';']) {
        return true;
    }
    // `a, b.c = !cmd` / `= %magic`: names, commas and dots before `=`.
    let Some((lhs, rhs)) = trimmed.split_once('=') else {
        return false;
    };
    !lhs.trim().is_empty()
        && lhs
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ',' | ' ' | '\t'))
        && rhs.trim_start().starts_with(['!', '%'])
}

/// Writes `pass` (or `0` where `pass` does not fit) at the line's
/// indentation, padded with spaces to the line's byte length.
fn placeholder(out: &mut String, line: &str) {
    let indent = line.len() - line.trim_start().len();
    let word = if line.len() >= indent + 4 {
        "pass"
    } else {
        "0"
    };
    out.push_str(line.get(..indent).unwrap_or(""));
    out.push_str(word);
    let used = indent + word.len();
    out.extend(std::iter::repeat_n(' ', line.len().saturating_sub(used)));
}

/// Whether the next line continues a logical line: open brackets, an open
/// triple-quoted string or a trailing `\`.
#[derive(Default)]
struct Continuation {
    depth: u32,
    /// The closing delimiter of an open triple-quoted string.
    triple: Option<&'static str>,
    backslash: bool,
}

impl Continuation {
    fn inside(&self) -> bool {
        self.depth > 0 || self.triple.is_some() || self.backslash
    }

    /// Follows `line`; returns its last non-blank byte outside strings and
    /// comments (a final `?` is IPython help: `obj?`, `f()??`).
    fn scan(&mut self, line: &str) -> Option<u8> {
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut last = None;
        self.backslash = false;
        while let Some(&b) = bytes.get(i) {
            if let Some(close) = self.triple {
                if b == b'\\' {
                    i += 2;
                } else if bytes.get(i..i + 3) == Some(close.as_bytes()) {
                    self.triple = None;
                    i += 3;
                } else {
                    i += 1;
                }
                continue;
            }
            match b {
                b'#' => break,
                b'(' | b'[' | b'{' => self.depth += 1,
                b')' | b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                b'\\' if bytes.get(i + 1).is_none() => self.backslash = true,
                b'"' | b'\'' => {
                    let close = if b == b'"' { "\"\"\"" } else { "'''" };
                    if bytes.get(i..i + 3) == Some(close.as_bytes()) {
                        self.triple = Some(close);
                        i += 3;
                        continue;
                    }
                    // A one-line string: skip to its closing quote.
                    i += 1;
                    while let Some(&c) = bytes.get(i) {
                        if c == b'\\' {
                            i += 1;
                        } else if c == b {
                            break;
                        }
                        i += 1;
                    }
                }
                _ => {}
            }
            if !b.is_ascii_whitespace() {
                last = Some(b);
            }
            i += 1;
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::AnalysisOptions;

    fn run(source: &str) -> FileFacts {
        let mut python = python::ModuleAnalyzer::new(AnalysisOptions::default()).expect("parser");
        analyze(source, &mut python)
    }

    fn neutralised(cell: &str) -> Option<String> {
        let mut code = cell.to_owned();
        neutralise(&mut code).then_some(code)
    }

    #[test]
    fn ipython_lines_become_same_length_placeholders() {
        let cell = "%matplotlib inline\nimport os\n!pip install numpy\nfiles = !ls\nx = %time f()\nos?\n?os\ndf.head()??\n/print 1\n";
        let want = "pass              \nimport os\npass              \npass       \npass         \n0  \n0  \npass       \npass    \n";
        assert_eq!(neutralised(cell).as_deref(), Some(want));
        // Indentation kept; a `\` continues a shell line.
        let cell = "for i in x:\n    %time f(i)\n!pip install \\\n   numpy\r\ny = 1";
        let want = "for i in x:\n    pass      \npass          \n        \r\ny = 1";
        assert_eq!(neutralised(cell).as_deref(), Some(want));
    }

    #[test]
    fn python_continuations_are_left_alone() {
        // `% 2` continues a line, and `!`/`%` lines inside a string are text.
        let cell = "x = 3 \\\n    % 2\ny = (1,\n%2)\ntext = \"\"\"\n!not shell\n%not magic?\n\"\"\"\nwhy = 1  # why?\ns = 'why?'\n";
        assert_eq!(neutralised(cell).as_deref(), Some(cell));
    }

    #[test]
    fn cell_magics() {
        assert_eq!(neutralised("%%bash\necho hi\n"), None);
        assert_eq!(neutralised("\n%%sql\nselect 1\n"), None);
        assert_eq!(
            neutralised("%%time\nf()\n").as_deref(),
            Some("pass  \nf()\n")
        );
        // Only a first line can be a cell magic.
        assert_eq!(
            neutralised("f()\n%%bash\n").as_deref(),
            Some("f()\npass  \n")
        );
    }

    /// Cells: 1 markdown, 2 magics + `import os`, 3 `%%bash`, 4 `%%time`
    /// with `def score` (CC 4), 5 a syntax error, 6 raw, 7 plain code, 8 a
    /// `def` in a cell VS Code marks as SQL.
    #[test]
    fn magics_notebook() {
        let facts = run(include_str!("../../testdata/notebooks/magics.ipynb"));
        assert_eq!(facts.language, Language::Notebook);
        let functions: Vec<_> = facts
            .functions
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.cell,
                    f.line,
                    f.end_line,
                    f.cyclomatic,
                    f.cognitive,
                )
            })
            .collect();
        assert_eq!(
            functions,
            [
                ("score", Some(4), 2, 8, 4, 3),
                ("broken", Some(5), 1, 2, 1, 0)
            ]
        );
        let imports: Vec<_> = facts
            .imports
            .iter()
            .map(|i| (i.module.as_str(), i.cell, i.line))
            .collect();
        assert_eq!(imports, [("os", Some(2), 2)]);
        assert!(facts.syntax_errors);
        let problems: Vec<_> = facts.problems.iter().map(|p| (p.cell, p.line)).collect();
        assert_eq!(problems, [(Some(5), 1)]);
        // radon's module totals per cell: 1 + 4 + 1 (+ 1 for the broken cell).
        assert_eq!(facts.metrics.cyclomatic_total, 7);
    }

    /// Needs `ModuleAnalyzer::analyze` to fill lines and Halstead volume. radon on
    /// the neutralised code cells 2, 4 and 7 gives loc 21, lloc 16, sloc 20,
    /// one single comment (the docstring) and volume 15.51 + 13.93; the
    /// broken cell 5 adds 2 lines of code and 2 logical lines.
    #[test]
    fn magics_notebook_sizes() {
        let facts = run(include_str!("../../testdata/notebooks/magics.ipynb"));
        let lines = facts.lines;
        assert_eq!(
            (
                lines.loc,
                lines.lloc,
                lines.sloc,
                lines.comments,
                lines.multi,
                lines.blank,
                lines.single_comments
            ),
            (23, 18, 22, 0, 0, 0, 1)
        );
        let volume = 6.0 * 6f64.log2() + 6.0 * 5f64.log2();
        assert!((facts.metrics.halstead_volume - volume).abs() < 1e-9);
        // radon's mi_compute(29.441…, 7, 18, 0.0).
        let mi = facts.metrics.maintainability.unwrap_or_default();
        assert!((mi - 61.39034963942898).abs() < 1e-9, "{mi}");
        let score = facts.functions.first().map(|f| f.lines);
        assert_eq!(
            score.map(|l| (l.loc, l.lloc, l.sloc, l.single_comments)),
            Some((7, 7, 6, 1))
        );
    }

    #[test]
    fn nbformat_3() {
        let facts = run(include_str!("../../testdata/notebooks/v3.ipynb"));
        let functions: Vec<_> = facts
            .functions
            .iter()
            .map(|f| (f.name.as_str(), f.cell, f.line, f.cyclomatic))
            .collect();
        assert_eq!(functions, [("f", Some(2), 1, 2)]);
        let imports: Vec<_> = facts
            .imports
            .iter()
            .map(|i| (i.module.as_str(), i.cell, i.line))
            .collect();
        assert_eq!(imports, [("sys", Some(3), 1)]);
        assert!(facts.problems.is_empty());
    }

    #[test]
    fn other_kernels_are_skipped() {
        let facts = run(include_str!("../../testdata/notebooks/r-kernel.ipynb"));
        assert!(facts.functions.is_empty() && facts.problems.is_empty());
        assert_eq!(facts.metrics.maintainability, None);
    }

    #[test]
    fn broken_notebooks_are_problems() {
        let cases = [
            ("{\"cells\": [\n", 2),
            ("[1, 2]", 1),
            ("{\"nbformat\": 4}", 0),
            (
                "{\n \"cells\": [\n  {\"cell_type\": \"code\",\n   \"source\": 5}\n ]\n}",
                4,
            ),
            ("{\"cells\": [{\"source\": \"x\"}]}", 1),
        ];
        for (source, line) in cases {
            let facts = run(source);
            assert_eq!(facts.problems.len(), 1, "{source}");
            assert_eq!(
                facts.problems[0].line, line,
                "{source}: {:?}",
                facts.problems[0]
            );
            assert!(facts.functions.is_empty());
        }
    }

    /// Lineage facts carry their cell; names resolve through the imports
    /// of the cells before.
    #[test]
    fn lineage_by_cell() {
        let notebook = r##"{"cells": [
            {"cell_type": "code", "source": ["import pandas as pd\n", "from sklearn.linear_model import Ridge"]},
            {"cell_type": "markdown", "source": "# Load"},
            {"cell_type": "code", "source": ["%matplotlib inline\n", "df = pd.read_csv('orders.csv')\n", "df['y'] = cfg.scale\n", "a >> b"]},
            {"cell_type": "code", "source": "@step\ndef f():\n    Ridge().fit(X)\nif __name__ == '__main__':\n    f()"}
        ]}"##;
        let l = run(notebook).lineage;
        let calls: Vec<_> = l
            .calls
            .iter()
            .map(|c| (c.call.callee.as_str(), c.cell, c.line))
            .collect();
        assert_eq!(
            calls,
            [
                ("pandas.read_csv", Some(3), 2),
                ("sklearn.linear_model.Ridge.fit", Some(4), 3),
                ("sklearn.linear_model.Ridge", Some(4), 3),
            ]
        );
        let columns: Vec<_> = l
            .columns
            .iter()
            .map(|c| (c.column.as_str(), c.cell, c.line))
            .collect();
        assert_eq!(columns, [("y", Some(3), 3)]);
        let reads: Vec<_> = l
            .config_reads
            .iter()
            .map(|r| (r.key.as_str(), r.cell))
            .collect();
        assert_eq!(reads, [("cfg.scale", Some(3))]);
        assert_eq!(
            l.flows.first().map(|f| (f.line, f.cell)),
            Some((4, Some(3)))
        );
        let decorators: Vec<_> = l
            .decorators
            .iter()
            .map(|d| (d.decorator.callee.as_str(), d.cell))
            .collect();
        assert_eq!(decorators, [("step", Some(4))]);
        assert!(l.main_guard);
    }
}
