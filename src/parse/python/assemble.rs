//! A module's facts from its chunks: the module cut into its top-level
//! statements and its classes' members (`segment.rs`), each parsed and
//! walked on its own (a class member inside a `class` line of its class's
//! name, a class header with a `pass` body), its calls resolved once the
//! file's alias table is known; then the chunks placed in file order and
//! what they left open settled. A piece met before whose names still
//! resolve the same way is not parsed again (`memo.rs`). A module that
//! cannot be cut, or a piece that does not parse cleanly on its own, is
//! analysed whole, as one chunk.

use std::borrow::Cow;
use std::sync::Arc;

use tree_sitter::{Parser, Tree};

use super::chunk::{Chunk, Shift};
use super::halstead::{Counts, maintainability_index};
use super::lineage::{self, Aliases, Binding, still_holds};
use super::memo::Key;
use super::raw::LineTable;
use super::segment::{self, Piece, Segment};
use super::{ModuleAnalyzer, Walker, gave_up};
use crate::facts::{AnalysisOptions, FileFacts, Language};

/// Analyses a module, or a notebook cell after the cells whose imports
/// bound `before`: its facts, and the alias table after it.
pub(super) fn module(
    source: &str,
    analyzer: &mut ModuleAnalyzer,
    before: &Aliases,
) -> (FileFacts, Aliases) {
    let table = LineTable::new(source);
    if let Some(pieces) = segment::pieces(source, table.statements())
        && let Some(done) = cut(source, &table, &pieces, analyzer, before)
    {
        return done;
    }
    match analyzer.parser.parse(source, None) {
        Some(tree) => whole(source, &table, &tree, analyzer.options, before),
        None => (gave_up(), before.clone()),
    }
}

/// The facts of a module from its whole tree.
fn whole(
    source: &str,
    table: &LineTable,
    tree: &Tree,
    opts: AnalysisOptions,
    before: &Aliases,
) -> (FileFacts, Aliases) {
    let mut walker = Walker::new(source, tree, opts);
    walker.run(tree);
    let aliases = after(before, [walker.bindings()]);
    let chunk = walker.into_chunk(&aliases);
    let facts = assemble(table, vec![(Shift::default(), chunk)], before, &aliases);
    (facts, aliases)
}

/// What a unit is; also its kind in the memo's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Statement,
    /// A class's decorators and `class` line; its context is the body's
    /// indentation.
    Header,
    /// A statement of a class body; its context is the class's name.
    Member,
}

/// A piece of a module analysed as one chunk.
struct Unit<'s> {
    kind: Kind,
    context: &'s str,
    text: &'s str,
    segment: &'s Segment,
}

impl<'s> Unit<'s> {
    fn key(&self) -> Key<'s> {
        Key {
            kind: self.kind as u8,
            context: self.context,
            text: self.text,
        }
    }

    /// The text parsed: a header gets a body, a member its class's line.
    fn parsed(&self) -> Cow<'s, str> {
        match self.kind {
            Kind::Statement => Cow::Borrowed(self.text),
            Kind::Header => Cow::Owned(format!("{}{}pass\n", self.text, self.context)),
            Kind::Member => Cow::Owned(format!("class {}:\n{}", self.context, self.text)),
        }
    }

    /// How the chunk's positions become the file's.
    fn shift(&self, functions: u32) -> Shift {
        // A member's text starts on the parsed text's second line.
        let (lines, bytes) = match self.kind {
            Kind::Member => (1, "class :\n".len() + self.context.len()),
            _ => (0, 0),
        };
        let start = i64::try_from(self.segment.bytes.start).unwrap_or(i64::MAX);
        Shift {
            lines: i64::from(self.segment.line) - lines,
            bytes: start - i64::try_from(bytes).unwrap_or(0),
            functions,
        }
    }
}

/// The units of `pieces`, and for each cut class the indices of its
/// header and of its members.
fn units<'s>(
    source: &'s str,
    pieces: &'s [Piece<'s>],
) -> (Vec<Unit<'s>>, Vec<std::ops::Range<usize>>) {
    let text = |s: &Segment| source.get(s.bytes.clone()).unwrap_or_default();
    let mut units = Vec::new();
    let mut classes = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Statement(segment) => units.push(Unit {
                kind: Kind::Statement,
                context: "",
                text: text(segment),
                segment,
            }),
            Piece::Class(class) => {
                let header = units.len();
                units.push(Unit {
                    kind: Kind::Header,
                    context: class.indent,
                    text: text(&class.header),
                    segment: &class.header,
                });
                units.extend(class.members.iter().map(|segment| Unit {
                    kind: Kind::Member,
                    context: class.name,
                    text: text(segment),
                    segment,
                }));
                classes.push(header..units.len());
            }
        }
    }
    (units, classes)
}

