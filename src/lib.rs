//! mlscan: a fast, parallel system-complexity scanner for machine-learning
//! repositories.
//!
//! The data flow is `walk` (find files) → `parse` (per-file facts, in
//! parallel) → `role` (classify) → `aggregate` (files, components, repo) →
//! `render` (text, JSON). See docs/ARCHITECTURE.md.

pub mod facts;
pub mod parse;
