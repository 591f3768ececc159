//! `miette::SourceCode` implementations for the human format.
//!
//! miette's own impls (`str`, `String`, `Arc<str>`, …) rescan the text from byte 0 on every
//! `read_span`, and the graphical handler calls `read_span` several times per label, so a file with
//! thousands of findings would render in quadratic time. [`IndexedSource`] answers each call with
//! two binary searches over precomputed line starts instead.

use std::sync::Arc;

use miette::{MietteError, SourceCode, SourceSpan, SpanContents};

/// The text of one file with the byte offset of every line start.
///
/// Offsets are those of the file on disk, so `Loc::start`/`end` can be used as spans unchanged. The
/// first line starts after a UTF-8 BOM: the BOM is never shown and columns exclude it, as
/// `Position` does.
pub(crate) struct IndexedSource {
    name: Arc<str>,
    text: Arc<str>,
    line_starts: Vec<usize>,
}

const BOM: &str = "\u{feff}";

impl IndexedSource {
    pub(crate) fn new(name: Arc<str>, text: Arc<str>) -> IndexedSource {
        let first = if text.starts_with(BOM) { BOM.len() } else { 0 };
        let mut line_starts = vec![first];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        IndexedSource {
            name,
            text,
            line_starts,
        }
    }

    /// The span for `start..end`, or `None` when it cannot be shown: outside the text, inside the
    /// BOM, or splitting a character (the file changed since it was checked, or a rule computed a
    /// bad range). miette would print an error box or panic on such spans.
    pub(crate) fn span(&self, start: usize, end: usize) -> Option<SourceSpan> {
        let ok = self.line_starts[0] <= start
            && start <= end
            && self.text.is_char_boundary(start)
            && self.text.is_char_boundary(end);
        ok.then(|| SourceSpan::from(start..end))
    }

    /// 0-based index of the line containing `offset` (the BOM belongs to the first line).
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The text of 1-based `line` without its terminator (`\n` or `\r\n`) and without a BOM,
    /// as rustc and editors show it; `None` past the last line.
    pub(crate) fn line_text(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self.line_end(line - 1);
        let text = &self.text[start..end];
        let text = text.strip_suffix('\n').unwrap_or(text);
        Some(text.strip_suffix('\r').unwrap_or(text))
    }

    /// End of `line`, its terminator included.
    fn line_end(&self, line: usize) -> usize {
        self.line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// 0-based column of `offset` in chars, like `Position::column`. Counting UTF-8 lead bytes
    /// rather than slicing keeps this panic-free when `offset` splits a character.
    fn column(&self, line: usize, offset: usize) -> usize {
        let start = self.line_starts[line].min(offset);
        self.text.as_bytes()[start..offset]
            .iter()
            .filter(|&&b| (b as i8) >= -0x40)
            .count()
    }
}

impl SourceCode for IndexedSource {
    /// Same contract as miette's `[u8]` impl: with context, the data runs from the start of the
    /// first context line to the end of the last one (terminator included); without context before
    /// (after), it starts (ends) exactly at the span. Lines are split at `\n` only, as rustc and
    /// proc-macro2 count them. Unlike miette's impl, `column` counts chars and `line_count` is the
    /// number of lines the data covers, as the trait documents.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start
            .checked_add(span.len())
            .filter(|&end| start >= self.line_starts[0] && end <= self.text.len())
            .ok_or(MietteError::OutOfBounds)?;
        let first_span_line = self.line_of(start);
        let last_span_line = if end > start {
            self.line_of(end - 1)
        } else {
            first_span_line
        };

        let (data_start, line, column) = if context_lines_before == 0 {
            let column = self.column(first_span_line, start);
            (start, first_span_line, column)
        } else {
            let line = first_span_line.saturating_sub(context_lines_before);
            (self.line_starts[line], line, 0)
        };
        let (data_end, last_line) = if context_lines_after == 0 {
            (end, last_span_line)
        } else {
            let last = last_span_line
                .saturating_add(context_lines_after)
                .min(self.line_starts.len() - 1);
            (self.line_end(last), last)
        };

        Ok(Box::new(Contents {
            data: &self.text.as_bytes()[data_start..data_end],
            span: SourceSpan::from(data_start..data_end),
            name: &self.name,
            line,
            column,
            line_count: last_line - line + 1,
        }))
    }
}

/// A source whose text is not available (file-level findings, unreadable files): every span reads
/// as empty at the finding's position, so miette still prints `[path:line:col]` in the snippet
/// header instead of dropping the location altogether.
pub(crate) struct Location {
    pub(crate) name: Arc<str>,
    /// 0-based.
    pub(crate) line: usize,
    /// 0-based, in chars.
    pub(crate) column: usize,
}

impl SourceCode for Location {
    fn read_span<'a>(
        &'a self,
        _span: &SourceSpan,
        _context_lines_before: usize,
        _context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        Ok(Box::new(Contents {
            data: &[],
            span: SourceSpan::from(0..0),
            name: &self.name,
            line: self.line,
            column: self.column,
            line_count: 0,
        }))
    }
}

/// Borrows the file name, where `MietteSpanContents::new_named` would allocate it on every call.
struct Contents<'a> {
    data: &'a [u8],
    span: SourceSpan,
    name: &'a str,
    line: usize,
    column: usize,
    line_count: usize,
}

