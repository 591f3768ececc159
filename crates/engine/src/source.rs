//! Source text with a line index: byte offsets to 1-based line/column in O(log lines).

use crate::diagnostic::Position;

/// A decoded source file. The BOM, if any, is stripped from `text`; `bom_len` remembers it so that
/// byte offsets reported to users are offsets into the file on disk.
pub struct SourceText {
    text: String,
    bom_len: usize,
    line_starts: Vec<u32>,
}

/// Why a file could not be turned into text.
#[derive(Debug)]
pub enum DecodeError {
    /// The first invalid byte: its offset, and its 1-based line and column (chars before it).
    NotUtf8 {
        valid_up_to: usize,
        line: u32,
        column: u32,
    },
    TooLarge {
        len: usize,
    },
}

impl SourceText {
    /// Decode bytes as UTF-8 (a BOM is allowed). Files over 4 GiB cannot be indexed with `u32`.
    pub fn decode(bytes: Vec<u8>) -> Result<SourceText, DecodeError> {
        if bytes.len() >= u32::MAX as usize {
            return Err(DecodeError::TooLarge { len: bytes.len() });
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid_up_to = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line_start = memchr::memrchr(b'\n', &bytes[..valid_up_to]).map_or(0, |i| i + 1);
            let line = memchr::memchr_iter(b'\n', &bytes[..valid_up_to]).count() as u32 + 1;
            // the prefix before the first invalid byte is valid UTF-8
            let column = std::str::from_utf8(&bytes[line_start..valid_up_to])
                .map_or(0, |s| s.chars().count()) as u32
                + 1;
            DecodeError::NotUtf8 {
                valid_up_to,
                line,
                column,
            }
        })?;
        Ok(SourceText::new(text))
    }

    pub fn new(mut text: String) -> SourceText {
        let bom_len = if text.starts_with('\u{feff}') {
            text.drain(..3);
            3
        } else {
            0
        };
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        SourceText {
            text,
            bom_len,
            line_starts,
        }
    }

    /// The text without BOM, as handed to the parser.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn bom_len(&self) -> usize {
        self.bom_len
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line index of a byte offset into `text()`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of a 0-based line in `text()`, without its line terminator.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line] as usize;
        let mut end = self
            .line_starts
            .get(line + 1)
            .map(|&s| s as usize - 1)
            .unwrap_or(self.text.len());
        if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The text of a 0-based line, without its terminator.
    pub fn line_text(&self, line: usize) -> &str {
        &self.text[self.line_range(line)]
    }

    /// 1-based position of a byte offset into `text()`; the column counts chars.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts[line] as usize;
        let mut offset = offset;
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line as u32 + 1,
            column: column as u32,
        }
    }

    /// Byte offset in `text()` of a 1-based line and 0-based char column (proc-macro2's
    /// `LineColumn`).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let start = start as usize;
        let rest = &self.text[start..];
        // most lines are ASCII up to the column: the column is then the byte count
        if rest.as_bytes().get(..column).is_some_and(<[u8]>::is_ascii) {
            return start + column;
        }
        match rest.char_indices().nth(column) {
            Some((i, _)) => start + i,
            None => self.text.len(),
        }
    }

    /// Convert an offset in `text()` to an offset in the file on disk.
    pub fn file_offset(&self, offset: usize) -> usize {
        offset + self.bom_len
    }

    /// Convert an offset in the file on disk to an offset in `text()`.
    pub fn text_offset(&self, file_offset: usize) -> usize {
        file_offset.saturating_sub(self.bom_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_chars_and_skip_bom() {
        let src = SourceText::new("\u{feff}fn a() {}\r\nlet é = 1;\n".to_string());
        assert_eq!(src.bom_len(), 3);
        assert_eq!(src.position(0), Position { line: 1, column: 1 });
        let e = src.text().find("é").unwrap();
        assert_eq!(src.position(e), Position { line: 2, column: 5 });
        // after the two-byte char, the column advances by one
        assert_eq!(src.position(e + 2), Position { line: 2, column: 6 });
        assert_eq!(src.line_text(0), "fn a() {}");
        assert_eq!(src.offset_of(2, 4), e);
        assert_eq!(src.offset_of(2, 5), e + 2);
        assert_eq!(src.offset_of(1, 3), 3);
        assert_eq!(src.file_offset(e), e + 3);
    }

    #[test]
    fn line_and_column_give_the_byte_offsets_proc_macro2_gives() {
        let text = "fn é() {}\r\n/* ünï */ let s = \"ß\"; x.y(\r\n  z)\n\tq + 1;\n";
        let src = SourceText::new(text.to_string());
        let tokens: proc_macro2::TokenStream = src.text().parse().expect("tokens");
        fn each(ts: proc_macro2::TokenStream, f: &mut dyn FnMut(proc_macro2::Span)) {
            for t in ts {
                f(t.span());
                if let proc_macro2::TokenTree::Group(g) = t {
                    f(g.span_open());
                    f(g.span_close());
                    each(g.stream(), f);
                }
            }
        }
        let mut n = 0;
        each(tokens, &mut |span| {
            let (a, b) = (span.start(), span.end());
            let range = span.byte_range();
            assert_eq!(src.offset_of(a.line, a.column), range.start, "{span:?}");
            assert_eq!(src.offset_of(b.line, b.column), range.end, "{span:?}");
            n += 1;
        });
        assert!(n > 15);
    }

    #[test]
    fn non_utf8_is_an_error_not_a_panic() {
        assert!(matches!(
            SourceText::decode(vec![b'f', b'n', 0xff, 0xfe]),
            Err(DecodeError::NotUtf8 {
                valid_up_to: 2,
                line: 1,
                column: 3
            })
        ));
    }
}
