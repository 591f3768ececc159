//! The table-shaping statements of SQL migration files (`CREATE TABLE`, `ALTER TABLE`, `DROP
//! TABLE`), read with `sqlparser`, with the byte range of every name in the file.
//!
//! A migration file is split into statements first (quotes, comments and `$$` bodies respected),
//! and only the statements that shape tables are parsed, one at a time: a file full of
//! `CREATE FUNCTION … $$ … $$`, `DO $$ … $$`, `CREATE POLICY` or syntax sqlparser does not know
//! still yields its tables, and a statement that does not parse is skipped, never reported.

use sqlparser::ast::{
    AlterTableOperation, ColumnDef, Ident, ObjectName, ObjectNamePart, ObjectType,
    RenameTableNameKind, Statement,
};
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

/// A name as written in the SQL, with its byte range in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlName {
    /// Without quotes.
    pub value: String,
    /// Written in quotes (`"createdAt"`): its case is kept by the database.
    pub quoted: bool,
    pub start: usize,
    pub end: usize,
}

impl SqlName {
    /// The name the database stores: unquoted names are folded to lower case (as Postgres
    /// does), for matching a name against its later `ALTER`/`DROP`.
    pub fn key(&self) -> String {
        fold(&self.value, self.quoted)
    }
}

fn fold(value: &str, quoted: bool) -> String {
    if quoted {
        value.to_string()
    } else {
        value.to_ascii_lowercase()
    }
}

/// One table-shaping event of a migration. Tables are named by their last name part (`auth.users`
/// → `users`), folded as the database folds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DdlEvent {
    CreateTable {
        table: SqlName,
        columns: Vec<SqlName>,
    },
    RenameTable {
        from: String,
        to: SqlName,
    },
    DropTable {
        table: String,
    },
    AddColumn {
        table: String,
        column: SqlName,
    },
    RenameColumn {
        table: String,
        from: String,
        to: SqlName,
    },
    DropColumn {
        table: String,
        column: String,
    },
}

/// The table-shaping events of a SQL file, in order. Never fails: what does not parse is skipped.
pub fn table_events(text: &str) -> Vec<DdlEvent> {
    let mut out = Vec::new();
    for (start, end) in split_statements(text) {
        let stmt = &text[start..end];
        let body = skip_comments(stmt);
        if !shapes_tables(body) {
            continue;
        }
        let Some(parsed) = parse_one(stmt) else {
            continue;
        };
        let lines = LineMap::new(stmt, start);
        for s in parsed {
            events_of(&s, &lines, &mut out);
        }
    }
    out
}

/// `CREATE [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE`, `ALTER TABLE`, `DROP TABLE`.
fn shapes_tables(stmt: &str) -> bool {
    let words: Vec<String> = stmt
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .take(6)
        .map(str::to_ascii_lowercase)
        .collect();
    match words.first().map(String::as_str) {
        Some("alter") | Some("drop") => words.get(1).is_some_and(|w| w == "table"),
        Some("create") => {
            for w in &words[1..] {
                match w.as_str() {
                    "table" => return true,
                    "or" | "replace" | "global" | "local" | "unlogged" => continue,
                    // temporary tables are not part of the schema
                    _ => return false,
                }
            }
            false
        }
        _ => false,
    }
}

fn parse_one(stmt: &str) -> Option<Vec<Statement>> {
    let dialects: [&dyn Dialect; 4] = [
        &PostgreSqlDialect {},
        &GenericDialect {},
        &MySqlDialect {},
        &SQLiteDialect {},
    ];
    dialects.iter().find_map(|d| {
        Parser::new(*d)
            .try_with_sql(stmt)
            .and_then(|mut p| p.parse_statements())
            .ok()
    })
}

fn last_ident(name: &ObjectName) -> Option<&Ident> {
    match name.0.last()? {
        ObjectNamePart::Identifier(i) => Some(i),
        _ => None,
    }
}

