use geo_core::util;
use core::mem;

fn main() {}
