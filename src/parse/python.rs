//! Python analysis with tree-sitter-python.
use crate::facts::{AnalysisOptions, FileFacts, Language};

/// Analyses one Python module.
pub fn analyze(
    _source: &str,
    _parser: &mut tree_sitter::Parser,
    _opts: AnalysisOptions,
) -> FileFacts {
    FileFacts::empty(Language::Python)
}
