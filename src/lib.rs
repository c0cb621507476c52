//! mlscan: a fast, parallel system-complexity scanner for machine-learning
//! repositories.
//!
//! The data flow is `walk` (find files) → `parse` (per-file facts, in
//! parallel) → `role` and `component` (classify) → `summary` (files,
//! components, repo) → `render` (text, JSON). See docs/ARCHITECTURE.md.

pub mod activity;
pub mod alloc;
pub mod cache;
pub mod check;
pub mod cli;
pub mod component;
pub mod config;
pub mod facts;
pub mod gate;
pub mod graph;
pub mod history;
pub mod lineage;
pub mod map;
pub mod parse;
pub mod render;
pub mod report;
pub mod role;
pub mod ruleset;
pub mod scan;
pub mod score;
pub mod summary;
pub mod trend;
pub mod walk;
