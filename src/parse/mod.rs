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
    python: python::ModuleAnalyzer,
}

impl Analyzer {
    pub fn new(options: AnalysisOptions) -> Result<Self, String> {
        Ok(Analyzer {
            python: python::ModuleAnalyzer::new(options)?,
        })
    }

    /// Analyses one file's content. `file_name` is the base name, which
    /// some config kinds are recognised by (`dvc.yaml`, `MLproject`).
    pub fn analyze(&mut self, language: Language, file_name: &str, bytes: &[u8]) -> FileFacts {
        let (source, decode_problem) = match decode(bytes) {
            Ok(decoded) => decoded,
            Err(problem) => return unreadable(language, problem),
        };
        let mut facts = match language {
            Language::Python => self.python.analyze(&source),
            Language::Notebook => notebook::analyze(&source, &mut self.python),
            Language::Rust => rust::analyze(&source),
            Language::Yaml | Language::Toml | Language::Json => {
                config::analyze(language, file_name, &source)
            }
        };
        if language != Language::Notebook {
            facts.suppressions = suppress::find(&source);
        }
        if let Some(problem) = decode_problem {
            facts.problems.insert(0, problem);
        }
        facts
    }
}

/// Facts for a file that could not be analysed at all.
pub fn unreadable(language: Language, problem: Problem) -> FileFacts {
    let mut facts = FileFacts::empty(language);
    facts.problems.push(problem);
    facts
}
