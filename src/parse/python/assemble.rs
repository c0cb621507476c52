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
use std::ops::Range;
use std::sync::Arc;

use tree_sitter::{Node, Parser, Tree};

use super::chunk::{Chunk, PLACEHOLDER, Shift};
use super::defs::BodyCounts;
use super::halstead::Counts;
use super::lineage::{self, Aliases, Binding, still_holds};
use super::memo::{self, Key};
use super::raw::LineTable;
use super::segment::{self, Block, Piece, Segment};
use super::{ModuleAnalyzer, Walker, gave_up};
use crate::facts::{AnalysisOptions, CcRules, FileFacts, Language};

/// Analyses a module, or a notebook cell after the cells whose imports
/// bound `before`: its facts, and the alias table after it.
pub(super) fn module(
    source: &str,
    analyzer: &mut ModuleAnalyzer,
    before: &Aliases,
) -> (FileFacts, Aliases) {
    let table = LineTable::new(source);
    if let Some(pieces) = segment::pieces(source, &table)
        && let Some(done) = cut(source, &table, &pieces, analyzer, before)
    {
        return done;
    }
    memo::count(source.len(), source.len());
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
    let facts = assemble(
        table,
        &[(Shift::default(), &chunk)],
        &[],
        (before, &aliases),
    );
    (facts, aliases)
}

/// What a unit is; also its kind in the memo's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Statement,
    /// A cut class's header, parsed with a `pass` body.
    ClassHeader,
    /// A statement of a cut class's body, parsed inside its `class` line.
    Member,
    /// A cut function's header, parsed with a `pass` body (inside its
    /// `class` line for a method).
    FunctionHeader,
    /// A statement of a cut function's body, parsed inside its `def` line
    /// (and its `class` line for a method).
    FunctionBody,
}

/// A piece of a module analysed as one chunk: its text, parsed between
/// the lines the cut took from the statements around it.
struct Unit<'s> {
    kind: Kind,
    /// What the parser reads before the text, a NUL, and what it reads
    /// after.
    context: Cow<'s, str>,
    text: &'s str,
    segment: &'s Segment,
    /// The class a member belongs to (it is parsed inside a `class` line
    /// named [`PLACEHOLDER`]).
    class: Option<&'s str>,
}

impl<'s> Unit<'s> {
    fn new(
        kind: Kind,
        (before, after): (String, &str),
        text: &'s str,
        segment: &'s Segment,
        class: Option<&'s str>,
    ) -> Self {
        let context = if before.is_empty() && after.is_empty() {
            Cow::Borrowed("")
        } else {
            Cow::Owned(before + "\0" + after)
        };
        Unit {
            kind,
            context,
            text,
            segment,
            class,
        }
    }

    fn key(&self, options: AnalysisOptions) -> Key<'_> {
        Key {
            kind: self.kind as u8 * 2 + options.cc_rules as u8,
            context: &self.context,
            text: self.text,
        }
    }

    fn before(&self) -> &str {
        self.context.split('\0').next().unwrap_or_default()
    }

    /// The text parsed.
    fn parsed(&self) -> Cow<'s, str> {
        match self.context.split_once('\0') {
            Some((before, after)) => Cow::Owned(format!("{before}{}{after}", self.text)),
            None => Cow::Borrowed(self.text),
        }
    }

    /// How the chunk's positions become the file's.
    fn shift(&self, functions: u32, wrapped: Option<u32>) -> Shift<'s> {
        let before = self.before();
        let lines = before.bytes().filter(|&b| b == b'\n').count();
        let start = i64::try_from(self.segment.bytes.start).unwrap_or(i64::MAX);
        Shift {
            lines: i64::from(self.segment.line) - i64::try_from(lines).unwrap_or(0),
            bytes: start - i64::try_from(before.len()).unwrap_or(0),
            functions,
            wrapped,
            class: self.class,
        }
    }
}

/// What only the other chunks of a cut statement know (indices of units).
enum Completion {
    /// A class: its header, and its members' units.
    Class {
        header: usize,
        members: Range<usize>,
    },
    /// A function: its header, and its body's units.
    Function { header: usize, body: Range<usize> },
}

/// The units of `pieces`, and what completes the cut statements.
fn units<'s>(source: &'s str, pieces: &'s [Piece<'s>]) -> (Vec<Unit<'s>>, Vec<Completion>) {
    let mut units = Vec::new();
    let mut completions = Vec::new();
    for piece in pieces {
        add(source, piece, None, &mut units, &mut completions);
    }
    (units, completions)
}

