//! JSON output: compact, one trailing newline. Shapes are documented in
//! docs/SCHEMA.md.

use std::io::{self, Write};

use serde::Serialize;

pub fn write_json<T: Serialize>(report: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report)?;
    out.write_all(b"\n")
}