/// The facts of a module from its pieces, or `None` when one of them does
/// not parse cleanly on its own.
fn cut(
    source: &str,
    table: &LineTable,
    pieces: &[Piece],
    analyzer: &mut ModuleAnalyzer,
    before: &Aliases,
) -> Option<(FileFacts, Aliases)> {
    let (units, classes) = units(source, pieces);
    let mut known: Vec<Option<Arc<Chunk>>> =
        units.iter().map(|u| analyzer.memo.get(&u.key())).collect();
    let new: Vec<usize> = (0..units.len()).filter(|&i| known[i].is_none()).collect();
    let texts: Vec<Cow<str>> = units
        .iter()
        .zip(&known)
        .map(|(u, k)| match k {
            Some(_) => Cow::Borrowed(""),
            None => u.parsed(),
        })
        .collect();
    let trees = parse(&mut analyzer.parser, &texts, &new)?;
    // Declared before the walkers that borrow them.
    let (stale_texts, stale_trees);
    let mut walkers = walk(&texts, &new, &trees, analyzer.options);
    let aliases = after(
        before,
        known
            .iter()
            .zip(&walkers)
            .map(|(chunk, walker)| match (chunk, walker) {
                (Some(chunk), _) => chunk.unsettled.bindings.as_slice(),
                (None, Some(walker)) => walker.bindings(),
                (None, None) => &[],
            }),
    );
    // A known chunk whose names now resolve otherwise is analysed again
    // (its bindings, a function of its text alone, stay the same).
    let stale: Vec<usize> = (0..units.len())
        .filter(|&i| {
            known[i]
                .as_ref()
                .is_some_and(|c| !still_holds(&c.reads, &aliases))
        })
        .collect();
    let mut is_stale = vec![false; units.len()];
    for &i in &stale {
        is_stale[i] = true;
    }
    stale_texts = units
        .iter()
        .zip(is_stale)
        .map(|(u, stale)| if stale { u.parsed() } else { Cow::Borrowed("") })
        .collect::<Vec<_>>();
    stale_trees = parse(&mut analyzer.parser, &stale_texts, &stale)?;
    for (slot, walker) in
        walkers
            .iter_mut()
            .zip(walk(&stale_texts, &stale, &stale_trees, analyzer.options))
    {
        if walker.is_some() {
            *slot = walker;
        }
    }
    let mut functions = 0u32;
    let mut chunks = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        let chunk = match (walkers[i].take(), known[i].take()) {
            (Some(walker), _) => {
                let mut chunk = walker.into_chunk(&aliases);
                if unit.kind == Kind::Member {
                    // The class line it was parsed in is not the class.
                    if chunk.facts.classes.is_empty() {
                        return None;
                    }
                    chunk.wrapper = Some(chunk.facts.classes.remove(0));
                }
                analyzer.memo.put(&unit.key(), Arc::new(chunk.clone()));
                chunk
            }
            (None, Some(chunk)) => Chunk::clone(&chunk),
            (None, None) => return None,
        };
        let shift = unit.shift(functions);
        functions = functions
            .saturating_add(u32::try_from(chunk.facts.functions.len()).unwrap_or(u32::MAX));
        chunks.push((shift, chunk));
    }
    for class in classes {
        complete_class(&mut chunks, class)?;
    }
    Some((assemble(table, chunks, before, &aliases), aliases))
}

/// Gives a cut class (its header's chunk, then its members') what only its
/// members know: its docstring and its last line.
fn complete_class(chunks: &mut [(Shift, Chunk)], class: std::ops::Range<usize>) -> Option<()> {
    let (first, last) = (class.start + 1, class.end.checked_sub(1)?);
    let has_docstring = chunks.get(first)?.1.wrapper.as_ref()?.has_docstring;
    let (last_shift, last) = chunks.get(last)?;
    let end_line = i64::from(last.wrapper.as_ref()?.end_line) + last_shift.lines;
    let (header_shift, header) = chunks.get_mut(class.start)?;
    let record = header.facts.classes.first_mut()?;
    record.has_docstring = has_docstring;
    record.end_line = u32::try_from(end_line - header_shift.lines).ok()?;
    Some(())
}

