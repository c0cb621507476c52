//! A crate with a `mod` tree and every kind of `use` path.
pub mod shapes;
mod util;
mod generated;

use crate::shapes::circle::Circle;
use serde::Serialize;
use std::fmt;
pub use util::helper;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes::{self, circle};
}