fn events_of(s: &Statement, lines: &LineMap<'_>, out: &mut Vec<DdlEvent>) {
    match s {
        Statement::CreateTable(ct) if !ct.temporary => {
            let Some(table) = last_ident(&ct.name).and_then(|i| lines.name(i)) else {
                return;
            };
            let columns = ct
                .columns
                .iter()
                .filter_map(|c: &ColumnDef| lines.name(&c.name))
                .collect();
            out.push(DdlEvent::CreateTable { table, columns });
        }
        Statement::AlterTable(at) => {
            let Some(table) = last_ident(&at.name) else {
                return;
            };
            let mut table = fold(&table.value, table.quote_style.is_some());
            for op in &at.operations {
                match op {
                    AlterTableOperation::AddColumn { column_def, .. } => {
                        if let Some(column) = lines.name(&column_def.name) {
                            out.push(DdlEvent::AddColumn {
                                table: table.clone(),
                                column,
                            });
                        }
                    }
                    AlterTableOperation::RenameColumn {
                        old_column_name,
                        new_column_name,
                    }
                    | AlterTableOperation::ChangeColumn {
                        old_name: old_column_name,
                        new_name: new_column_name,
                        ..
                    } => {
                        if let Some(to) = lines.name(new_column_name) {
                            out.push(DdlEvent::RenameColumn {
                                table: table.clone(),
                                from: fold(
                                    &old_column_name.value,
                                    old_column_name.quote_style.is_some(),
                                ),
                                to,
                            });
                        }
                    }
                    AlterTableOperation::DropColumn { column_names, .. } => {
                        for c in column_names {
                            out.push(DdlEvent::DropColumn {
                                table: table.clone(),
                                column: fold(&c.value, c.quote_style.is_some()),
                            });
                        }
                    }
                    AlterTableOperation::RenameTable { table_name } => {
                        let name = match table_name {
                            RenameTableNameKind::As(n) | RenameTableNameKind::To(n) => n,
                        };
                        if let Some(to) = last_ident(name).and_then(|i| lines.name(i)) {
                            let next = to.key();
                            out.push(DdlEvent::RenameTable {
                                from: table.clone(),
                                to,
                            });
                            table = next;
                        }
                    }
                    _ => {}
                }
            }
        }
        Statement::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        } => {
            for n in names {
                if let Some(i) = last_ident(n) {
                    out.push(DdlEvent::DropTable {
                        table: fold(&i.value, i.quote_style.is_some()),
                    });
                }
            }
        }
        _ => {}
    }
}

/// Maps sqlparser's 1-based (line, column in characters) positions inside one statement to byte
/// offsets in the file.
struct LineMap<'a> {
    stmt: &'a str,
    base: usize,
    starts: Vec<usize>,
}

impl<'a> LineMap<'a> {
    fn new(stmt: &'a str, base: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(stmt.match_indices('\n').map(|(i, _)| i + 1));
        LineMap { stmt, base, starts }
    }

    fn offset(&self, line: u64, column: u64) -> Option<usize> {
        let start = *self
            .starts
            .get(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let col = usize::try_from(column).ok()?.checked_sub(1)?;
        let rest = &self.stmt[start..];
        let within = rest
            .char_indices()
            .nth(col)
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        Some(start + within)
    }

    /// The name of an identifier, located. The range covers the name as written (quotes
    /// included); when sqlparser has no span for it, the first occurrence in the statement.
    fn name(&self, ident: &Ident) -> Option<SqlName> {
        let quoted = ident.quote_style.is_some();
        let written_len = ident.value.len() + if quoted { 2 } else { 0 };
        let start = match self.offset(ident.span.start.line, ident.span.start.column) {
            Some(s)
                if self.stmt[s..].starts_with(|c: char| Some(c) == ident.quote_style)
                    || self.stmt[s..].starts_with(ident.value.as_str()) =>
            {
                s
            }
            _ => self
                .stmt
                .find(ident.value.as_str())?
                .saturating_sub(usize::from(quoted)),
        };
        let end = (start + written_len).min(self.stmt.len());
        Some(SqlName {
            value: ident.value.clone(),
            quoted,
            start: self.base + start,
            end: self.base + end,
        })
    }
}

/// Skip leading whitespace and comments.
fn skip_comments(mut s: &str) -> &str {
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix("--") {
            s = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return s;
        }
    }
}

