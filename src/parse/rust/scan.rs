//! One linear pass over the raw text, before syn sees it: classifies every
//! physical line (code, comment, doc comment, blank) and estimates how deep
//! syn would recurse, so that pathological files are refused instead of
//! overflowing the stack.
//!
//! The lexer knows Rust's comments (nested `/* */`), string, byte, C and raw
//! string literals, char literals and lifetimes, so brackets inside them are
//! ignored. It never fails: unterminated literals and comments run to the end
//! of the file, and syn reports them afterwards.
//!
//! # Depth estimate
//!
//! syn parses recursively, and syn's tree is dropped and visited
//! recursively. Two scores bound the stack this takes:
//!
//! - **nesting**: along the path from the file to any token, the sum of
//!   bracket weights (`(`/`[` 1, `{` 2), open generic angles (`<` 2 each) and
//!   the tokens that start a right-recursive parse since the last `;`/`,`
//!   (prefix `! - * &` 1, prefix `&&` and closure pipes 2, assignments,
//!   `->`, ranges, and keywords such as `return`, `move`, `if`, `match`,
//!   `impl`, `dyn` 1; `::` inside `use` 1). Limit [`MAX_NESTING`] = 256.
//! - **chain**: the depth of left-deep chains that syn builds without
//!   recursing (`a + b + …`, `x.f().g()…`, `?`, `as`, `else if` ladders),
//!   computed over the bracket tree. Limit [`MAX_CHAIN`] = 4096.
//!
//! For each of 13 shapes (nested parens, blocks, modules, generics,
//! references, tuples, closures, prefix operators, `if if …`, `use a::a::…`,
//! `let &&…`, `a = a = …`, `if x {` ladders), the largest file the guard
//! accepts was analysed in a 1 MiB thread stack by a release build: half of
//! the 2 MiB that Rust gives spawned threads. Debug builds need about 8×
//! more. On the cargo registry's 3,786 files no file scores above 64 or
//! chains deeper than 128. Macro bodies (`name!(…)`, `macro_rules! m {…}`)
//! are opaque token trees to syn and are not counted.

/// Refusal threshold of the nesting score (see the module docs).
pub const MAX_NESTING: u32 = 256;
/// Refusal threshold of the chain score (see the module docs).
pub const MAX_CHAIN: u32 = 4096;

/// A line holds code (any token that is not a comment).
pub const CODE: u8 = 1;
/// A line holds (part of) a comment.
pub const COMMENT: u8 = 2;
/// A line holds (part of) a doc comment (`///`, `//!`, `/** */`, `/*! */`).
pub const DOC: u8 = 4;

/// Result of [`scan`].
pub struct Scan {
    /// Flags per physical line ([`CODE`], [`COMMENT`], [`DOC`]; 0 = blank).
    pub lines: Vec<u8>,
    /// The first place where a depth score passed its limit.
    pub too_deep: Option<TooDeep>,
}

/// Where and why a file is refused.
pub struct TooDeep {
    pub line: u32,
    pub message: String,
}

/// Bracket kinds on the scanner's stack.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Root,
    Paren,
    Bracket,
    Brace,
}

/// One open bracket (or the file itself) and the state of its current
/// segment (the tokens since the last `;` or `,` at this level).
struct Level {
    group: Group,
    /// Inside a macro body: nothing is counted.
    opaque: bool,
    /// Nesting score of the enclosing levels plus this bracket's weight.
    base: u32,
    /// Right-recursive tokens in the current segment.
    seg_rec: u32,
    /// Open `<` in the current statement.
    angle: u32,
    /// Chain operators in the current segment.
    seg_chain: u32,
    /// Deepest chain among the brackets closed in the current segment.
    seg_child: u32,
    /// Deepest chain of this level so far.
    best: u32,
}

impl Level {
    fn new(group: Group, opaque: bool, base: u32) -> Self {
        Level {
            group,
            opaque,
            base,
            seg_rec: 0,
            angle: 0,
            seg_chain: 0,
            seg_child: 0,
            best: 0,
        }
    }

