use super::super::util::helper;
use crate::generated::Table;
use crate::nothing::Missing;
use super::super::super::Beyond;

pub struct Circle;
