//! radon-`raw`-compatible line counts, per line, with O(1) range queries.
//!
//! radon 6.0.1 (`radon.raw.analyze`) re-tokenizes the file in *chunks*: a
//! chunk starts on a physical line and grows until the tokens balance (no
//! open bracket, string or `\` continuation). [`LineTable::new`] rebuilds
//! the same chunks in one pass of a small byte lexer that sees strings,
//! comments, brackets, `:`, `;` and continuations as Python 3.11's
//! `tokenize` does (an f-string is one token), and classifies them like
//! radon:
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
//! The tree is not used: walking every node costs about 16 % of a parse,
//! the lexer under 5 %, and the lexer follows radon's tokenizer where the
//! grammar differs (3.12 f-strings with nested quotes).
//!
//! Deliberate differences from radon:
//! - lines end at `\n` only, as tree-sitter's rows do. radon reads files
//!   with universal newlines and splits them with `str.splitlines`, so a
//!   lone `\r`, form feed, `\v`, `\x1c`–`\x1e`, `\x85`, U+2028/U+2029
//!   also end lines there (they are whitespace here);
//! - files radon rejects (unbalanced brackets, `$`, `?`, Python 2) still
//!   get counts: an unclosed bracket runs to the end of the file, an
//!   unclosed one-quote string to the end of its line;
//! - token counts only matter after the last `:` of a part followed by
//!   `;` (radon's off-by-one); there, operators count one token per byte.
//!
//! Each line's class is stored once; [`LineTable::range`] answers any span
//! with prefix sums.

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
    /// 0-based lines where a logical line of code starts (not a comment).
    statements: Vec<u32>,
    /// Byte offset of each line's start: 0, and one past each `\n`.
    line_starts: Vec<usize>,
}

/// Per-line scratch data gathered by the lexer.
#[derive(Clone, Copy)]
struct Row {
    blank: bool,
    class: Option<Class>,
    comments: u32,
    lloc: u32,
}

impl Default for Row {
    fn default() -> Self {
        Row {
            blank: true,
            class: None,
            comments: 0,
            lloc: 0,
        }
    }
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
    /// Classifies every line of `source` (Python, BOM stripped).
    pub fn new(source: &str) -> LineTable {
        let mut lexer = Lexer {
            bytes: source.as_bytes(),
            pos: 0,
            row: 0,
            blank: true,
            rows: Vec::with_capacity(source.len() / 32 + 1),
            line_starts: Vec::with_capacity(source.len() / 32 + 1),
            chunk: Chunk::default(),
            statements: Vec::new(),
        };
        lexer.line_starts.push(0);
        lexer.run();
        let Lexer {
            mut rows,
            mut chunk,
            statements,
            line_starts,
            ..
        } = lexer;
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
        LineTable {
            prefix,
            statements,
            line_starts,
        }
    }

    /// The 0-based lines where a logical line of code starts (a line that
    /// holds only a comment is not one), in order.
    pub fn statements(&self) -> &[u32] {
        &self.statements
    }

    /// The byte offset where each line starts: 0, and one past each `\n`.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
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

/// What a token is, for chunking and lloc.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Comment,
    /// A `\` line continuation.
    Continuation,
    String,
    /// A one-byte token that matters: brackets, `:` and `;`.
    Punct(u8),
    Other,
}

/// A byte lexer with Python 3.11 `tokenize`'s view of strings (f-strings
/// are single tokens), comments, brackets and continuations.
struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Current 0-based line.
    row: usize,
    /// No text seen yet on the current line.
    blank: bool,
    rows: Vec<Row>,
    line_starts: Vec<usize>,
    chunk: Chunk,
    /// Lines where a chunk opened with a token of code.
    statements: Vec<u32>,
}

/// What each byte can be, looked up once per byte: bits [`SPACE`] and
/// [`NAME`].
static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if matches!(b, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c' | 0x1c..=0x1f) {
            table[i] |= SPACE;
        }
        if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
            table[i] |= NAME;
        }
        i += 1;
    }
    table
};
const SPACE: u8 = 1;
const NAME: u8 = 2;

/// Bytes Python's `str.strip` removes (ASCII part).
fn is_space(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & SPACE != 0
}

/// A byte of a name or number (any non-ASCII byte may be one).
pub(super) fn is_name_byte(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & NAME != 0
}

/// Length of the number literal `text` starts with (`1_000`, `0x1F`,
/// `1.5e-3j`).
fn number_len(text: &[u8]) -> usize {
    let hex = matches!(text.get(1), Some(b'x' | b'X'));
    let mut len = 0;
    while let Some(&c) = text.get(len) {
        let exponent_sign = !hex
            && matches!(c, b'+' | b'-')
            && matches!(
                len.checked_sub(1).and_then(|p| text.get(p)),
                Some(b'e' | b'E')
            );
        if is_name_byte(c) || c == b'.' || exponent_sign {
            len += 1;
        } else {
            break;
        }
    }
    len
}

