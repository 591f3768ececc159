//! The `junit` format: JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure,
//! the JUnit report actions). One `testsuite` per file with findings, named by its path, and one
//! failing `testcase` per finding. Without findings, one passing test case, so the report shows a
//! green result rather than nothing. The output has no timings, so a run prints the same bytes
//! every time.

use std::fmt::Write as _;
use std::io::{self, Write};

use stratalint_engine::Diagnostic;

use crate::files::is_file_level;
use crate::Report;

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let n = report.diagnostics.len();
    if n == 0 {
        let _ = write!(
            xml,
            "<testsuites name=\"stratalint\" tests=\"1\" failures=\"0\" errors=\"0\">\n  \
             <testsuite name=\"stratalint\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n    \
             <testcase name=\"no findings in {} checked\" classname=\"stratalint\"/>\n  \
             </testsuite>\n</testsuites>\n",
            plural(report.files_checked, "file")
        );
        return out.write_all(xml.as_bytes());
    }
    let _ = writeln!(
        xml,
        "<testsuites name=\"stratalint\" tests=\"{n}\" failures=\"{n}\" errors=\"0\">"
    );
    for group in by_file(report.diagnostics) {
        let file = escape(&group[0].loc.file);
        let k = group.len();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{file}\" tests=\"{k}\" failures=\"{k}\" errors=\"0\" skipped=\"0\">"
        );
        for d in group {
            test_case(&mut xml, d, &file);
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

fn test_case(xml: &mut String, d: &Diagnostic, file: &str) {
    let pos = d.loc.start_pos;
    let name = if is_file_level(&d.loc) {
        d.rule.to_string()
    } else {
        format!("{} at {}:{}", d.rule, pos.line, pos.column)
    };
    let mut text = format!(
        "{}:{}:{}: {}[{}] {}",
        d.loc.file, pos.line, pos.column, d.severity, d.rule, d.message
    );
    if let Some(help) = &d.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    let _ = write!(text, "\ndocs: {}", d.docs_url());
    let _ = writeln!(
        xml,
        "    <testcase name=\"{}\" classname=\"{file}\" file=\"{file}\" line=\"{}\">\n      \
         <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
        escape(&name),
        pos.line,
        escape(&d.message),
        escape(d.rule),
        escape_text(&text),
    );
}

/// The findings grouped by file, files in order of first appearance (the sort order keeps a file's
/// findings together, but grouping does not rely on it).
fn by_file(diagnostics: &[Diagnostic]) -> Vec<Vec<&Diagnostic>> {
    let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for d in diagnostics {
        let i = *index.entry(&*d.loc.file).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[i].push(d);
    }
    groups
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Text for an attribute value or element content. The five markup characters become entities;
/// CR, LF and tab become character references, so attribute values keep them (parsers would
/// normalise them to spaces) and CRLF survives in text; characters XML 1.0 forbids (other control
/// characters, U+FFFE, U+FFFF) become U+FFFD, since no reference can express them.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Element content: as [`escape`], but line breaks and tabs stay literal, for readability.
fn escape_text(s: &str) -> String {
    escape(s).replace("&#10;", "\n").replace("&#9;", "\t")
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_text};

    #[test]
    fn escaping() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(
            escape("a\r\nb\tc\u{1}d\u{ffff}"),
            "a&#13;&#10;b&#9;c\u{fffd}d\u{fffd}"
        );
        assert_eq!(escape("日本 é &amp;"), "日本 é &amp;amp;");
        assert_eq!(escape_text("a\r\nb\t&#10;"), "a&#13;\nb\t&amp;#10;");
    }
}
