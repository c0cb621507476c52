//! Rust analysis with syn: functions, closures, complexity, `use` and `mod`.
//!
//! TODO(doc): rules.

mod collect;
mod scan;
#[cfg(test)]
mod tests;

use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::parse::discouraged::Speculative as _;
use syn::parse::{ParseStream, Parser as _};
use syn::{Attribute, Item};

use crate::facts::{FileFacts, Language, Lines, Problem};

/// Larger files are refused: proc-macro2 keeps 32-bit byte offsets.
const MAX_BYTES: usize = 1 << 30;

/// Analyses one Rust source file.
pub fn analyze(source: &str) -> FileFacts {
    let mut facts = FileFacts::empty(Language::Rust);
    let scanned = scan::scan(source);
    let table = LineTable::new(&scanned.lines);
    facts.lines = table.span(1, table.len());
    if source.len() > MAX_BYTES {
        refuse(&mut facts, 0, "file larger than 1 GiB; not analysed");
        return facts;
    }
    if let Some(deep) = scanned.too_deep {
        refuse(&mut facts, deep.line, deep.message);
        return facts;
    }
    let (items, errors) = match TokenStream::from_str(strip_preamble(source)) {
        Ok(tokens) => parse_items(tokens),
        Err(e) => {
            refuse(&mut facts, line_of(e.span()), e.to_string());
            return facts;
        }
    };
    for e in &errors {
        facts
            .problems
            .push(Problem::new(line_of(e.span()), e.to_string()));
    }
    facts.syntax_errors = !errors.is_empty();
    let mut c = collect::Collector::new(&table);
    for item in &items {
        syn::visit::Visit::visit_item(&mut c, item);
    }
    c.finish(&mut facts);
    drop(items);
    drop(errors);
    // Every span is dead now: free this thread's copy of the source text
    // (proc-macro2 keeps one per parsed file) and restart its offsets.
    proc_macro2::extra::invalidate_current_thread_spans();
    facts
}

fn refuse(facts: &mut FileFacts, line: u32, message: impl Into<String>) {
    facts.syntax_errors = true;
    facts.problems.push(Problem::new(line, message));
}

/// 1-based line of a span's start.
fn line_of(span: proc_macro2::Span) -> u32 {
    u32::try_from(span.start().line).unwrap_or(u32::MAX)
}

/// Drops a byte-order mark and a shebang line (keeping its newline, so line
/// numbers do not move), as `syn::parse_file` does.
fn strip_preamble(mut source: &str) -> &str {
    source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if let Some(rest) = source.strip_prefix("#!")
        && !rest.trim_start().starts_with('[')
    {
        source = source.find('\n').map_or("", |i| &source[i..]);
    }
    source
}

/// Parses the file item by item. An item that fails to parse is recorded
/// and skipped up to its closing `;` or `{…}`, so one bad item (say an
/// edition-2015 anonymous parameter) does not hide the rest of the file.
fn parse_items(tokens: TokenStream) -> (Vec<Item>, Vec<syn::Error>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let parser = |input: ParseStream| {
        if let Err(e) = input.call(Attribute::parse_inner) {
            errors.push(e);
        }
        while !input.is_empty() {
            let fork = input.fork();
            match fork.parse::<Item>() {
                Ok(item) => {
                    input.advance_to(&fork);
                    items.push(item);
                }
                Err(e) => {
                    errors.push(e);
                    skip_item(input)?;
                }
            }
        }
        Ok(())
    };
    if let Err(e) = parser.parse2(tokens) {
        errors.push(e);
    }
    (items, errors)
}

/// Skips token trees up to and including the next `;` or brace group.
fn skip_item(input: ParseStream) -> syn::Result<()> {
    input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            rest = next;
            match tt {
                TokenTree::Punct(p) if p.as_char() == ';' => break,
                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => break,
                _ => {}
            }
        }
        Ok(((), rest))
    })
}

/// Prefix sums of the line classes, for the line counts of any span.
pub(crate) struct LineTable {
    /// Running totals, one more entry than lines: blank, comment,
    /// comment-only and doc lines.
    blank: Vec<u32>,
    comment: Vec<u32>,
    only_comment: Vec<u32>,
    doc: Vec<u32>,
}

impl LineTable {
    fn new(flags: &[u8]) -> Self {
        let mut t = LineTable {
            blank: Vec::with_capacity(flags.len() + 1),
            comment: Vec::with_capacity(flags.len() + 1),
            only_comment: Vec::with_capacity(flags.len() + 1),
            doc: Vec::with_capacity(flags.len() + 1),
        };
        let (mut b, mut c, mut o, mut d) = (0, 0, 0, 0);
        for v in [
            &mut t.blank,
            &mut t.comment,
            &mut t.only_comment,
            &mut t.doc,
        ] {
            v.push(0);
        }
        for &f in flags {
            b += u32::from(f == 0);
            c += u32::from(f & scan::COMMENT != 0);
            o += u32::from(f & (scan::COMMENT | scan::CODE) == scan::COMMENT);
            d += u32::from(f & scan::DOC != 0);
            t.blank.push(b);
            t.comment.push(c);
            t.only_comment.push(o);
            t.doc.push(d);
        }
        t
    }

    fn len(&self) -> u32 {
        u32::try_from(self.blank.len() - 1).unwrap_or(u32::MAX)
    }

    /// Line counts of lines `first..=last` (1-based, clamped to the file);
    /// `lloc` is left at 0 for the caller.
    fn span(&self, first: u32, last: u32) -> Lines {
        let n = self.blank.len() - 1;
        let last = (last as usize).min(n);
        let first = (first.max(1) as usize).min(last + 1);
        let count = |v: &[u32]| v[last] - v[first - 1];
        let loc = u32::try_from(last + 1 - first).unwrap_or(u32::MAX);
        let blank = count(&self.blank);
        let single_comments = count(&self.only_comment);
        Lines {
            loc,
            lloc: 0,
            sloc: loc - blank - single_comments,
            comments: count(&self.comment),
            multi: count(&self.doc),
            blank,
            single_comments,
        }
    }
}
