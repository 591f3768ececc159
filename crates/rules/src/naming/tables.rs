//! Where tables and columns are named, for `table-name` and `column-name`: SQL migrations (the
//! schema as they leave it, renames and drops applied in order), sea-orm `table_name` /
//! `column_name`, diesel's `table!` and `#[diesel(table_name/column_name)]`, and sqlx `FromRow`
//! renames.
//!
//! The migrations are where names are made; the Rust declarations mirror them. A name the
//! migrations define is reported there only, so one mistake is one finding.

use std::collections::BTreeMap;

use stratalint_engine::proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use stratalint_engine::syn::{self, Fields, ItemStruct};
use stratalint_engine::{Cx, Loc, MacroCall, ProjectCx, Role, TextCx, TextFile};

use super::entity::{attr_value, db_derive, RowDerive};
use crate::shared::sql::{table_events, DdlEvent, SqlName};

/// Where a name is declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Origin {
    Sql,
    SeaOrm,
    Diesel,
    /// `#[diesel(table_name = …)]` / `column_name`: a reference to a `table!` declaration.
    DieselRef,
    Sqlx,
}

/// A table or column name and where it is written.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Decl {
    pub name: String,
    pub loc: Loc,
    pub origin: Origin,
}

/// A located SQL name.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Named {
    pub value: String,
    /// As the database stores it (unquoted names folded to lower case).
    pub key: String,
    pub loc: Loc,
}

/// The table events of one SQL migration file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Event {
    Create {
        table: Named,
        columns: Vec<Named>,
    },
    RenameTable {
        from: String,
        to: Named,
    },
    DropTable {
        table: String,
    },
    AddColumn {
        table: String,
        column: Named,
    },
    RenameColumn {
        table: String,
        from: String,
        to: Named,
    },
    DropColumn {
        table: String,
        column: String,
    },
}

/// The fact of a SQL migration file.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct SqlMigration {
    /// The migrations folder (the order of files inside it is their path order).
    pub folder: String,
    pub events: Vec<Event>,
}

/// The fact of a Rust file's declarations.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct RustDecls(pub Vec<Decl>);

/// Tables the migration tools keep for themselves.
pub const TOOL_TABLES: &[&str] = &[
    "_sqlx_migrations",
    "__diesel_schema_migrations",
    "seaql_migrations",
    "alembic_version",
    "refinery_schema_history",
    "schema_migrations",
];

/// A SQL file that creates the schema: an `up` migration in the migrations layer.
fn is_up_migration(rel: &str, role: Option<Role>) -> bool {
    role == Some(Role::Migrations)
        && rel.ends_with(".sql")
        && !rel.ends_with(".down.sql")
        && !rel.ends_with("/down.sql")
}

fn folder_of(rel: &str) -> String {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let mut acc = String::new();
    let mut found = None;
    for seg in dir.split('/') {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(seg);
        if seg == "migrations" || seg == "migration" {
            found = Some(acc.clone());
        }
    }
    found.unwrap_or_else(|| dir.to_string())
}

/// Record the table events of a SQL migration.
pub fn record_sql(cx: &mut TextCx<'_>, file: &TextFile<'_>) {
    if !is_up_migration(file.rel_path, cx.file().role) {
        return;
    }
    let Some(src) = file.text else { return };
    let named = |cx: &TextCx<'_>, n: &SqlName| Named {
        value: n.value.clone(),
        key: n.key(),
        loc: cx.loc_range(n.start, n.end),
    };
    let events = table_events(src.text())
        .into_iter()
        .map(|e| match e {
            DdlEvent::CreateTable { table, columns } => Event::Create {
                table: named(cx, &table),
                columns: columns.iter().map(|c| named(cx, c)).collect(),
            },
            DdlEvent::RenameTable { from, to } => Event::RenameTable {
                from,
                to: named(cx, &to),
            },
            DdlEvent::DropTable { table } => Event::DropTable { table },
            DdlEvent::AddColumn { table, column } => Event::AddColumn {
                table,
                column: named(cx, &column),
            },
            DdlEvent::RenameColumn { table, from, to } => Event::RenameColumn {
                table,
                from,
                to: named(cx, &to),
            },
            DdlEvent::DropColumn { table, column } => Event::DropColumn { table, column },
        })
        .collect();
    cx.fact(SqlMigration {
        folder: folder_of(file.rel_path),
        events,
    });
}

