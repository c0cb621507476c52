//! YAML, TOML and JSON configuration analysis.
use crate::facts::{FileFacts, Language};

/// Analyses one configuration file named `file_name`.
pub fn analyze(language: Language, _file_name: &str, _source: &str) -> FileFacts {
    FileFacts::empty(language)
}
