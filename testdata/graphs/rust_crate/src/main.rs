use geo_core::shapes::circle::Circle;
use crate::util::helper;

fn main() {}