/// Adds the units of `piece`, a member of `class` (its block) if any.
fn add<'s>(
    source: &'s str,
    piece: &'s Piece<'s>,
    class: Option<&Block<'s>>,
    units: &mut Vec<Unit<'s>>,
    completions: &mut Vec<Completion>,
) {
    let text = |s: &Segment| source.get(s.bytes.clone()).unwrap_or_default();
    // The class's name is put in when the chunk is placed: chunks of
    // classes that share statements share their analysis.
    let class_line = class.map_or(String::new(), |_| format!("class {PLACEHOLDER}:\n"));
    let name = class.map(|c| c.name);
    match piece {
        Piece::Statement(segment) => {
            let kind = if class.is_some() {
                Kind::Member
            } else {
                Kind::Statement
            };
            units.push(Unit::new(
                kind,
                (class_line, ""),
                text(segment),
                segment,
                name,
            ));
        }
        Piece::Function(function, body) => {
            let header = units.len();
            let pass = format!("{}pass\n", function.indent);
            let header_text = text(&function.header);
            units.push(Unit::new(
                Kind::FunctionHeader,
                (class_line.clone(), &pass),
                header_text,
                &function.header,
                name,
            ));
            let own_indent = class.map_or("", |c| c.indent);
            let def_line = format!("{class_line}{own_indent}def {}():\n", function.name);
            for segment in body {
                units.push(Unit::new(
                    Kind::FunctionBody,
                    (def_line.clone(), ""),
                    text(segment),
                    segment,
                    name,
                ));
            }
            completions.push(Completion::Function {
                header,
                body: header + 1..units.len(),
            });
        }
        Piece::Class(block, members) => {
            let header = units.len();
            let pass = format!("{}pass\n", block.indent);
            units.push(Unit::new(
                Kind::ClassHeader,
                (String::new(), &pass),
                text(&block.header),
                &block.header,
                None,
            ));
            for member in members {
                add(source, member, Some(block), units, completions);
            }
            completions.push(Completion::Class {
                header,
                members: header + 1..units.len(),
            });
        }
    }
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
    let (units, completions) = units(source, pieces);
    let options = analyzer.options;
    let mut known: Vec<Option<Arc<Chunk>>> = {
        let mut memo = memo::shared();
        units.iter().map(|u| memo.get(&u.key(options))).collect()
    };
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
    // Python rejects what tree-sitter may take in another shape (a body on
    // a `class` line followed by deeper lines; PEP 701 quotes, which the
    // line table reads the 3.11 way): such a module is analysed whole.
    let as_planned = |&i: &usize| {
        let tree = trees.get(i).and_then(Option::as_ref);
        tree.is_some_and(|tree| shaped_as_cut(&units[i], tree))
    };
    if !new.iter().all(as_planned) {
        return None;
    }
    // Declared before the walkers that borrow them.
    let (stale_texts, stale_trees);
    let cut_body = |i: usize| units[i].kind == Kind::FunctionBody;
    let mut walkers = walk(&texts, &new, &trees, analyzer.options, cut_body);
    let aliases = after(
        before,
        known
            .iter()
            .zip(&walkers)
            .map(|(chunk, walker)| match (chunk, walker) {
                (Some(chunk), _) => chunk.placed.unsettled.bindings.as_slice(),
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
    for (slot, walker) in walkers.iter_mut().zip(walk(
        &stale_texts,
        &stale,
        &stale_trees,
        analyzer.options,
        cut_body,
    )) {
        if walker.is_some() {
            *slot = walker;
        }
    }
    let mut chunks = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        let chunk = match (walkers[i].take(), known[i].take()) {
            (Some(walker), _) => {
                let chunk = Arc::new(unwrapped(walker.into_chunk(&aliases), unit)?);
                memo::shared().put(&unit.key(options), Arc::clone(&chunk));
                chunk
            }
            (None, Some(chunk)) => chunk,
            (None, None) => return None,
        };
        chunks.push(chunk);
    }
    let shifts = shifts(&units, &chunks, &completions);
    let placed: Vec<(Shift, &Chunk)> = shifts
        .into_iter()
        .zip(chunks.iter().map(Arc::as_ref))
        .collect();
    let completed = completions
        .iter()
        .map(|c| complete(&placed, c, options))
        .collect::<Option<Vec<_>>>()?;
    memo::count(
        units.iter().map(|u| u.text.len()).sum(),
        new.iter().chain(&stale).map(|&i| units[i].text.len()).sum(),
    );
    Some((
        assemble(table, &placed, &completed, (before, &aliases)),
        aliases,
    ))
}

/// Whether a unit's tree has the shape its cut assumed: a wrapped unit or
/// a header is one statement (its `class _:` or `def` line), a method's
/// body statement one `def` inside its `class _:` line, and a header's
/// body ends with the `pass` put after it.
fn shaped_as_cut(unit: &Unit, tree: &Tree) -> bool {
    fn statements(node: Node) -> Vec<Node> {
        let mut cursor = node.walk();
        node.named_children(&mut cursor)
            .filter(|c| !c.is_extra())
            .collect()
    }
    fn body(node: Node) -> Vec<Node> {
        let definition = if node.kind() == "decorated_definition" {
            node.child_by_field_name("definition")
        } else {
            Some(node)
        };
        definition
            .and_then(|d| d.child_by_field_name("body"))
            .map_or_else(Vec::new, statements)
    }
    if unit.kind == Kind::Statement {
        return true;
    }
    let [only] = statements(tree.root_node())[..] else {
        return false;
    };
    // A header is parsed with `{indent}pass\n` after it.
    let after = unit.context.split_once('\0').map_or("", |(_, a)| a);
    let pass_at =
        unit.before().len() + unit.text.len() + after.len() - "pass\n".len().min(after.len());
    let ends_in_pass = |node: Node| {
        body(node)
            .last()
            .is_some_and(|p| p.kind() == "pass_statement" && p.start_byte() == pass_at)
    };
    let in_class = unit.class.is_some();
    match unit.kind {
        Kind::Statement | Kind::Member => true,
        Kind::ClassHeader => ends_in_pass(only),
        Kind::FunctionHeader if in_class => matches!(body(only)[..], [def] if ends_in_pass(def)),
        Kind::FunctionHeader => ends_in_pass(only),
        Kind::FunctionBody => !in_class || body(only).len() == 1,
    }
}

/// A chunk without the `class` and `def` lines its unit was parsed in;
/// `None` if they are not where the cut put them.
fn unwrapped(mut chunk: Chunk, unit: &Unit) -> Option<Chunk> {
    let facts = &mut chunk.placed.facts;
    if unit.before().starts_with("class ") {
        if facts.classes.is_empty() {
            return None;
        }
        chunk.wrapper_class = Some(facts.classes.remove(0));
    }
    if unit.kind == Kind::FunctionBody {
        chunk.body_counts?;
        if facts.functions.is_empty() {
            return None;
        }
        chunk.wrapper_function = Some(facts.functions.remove(0));
    }
    Some(chunk)
}

/// Each chunk's shift: its lines and bytes, and the file's functions before
/// it (a cut function's body statements refer to the function of their
/// header as their first).
fn shifts<'s>(
    units: &[Unit<'s>],
    chunks: &[Arc<Chunk>],
    completions: &[Completion],
) -> Vec<Shift<'s>> {
    let mut header_of = vec![None; units.len()];
    for completion in completions {
        if let Completion::Function { header, body } = completion {
            for i in body.clone() {
                header_of[i] = Some(*header);
            }
        }
    }
    let mut first_function = vec![0u32; units.len()];
    let mut functions = 0u32;
    let mut out = Vec::with_capacity(units.len());
    for (i, (unit, chunk)) in units.iter().zip(chunks).enumerate() {
        first_function[i] = functions;
        let wrapped = header_of[i].map(|h| first_function[h]);
        out.push(unit.shift(functions, wrapped));
        let own = u32::try_from(chunk.placed.facts.functions.len()).unwrap_or(u32::MAX);
        functions = functions.saturating_add(own);
    }
    out
}

/// What only the other chunks of a cut statement know about it, for its
/// header's record (a class's or function's) once placed.
struct Completed {
    header: usize,
    has_docstring: bool,
    /// In the file's lines.
    end_line: u32,
    /// A function's cyclomatic and cognitive complexity and nesting.
    counts: Option<(u32, u32, u32)>,
}

/// A cut statement's completion: a class's docstring and last line; a
/// function's, and its counts added up over its body's statements.
fn complete(
    chunks: &[(Shift, &Chunk)],
    completion: &Completion,
    options: AnalysisOptions,
) -> Option<Completed> {
    let (header, parts) = match completion {
        Completion::Class { header, members } => (*header, members.clone()),
        Completion::Function { header, body } => (*header, body.clone()),
    };
    let first = chunks.get(parts.start)?.1;
    let (last_shift, last) = chunks.get(parts.end.checked_sub(1)?)?;
    let in_file = |line: u32| u32::try_from(i64::from(line) + last_shift.lines).ok();
    let Completion::Function { .. } = completion else {
        return Some(Completed {
            header,
            has_docstring: first.wrapper_class.as_ref()?.has_docstring,
            end_line: in_file(last.wrapper_class.as_ref()?.end_line)?,
            counts: None,
        });
    };
    let mut total = BodyCounts {
        radon: 1,
        mccabe: 1,
        ..BodyCounts::default()
    };
    for (_, chunk) in chunks.get(parts)? {
        let counts = chunk.body_counts?;
        total.radon = total.radon.saturating_add(counts.radon - 1);
        total.mccabe = total.mccabe.saturating_add(counts.mccabe - 1);
        total.cognitive = total.cognitive.saturating_add(counts.cognitive);
        total.recursive |= counts.recursive;
        total.max_depth = total.max_depth.max(counts.max_depth);
    }
    let cyclomatic = match options.cc_rules {
        CcRules::Radon => total.radon,
        CcRules::Mccabe => total.mccabe,
    };
    let cognitive = total.cognitive.saturating_add(u32::from(total.recursive));
    Some(Completed {
        header,
        has_docstring: first.wrapper_function.as_ref()?.has_docstring,
        end_line: in_file(last.wrapper_function.as_ref()?.end_line)?,
        counts: Some((cyclomatic, cognitive, total.max_depth)),
    })
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

/// A walker over each tree, its walk done, by position; `cut_body` tells
/// the trees of a cut function's body statements.
fn walk<'t>(
    texts: &'t [Cow<str>],
    which: &[usize],
    trees: &'t [Option<Tree>],
    options: AnalysisOptions,
    cut_body: impl Fn(usize) -> bool,
) -> Vec<Option<Walker<'t>>> {
    let mut walkers: Vec<Option<Walker<'t>>> = (0..texts.len()).map(|_| None).collect();
    for &i in which {
        if let (Some(text), Some(Some(tree))) = (texts.get(i), trees.get(i)) {
            let mut walker = Walker::new(text, tree, options);
            walker.cut_body = cut_body(i);
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
/// shift that places it, and the completions of its cut statements; the
/// alias tables are before and after the module.
fn assemble(
    table: &LineTable,
    chunks: &[(Shift, &Chunk)],
    completed: &[Completed],
    (before, aliases): (&Aliases, &Aliases),
) -> FileFacts {
    let mut facts = FileFacts::empty(Language::Python);
    let halstead = Counts::sum(chunks.iter().map(|(_, c)| &c.halstead));
    let (mut hydra, mut imports_hydra) = (Vec::new(), false);
    let (mut decisions, mut blocks) = (0u32, 0u32);
    let mut unsettled = Vec::with_capacity(chunks.len());
    // Where each chunk's first function and class land.
    let mut firsts = Vec::with_capacity(chunks.len());
    for (shift, chunk) in chunks {
        firsts.push((facts.functions.len(), facts.classes.len()));
        let mut placed = chunk.placed.clone();
        placed.place(*shift);
        let part = placed.facts;
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
        hydra.extend(placed.hydra);
        imports_hydra |= chunk.imports_hydra;
        decisions = decisions.saturating_add(chunk.module_decisions);
        blocks = blocks.saturating_add(chunk.blocks_total);
        unsettled.push(placed.unsettled);
    }
    for done in completed {
        let Some(&(function, class)) = firsts.get(done.header) else {
            continue;
        };
        match done.counts {
            Some((cyclomatic, cognitive, nesting)) => {
                if let Some(f) = facts.functions.get_mut(function) {
                    f.has_docstring = done.has_docstring;
                    f.end_line = done.end_line;
                    f.cyclomatic = cyclomatic;
                    f.cognitive = cognitive;
                    f.nesting = nesting;
                }
            }
            None => {
                if let Some(c) = facts.classes.get_mut(class) {
                    c.has_docstring = done.has_docstring;
                    c.end_line = done.end_line;
                }
            }
        }
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
    super::halstead::rate(&mut facts, halstead.volume());
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
                cut += usize::from(segment::pieces(&version, &table).is_some());
                let facts = analyzer().analyze(&version);
                assert_eq!(facts, whole_facts(&version), "{path}, version:\n{version}");
            }
        }
        assert!(cut > 1000, "{cut} versions cut");
    }

    /// Found by a differential fuzz of cut against whole analyses: text
    /// that Python rejects or tree-sitter reads otherwise than the line
    /// table (a body on a `class` or `def` line followed by deeper lines, a
    /// line holding only a backslash, PEP 701 quotes, a BOM after the start).
    #[test]
    fn odd_shapes_are_analysed_as_whole_modules() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cut");
        let mut checked = 0;
        for entry in std::fs::read_dir(root).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for version in [text.clone(), format!("import os\n\n{text}")] {
                assert_eq!(
                    analyzer().analyze(&version),
                    whole_facts(&version),
                    "{}",
                    path.display()
                );
            }
            checked += 1;
        }
        assert_eq!(checked, 8);
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