    fn nesting(&self) -> u32 {
        self.base
            .saturating_add(self.seg_rec)
            .saturating_add(self.angle.saturating_mul(2))
    }
}

/// A token, as far as the depth estimate cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Open(Group),
    Close,
    Semi,
    Comma,
    /// A literal, lifetime, or a keyword used as a value (`self`, `true`).
    Operand,
    /// A non-keyword identifier (may name a macro).
    Name,
    Else,
    /// `as` and infix binary operators other than `<`/`>`.
    Chain,
    /// A keyword that starts a right-recursive parse (`return`, `match`…).
    RecKeyword,
    /// `if` (recursive unless right after `else`).
    If,
    Use,
    /// Other keywords and punctuation that neither nest nor chain.
    Neutral,
    /// `!`
    Bang,
    /// `-`, `*`, `&`: prefix (recursive) or infix (chain).
    Ambiguous,
    /// `&&` (two prefix `&`) and `|`, `||` (a closure, whose parse takes
    /// twice the stack of other prefixes), or infix operators.
    Double,
    /// `=`, `op=`, `->`, `..`, `..=`: always recursive.
    Rec,
    Question,
    Dot,
    PathSep,
    /// `<` (opens an angle; chains when infix).
    Lt,
    /// `>` or `>>`: closes one or two angles.
    Gt(u32),
}

/// What the previous significant token was, for prefix/infix decisions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Start of a segment, an operator, an open bracket or a keyword: an
    /// operator here is a prefix operator.
    Start,
    /// A literal, lifetime, closing bracket, `?` or `>`.
    Operand,
    /// An identifier: operand, or a macro name before `!`.
    Name,
    /// `name!` or `macro_rules! name`: a bracket here opens a macro body.
    Bang,
    Else,
}

struct Scanner<'a> {
    src: &'a [u8],
    pos: usize,
    line: usize,
    lines: Vec<u8>,
    stack: Vec<Level>,
    prev: Prev,
    /// The previous token closed a `{}` at statement level: the segment ends
    /// unless the next token continues the expression (`else`, `.`, `?`, …).
    after_block: bool,
    /// Inside a `use` item, where `::` recurses.
    in_use: bool,
    too_deep: Option<TooDeep>,
}

/// Classifies the lines of `src` and checks its depth.
pub fn scan(src: &str) -> Scan {
    let bytes = src.as_bytes();
    let mut s = Scanner {
        src: bytes,
        pos: 0,
        line: 0,
        lines: vec![0; line_count(bytes)],
        stack: vec![Level::new(Group::Root, false, 0)],
        prev: Prev::Start,
        after_block: false,
        in_use: false,
        too_deep: None,
    };
    s.run();
    Scan {
        lines: s.lines,
        too_deep: s.too_deep,
    }
}