#[derive(Default)]
struct Table {
    decl: Option<Named>,
    columns: Vec<Named>,
}

/// The tables and columns the migrations leave, each with the statement that last named it.
pub fn final_schema<'a>(
    files: impl Iterator<Item = (&'a SqlMigration, &'a str)>,
) -> (Vec<Named>, Vec<Named>) {
    let mut by_folder: BTreeMap<&str, Vec<(&str, &SqlMigration)>> = BTreeMap::new();
    for (m, rel) in files {
        by_folder.entry(&m.folder).or_default().push((rel, m));
    }
    let (mut tables_out, mut columns_out) = (Vec::new(), Vec::new());
    for (_, mut files) in by_folder {
        files.sort_by(|a, b| a.0.cmp(b.0));
        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        for (_, m) in files {
            for e in &m.events {
                match e {
                    Event::Create { table, columns } => {
                        tables.insert(
                            table.key.clone(),
                            Table {
                                decl: Some(table.clone()),
                                columns: columns.clone(),
                            },
                        );
                    }
                    Event::RenameTable { from, to } => {
                        let mut t = tables.remove(from).unwrap_or_default();
                        t.decl = Some(to.clone());
                        tables.insert(to.key.clone(), t);
                    }
                    Event::DropTable { table } => {
                        tables.remove(table);
                    }
                    Event::AddColumn { table, column } => {
                        let t = tables.entry(table.clone()).or_default();
                        t.columns.retain(|c| c.key != column.key);
                        t.columns.push(column.clone());
                    }
                    Event::RenameColumn { table, from, to } => {
                        let t = tables.entry(table.clone()).or_default();
                        t.columns.retain(|c| c.key != *from && c.key != to.key);
                        t.columns.push(to.clone());
                    }
                    Event::DropColumn { table, column } => {
                        if let Some(t) = tables.get_mut(table) {
                            t.columns.retain(|c| c.key != *column);
                        }
                    }
                }
            }
        }
        for (_, t) in tables {
            tables_out.extend(t.decl);
            columns_out.extend(t.columns);
        }
    }
    (tables_out, columns_out)
}

/// The SQL migrations a rule recorded, with their files.
pub fn sql_facts<'a>(cx: &ProjectCx<'a>) -> Vec<(&'a SqlMigration, &'a str)> {
    cx.facts::<SqlMigration>()
        .map(|(m, f)| (m, &*f.rel))
        .collect()
}

/// Tables (`tables = true`) or columns a struct declares.
pub fn struct_decls(cx: &Cx<'_, '_>, s: &ItemStruct, tables: bool) -> Vec<Decl> {
    let mut out = Vec::new();
    let mut push = |v: super::entity::AttrValue, origin| {
        out.push(Decl {
            name: v.value,
            loc: cx.loc(v.span),
            origin,
        });
    };
    if tables {
        if let Some(v) = attr_value(&s.attrs, "sea_orm", "table_name") {
            push(v, Origin::SeaOrm);
        }
        if let Some(v) = attr_value(&s.attrs, "diesel", "table_name") {
            push(v, Origin::DieselRef);
        }
        return out;
    }
    // read when a field has a `#[sqlx(rename)]`: most have none
    let sqlx = std::cell::OnceCell::new();
    let sqlx = || *sqlx.get_or_init(|| db_derive(cx, &s.attrs) == Some(RowDerive::Sqlx));
    let fields = match &s.fields {
        Fields::Named(f) => &f.named,
        _ => return out,
    };
    for f in fields {
        if let Some(v) = attr_value(&f.attrs, "sea_orm", "column_name") {
            push(v, Origin::SeaOrm);
        }
        if let Some(v) = attr_value(&f.attrs, "diesel", "column_name") {
            push(v, Origin::DieselRef);
        }
        if let Some(v) = attr_value(&f.attrs, "sqlx", "rename") {
            if sqlx() {
                push(v, Origin::Sqlx);
            }
        }
    }
    out
}

