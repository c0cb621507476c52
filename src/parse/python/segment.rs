//! Cutting a module into the pieces analysed on their own
//! ([`super::assemble`]): its top-level statements, a top-level class's
//! members, and the statements of a long function's body.
//!
//! A statement starts at a logical line of code (outside brackets, strings
//! and `\` continuations: the lexer of `raw.rs` finds them) that begins at
//! the block's indentation (column 0 at top level), unless it continues a
//! compound statement (`else`, `elif`, `except`, `finally`) or follows a
//! decorator. A segment runs from its statement to the next one, with the
//! comments and blank lines between; the first also holds what precedes
//! the first statement. A class with two members or more is cut into its
//! header (decorators, `class` line and the comments before the first
//! member) and its members (the statements of its body); a function at top
//! level or in such a class, of [`MIN_FUNCTION_BYTES`] or more, is cut the
//! same way when its body has three statements or more and is no plain
//! wrapper (a statement besides `def`s and `return`s). Text with a form
//! feed, a vertical tab, a lone carriage return, a NUL byte, a BOM after
//! its start or a line holding only a `\` is not cut: those are where
//! Python's tokenizer and tree-sitter's may disagree on lines, columns or
//! statements; nor is a body whose indentation is not consistent.

use std::ops::Range;

use super::raw::{LineTable, is_name_byte};

/// The smallest function cut into its statements.
const MIN_FUNCTION_BYTES: usize = 1024;

/// A piece of a module: its bytes, and the 0-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Segment {
    pub bytes: Range<usize>,
    pub line: u32,
}

/// A statement, whole or cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece<'s> {
    Statement(Segment),
    /// A function and the statements of its body.
    Function(Block<'s>, Vec<Segment>),
    /// A top-level class and its members.
    Class(Block<'s>, Vec<Piece<'s>>),
}

/// The head of a cut `class` or `def` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block<'s> {
    pub name: &'s str,
    /// The indentation of its body.
    pub indent: &'s str,
    /// Decorators, the `class` or `def` line, and the comments before the
    /// first statement of the body.
    pub header: Segment,
}

/// The pieces of `source`, given its line table (where its lines and its
/// logical lines of code start); `None` when it is one statement or is not
/// cut.
pub(super) fn pieces<'s>(source: &'s str, table: &LineTable) -> Option<Vec<Piece<'s>>> {
    let bytes = source.as_bytes();
    let lone_return = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
    if lone_return
        || memchr::memchr3(b'\x0b', b'\x0c', b'\0', bytes).is_some()
        || memchr::memmem::find(bytes.get(1..).unwrap_or_default(), BOM).is_some()
        || has_backslash_line(bytes)
    {
        return None;
    }
    let statements = table.statements();
    let lines = Lines {
        source,
        starts: table.line_starts(),
    };
    let top = lines.split(statements, "", 0..source.len())?;
    if top.len() < 2 {
        return None;
    }
    let mut rows = statements;
    let pieces = top
        .into_iter()
        .map(|segment| {
            let inside = rows.partition_point(|&r| lines.start(r) < segment.bytes.end);
            let (own, rest) = rows.split_at(inside);
            rows = rest;
            if let Some((class, members, body)) = lines.block(&segment, own, &["class"]) {
                let members: Vec<Piece> = members
                    .into_iter()
                    .map(|member| lines.function_or_statement(member, body))
                    .collect();
                if members.len() >= 2 {
                    return Piece::Class(class, members);
                }
            }
            lines.function_or_statement(segment, own)
        })
        .collect();
    Some(pieces)
}

/// U+FEFF: tree-sitter skips it at the start of its input only.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Whether a line holds only a backslash continuation: the line table
/// starts no statement on the line after it, where tree-sitter does.
fn has_backslash_line(bytes: &[u8]) -> bool {
    // Only the blanks next to each backslash are looked at: linear in the
    // text, however long its lines.
    let blank = |b: &&u8| matches!(b, b' ' | b'\t');
    memchr::memchr_iter(b'\\', bytes).any(|at| {
        let before = bytes[..at].iter().rev().find(|b| !blank(b));
        let after = bytes[at + 1..].iter().find(|b| !blank(b) && **b != b'\r');
        matches!(before, None | Some(b'\n')) && matches!(after, None | Some(b'\n'))
    })
}

