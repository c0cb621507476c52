//! radon-`raw`-compatible line counts, per line, with O(1) range queries.
//!
//! radon 6.0.1 (`radon.raw.analyze`) re-tokenizes the file in *chunks*: a
//! chunk starts on a physical line and grows until the tokens balance (no
//! open bracket, string or `\` continuation). [`LineTable::new`] rebuilds the
//! same chunks from the leaves of the tree-sitter tree (a `string` counts as
//! one token, as in Python's tokenizer) and classifies them like radon:
//!
//! - a chunk holding one comment and nothing else is a *single comment*;
//! - a chunk holding one string token and nothing else is a *single comment*
//!   when it fits on one line, otherwise its lines are *multi* (docstrings);
//! - the non-blank lines of every other chunk are *sloc*;
//! - whitespace-only lines are *blank* wherever they are (even in strings);
//! - *comments* counts comment tokens, alone or after code;
//! - *lloc*: each `;`-separated part of a chunk counts 1, or 2 when it holds
//!   a `:` that does not end it (`if x: y`, but also radon's quirks
//!   `d = {a: b}`, `x: int = 1`, `lambda: 0`); comment-only parts count 0.
//!
//! Deliberate differences from radon:
//! - lines end at `\n` only. radon reads files with universal newlines and
//!   splits them with `str.splitlines`, so a lone `\r`, form feed, `\v`,
//!   `\x1c`–`\x1e`, `\x85`, U+2028/U+2029 also end lines there (form feed
//!   and the others are plain whitespace here);
//! - files that radon rejects (unbalanced brackets, `$`, `?`, Python 2)
//!   still get counts here: an unclosed bracket runs to the end of the file;
//! - a line without any token that is not whitespace (text tree-sitter
//!   skipped in error recovery) counts as sloc.
//!
//! Each line's class is stored once; [`LineTable::range`] answers any span
//! with prefix sums. The walk is linear and iterative, with no allocation
//! per node.

use crate::facts::Lines;

/// What a physical line counts as (exactly one of loc's four parts).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Sloc,
    Blank,
    Multi,
    Single,
}

/// Per-line radon counts with prefix sums for range queries.
pub struct LineTable {
    /// `prefix[i]` holds the sums over lines `1..=i` as
    /// `[lloc, sloc, comments, multi, blank, single_comments]`.
    prefix: Vec<[u32; 6]>,
}

/// Per-line scratch data gathered by the walk.
#[derive(Clone, Copy)]
struct Row {
    blank: bool,
    class: Option<Class>,
    comments: u32,
    lloc: u32,
}

/// Node kinds the walk needs, looked up once per file.
struct Kinds {
    string: u16,
    comment: u16,
    line_continuation: u16,
}

/// The chunk being built: radon's "syntactically complete set of tokens".
#[derive(Default)]
struct Chunk {
    open: bool,
    first_row: usize,
    last_row: usize,
    depth: u32,
    /// Tokens other than comments and line continuations.
    tokens: u32,
    comments: u32,
    first_is_string: bool,
    seg: Segment,
}

/// One `;`-separated part of a chunk, for lloc.
#[derive(Default)]
struct Segment {
    tokens: u32,
    /// Index (among `tokens`) of the last `:`.
    last_colon: Option<u32>,
    row: usize,
}

impl Segment {
    /// radon's `_logical.aux`: the last part also holds ENDMARKER, so the
    /// "colon ends it" test is off by one for the parts before a `;`.
    fn lloc(&self, last: bool) -> u32 {
        if self.tokens == 0 {
            return 0;
        }
        match self.last_colon {
            None => 1,
            Some(pos) => {
                let ends = if last {
                    pos + 1 == self.tokens
                } else {
                    pos + 2 == self.tokens
                };
                if ends { 1 } else { 2 }
            }
        }
    }
}