/// Byte ranges of the statements of a SQL text, split at `;` outside quotes, comments and
/// dollar-quoted bodies. Empty statements are dropped.
pub fn split_statements(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let push = |out: &mut Vec<(usize, usize)>, s: usize, e: usize| {
        if !skip_comments(&text[s..e]).trim().is_empty() {
            out.push((s, e));
        }
    };
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' | b'`' => {
                let q = b[i];
                i += 1;
                while i < b.len() {
                    if b[i] == q {
                        // a doubled quote is an escaped quote
                        if b.get(i + 1) == Some(&q) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    if b[i] == b'\\' && q == b'\'' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'$' => {
                // $tag$ … $tag$ (the tag is empty or an identifier)
                let tag_end = b[i + 1..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map(|p| i + 1 + p);
                match tag_end {
                    Some(e)
                        if b[e] == b'$' && !b[i + 1..e].first().is_some_and(u8::is_ascii_digit) =>
                    {
                        let tag = &text[i..=e];
                        match text[e + 1..].find(tag) {
                            Some(p) => i = e + 1 + p + tag.len(),
                            None => i = b.len(),
                        }
                    }
                    _ => i += 1,
                }
            }
            b';' => {
                push(&mut out, start, i);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < b.len() {
        push(&mut out, start, b.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, n: &SqlName) -> String {
        text[n.start..n.end].to_string()
    }

    #[test]
    fn splits_around_quotes_comments_and_dollar_bodies() {
        let sql = "CREATE TABLE a (x TEXT DEFAULT ';');\n-- a ; comment\nDO $$ BEGIN PERFORM 1; END $$;\n/* ; */ SELECT 1";
        let parts: Vec<&str> = split_statements(sql)
            .into_iter()
            .map(|(s, e)| sql[s..e].trim())
            .collect();
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert!(parts[1].ends_with("END $$"), "{parts:?}");
    }

    #[test]
    fn tables_and_columns_with_their_ranges() {
        let sql = "-- users\nCREATE TABLE IF NOT EXISTS public.users (\n    id UUID PRIMARY KEY,\n    \"createdAt\" TIMESTAMPTZ NOT NULL\n);\nCREATE INDEX users_email ON users (email);\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\nDO $$ BEGIN RAISE NOTICE 'x'; END $$;\nALTER TABLE users ADD COLUMN displayName TEXT, RENAME COLUMN id TO user_id;\nALTER TABLE users RENAME TO accounts;\nDROP TABLE IF EXISTS accounts, \"Logs\";\nCREATE TEMP TABLE scratch (x INT);\n";
        let ev = table_events(sql);
        let DdlEvent::CreateTable { table, columns } = &ev[0] else {
            panic!("{ev:?}")
        };
        assert_eq!(at(sql, table), "users");
        assert_eq!(at(sql, &columns[1]), "\"createdAt\"");
        assert!(columns[1].quoted);
        assert!(
            matches!(&ev[1], DdlEvent::AddColumn { table, column } if table == "users" && at(sql, column) == "displayName")
        );
        assert!(
            matches!(&ev[2], DdlEvent::RenameColumn { from, to, .. } if from == "id" && to.value == "user_id")
        );
        assert!(
            matches!(&ev[3], DdlEvent::RenameTable { from, to } if from == "users" && to.value == "accounts")
        );
        assert_eq!(
            ev[4],
            DdlEvent::DropTable {
                table: "accounts".into()
            }
        );
        assert_eq!(
            ev[5],
            DdlEvent::DropTable {
                table: "Logs".into()
            }
        );
        assert_eq!(ev.len(), 6, "{ev:?}");
    }

    #[test]
    fn never_fails_on_what_it_cannot_parse() {
        assert!(table_events("CREATE TABLE (((;\nALTER TABLE;\n$$ unterminated").is_empty());
        assert!(table_events("").is_empty());
        let mysql = "CREATE TABLE `users` (`id` INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;";
        assert!(
            matches!(&table_events(mysql)[0], DdlEvent::CreateTable { table, .. } if table.value == "users")
        );
    }
}
