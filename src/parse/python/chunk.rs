//! A chunk of a module analysed on its own: its facts in its own
//! coordinates, and what only its file can settle.

use super::defs::BodyCounts;
use super::halstead::Counts;
use super::lineage::{Reads, Unsettled};
use crate::facts::{Class, DynamicPoint, FileFacts, Function};

/// One chunk's analysis.
#[derive(Debug)]
pub(super) struct Chunk {
    /// What the chunk adds to its file's facts, in its own positions.
    pub placed: Placed,
    pub imports_hydra: bool,
    /// radon decisions at module level, and the complexity of the module's
    /// functions and classes beyond 1 each: radon's module total.
    pub module_decisions: u32,
    pub blocks_total: u32,
    pub halstead: Counts,
    /// The names its lineage facts resolved, with their answers.
    pub reads: Reads,
    /// A class member's: the class line it was parsed in, whose docstring
    /// and last line are the class's (in the chunk's own lines).
    pub wrapper_class: Option<Class>,
    /// A cut function's body statement's: the `def` line it was parsed in,
    /// whose docstring and last line are the function's, and its counts.
    pub wrapper_function: Option<Function>,
    pub body_counts: Option<BodyCounts>,
}

/// What a chunk adds to its file's facts, copied into each file it is in.
/// Lines count from 1 at the chunk's parsed text, bytes from its start,
/// functions from its first; [`Placed::place`] moves them to the file's.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    /// Functions, classes, imports, dynamic points, resolved lineage facts,
    /// calls, syntax problems.
    pub facts: FileFacts,
    /// Hydra `instantiate`/`call` points: dynamic if the file imports hydra.
    pub hydra: Vec<DynamicPoint>,
    pub unsettled: Unsettled,
}

/// The name of the class a class member is parsed in; [`Placed::place`]
/// puts the member's class in its place.
pub(super) const PLACEHOLDER: &str = "_";

/// How a chunk's positions (and names) become its file's.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Shift<'a> {
    pub lines: i64,
    pub bytes: i64,
    /// Functions of the file before the chunk's.
    pub functions: u32,
    /// A cut function's body statement: the file's index of that function,
    /// which the chunk's first function (its `def` line) stands for.
    pub wrapped: Option<u32>,
    /// A class member: its class, for [`PLACEHOLDER`] in qualified names.
    pub class: Option<&'a str>,
}

/// `name` with its first segment, [`PLACEHOLDER`], replaced by `class`.
fn renamed(name: &mut String, class: &str) {
    if let Some(rest) = name.strip_prefix(PLACEHOLDER)
        && (rest.is_empty() || rest.starts_with('.'))
    {
        *name = format!("{class}{rest}");
    }
}

fn moved(line: &mut u32, by: i64) {
    *line = u32::try_from((i64::from(*line) + by).max(0)).unwrap_or(u32::MAX);
}

impl Placed {
    /// Moves every position of the chunk by `shift`, and names a member's
    /// class.
    pub(super) fn place(&mut self, shift: Shift) {
        if let Some(class) = shift.class {
            self.name_class(class);
        }
        let by = shift.lines;
        if by != 0 {
            let facts = &mut self.facts;
            for f in &mut facts.functions {
                moved(&mut f.line, by);
                moved(&mut f.end_line, by);
            }
            for c in &mut facts.classes {
                moved(&mut c.line, by);
                moved(&mut c.end_line, by);
            }
            for i in &mut facts.imports {
                moved(&mut i.line, by);
            }
            for d in facts.dynamic.iter_mut().chain(&mut self.hydra) {
                moved(&mut d.line, by);
            }
            for p in facts.problems.iter_mut().filter(|p| p.line > 0) {
                moved(&mut p.line, by);
            }
            let lineage = &mut facts.lineage;
            for c in &mut lineage.calls {
                moved(&mut c.line, by);
            }
            for f in &mut lineage.flows {
                moved(&mut f.line, by);
            }
            for r in &mut lineage.config_reads {
                moved(&mut r.line, by);
            }
            for d in &mut lineage.decorators {
                moved(&mut d.line, by);
            }
            let open = &mut self.unsettled;
            for c in open.subscripts.iter_mut().flat_map(|s| &mut s.columns) {
                moved(&mut c.line, by);
            }
            for (_, c) in &mut open.columns {
                moved(&mut c.line, by);
            }
        }
        let byte = |b: &mut usize| {
            *b = usize::try_from((i64::try_from(*b).unwrap_or(i64::MAX) + shift.bytes).max(0))
                .unwrap_or(usize::MAX);
        };
        let function = |f: &mut Option<u32>| {
            if let Some(f) = f {
                *f = match shift.wrapped {
                    Some(wrapped) if *f == 0 => wrapped,
                    Some(_) => (*f - 1).saturating_add(shift.functions),
                    None => f.saturating_add(shift.functions),
                };
            }
        };
        let open = &mut self.unsettled;
        for s in &mut open.subscripts {
            byte(&mut s.byte);
            function(&mut s.function);
        }
        for (b, _) in &mut open.columns {
            byte(b);
        }
        for (f, _) in &mut open.frames {
            function(f);
        }
        for d in &mut open.derived {
            function(&mut d.function);
        }
    }

    /// Puts `class` for [`PLACEHOLDER`] in every qualified name: all of a
    /// member's start with its class.
    fn name_class(&mut self, class: &str) {
        let facts = &mut self.facts;
        for f in &mut facts.functions {
            renamed(&mut f.name, class);
        }
        for c in &mut facts.classes {
            renamed(&mut c.name, class);
        }
        let lineage = &mut facts.lineage;
        let functions = lineage
            .calls
            .iter_mut()
            .filter_map(|c| c.function.as_mut())
            .chain(
                lineage
                    .config_reads
                    .iter_mut()
                    .filter_map(|r| r.function.as_mut()),
            )
            .chain(
                self.unsettled
                    .subscripts
                    .iter_mut()
                    .flat_map(|s| &mut s.columns)
                    .chain(self.unsettled.columns.iter_mut().map(|(_, c)| c))
                    .filter_map(|c| c.function.as_mut()),
            );
        for function in functions {
            renamed(function, class);
        }
        for d in &mut lineage.decorators {
            renamed(&mut d.target, class);
        }
    }
}
