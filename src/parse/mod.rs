//! Per-file analysis: turns (language, bytes) into [`FileFacts`].

pub mod config;
pub mod notebook;
pub mod python;
pub mod rust;
