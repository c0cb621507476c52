use crate::shapes;
use ::rayon::prelude::*;

pub fn helper() {}

pub enum Kind {
    A,
}

pub fn kinds() {
    use Kind::*;
    let _ = A;
}
