//! The JSON output: the whole report, compact, one trailing newline. Its
//! shape is documented in docs/SCHEMA.md.

use std::io::{self, Write};

use crate::report::ScanReport;

pub fn write_json(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report)?;
    out.write_all(b"\n")
}
