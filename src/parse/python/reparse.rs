//! Incremental parsing of a module's next version. The previous version's
//! tree, edited by the line diff between the two texts, lets tree-sitter
//! reuse the subtrees the edits do not touch: along the versions of a
//! release history this parses 1.9× faster than from scratch, with the
//! same trees (`benches/reparse.rs`).

use imara_diff::{Algorithm, Diff, InternedInput};
use tree_sitter::{InputEdit, Parser, Point, Tree};

/// A parsed version of a module, kept to parse its next version.
pub struct ParsedModule {
    pub(super) source: String,
    pub(super) tree: Tree,
}

/// The tree of `source`, reusing `previous` when it parsed without errors.
/// A tree with errors is parsed again from scratch: error recovery may
/// depend on the trees reused, and facts must not depend on history.
pub(super) fn parse(
    parser: &mut Parser,
    source: &str,
    previous: Option<ParsedModule>,
) -> Option<Tree> {
    if let Some(ParsedModule {
        source: old,
        mut tree,
    }) = previous.filter(|p| !p.tree.root_node().has_error())
    {
        edit(&mut tree, &old, source);
        if let Some(tree) = parser.parse(source, Some(&tree))
            && !tree.root_node().has_error()
        {
            return Some(tree);
        }
    }
    parser.parse(source, None)
}

/// Edits `tree` (of `old`) into the shape of `new` by their line diff's
/// hunks, each widened by the line before it: an edit that starts exactly
/// at the end of an indented block makes tree-sitter-python relex the rest
/// of the file. Returns the number of edits.
pub fn edit(tree: &mut Tree, old: &str, new: &str) -> usize {
    let input = InternedInput::new(old, new);
    let mut diff = Diff::compute(Algorithm::Histogram, &input);
    diff.postprocess_lines(&input);
    // (old start, old end, new start, new end), in lines.
    let mut hunks: Vec<(u32, u32, u32, u32)> = Vec::new();
    for h in diff.hunks() {
        let back = u32::from(h.before.start > 0 && h.after.start > 0);
        let hunk = (
            h.before.start - back,
            h.before.end,
            h.after.start - back,
            h.after.end,
        );
        match hunks.last_mut() {
            Some(last) if hunk.0 <= last.1 => (last.1, last.3) = (hunk.1, hunk.3),
            _ => hunks.push(hunk),
        }
    }
    let (old_lines, new_lines) = (line_starts(old), line_starts(new));
    let offset =
        |lines: &[usize], line: u32, len: usize| lines.get(line as usize).copied().unwrap_or(len);
    // Last first: the text before a hunk is still `old`'s.
    for &(old_start, old_end, new_start, new_end) in hunks.iter().rev() {
        let start_byte = offset(&old_lines, old_start, old.len());
        let old_end_byte = offset(&old_lines, old_end, old.len());
        let inserted =
            &new[offset(&new_lines, new_start, new.len())..offset(&new_lines, new_end, new.len())];
        let start_position = point_at(&old_lines, start_byte);
        tree.edit(&InputEdit {
            start_byte,
            old_end_byte,
            new_end_byte: start_byte + inserted.len(),
            start_position,
            old_end_position: point_at(&old_lines, old_end_byte),
            new_end_position: after(start_position, inserted),
        });
    }
    hunks.len()
}

/// Every node of `tree` in pre-order, with its kind, bytes and positions:
/// what two parses must agree on (tests, `benches/reparse.rs`).
pub fn nodes(tree: &Tree) -> Vec<(u16, std::ops::Range<usize>, Point, Point)> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        out.push((
            node.kind_id(),
            node.byte_range(),
            node.start_position(),
            node.end_position(),
        ));
        if cursor.goto_first_child() || cursor.goto_next_sibling() {
            continue;
        }
        loop {
            if !cursor.goto_parent() {
                return out;
            }
            if cursor.goto_next_sibling() {
                break;
            }
        }
    }
}

/// The position of byte `offset`, given the offsets of the lines' starts.
fn point_at(line_starts: &[usize], offset: usize) -> Point {
    let row = line_starts
        .partition_point(|&start| start <= offset)
        .saturating_sub(1);
    Point::new(row, offset - line_starts.get(row).copied().unwrap_or(0))
}

/// The position after `text` written from `start`.
fn after(start: Point, text: &str) -> Point {
    match text.rfind('\n') {
        Some(last) => Point::new(
            start.row + text.matches('\n').count(),
            text.len() - last - 1,
        ),
        None => Point::new(start.row, start.column + text.len()),
    }
}

/// The byte offset of each line's start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::facts::AnalysisOptions;
    use crate::parse::python::{analyze, analyze_next, new_parser};

    /// Versions of `text`: lines inserted at block ends and starts, lines
    /// deleted, a line changed, the whole text appended, the last newline
    /// dropped, CRLF line ends.
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

    #[test]
    fn incremental_facts_equal_fresh_facts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut files = Vec::new();
        let mut folders = vec![root];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "py") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 100, "{} Python files", files.len());
        let opts = AnalysisOptions::default();
        let mut parser = new_parser().unwrap();
        let mut reused = 0;
        for path in &files {
            // The huge pathological files of testdata/broken take minutes.
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            if text.len() > 16_384 {
                continue;
            }
            // Each version parsed from the one before it, from the original.
            let (_, mut previous) = analyze_next(text.clone(), None, &mut parser, opts);
            for version in versions(&text) {
                let fresh = analyze(&version, &mut parser, opts);
                reused += usize::from(
                    previous
                        .as_ref()
                        .is_some_and(|p| !p.tree.root_node().has_error()),
                );
                let (facts, parsed) = analyze_next(version.clone(), previous, &mut parser, opts);
                assert_eq!(facts, fresh, "{} after an edit:\n{version}", path.display());
                previous = parsed;
            }
        }
        assert!(reused > 500, "{reused} incremental parses");
    }

    #[test]
    fn edits_keep_positions_exact() {
        let old = "def f(x):\n    if x:\n        return 1\n    return 0";
        let new = "import os\ndef f(x):\n    if x:\n        return 1\n\n    return 0  # é";
        let mut parser = new_parser().unwrap();
        let mut tree = parser.parse(old, None).unwrap();
        assert_eq!(edit(&mut tree, old, new), 2);
        let incremental = parser.parse(new, Some(&tree)).unwrap();
        let fresh = parser.parse(new, None).unwrap();
        assert_eq!(nodes(&incremental), nodes(&fresh));
        assert_ne!(
            nodes(&incremental),
            nodes(&parser.parse(old, None).unwrap())
        );
        assert_eq!(point_at(&line_starts(old), old.len()), Point::new(3, 12));
        assert_eq!(after(Point::new(2, 4), "ab\ncd"), Point::new(3, 2));
        assert_eq!(after(Point::new(2, 4), "ab"), Point::new(2, 6));
    }
}
