use crate::shapes;
use ::rayon::prelude::*;

pub fn helper() {}