/// Physical lines, as `str::lines` counts them.
pub fn line_count(bytes: &[u8]) -> usize {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    newlines + usize::from(bytes.last().is_some_and(|&b| b != b'\n'))
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn keyword(word: &[u8]) -> Tok {
    match word {
        b"async" | b"box" | b"break" | b"const" | b"dyn" | b"fn" | b"for" | b"impl" | b"in"
        | b"let" | b"match" | b"move" | b"mut" | b"ref" | b"return" | b"static" | b"unsafe"
        | b"while" | b"yield" => Tok::RecKeyword,
        b"if" => Tok::If,
        b"else" => Tok::Else,
        b"as" => Tok::Chain,
        b"use" => Tok::Use,
        b"self" | b"Self" | b"super" | b"crate" | b"true" | b"false" => Tok::Operand,
        b"continue" | b"enum" | b"extern" | b"loop" | b"mod" | b"pub" | b"struct" | b"trait"
        | b"type" | b"where" => Tok::Neutral,
        _ => Tok::Name,
    }
}

/// Punctuation at the start of `rest`: its token and length.
fn punct(rest: &[u8]) -> (Tok, usize) {
    let at = |i: usize| rest.get(i).copied().unwrap_or(0);
    let (a, b, c) = (at(0), at(1), at(2));
    match (a, b, c) {
        (b'(', _, _) => (Tok::Open(Group::Paren), 1),
        (b'[', _, _) => (Tok::Open(Group::Bracket), 1),
        (b'{', _, _) => (Tok::Open(Group::Brace), 1),
        (b')' | b']' | b'}', _, _) => (Tok::Close, 1),
        (b';', _, _) => (Tok::Semi, 1),
        (b',', _, _) => (Tok::Comma, 1),
        (b'.', b'.', b'.' | b'=') => (Tok::Rec, 3),
        (b'.', b'.', _) => (Tok::Rec, 2),
        (b'.', _, _) => (Tok::Dot, 1),
        (b':', b':', _) => (Tok::PathSep, 2),
        (b'?', _, _) => (Tok::Question, 1),
        (b'<', b'<', b'=') | (b'>', b'>', b'=') => (Tok::Rec, 3),
        (b'<', b'<', _) => (Tok::Chain, 2),
        (b'>', b'>', _) => (Tok::Gt(2), 2),
        (b'-', b'>', _) => (Tok::Rec, 2),
        (b'=', b'>', _) => (Tok::Neutral, 2),
        (b'=' | b'!' | b'<' | b'>', b'=', _) => (Tok::Chain, 2),
        (b'<', _, _) => (Tok::Lt, 1),
        (b'>', _, _) => (Tok::Gt(1), 1),
        (b'&', b'&', _) => (Tok::Double, 2),
        (b'|', b'|', _) => (Tok::Double, 2),
        (b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'&' | b'|', b'=', _) => (Tok::Rec, 2),
        (b'=', _, _) => (Tok::Rec, 1),
        (b'!', _, _) => (Tok::Bang, 1),
        (b'|', _, _) => (Tok::Double, 1),
        (b'-' | b'*' | b'&', _, _) => (Tok::Ambiguous, 1),
        (b'+' | b'/' | b'%' | b'^', _, _) => (Tok::Chain, 1),
        // `#`, `@`, `$`, `~`, `:` and stray bytes.
        _ => (Tok::Neutral, 1),
    }
}

impl Scanner<'_> {
    fn peek(&self, ahead: usize) -> u8 {
        self.src.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn mark(&mut self, flag: u8) {
        if let Some(l) = self.lines.get_mut(self.line) {
            *l |= flag;
        }
    }

    /// Advances over `n` bytes, marking every line touched with `flag`.
    fn consume(&mut self, n: usize, flag: u8) {
        let end = (self.pos + n).min(self.src.len());
        self.mark(flag);
        while self.pos < end {
            if self.src[self.pos] == b'\n' {
                self.line += 1;
                self.mark(flag);
            }
            self.pos += 1;
        }
    }

    fn run(&mut self) {
        while self.pos < self.src.len() {
            let b = self.src[self.pos];
            let (tok, len) = match b {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                    continue;
                }
                b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c' => {
                    self.pos += 1;
                    continue;
                }
                b'/' if self.peek(1) == b'/' => {
                    self.line_comment();
                    continue;
                }
                b'/' if self.peek(1) == b'*' => {
                    self.block_comment();
                    continue;
                }
                b'"' => (Tok::Operand, self.quoted(self.pos + 1, b'"')),
                b'\'' => (Tok::Operand, self.quote()),
                b'0'..=b'9' => {
                    let mut n = 1;
                    while is_ident_char(self.peek(n))
                        || (self.peek(n) == b'.' && self.peek(n + 1).is_ascii_digit())
                    {
                        n += 1;
                    }
                    (Tok::Operand, n)
                }
                _ if is_ident_start(b) => self.word(),
                _ => punct(&self.src[self.pos..]),
            };
            self.token(tok);
            self.consume(len, CODE);
        }
        let best = Self::end_segment(&mut self.stack[0], true);
        self.check(best, MAX_CHAIN, "chained expressions");
    }

    fn line_comment(&mut self) {
        let rest = &self.src[self.pos..];
        let doc =
            (rest.starts_with(b"///") && !rest.starts_with(b"////")) || rest.starts_with(b"//!");
        let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        self.consume(len, COMMENT | if doc { DOC } else { 0 });
    }

    fn block_comment(&mut self) {
        let rest = &self.src[self.pos..];
        let doc =
            (rest.starts_with(b"/**") && !rest.starts_with(b"/***") && !rest.starts_with(b"/**/"))
                || rest.starts_with(b"/*!");
        let mut depth = 0u32;
        let mut i = 0;
        while i < rest.len() {
            if rest[i] == b'/' && rest.get(i + 1) == Some(&b'*') {
                depth += 1;
                i += 2;
            } else if rest[i] == b'*' && rest.get(i + 1) == Some(&b'/') {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    break;
                }
            } else {
                i += 1;
            }
        }
        self.consume(i, COMMENT | if doc { DOC } else { 0 });
    }

    /// Length from `self.pos` to just past the `close` quote that ends a
    /// literal whose body starts at `start`, honouring backslash escapes.
    fn quoted(&self, start: usize, close: u8) -> usize {
        let mut i = start;
        while i < self.src.len() {
            match self.src[i] {
                b'\\' => i += 2,
                c if c == close => return i + 1 - self.pos,
                _ => i += 1,
            }
        }
        self.src.len() - self.pos
    }

    /// Length of a raw string whose body starts `body` bytes after
    /// `self.pos`, closed by `"` and `hashes` `#`.
    fn raw_string(&self, body: usize, hashes: usize) -> usize {
        let closing = |i: usize| {
            self.src[i] == b'"'
                && self.src.len() - i > hashes
                && self.src[i + 1..=i + hashes].iter().all(|&b| b == b'#')
        };
        (self.pos + body..self.src.len())
            .find(|&i| closing(i))
            .map_or(self.src.len() - self.pos, |i| i + 1 + hashes - self.pos)
    }

    /// Length of a char literal or lifetime starting with `'`.
    fn quote(&self) -> usize {
        let next = self.peek(1);
        if next == b'\\' {
            return self.quoted(self.pos + 1, b'\'');
        }
        // One (possibly multi-byte) char and a closing quote: a char literal.
        let width = match next {
            0..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        if next != b'\'' && self.peek(1 + width) == b'\'' {
            return width + 2;
        }
        let mut n = 1;
        while is_ident_char(self.peek(n)) {
            n += 1;
        }
        n
    }

    /// An identifier, keyword, or prefixed literal (`b"…"`, `r#"…"#`, `b'x'`).
    fn word(&self) -> (Tok, usize) {
        let mut n = 1;
        while is_ident_char(self.peek(n)) {
            n += 1;
        }
        let word = &self.src[self.pos..self.pos + n];
        let next = self.peek(n);
        match word {
            b"r" | b"br" | b"cr" if next == b'"' || next == b'#' => {
                let mut hashes = 0;
                while self.peek(n + hashes) == b'#' {
                    hashes += 1;
                }
                if self.peek(n + hashes) == b'"' {
                    return (Tok::Operand, self.raw_string(n + hashes + 1, hashes));
                }
                if word == b"r" && hashes == 1 && is_ident_start(self.peek(2)) {
                    // Raw identifier `r#name`.
                    let mut n = 2;
                    while is_ident_char(self.peek(n)) {
                        n += 1;
                    }
                    return (Tok::Name, n);
                }
                (Tok::Name, n)
            }
            b"b" | b"c" if next == b'"' => (Tok::Operand, self.quoted(self.pos + 2, b'"')),
            b"b" if next == b'\'' => (Tok::Operand, self.quoted(self.pos + 2, b'\'')),
            _ => (keyword(word), n),
        }
    }

    /// Closes the current segment of `level`; returns the level's deepest
    /// chain so far.
    fn end_segment(level: &mut Level, reset_angle: bool) -> u32 {
        level.best = level.best.max(level.seg_chain + level.seg_child);
        level.seg_rec = 0;
        level.seg_chain = 0;
        level.seg_child = 0;
        if reset_angle {
            level.angle = 0;
        }
        level.best
    }

    fn check(&mut self, score: u32, max: u32, what: &str) {
        if score > max && self.too_deep.is_none() {
            self.too_deep = Some(TooDeep {
                line: u32::try_from(self.line + 1).unwrap_or(u32::MAX),
                message: format!(
                    "{what} nested too deeply for a safe parse (limit {max}); file not analysed"
                ),
            });
        }
    }

    fn top(&mut self) -> &mut Level {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn rec(&mut self) {
        self.top().seg_rec += 1;
        let n = self.top().nesting();
        self.check(n, MAX_NESTING, "brackets and operators");
    }

    fn chain(&mut self) {
        self.top().seg_chain += 1;
    }

    /// Updates the depth estimate with one token.
    fn token(&mut self, tok: Tok) {
        if self.top().opaque {
            match tok {
                Tok::Open(g) => self.stack.push(Level::new(g, true, 0)),
                Tok::Close => {
                    self.stack.pop();
                    self.prev = Prev::Operand;
                }
                _ => {}
            }
            return;
        }
        if std::mem::take(&mut self.after_block)
            && !matches!(
                tok,
                Tok::Else | Tok::Dot | Tok::Question | Tok::Chain | Tok::Lt | Tok::Gt(_)
            )
        {
            Self::end_segment(self.top(), true);
            self.prev = Prev::Start;
        }
        let infix = matches!(self.prev, Prev::Operand | Prev::Name);
        self.prev = match tok {
            Tok::Open(group) => {
                let weight = if group == Group::Brace { 2 } else { 1 };
                let base = self.top().nesting() + weight;
                self.check(base, MAX_NESTING, "brackets and operators");
                let opaque = self.prev == Prev::Bang;
                self.stack.push(Level::new(group, opaque, base));
                Prev::Start
            }
            Tok::Close => {
                if self.stack.len() > 1 {
                    let mut level = self
                        .stack
                        .pop()
                        .unwrap_or(Level::new(Group::Root, false, 0));
                    let depth = Self::end_segment(&mut level, true) + 1;
                    self.check(depth, MAX_CHAIN, "chained expressions");
                    let parent = self.top();
                    parent.seg_child = parent.seg_child.max(depth);
                    self.after_block = level.group == Group::Brace
                        && matches!(parent.group, Group::Brace | Group::Root);
                }
                Prev::Operand
            }
            Tok::Semi => {
                Self::end_segment(self.top(), true);
                self.in_use = false;
                Prev::Start
            }
            Tok::Comma => {
                Self::end_segment(self.top(), false);
                Prev::Start
            }
            Tok::Operand => Prev::Operand,
            // `macro_rules! name { … }`: still a macro body.
            Tok::Name if self.prev == Prev::Bang => Prev::Bang,
            Tok::Name => Prev::Name,
            Tok::Else => {
                self.chain();
                Prev::Else
            }
            Tok::Chain => {
                self.chain();
                Prev::Start
            }
            Tok::If if self.prev == Prev::Else => Prev::Start,
            Tok::RecKeyword | Tok::If | Tok::Rec => {
                self.rec();
                Prev::Start
            }
            Tok::Use => {
                self.in_use = true;
                Prev::Start
            }
            Tok::Neutral => Prev::Start,
            Tok::Bang if self.prev == Prev::Name => Prev::Bang,
            Tok::Bang => {
                self.rec();
                Prev::Start
            }
            Tok::Ambiguous | Tok::Double if infix => {
                self.chain();
                Prev::Start
            }
            Tok::Ambiguous => {
                self.rec();
                Prev::Start
            }
            Tok::Double => {
                self.rec();
                self.rec();
                Prev::Start
            }
            Tok::Question => {
                self.chain();
                Prev::Operand
            }
            Tok::Dot => {
                self.chain();
                Prev::Start
            }
            Tok::PathSep => {
                if self.in_use {
                    self.rec();
                }
                Prev::Start
            }
            Tok::Lt => {
                if infix {
                    self.chain();
                }
                self.top().angle += 1;
                let n = self.top().nesting();
                self.check(n, MAX_NESTING, "brackets and operators");
                Prev::Start
            }
            Tok::Gt(n) => {
                let top = self.top();
                top.angle = top.angle.saturating_sub(n);
                Prev::Operand
            }
        };
    }
}