impl LineTable {
    /// Classifies every line of `source`, parsed into `tree`.
    pub fn new(source: &str, tree: &tree_sitter::Tree) -> LineTable {
        let mut rows = blank_rows(source);
        let lang = tree.language();
        let kinds = Kinds {
            string: lang.id_for_node_kind("string", true),
            comment: lang.id_for_node_kind("comment", true),
            line_continuation: lang.id_for_node_kind("line_continuation", true),
        };
        let bytes = source.as_bytes();
        let mut chunk = Chunk::default();
        let mut cursor = tree.walk();
        'walk: loop {
            let node = cursor.node();
            let kind = node.kind_id();
            let is_token = node.child_count() == 0 || kind == kinds.string;
            if is_token && node.start_byte() < node.end_byte() {
                let start = node.start_position().row;
                let end = node.end_position().row.max(start);
                if chunk.open && start > chunk.last_row && chunk.depth == 0 {
                    close(&mut chunk, &mut rows);
                }
                if !chunk.open {
                    chunk = Chunk {
                        open: true,
                        first_row: start,
                        last_row: start,
                        seg: Segment {
                            row: start,
                            ..Segment::default()
                        },
                        ..Chunk::default()
                    };
                }
                chunk.last_row = chunk.last_row.max(end);
                if kind == kinds.comment {
                    chunk.comments += 1;
                    if let Some(row) = rows.get_mut(start) {
                        row.comments += 1;
                    }
                } else if kind != kinds.line_continuation {
                    let punct = if node.end_byte() - node.start_byte() == 1 {
                        bytes.get(node.start_byte()).copied()
                    } else {
                        None
                    };
                    if chunk.tokens == 0 {
                        chunk.first_is_string = kind == kinds.string;
                    }
                    chunk.tokens += 1;
                    match punct {
                        Some(b'(' | b'[' | b'{') => chunk.depth += 1,
                        Some(b')' | b']' | b'}') => chunk.depth = chunk.depth.saturating_sub(1),
                        _ => {}
                    }
                    if punct == Some(b';') {
                        add_lloc(&mut rows, &chunk.seg, false);
                        chunk.seg = Segment {
                            row: end,
                            ..Segment::default()
                        };
                    } else {
                        if chunk.seg.tokens == 0 {
                            chunk.seg.row = start;
                        }
                        if punct == Some(b':') {
                            chunk.seg.last_colon = Some(chunk.seg.tokens);
                        }
                        chunk.seg.tokens += 1;
                    }
                }
            }
            if !is_token && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        if chunk.open {
            close(&mut chunk, &mut rows);
        }
        let mut prefix = Vec::with_capacity(rows.len() + 1);
        let mut acc = [0u32; 6];
        prefix.push(acc);
        for row in &rows {
            let class = if row.blank {
                Class::Blank
            } else {
                row.class.unwrap_or(Class::Sloc)
            };
            acc[0] += row.lloc;
            acc[2] += row.comments;
            match class {
                Class::Sloc => acc[1] += 1,
                Class::Multi => acc[3] += 1,
                Class::Blank => acc[4] += 1,
                Class::Single => acc[5] += 1,
            }
            prefix.push(acc);
        }
        LineTable { prefix }
    }

    /// Counts for the whole file.
    pub fn total(&self) -> Lines {
        self.range(1, u32::MAX)
    }

    /// Counts for lines `first_line..=last_line` (1-based, clamped to the
    /// file; empty when the range is).
    pub fn range(&self, first_line: u32, last_line: u32) -> Lines {
        let n = self.prefix.len() - 1;
        let first = (first_line.max(1) as usize).min(n + 1);
        let last = (last_line as usize).min(n);
        if first > last {
            return Lines::default();
        }
        let (Some(hi), Some(lo)) = (self.prefix.get(last), self.prefix.get(first - 1)) else {
            return Lines::default();
        };
        let d = |i: usize| hi[i] - lo[i];
        Lines {
            loc: (last + 1 - first) as u32,
            lloc: d(0),
            sloc: d(1),
            comments: d(2),
            multi: d(3),
            blank: d(4),
            single_comments: d(5),
        }
    }
}

/// One entry per physical line (`\n`-terminated; a final line without `\n`
/// counts), marking whitespace-only lines.
fn blank_rows(source: &str) -> Vec<Row> {
    let empty = Row {
        blank: true,
        class: None,
        comments: 0,
        lloc: 0,
    };
    let mut rows = Vec::with_capacity(source.len() / 32 + 1);
    let mut line_start = 0;
    let bytes = source.as_bytes();
    while line_start < bytes.len() {
        let rest = bytes.get(line_start..).unwrap_or_default();
        let len = rest.iter().position(|&b| b == b'\n');
        let line = source
            .get(line_start..line_start + len.unwrap_or(rest.len()))
            .unwrap_or_default();
        rows.push(Row {
            blank: line.chars().all(char::is_whitespace),
            ..empty
        });
        match len {
            Some(len) => line_start += len + 1,
            None => break,
        }
    }
    rows
}

fn add_lloc(rows: &mut [Row], seg: &Segment, last: bool) {
    if let Some(row) = rows.get_mut(seg.row) {
        row.lloc += seg.lloc(last);
    }
}