/// `rb`, `f`, `U`…: letters that may open a string literal.
fn is_string_prefix(word: &[u8]) -> bool {
    let lower = |i: usize| word.get(i).map(u8::to_ascii_lowercase);
    match word.len() {
        1 => matches!(lower(0), Some(b'r' | b'b' | b'u' | b'f')),
        2 => matches!(
            (lower(0), lower(1)),
            (Some(b'r'), Some(b'b' | b'f')) | (Some(b'b' | b'f'), Some(b'r'))
        ),
        _ => false,
    }
}

impl Lexer<'_> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// Marks the current line as holding text, if `b` is not whitespace.
    fn mark(&mut self, b: u8) {
        if !is_space(b) {
            self.blank = false;
        }
    }

    /// Length of the character at `pos` if it is non-ASCII whitespace.
    fn unicode_space(&self) -> Option<usize> {
        let tail = self.bytes.get(self.pos..)?;
        let head = tail.get(..4.min(tail.len()))?;
        let text = match std::str::from_utf8(head) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(head.get(..e.valid_up_to())?).ok()?,
        };
        let c = text.chars().next()?;
        c.is_whitespace().then(|| c.len_utf8())
    }

    /// Steps over a `\n`, opening the next line if text follows.
    fn newline(&mut self) {
        self.end_row();
        self.pos += 1;
        self.line_starts.push(self.pos);
        self.row += 1;
        if self.pos < self.bytes.len() {
            self.rows.push(Row::default());
        }
    }

    /// Records whether the current line was whitespace only.
    fn end_row(&mut self) {
        if let Some(row) = self.rows.get_mut(self.row) {
            row.blank = self.blank;
        }
        self.blank = true;
    }

    fn run(&mut self) {
        if !self.bytes.is_empty() {
            self.rows.push(Row::default());
        }
        while let Some(b) = self.byte(self.pos) {
            let row = self.row;
            match b {
                b'\n' => self.newline(),
                _ if is_space(b) => {
                    let rest = self.bytes.get(self.pos..).unwrap_or_default();
                    self.pos += rest
                        .iter()
                        .position(|&c| !is_space(c))
                        .unwrap_or(rest.len());
                }
                0x80.. if self.unicode_space().is_some() => {
                    self.pos += self.unicode_space().unwrap_or(1);
                }
                b'#' => {
                    self.mark(b);
                    let len = memchr::memchr(b'\n', self.bytes.get(self.pos..).unwrap_or_default());
                    self.pos = len.map_or(self.bytes.len(), |len| self.pos + len);
                    self.token(row, Token::Comment);
                }
                b'\\' => {
                    self.mark(b);
                    self.pos += 1;
                    // radon strips lines: spaces after the `\\` do not matter.
                    while self.byte(self.pos).is_some_and(is_space) {
                        self.pos += 1;
                    }
                    if self.byte(self.pos) == Some(b'\n') {
                        self.token(row, Token::Continuation);
                        self.newline();
                        self.chunk.last_row = self.row;
                    } else {
                        self.token(row, Token::Other);
                    }
                }
                b'"' | b'\'' => self.string(),
                b'(' | b'[' | b'{' | b')' | b']' | b'}' | b';' => {
                    self.mark(b);
                    self.pos += 1;
                    self.token(row, Token::Punct(b));
                }
                b':' => {
                    self.mark(b);
                    self.pos += 1;
                    if self.byte(self.pos) == Some(b'=') {
                        self.pos += 1;
                        self.token(row, Token::Other);
                    } else {
                        self.token(row, Token::Punct(b));
                    }
                }
                _ if is_name_byte(b)
                    || b == b'.' && self.byte(self.pos + 1).is_some_and(|c| c.is_ascii_digit()) =>
                {
                    self.mark(b);
                    let start = self.pos;
                    let number = !(b.is_ascii_alphabetic() || b == b'_' || b >= 0x80);
                    let rest = self.bytes.get(start..).unwrap_or_default();
                    let len = if number {
                        number_len(rest)
                    } else {
                        rest.iter()
                            .position(|&c| !is_name_byte(c))
                            .unwrap_or(rest.len())
                    };
                    self.pos = start + len;
                    let word = self.bytes.get(start..self.pos).unwrap_or_default();
                    if !number
                        && matches!(self.byte(self.pos), Some(b'"' | b'\''))
                        && is_string_prefix(word)
                    {
                        self.string();
                    } else {
                        self.token(row, Token::Other);
                    }
                }
                _ => {
                    self.mark(b);
                    self.pos += 1;
                    self.token(row, Token::Other);
                }
            }
        }
        self.end_row();
    }

    /// Scans a string literal from its opening quote. A one-quote string
    /// that meets the end of its line ends there (tokenize would fail).
    fn string(&mut self) {
        let start_row = self.row;
        let Some(quote) = self.byte(self.pos) else {
            return;
        };
        self.mark(quote);
        let triple =
            self.byte(self.pos + 1) == Some(quote) && self.byte(self.pos + 2) == Some(quote);
        self.pos += if triple { 3 } else { 1 };
        while let Some(b) = self.byte(self.pos) {
            match b {
                b'\\' => {
                    self.mark(b);
                    self.pos += 1;
                    match self.byte(self.pos) {
                        Some(b'\n') => self.newline(),
                        Some(_) => self.pos += 1,
                        None => {}
                    }
                }
                b'\n' if !triple => break,
                b'\n' => self.newline(),
                _ if b == quote => {
                    self.mark(b);
                    if !triple {
                        self.pos += 1;
                        break;
                    }
                    if self.byte(self.pos + 1) == Some(quote)
                        && self.byte(self.pos + 2) == Some(quote)
                    {
                        self.pos += 3;
                        break;
                    }
                    self.pos += 1;
                }
                _ => {
                    // Skip to the next quote, backslash or newline at once.
                    let rest = self.bytes.get(self.pos..).unwrap_or_default();
                    let run = memchr::memchr3(quote, b'\\', b'\n', rest).unwrap_or(rest.len());
                    if self.blank && rest.iter().take(run).any(|&c| !is_space(c)) {
                        self.blank = false;
                    }
                    self.pos += run;
                }
            }
        }
        self.token(start_row, Token::String);
    }

    /// Feeds one token that starts on line `start` into the chunk.
    fn token(&mut self, start: usize, token: Token) {
        let chunk = &mut self.chunk;
        if chunk.open && start > chunk.last_row && chunk.depth == 0 {
            close(chunk, &mut self.rows);
        }
        if !chunk.open {
            if !matches!(token, Token::Comment | Token::Continuation) {
                self.statements
                    .push(u32::try_from(start).unwrap_or(u32::MAX));
            }
            *chunk = Chunk {
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
        chunk.last_row = chunk.last_row.max(self.row);
        match token {
            Token::Comment => {
                chunk.comments += 1;
                if let Some(row) = self.rows.get_mut(start) {
                    row.comments += 1;
                }
            }
            Token::Continuation => {}
            Token::String | Token::Punct(_) | Token::Other => {
                if chunk.tokens == 0 {
                    chunk.first_is_string = token == Token::String;
                }
                chunk.tokens += 1;
                match token {
                    Token::Punct(b'(' | b'[' | b'{') => chunk.depth += 1,
                    Token::Punct(b')' | b']' | b'}') => chunk.depth = chunk.depth.saturating_sub(1),
                    _ => {}
                }
                if token == Token::Punct(b';') {
                    add_lloc(&mut self.rows, &chunk.seg, false);
                    chunk.seg = Segment::default();
                } else {
                    if chunk.seg.tokens == 0 {
                        chunk.seg.row = start;
                    }
                    if token == Token::Punct(b':') {
                        chunk.seg.last_colon = Some(chunk.seg.tokens);
                    }
                    chunk.seg.tokens += 1;
                }
            }
        }
    }
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
        LineTable::new(source)
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

    /// Needs `ModuleAnalyzer::analyze` to fill the file's and functions'
    /// lines and the Halstead volume and MI.
    #[test]
    fn analyze_reports_sizes() {
        let facts = super::super::ModuleAnalyzer::new(Default::default())
            .expect("parser")
            .analyze(MODULE);
        assert_eq!(facts.lines, lines(28, 16, 17, 5, 3, 5, 3));
        let f = facts
            .functions
            .iter()
            .find(|f| f.name == "f")
            .map(|f| f.lines);
        assert_eq!(f, Some(lines(5, 5, 4, 0, 0, 0, 1)));
        // One `+` with two distinct operands; `radon mi -s` gives 97.50 from
        // it, CC 3 (module `if` + `f`'s 2) and 8 comment and docstring lines
        // over 17 sloc.
        assert!((facts.metrics.halstead_volume - 3.0 * 3f64.log2()).abs() < 1e-9);
        assert_eq!(facts.metrics.cyclomatic_total, 3);
        let mi = facts.metrics.maintainability.unwrap_or_default();
        assert!((mi - 97.50273281407463).abs() < 1e-9, "{mi}");
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
    fn line_starts_follow_every_newline() {
        // Newlines in a comment, in both kinds of string, after `\` in a
        // string and after a `\` continuation, a CRLF and a last line
        // without one.
        let source = "# a\nx = '''b\nc''' + 'd\\\ne' \\\n  + f\r\n\ny = 1";
        let expected: Vec<usize> = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        assert_eq!(expected.len(), 7);
        assert_eq!(table(source).line_starts(), &expected[..]);
        assert_eq!(table("").line_starts(), &[0]);
        assert_eq!(table("x\n").line_starts(), &[0, 2]);
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