/// Is this macro diesel's `table!`: resolved to diesel's, or a bare `table!` in a crate that
/// depends on diesel (`#[macro_use] extern crate diesel;` in another file of the crate).
pub fn is_diesel_table(cx: &Cx<'_, '_>, mac: &MacroCall<'_>) -> bool {
    let krate = cx.project().crate_of(cx.file());
    let local = krate.map_or("", |c| c.name.as_str());
    match &mac.path {
        Some(q) if q.first() == "diesel" => q.last() == "table",
        Some(q) if q.first() != local && q.first() != "crate" => false,
        _ => {
            mac.name() == "table"
                && krate.is_some_and(|c| c.deps.iter().any(|d| d.package == "diesel"))
        }
    }
}

/// `#[sql_name = "…"]` among the attributes just read.
fn sql_name(attr: &TokenStream) -> Option<(String, Span)> {
    let mut it = attr.clone().into_iter();
    match (it.next(), it.next(), it.next()) {
        (Some(TokenTree::Ident(i)), Some(TokenTree::Punct(p)), Some(TokenTree::Literal(l)))
            if i == "sql_name" && p.as_char() == '=' =>
        {
            let lit: syn::LitStr =
                syn::parse2(TokenStream::from(TokenTree::Literal(l.clone()))).ok()?;
            Some((lit.value(), l.span()))
        }
        _ => None,
    }
}

/// The tables (`tables = true`) or columns of a diesel `table!` invocation:
/// `[#[sql_name = ".."]] [schema.]name (pk) { [#[sql_name = ".."]] column -> Type, … }`.
pub fn diesel_decls(cx: &Cx<'_, '_>, tokens: &TokenStream, tables: bool) -> Vec<Decl> {
    let mut out = Vec::new();
    let toks: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut i = 0;
    let mut renamed: Option<(String, Span)> = None;
    let mut name: Option<(String, Span)> = None;
    while i < toks.len() {
        match &toks[i] {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(g)) = toks.get(i + 1) {
                    if let Some(n) = sql_name(&g.stream()) {
                        renamed = Some(n);
                    }
                }
                i += 2;
                continue;
            }
            TokenTree::Ident(id) if id != "use" => name = Some((id.to_string(), id.span())),
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                if let Some((n, span)) = renamed.take().or(name.take()) {
                    if tables {
                        out.push(Decl {
                            name: n,
                            loc: cx.loc(span),
                            origin: Origin::Diesel,
                        });
                    } else {
                        out.extend(diesel_columns(cx, &g.stream()));
                    }
                }
                name = None;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn diesel_columns(cx: &Cx<'_, '_>, body: &TokenStream) -> Vec<Decl> {
    let toks: Vec<TokenTree> = body.clone().into_iter().collect();
    let mut out = Vec::new();
    let mut renamed: Option<(String, Span)> = None;
    let mut expect_name = true;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            TokenTree::Punct(p) if p.as_char() == '#' && expect_name => {
                if let Some(TokenTree::Group(g)) = toks.get(i + 1) {
                    if let Some(n) = sql_name(&g.stream()) {
                        renamed = Some(n);
                    }
                }
                i += 2;
                continue;
            }
            TokenTree::Ident(id) if expect_name => {
                let (n, span) = renamed.take().unwrap_or((id.to_string(), id.span()));
                out.push(Decl {
                    name: n,
                    loc: cx.loc(span),
                    origin: Origin::Diesel,
                });
                expect_name = false;
            }
            TokenTree::Punct(p) if p.as_char() == ',' => expect_name = true,
            _ => {}
        }
        i += 1;
    }
    out
}