/// A module's text and the offsets of its lines.
struct Lines<'s, 't> {
    source: &'s str,
    starts: &'t [usize],
}

impl<'s> Lines<'s, '_> {
    fn start(&self, row: u32) -> usize {
        self.starts
            .get(row as usize)
            .copied()
            .unwrap_or(self.source.len())
    }

    /// The text of line `row` from its start.
    fn from(&self, row: u32) -> &'s str {
        self.source.get(self.start(row)..).unwrap_or_default()
    }

    /// The statements of `range` at indentation `indent`, given the lines
    /// where logical lines of code start; `None` when one of them is
    /// indented less, or otherwise.
    fn split(&self, rows: &[u32], indent: &str, range: Range<usize>) -> Option<Vec<Segment>> {
        let mut segments: Vec<Segment> = Vec::new();
        let mut decorated = false;
        for &row in rows {
            let at = self.start(row);
            if at < range.start || at >= range.end {
                continue;
            }
            let line = self.from(row);
            let code = line.trim_start_matches([' ', '\t']);
            let leading = &line[..line.len() - code.len()];
            // The lines of deeper blocks belong to the statement before
            // (compared so that the top level, the most lines, needs no
            // byte comparison).
            if leading.len() > indent.len() && (indent.is_empty() || leading.starts_with(indent)) {
                continue;
            }
            if leading.len() != indent.len() || !indent.is_empty() && leading != indent {
                return None;
            }
            let starts_statement = !decorated && !continues(code.as_bytes());
            decorated = code.starts_with('@');
            if !starts_statement {
                continue;
            }
            match segments.last_mut() {
                Some(last) => last.bytes.end = at,
                // The first segment also holds what precedes it.
                None => {
                    segments.push(Segment {
                        bytes: range.start..range.end,
                        line: self.row_of(range.start),
                    });
                    continue;
                }
            }
            segments.push(Segment {
                bytes: at..range.end,
                line: row,
            });
        }
        Some(segments)
    }

    /// The 0-based line holding byte `at`.
    fn row_of(&self, at: usize) -> u32 {
        let row = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        u32::try_from(row).unwrap_or(u32::MAX)
    }

    /// `segment` cut as a `keyword` statement (`class`, `def`) into its
    /// head and the statements of its body, with the lines of the body
    /// where logical lines of code start; `rows` are the segment's.
    fn block<'r>(
        &self,
        segment: &Segment,
        rows: &'r [u32],
        keywords: &[&str],
    ) -> Option<(Block<'s>, Vec<Segment>, &'r [u32])> {
        let within = |at: usize| rows.partition_point(|&r| self.start(r) < at);
        let rows = rows.get(within(segment.bytes.start)..within(segment.bytes.end))?;
        let head = rows.iter().position(|&r| {
            !self
                .from(r)
                .trim_start_matches([' ', '\t'])
                .starts_with('@')
        })?;
        let line = self.from(*rows.get(head)?);
        let code = line.trim_start_matches([' ', '\t']);
        let own_indent = &line[..line.len() - code.len()];
        let rest = keywords
            .iter()
            .find_map(|keyword| code.strip_prefix(keyword))?;
        let name_start = rest.trim_start_matches([' ', '\t']);
        if name_start.len() == rest.len() {
            return None;
        }
        let name_len = name_start
            .bytes()
            .position(|b| !is_name_byte(b))
            .unwrap_or(name_start.len());
        let name = name_start.get(..name_len).filter(|n| !n.is_empty())?;
        let body = rows.get(head + 1..)?;
        let first = self.from(*body.first()?);
        let indent = &first[..first.len() - first.trim_start_matches([' ', '\t']).len()];
        if indent.len() <= own_indent.len() || !indent.starts_with(own_indent) {
            return None;
        }
        let body_start = self.start(*body.first()?);
        let statements = self.split(body, indent, body_start..segment.bytes.end)?;
        let block = Block {
            name,
            indent,
            header: Segment {
                bytes: segment.bytes.start..body_start,
                line: segment.line,
            },
        };
        Some((block, statements, body))
    }

    /// `segment` as a cut function, if it is a long one, or else whole.
    fn function_or_statement(&self, segment: Segment, rows: &[u32]) -> Piece<'s> {
        if segment.bytes.len() >= MIN_FUNCTION_BYTES
            && let Some((function, body, _)) = self.block(&segment, rows, &["def", "async def"])
            && body.len() >= 3
            && body.iter().any(|s| self.is_plain_statement(s))
        {
            return Piece::Function(function, body);
        }
        Piece::Statement(segment)
    }

    /// Whether a statement of a body is neither a `def` (decorated or not)
    /// nor a `return`: a body holding one is no plain wrapper.
    fn is_plain_statement(&self, segment: &Segment) -> bool {
        let code = self
            .source
            .get(segment.bytes.clone())
            .unwrap_or_default()
            .trim_start_matches([' ', '\t']);
        !["def", "async", "@", "return"]
            .iter()
            .any(|start| code.starts_with(start))
    }
}

