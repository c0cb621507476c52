//! Fast rolling-window features, called from Python.
mod window;

use std::collections::HashMap;

pub use window::rolling_mean;

/// Counts the categories of a column.
pub fn category_counts(values: &[&str]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for v in values {
        if v.is_empty() || v.starts_with('#') {
            continue;
        }
        *counts.entry(v.to_string()).or_insert(0) += 1;
    }
    counts
}