/// The trees of `texts[i]` for each `i` in `which`, by position; `None`
/// when one does not parse cleanly.
fn parse(parser: &mut Parser, texts: &[Cow<str>], which: &[usize]) -> Option<Vec<Option<Tree>>> {
    let mut trees: Vec<Option<Tree>> = (0..texts.len()).map(|_| None).collect();
    for &i in which {
        let tree = parser.parse(texts.get(i)?.as_bytes(), None)?;
        if tree.root_node().has_error() {
            return None;
        }
        trees[i] = Some(tree);
    }
    Some(trees)
}

/// A walker over each tree, its walk done, by position.
fn walk<'t>(
    texts: &'t [Cow<str>],
    which: &[usize],
    trees: &'t [Option<Tree>],
    options: AnalysisOptions,
) -> Vec<Option<Walker<'t>>> {
    let mut walkers: Vec<Option<Walker<'t>>> = (0..texts.len()).map(|_| None).collect();
    for &i in which {
        if let (Some(text), Some(Some(tree))) = (texts.get(i), trees.get(i)) {
            let mut walker = Walker::new(text, tree, options);
            walker.run(tree);
            walkers[i] = Some(walker);
        }
    }
    walkers
}

/// The alias table after `before` and the chunks' bindings, in order.
fn after<'b>(before: &Aliases, chunks: impl IntoIterator<Item = &'b [Binding]>) -> Aliases {
    let mut aliases = before.clone();
    for b in chunks.into_iter().flatten() {
        aliases.bind(b.local.clone(), b.target.clone());
    }
    aliases
}