/// Whether a line continues the compound statement before it.
fn continues(line: &[u8]) -> bool {
    ["else", "elif", "except", "finally"].iter().any(|keyword| {
        line.strip_prefix(keyword.as_bytes())
            .is_some_and(|rest| rest.first().is_none_or(|&b| !is_name_byte(b)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::python::raw::LineTable;

    /// The pieces' texts: a cut class or function as its header and its
    /// body's pieces.
    fn cut(source: &str) -> Vec<&str> {
        fn texts<'s>(source: &'s str, piece: &Piece, out: &mut Vec<&'s str>) {
            let text = |s: &Segment| &source[s.bytes.clone()];
            match piece {
                Piece::Statement(s) => out.push(text(s)),
                Piece::Function(block, body) => {
                    out.push(text(&block.header));
                    out.extend(body.iter().map(text));
                }
                Piece::Class(block, members) => {
                    out.push(text(&block.header));
                    for member in members {
                        texts(source, member, out);
                    }
                }
            }
        }
        let table = LineTable::new(source);
        match pieces(source, &table) {
            Some(pieces) => {
                let mut out = Vec::new();
                for piece in &pieces {
                    texts(source, piece, &mut out);
                }
                out
            }
            None => vec![source],
        }
    }

    #[test]
    fn statements_at_column_zero() {
        let source = "# head\nimport os\n\ndef f():\n    return 1\n# tail\nx = f()\n";
        assert_eq!(
            cut(source),
            [
                "# head\nimport os\n\n",
                "def f():\n    return 1\n# tail\n",
                "x = f()\n"
            ]
        );
    }

    #[test]
    fn compound_statements_decorators_and_brackets_stay_whole() {
        let source = "if a:\n    b()\nelse:\n    c()\n@dec\n# note\n@dec2(\nx)\nclass C:\n    pass\ntry:\n    pass\nexcept* E:\n    pass\nfinally:\n    pass\n";
        assert_eq!(
            cut(source),
            [
                "if a:\n    b()\nelse:\n    c()\n",
                "@dec\n# note\n@dec2(\nx)\nclass C:\n    pass\n",
                "try:\n    pass\nexcept* E:\n    pass\nfinally:\n    pass\n",
            ]
        );
        // A name that only starts like a keyword starts a statement.
        assert_eq!(cut("if a:\n    b()\nelsewhere = 1\n").len(), 2);
    }

    #[test]
    fn strings_and_continuations_are_not_cut() {
        let source = "x = \"\"\"\ndef not_code():\n\"\"\"\ny = 1 + \\\n2\nz = (\n3)\n";
        assert_eq!(
            cut(source),
            [
                "x = \"\"\"\ndef not_code():\n\"\"\"\n",
                "y = 1 + \\\n2\n",
                "z = (\n3)\n"
            ]
        );
    }

    #[test]
    fn classes_with_members_are_cut() {
        let source = "@dec\nclass A(\n    Base,\n):\n    # first\n    \"\"\"Doc.\"\"\"\n    x = 1\n\n    @property\n    def f(self):\n        if x:\n            pass\n        else:\n            pass\n    # end\ny = A()\n";
        assert_eq!(
            cut(source),
            [
                "@dec\nclass A(\n    Base,\n):\n    # first\n",
                "    \"\"\"Doc.\"\"\"\n",
                "    x = 1\n\n",
                "    @property\n    def f(self):\n        if x:\n            pass\n        else:\n            pass\n    # end\n",
                "y = A()\n",
            ]
        );
        let table = LineTable::new(source);
        let Some(pieces) = pieces(source, &table) else {
            panic!("cut")
        };
        let Piece::Class(class, members) = &pieces[0] else {
            panic!("a class")
        };
        assert_eq!(
            (class.name, class.indent, class.header.line),
            ("A", "    ", 0)
        );
        let lines: Vec<u32> = members
            .iter()
            .map(|m| match m {
                Piece::Statement(s) => s.line,
                _ => u32::MAX,
            })
            .collect();
        assert_eq!(lines, [5, 6, 8]);
        // One member, a body on the class line, an inconsistent body: whole.
        for whole in [
            "class A:\n    def f(self):\n        pass\nx = 1\n",
            "class A: pass\nx = 1\n",
            "class A:\n    a = 1\n  b = 2\nx = 1\n",
            "classy = 1\nx = 1\n",
        ] {
            assert_eq!(cut(whole).len(), 2, "{whole}");
        }
    }

    #[test]
    fn long_functions_are_cut_into_their_statements() {
        let long = "        pass\n".repeat(90);
        let source = format!(
            "class A:\n    x = 1\n\n    @staticmethod\n    async def f(a,\n            b):\n        # note\n        \"\"\"Doc.\"\"\"\n        if a:\n            return b\n{long}        return a\n\ndef g():\n    def h():\n        pass\n{long}    return h\n"
        );
        let table = LineTable::new(&source);
        let Some(pieces) = pieces(&source, &table) else {
            panic!("cut")
        };
        let Piece::Class(_, members) = &pieces[0] else {
            panic!("a class")
        };
        let Piece::Function(f, body) = &members[1] else {
            panic!("a cut method")
        };
        assert_eq!((f.name, f.indent, f.header.line), ("f", "        ", 3));
        assert_eq!(
            &source[f.header.bytes.clone()],
            "    @staticmethod\n    async def f(a,\n            b):\n        # note\n"
        );
        assert_eq!(body.len(), 93);
        assert_eq!(
            &source[body[1].bytes.clone()],
            "        if a:\n            return b\n"
        );
        // A plain wrapper (only `def` and `return`) stays whole, as does a
        // short function.
        assert!(matches!(pieces[1], Piece::Statement(_)));
        assert_eq!(cut("def f():\n    return 1\nx = 1\n").len(), 2);
    }

    #[test]
    fn odd_bytes_and_single_statements_are_not_cut() {
        for source in [
            "a = 1\n\x0cb = 2\n",
            "a = 1\n\x0bb = 2\n",
            "a = 1\rb = 2\n",
            "a = 1\n\0b = 2\n",
            "a = 1\n\u{feff}b = 2\n",
            "a = 1\n  \\ \r\nb = 2\n",
            "a = 1\n\\",
            "def f():\n    pass\n",
            "",
        ] {
            assert_eq!(cut(source), [source]);
        }
        assert_eq!(cut("a = 1\r\nb = 2\r\n"), ["a = 1\r\n", "b = 2\r\n"]);
        // A backslash with code beside it is an ordinary continuation.
        let joined = "a = 1 + \\\n    2\nb = '\\\\'\n";
        assert_eq!(cut(joined), ["a = 1 + \\\n    2\n", "b = '\\\\'\n"]);
    }
}
