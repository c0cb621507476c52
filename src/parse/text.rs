//! Decoding source bytes into text: UTF-8 (with or without BOM), UTF-16
//! with a BOM, PEP 263 Latin-1 declarations, and lossy UTF-8 as the last
//! resort. Binary content is refused.

use std::borrow::Cow;

use crate::facts::Problem;

/// How far into a file to look for NUL bytes, like git's binary check.
const BINARY_PROBE: usize = 8000;

/// Decodes `bytes` into text. Returns the text and, when decoding was lossy
/// or unusual, a problem to report; or an error problem for binary content.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Option<Problem>), Problem> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(utf8_or_fallback(rest));
    }
    if let Some(text) = decode_utf16(bytes) {
        return Ok((Cow::Owned(text), None));
    }
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    if probe.contains(&0) {
        return Err(Problem::new(0, "binary content (NUL bytes); skipped"));
    }
    Ok(utf8_or_fallback(bytes))
}

fn utf8_or_fallback(bytes: &[u8]) -> (Cow<'_, str>, Option<Problem>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(err) => {
            if declares_latin1(bytes) {
                return (Cow::Owned(bytes.iter().map(|&b| b as char).collect()), None);
            }
            let valid = &bytes[..err.valid_up_to()];
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count() as u32;
            let problem = Problem::new(
                line,
                "not valid UTF-8 and no supported encoding declared; invalid bytes replaced",
            );
            (String::from_utf8_lossy(bytes), Some(problem))
        }
    }
}

/// UTF-16 text is only recognised with a byte-order mark.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (rest, little_endian) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (rest, true),
        [0xFE, 0xFF, rest @ ..] => (rest, false),
        _ => return None,
    };
    let units = rest.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// A PEP 263 coding declaration for Latin-1 (or its superset cp1252, read
/// as Latin-1) in the first two lines.
fn declares_latin1(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .take(2)
        .filter(|line| line.trim_ascii_start().starts_with(b"#"))
        .filter_map(|line| {
            let at = line.windows(6).position(|w| w == b"coding")?;
            let rest = line.get(at + 6..)?;
            let rest = rest
                .strip_prefix(b":")
                .or_else(|| rest.strip_prefix(b"="))?;
            let name: Vec<u8> = rest
                .trim_ascii_start()
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                .map(u8::to_ascii_lowercase)
                .collect();
            Some(name)
        })
        .any(|name| {
            matches!(
                name.as_slice(),
                b"latin-1"
                    | b"latin1"
                    | b"iso-8859-1"
                    | b"iso8859-1"
                    | b"iso-latin-1"
                    | b"cp1252"
                    | b"windows-1252"
                    | b"l1"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_is_stripped() {
        let (text, problem) = decode(b"\xEF\xBB\xBFx = 1\n").unwrap();
        assert_eq!(text, "x = 1\n");
        assert!(problem.is_none());
    }

    #[test]
    fn utf16_le_with_bom() {
        let bytes = [0xFF, 0xFE, b'a', 0, b'=', 0, b'1', 0];
        assert_eq!(decode(&bytes).unwrap().0, "a=1");
    }

    #[test]
    fn nul_bytes_are_binary() {
        let err = decode(b"import os\n\0\0\x01").unwrap_err();
        assert_eq!(err.line, 0);
        assert!(err.message.starts_with("binary"));
    }

    #[test]
    fn latin1_declaration_is_honoured() {
        let (text, problem) = decode(b"# -*- coding: latin-1 -*-\nname = '\xe9'\n").unwrap();
        assert_eq!(text, "# -*- coding: latin-1 -*-\nname = '\u{e9}'\n");
        assert!(problem.is_none());
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported_with_its_line() {
        let (text, problem) = decode(b"a = 1\nb = '\xff'\n").unwrap();
        assert_eq!(text, "a = 1\nb = '\u{fffd}'\n");
        assert_eq!(problem.unwrap().line, 2);
    }
}