/// The facts of a module from its chunks, in file order, each with the
/// shift that places it.
fn assemble(
    table: &LineTable,
    chunks: Vec<(Shift, Chunk)>,
    before: &Aliases,
    aliases: &Aliases,
) -> FileFacts {
    let mut facts = FileFacts::empty(Language::Python);
    let halstead = Counts::sum(chunks.iter().map(|(_, c)| &c.halstead));
    let (mut hydra, mut imports_hydra) = (Vec::new(), false);
    let (mut decisions, mut blocks) = (0u32, 0u32);
    let mut unsettled = Vec::with_capacity(chunks.len());
    for (shift, mut chunk) in chunks {
        chunk.place(shift);
        let part = chunk.facts;
        facts.syntax_errors |= part.syntax_errors;
        facts.functions.extend(part.functions);
        facts.classes.extend(part.classes);
        facts.imports.extend(part.imports);
        facts.dynamic.extend(part.dynamic);
        facts.problems.extend(part.problems);
        let metrics = &mut facts.metrics;
        metrics.calls = metrics.calls.saturating_add(part.metrics.calls);
        for (name, n) in part.metrics.framework_calls {
            let total = metrics.framework_calls.entry(name).or_default();
            *total = total.saturating_add(n);
        }
        let (to, from) = (&mut facts.lineage, part.lineage);
        to.calls.extend(from.calls);
        to.flows.extend(from.flows);
        to.config_reads.extend(from.config_reads);
        to.decorators.extend(from.decorators);
        to.main_guard |= from.main_guard;
        hydra.extend(chunk.hydra);
        imports_hydra |= chunk.imports_hydra;
        decisions = decisions.saturating_add(chunk.module_decisions);
        blocks = blocks.saturating_add(chunk.blocks_total);
        unsettled.push(chunk.unsettled);
    }
    lineage::settle(&mut facts, unsettled, before, aliases);
    if imports_hydra {
        facts.dynamic.append(&mut hydra);
        facts.dynamic.sort_by_key(|d| d.line);
    }
    facts.metrics.cyclomatic_total = 1u32.saturating_add(decisions).saturating_add(blocks);
    // radon `raw` counts of the file and of each function, and radon `mi`.
    facts.lines = table.total();
    for f in &mut facts.functions {
        f.lines = table.range(f.line, f.end_line);
    }
    let l = facts.lines;
    let volume = halstead.volume();
    facts.metrics.halstead_volume = volume;
    facts.metrics.maintainability = Some(maintainability_index(
        volume,
        facts.metrics.cyclomatic_total,
        l.lloc,
        l.comments + l.multi,
        l.sloc,
    ));
    facts
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The testdata modules small enough to analyse many times.
    fn modules() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut found = Vec::new();
        let mut folders = vec![root];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "py")
                    && let Ok(text) = std::fs::read_to_string(&path)
                    && text.len() <= 16_384
                {
                    found.push((path.display().to_string(), text));
                }
            }
        }
        found.sort();
        assert!(found.len() > 100, "{} Python files", found.len());
        found
    }

    /// Versions of `text`: comments inserted in blocks and lines deleted
    /// (every 2nd, 3rd and 7th), a def renamed, a function appended, the
    /// last newline dropped, CRLF line ends.
    fn versions(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let mut out = Vec::new();
        for step in [2, 3, 7] {
            let mut inserted = String::new();
            let mut deleted = String::new();
            for (i, line) in lines.iter().enumerate() {
                if i % step == 1 {
                    let indent = &line[..line.len() - line.trim_start().len()];
                    inserted.push_str(&format!("{indent}# note {i}\n"));
                } else {
                    deleted.push_str(line);
                }
                inserted.push_str(line);
            }
            out.push(inserted);
            out.push(deleted);
        }
        out.push(text.replacen("def ", "def renamed_", 1));
        out.push(format!(
            "{text}\n\ndef added(x):\n    return x if x else -x\n"
        ));
        out.push(text.trim_end_matches('\n').to_owned());
        out.push(text.replace('\n', "\r\n"));
        out
    }

    fn analyzer() -> ModuleAnalyzer {
        ModuleAnalyzer::new(AnalysisOptions::default()).unwrap()
    }

    /// The facts of `source` analysed whole, as one chunk.
    fn whole_facts(source: &str) -> FileFacts {
        let mut parser = super::super::new_parser().unwrap();
        let tree = parser.parse(source, None).unwrap();
        let table = LineTable::new(source);
        whole(
            source,
            &table,
            &tree,
            AnalysisOptions::default(),
            &Aliases::default(),
        )
        .0
    }

    #[test]
    fn cut_facts_equal_whole_facts() {
        let mut cut = 0;
        for (path, text) in modules() {
            for version in std::iter::once(text.clone()).chain(versions(&text)) {
                let table = LineTable::new(&version);
                cut += usize::from(segment::pieces(&version, table.statements()).is_some());
                let facts = analyzer().analyze(&version);
                assert_eq!(facts, whole_facts(&version), "{path}, version:\n{version}");
            }
        }
        assert!(cut > 1000, "{cut} versions cut");
    }

    #[test]
    fn remembered_facts_equal_fresh_facts() {
        // One analyzer for every version of every module, as a trend's
        // worker analyses a path's versions in history order.
        let mut remembering = analyzer();
        for (path, text) in modules() {
            for version in std::iter::once(text.clone()).chain(versions(&text)) {
                let remembered = remembering.analyze(&version);
                assert_eq!(
                    remembered,
                    analyzer().analyze(&version),
                    "{path}:\n{version}"
                );
            }
        }
    }

    #[test]
    fn a_remembered_statement_resolves_through_each_files_imports() {
        let body = "\n\ndef load(p):\n    return read_csv(p)\n";
        let mut analyzer = analyzer();
        let callee = |facts: &FileFacts| facts.lineage.calls.first().map(|c| c.call.callee.clone());
        let pandas = analyzer.analyze(&format!("from pandas import read_csv{body}"));
        let polars = analyzer.analyze(&format!("from polars import read_csv{body}"));
        assert_eq!(callee(&pandas).as_deref(), Some("pandas.read_csv"));
        assert_eq!(callee(&polars).as_deref(), Some("polars.read_csv"));
        assert_eq!(pandas.functions[0].line, 3);
    }

    #[test]
    fn a_cut_class_gets_its_docstring_and_last_line() {
        let source = "import os\n\n\n@dataclass\nclass A(Base):\n    \"\"\"Doc.\"\"\"\n\n    x: int = 1\n\n    def f(self):\n        if os.sep:\n            return 1\n        return 2\n    # trailing\n\n\ny = A()\n";
        let facts = analyzer().analyze(source);
        assert_eq!(facts, whole_facts(source));
        let class = &facts.classes[0];
        assert_eq!(
            (class.name.as_str(), class.line, class.end_line),
            ("A", 5, 13)
        );
        assert!(class.has_docstring);
        let f = &facts.functions[0];
        assert_eq!(
            (f.name.as_str(), f.line, f.end_line, f.cyclomatic),
            ("A.f", 10, 13, 2)
        );
        // radon's module total: 1, plus the class's methods (2).
        assert_eq!(facts.metrics.cyclomatic_total, 3);
    }
}
