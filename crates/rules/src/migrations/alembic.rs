//! The header of an alembic revision file: `revision`, `down_revision` (a parent, a tuple of
//! parents for a merge, or `None` for a base) and the `Create Date:` line of its docstring.

use std::sync::OnceLock;

use regex::Regex;
use stratalint_engine::Loc;

use super::timestamp::Stamp;

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct AlembicHeader {
    /// `revision = "…"` and where its value is.
    pub revision: Option<(String, Loc)>,
    /// The parents (empty for a base: `down_revision = None`), and where the assignment is;
    /// None when the file has no `down_revision`.
    pub down_revision: Option<(Vec<String>, Loc)>,
    /// `Create Date: 2026-01-17 09:30:12.345678` and where it is; None when absent or not a
    /// valid date and time.
    pub create_date: Option<(Stamp, Loc)>,
}

fn assignment() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.*)$").expect("valid regex")
    })
}

fn create_date() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"Create Date:\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")
            .expect("valid regex")
    })
}

fn string_literals(s: &str) -> Vec<(String, usize, usize)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r#"'([^'\n]*)'|"([^"\n]*)""#).expect("valid regex"));
    re.captures_iter(s)
        .filter_map(|c| {
            let m = c.get(1).or_else(|| c.get(2))?;
            Some((m.as_str().to_string(), m.start(), m.end()))
        })
        .collect()
}

/// Read the header. `loc` turns byte offsets of `text` into locations.
pub fn read(text: &str, loc: impl Fn(usize, usize) -> Loc) -> AlembicHeader {
    let mut h = AlembicHeader::default();
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_end();
        if h.create_date.is_none() {
            if let Some(c) = create_date().captures(trimmed) {
                let n = |i: usize| c.get(i).map(|m| m.as_str());
                let date = format!(
                    "{}{}{}",
                    n(1).unwrap_or(""),
                    n(2).unwrap_or(""),
                    n(3).unwrap_or("")
                );
                let time = format!(
                    "{}{}{}",
                    n(4).unwrap_or(""),
                    n(5).unwrap_or(""),
                    n(6).unwrap_or("")
                );
                if let Ok(stamp) = Stamp::parse(&date, Some(&time)) {
                    let m = c.get(0).map_or(0..0, |m| m.range());
                    h.create_date = Some((stamp, loc(start + m.start, start + m.end)));
                }
            }
        }
        let Some(c) = assignment().captures(trimmed) else {
            continue;
        };
        let (Some(key), Some(value)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let value_start = start + value.start();
        let mut value_text = value.as_str().to_string();
        // a tuple or list of parents may span lines
        let opens = |s: &str| s.matches(['(', '[']).count() > s.matches([')', ']']).count();
        while opens(&value_text) {
            let Some(next) = lines.next() else { break };
            offset += next.len();
            value_text.push('\n');
            value_text.push_str(next.trim_end());
        }
        let literals = string_literals(&value_text);
        match key.as_str() {
            "revision" => {
                if let Some((rev, s, e)) = literals.into_iter().next() {
                    h.revision = Some((rev, loc(value_start + s, value_start + e)));
                }
            }
            _ => {
                let parents = literals.into_iter().map(|(p, _, _)| p).collect();
                let end = start + trimmed.len();
                h.down_revision = Some((parents, loc(start, end)));
            }
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> AlembicHeader {
        read(text, |s, e| {
            let mut l = Loc::file_start("x.py".into());
            l.start = s;
            l.end = e;
            l
        })
    }

    #[test]
    fn header() {
        let text = "\"\"\"add email\n\nRevision ID: a1b2c3d4e5f6\nRevises: 0f9e8d7c6b5a\nCreate Date: 2026-01-17 09:30:12.345678\n\n\"\"\"\nfrom alembic import op\n\nrevision: str = \"a1b2c3d4e5f6\"\ndown_revision: Union[str, None] = '0f9e8d7c6b5a'\nbranch_labels = None\n";
        let h = read_str(text);
        let (rev, l) = h.revision.unwrap();
        assert_eq!(rev, "a1b2c3d4e5f6");
        assert_eq!(&text[l.start..l.end], "a1b2c3d4e5f6");
        assert_eq!(h.down_revision.unwrap().0, vec!["0f9e8d7c6b5a"]);
        let (stamp, l) = h.create_date.unwrap();
        assert_eq!(stamp.to_string(), "2026-01-17 09:30:12");
        assert!(text[l.start..l.end].starts_with("Create Date: 2026"));
    }

    #[test]
    fn bases_and_merges() {
        let h = read_str("revision = 'b'\ndown_revision = None\n");
        assert_eq!(h.down_revision.unwrap().0, Vec::<String>::new());
        let h = read_str("revision = 'm'\ndown_revision = (\n    'a',\n    'b',\n)\nx = 1\n");
        assert_eq!(h.down_revision.unwrap().0, vec!["a", "b"]);
        let h = read_str("    revision = 'indented is not the header'\n");
        assert!(h.revision.is_none());
        let h = read_str("Create Date: 2026-02-30 09:30:00\n");
        assert!(h.create_date.is_none());
    }
}