impl<'a> SpanContents<'a> for Contents<'a> {
    fn data(&self) -> &'a [u8] {
        self.data
    }
    fn span(&self) -> &SourceSpan {
        &self.span
    }
    fn name(&self) -> Option<&str> {
        Some(self.name)
    }
    fn line(&self) -> usize {
        self.line
    }
    fn column(&self) -> usize {
        self.column
    }
    fn line_count(&self) -> usize {
        self.line_count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> IndexedSource {
        IndexedSource::new(Arc::from("src/x.rs"), Arc::from(text))
    }

    /// (data, data offset, line, column, line_count)
    fn read(
        s: &IndexedSource,
        range: std::ops::Range<usize>,
        ctx: usize,
    ) -> (String, usize, usize, usize, usize) {
        let c = s.read_span(&SourceSpan::from(range), ctx, ctx).unwrap();
        let data = String::from_utf8(c.data().to_vec()).unwrap();
        (
            data,
            c.span().offset(),
            c.line(),
            c.column(),
            c.line_count(),
        )
    }

    #[test]
    fn agrees_with_miette_on_lf_and_crlf_text() {
        for text in [
            "fn a() {}\nfn b() {\n    x();\n}\n\nfn c() {}",
            "fn a() {}\r\nfn b() {\r\n    x();\r\n}\r\n\r\nfn c() {}\r\n",
        ] {
            let ours = src(text);
            for start in 0..text.len() {
                for end in start..=text.len() {
                    // miette's scan treats a span ending in a line terminator as reaching into the
                    // next line; ours keeps it on its own line (checked separately below).
                    if end > start && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
                        continue;
                    }
                    // A label inside a CRLF pair cannot come from a Rust span.
                    if text.as_bytes().get(start) == Some(&b'\n')
                        && start > 0
                        && text.as_bytes()[start - 1] == b'\r'
                    {
                        continue;
                    }
                    for ctx in [0, 1, 2] {
                        // miette reads one byte for an empty span at offset 0 without context.
                        if (start, end, ctx) == (0, 0, 0) {
                            continue;
                        }
                        let span = SourceSpan::from(start..end);
                        let theirs = text.read_span(&span, ctx, ctx).unwrap();
                        let mine = ours.read_span(&span, ctx, ctx).unwrap();
                        let at = format!("{text:?} {start}..{end} ctx {ctx}");
                        assert_eq!(mine.data(), theirs.data(), "data {at}");
                        assert_eq!(mine.span(), theirs.span(), "span {at}");
                        assert_eq!(mine.line(), theirs.line(), "line {at}");
                        assert_eq!(mine.column(), theirs.column(), "column {at}");
                    }
                }
            }
        }
    }

    #[test]
    fn context_lines_and_line_count() {
        let s = src("l1\nl2\nl3 target\nl4\nl5\n");
        let at = 9..15; // "target"
        assert_eq!(
            read(&s, at.clone(), 1),
            ("l2\nl3 target\nl4\n".into(), 3, 1, 0, 3)
        );
        assert_eq!(
            read(&s, at.clone(), 5),
            ("l1\nl2\nl3 target\nl4\nl5\n".into(), 0, 0, 0, 6)
        );
        assert_eq!(read(&s, at, 0), ("target".into(), 9, 2, 3, 1));
        // A span ending with its line's terminator stays on that line.
        assert_eq!(
            read(&s, 6..16, 1),
            ("l2\nl3 target\nl4\n".into(), 3, 1, 0, 3)
        );
    }

    #[test]
    fn bom_is_skipped_and_not_counted_in_columns() {
        let text = "\u{feff}let é = 1;\r\nlet s = \"日本\"; x\r\n";
        let s = src(text);
        let e = text.find('é').unwrap();
        assert_eq!(e, 7);
        assert_eq!(read(&s, e..e + 2, 0), ("é".into(), 7, 0, 4, 1));
        assert_eq!(
            read(&s, e..e + 2, 1),
            ("let é = 1;\r\nlet s = \"日本\"; x\r\n".into(), 3, 0, 0, 2)
        );
        let x = text.rfind('x').unwrap();
        // Column in chars: `let s = "日本"; ` is 14 chars but 18 bytes.
        assert_eq!(read(&s, x..x + 1, 0), ("x".into(), x, 1, 14, 1));
        assert_eq!(
            read(&s, x..x + 1, 1),
            ("let é = 1;\r\nlet s = \"日本\"; x\r\n".into(), 3, 0, 0, 3)
        );
        // Spans inside the BOM or splitting a char are refused before they reach miette.
        assert!(s.read_span(&SourceSpan::from(0..3), 1, 1).is_err());
        assert!(s.span(1, 5).is_none());
        assert!(s.span(e + 1, e + 2).is_none());
        assert!(s.span(e, e + 2).is_some());
    }

    #[test]
    fn out_of_bounds_and_degenerate_input() {
        let s = src("abc");
        assert!(s.read_span(&SourceSpan::from(2..4), 1, 1).is_err());
        assert!(s
            .read_span(&SourceSpan::from((usize::MAX, 2)), 1, 1)
            .is_err());
        assert!(s.span(2, 4).is_none());
        assert_eq!(read(&s, 3..3, 1), ("abc".into(), 0, 0, 0, 1));
        let empty = src("");
        assert_eq!(read(&empty, 0..0, 1), ("".into(), 0, 0, 0, 1));
        let bom_only = src(BOM);
        assert_eq!(read(&bom_only, 3..3, 2), ("".into(), 3, 0, 0, 1));
        // A column is computed even for an offset splitting a char, without panicking.
        let wide = src("日本");
        assert_eq!(wide.column(0, 1), 1);
    }
}