/// Ends the current chunk: counts its last `;` part and classifies its lines.
fn close(chunk: &mut Chunk, rows: &mut [Row]) {
    chunk.open = false;
    add_lloc(rows, &chunk.seg, true);
    let (first, last) = (chunk.first_row, chunk.last_row);
    let class = if chunk.tokens == 0 && chunk.comments == 1 && first == last {
        Class::Single
    } else if chunk.tokens == 1 && chunk.comments == 0 && chunk.first_is_string {
        if first == last {
            Class::Single
        } else {
            Class::Multi
        }
    } else {
        Class::Sloc
    };
    let end = (last + 1).min(rows.len());
    if let Some(span) = rows.get_mut(first.min(end)..end) {
        for row in span {
            row.class = Some(class);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(source: &str) -> LineTable {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .expect("grammar");
        let tree = parser.parse(source, None).expect("tree");
        LineTable::new(source, &tree)
    }

    fn lines(
        loc: u32,
        lloc: u32,
        sloc: u32,
        comments: u32,
        multi: u32,
        blank: u32,
        single_comments: u32,
    ) -> Lines {
        Lines {
            loc,
            lloc,
            sloc,
            comments,
            multi,
            blank,
            single_comments,
        }
    }

    const MODULE: &str = include_str!("../../../testdata/python/raw/module.py");

    /// Hand-counted; `radon raw -j` gives the same numbers.
    #[test]
    fn module_counts_like_radon() {
        let t = table(MODULE);
        assert_eq!(t.total(), lines(28, 16, 17, 5, 3, 5, 3));
        // `def f` and its body: the one-line docstring is a single comment.
        assert_eq!(t.range(24, 28), lines(5, 5, 4, 0, 0, 0, 1));
        // The bracketed list: one logical line, its comment-only line is code.
        assert_eq!(t.range(12, 17), lines(6, 1, 5, 2, 0, 1, 0));
        // `x = 1; y = 2`, `if x: y = 3` and radon's `{"a": 1}` quirk: 2 each.
        assert_eq!(t.range(9, 11).lloc, 6);
        assert_eq!(t.range(2, 4), lines(3, 1, 0, 0, 3, 0, 0));
    }

    #[test]
    fn ranges_are_clamped() {
        let t = table(MODULE);
        assert_eq!(t.range(0, 1000), t.total());
        assert_eq!(t.range(10, 5), Lines::default());
        assert_eq!(t.range(29, 40), Lines::default());
        assert_eq!(t.range(28, 28), lines(1, 1, 1, 0, 0, 0, 0));
    }

    #[test]
    fn crlf_counts_like_lf() {
        assert_eq!(
            table(&MODULE.replace('\n', "\r\n")).total(),
            table(MODULE).total()
        );
    }

    #[test]
    fn line_ends() {
        assert_eq!(table("").total(), Lines::default());
        assert_eq!(table("x = 1\ny = 2").total(), lines(2, 2, 2, 0, 0, 0, 0));
        assert_eq!(table("x = 1\n\n").total(), lines(2, 1, 1, 0, 0, 1, 0));
        // A lone CR does not end a line (radon's universal newlines would).
        assert_eq!(table("x = 1\ry = 2\n").total().loc, 1);
    }

    #[test]
    fn semicolons_and_colons() {
        // radon: `a; b;` is 2, a slice before `;` is 1, after it 2.
        assert_eq!(table("a; b;\n").total().lloc, 2);
        assert_eq!(table("x = y[1:]; z\n").total().lloc, 2);
        assert_eq!(table("z; x = y[1:]\n").total().lloc, 3);
        assert_eq!(
            table("if x:  # c\n    pass\n").total(),
            lines(2, 2, 2, 1, 0, 0, 0)
        );
        assert_eq!(table("f = lambda: 0\n").total().lloc, 2);
    }

    #[test]
    fn broken_input_does_not_panic() {
        // The unclosed bracket runs to the end of the file: one chunk whose
        // `:` is not last (lloc 2), its comment line is code.
        let t = table("def f(:\n    x = (1,\n\n# c\n");
        assert_eq!(t.total(), lines(4, 2, 3, 1, 0, 1, 0));
        let long = format!("x = {}1\n", "1 + ".repeat(100_000));
        assert_eq!(table(&long).total(), lines(1, 1, 1, 0, 0, 0, 0));
        let deep = format!("x = {}1{}\n", "(".repeat(5_000), ")".repeat(5_000));
        assert_eq!(table(&deep).total(), lines(1, 1, 1, 0, 0, 0, 0));
        assert_eq!(table("\"\"\"unterminated\n\n").total().loc, 2);
    }
}
