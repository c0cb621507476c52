//! Jupyter notebook analysis: code cells analysed as Python.
use crate::facts::{AnalysisOptions, FileFacts, Language};

/// Analyses one `.ipynb` document.
pub fn analyze(
    _source: &str,
    _parser: &mut tree_sitter::Parser,
    _opts: AnalysisOptions,
) -> FileFacts {
    FileFacts::empty(Language::Notebook)
}
