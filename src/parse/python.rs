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

/// A parser set to the Python grammar.
pub fn new_parser() -> Result<tree_sitter::Parser, String> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|e| format!("tree-sitter-python: {e}"))?;
    Ok(parser)
}
