//! Per-file analysis: turns (language, file name, bytes) into [`FileFacts`].
//!
//! One [`Analyzer`] per worker thread holds the reusable parser state.

pub mod config;
pub mod notebook;
pub mod python;
pub mod rust;
pub mod suppress;
mod text;

pub use text::decode;

use crate::facts::{AnalysisOptions, FileFacts, Language, Problem};
use python::ParsedModule;

/// What the analysis of a `language` file reads from its base name (see
/// [`Analyzer::analyze`]): nothing for code, the config kind a name implies
/// for configuration files. Empty when the name does not matter.
pub fn name_class(language: Language, file_name: &str) -> String {
    if language.is_config() {
        config::name_class(file_name)
    } else {
        String::new()
    }
}

/// Per-thread analysis state (tree-sitter parsers are not `Sync`).
pub struct Analyzer {
    python: tree_sitter::Parser,
    options: AnalysisOptions,
}

impl Analyzer {
    pub fn new(options: AnalysisOptions) -> Result<Self, String> {
        Ok(Analyzer {
            python: python::new_parser()?,
            options,
        })
    }

    /// Analyses one file's content. `file_name` is the base name, which
    /// some config kinds are recognised by (`dvc.yaml`, `MLproject`).
    pub fn analyze(&mut self, language: Language, file_name: &str, bytes: &[u8]) -> FileFacts {
        self.analyze_with(language, file_name, bytes, |source, parser, options| {
            (python::analyze(source, parser, options), None)
        })
        .0
    }

    /// As [`Self::analyze`], for the next version of a file whose previous
    /// version was parsed as `previous`: Python is parsed incrementally
    /// (same facts). Returns this version's parse (Python only).
    pub fn analyze_next(
        &mut self,
        language: Language,
        file_name: &str,
        bytes: &[u8],
        previous: Option<ParsedModule>,
    ) -> (FileFacts, Option<ParsedModule>) {
        self.analyze_with(language, file_name, bytes, |source, parser, options| {
            python::analyze_next(source.to_owned(), previous, parser, options)
        })
    }

    /// Decodes `bytes` and analyses them by language, Python with `python`.
    fn analyze_with(
        &mut self,
        language: Language,
        file_name: &str,
        bytes: &[u8],
        python: impl FnOnce(
            &str,
            &mut tree_sitter::Parser,
            AnalysisOptions,
        ) -> (FileFacts, Option<ParsedModule>),
    ) -> (FileFacts, Option<ParsedModule>) {
        let (source, decode_problem) = match decode(bytes) {
            Ok(decoded) => decoded,
            Err(problem) => return (unreadable(language, problem), None),
        };
        let (mut facts, parsed) = match language {
            Language::Python => python(&source, &mut self.python, self.options),
            Language::Notebook => (
                notebook::analyze(&source, &mut self.python, self.options),
                None,
            ),
            Language::Rust => (rust::analyze(&source), None),
            Language::Yaml | Language::Toml | Language::Json => {
                (config::analyze(language, file_name, &source), None)
            }
        };
        if language != Language::Notebook {
            facts.suppressions = suppress::find(&source);
        }
        if let Some(problem) = decode_problem {
            facts.problems.insert(0, problem);
        }
        (facts, parsed)
    }
}

/// Facts for a file that could not be analysed at all.
pub fn unreadable(language: Language, problem: Problem) -> FileFacts {
    let mut facts = FileFacts::empty(language);
    facts.problems.push(problem);
    facts
}
