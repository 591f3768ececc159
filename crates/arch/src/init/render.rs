//! The `stratalint.toml` that `init` writes: the layer map with comments saying what was found
//! where, so that people can review it.

use std::fmt::Write;

use super::{Inspection, Kind};

/// Render an inspection as a commented `stratalint.toml`.
pub fn render(ins: &Inspection) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "# stratalint.toml, written by `stratalint init`. Review it, then commit it."
    );
    let _ = writeln!(w, "#");
    let _ = writeln!(w, "# What init found:");
    for (i, c) in ins.crates.iter().enumerate() {
        let head = if i == 0 { "crates:    " } else { "           " };
        let _ = writeln!(w, "#   {head} {c}");
    }
    let list = |v: &[&str]| {
        if v.is_empty() {
            "none found".to_string()
        } else {
            v.join(", ")
        }
    };
    let _ = writeln!(w, "#   web:        {}", list(&ins.frameworks));
    let _ = writeln!(w, "#   database:   {}", list(&ins.databases));
    let _ = writeln!(w, "#   layout:     {}", ins.layout);
    let _ = writeln!(w, "#");
    for line in [
        "The layer map. A layer is a set of files (`paths`: globs relative to this file), modules",
        "(`modules`: \"crate::web\") or workspace crates (`crates`). A file belongs to the first",
        "layer below whose globs match it; otherwise to the layer of its module, then of its crate.",
        "`may-use` lists the layers a layer may depend on besides itself, and nothing else: a",
        "handler reaches a repository only through a service because `repositories` is not in",
        "the api's list. A `shared` layer may be used by every layer. The directions follow the",
        "seed: Router/Controller → Service → Repository → Database, schemas at the edge, models",
        "underneath, the composition root wiring them all.",
    ] {
        let _ = writeln!(w, "# {line}");
    }
    for plan in &ins.layers {
        let _ = writeln!(w);
        let _ = writeln!(w, "# {}", plan.kind.purpose());
        for e in &plan.evidence {
            let _ = writeln!(w, "#   found: {e}");
        }
        for n in &plan.notes {
            for line in wrap(n, 94) {
                let _ = writeln!(w, "# {line}");
            }
        }
        let _ = writeln!(w, "[layers.{}]", plan.name());
        if plan.kind == Kind::State {
            let _ = writeln!(w, "role = \"root\"");
        }
        if !plan.paths.is_empty() {
            let _ = writeln!(w, "paths = {}", array(&plan.paths));
        }
        if !plan.crates.is_empty() {
            let _ = writeln!(w, "crates = {}", array(&plan.crates));
        }
        if plan.kind == Kind::Core {
            let _ = writeln!(w, "shared = true");
        }
        if !plan.may_use.is_empty() {
            let names: Vec<String> = plan.may_use.iter().map(|k| k.name().to_string()).collect();
            let _ = writeln!(w, "may-use = {}", array(&names));
        }
    }
    if let Some(preset) = &ins.migration_preset {
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "# Migrations are named as {preset} names them (found from the dependencies and the migration folders);"
        );
        let _ = writeln!(
            w,
            "# every migration rule reads this. The seed's own convention is `yyyymmdd_HHmm_<feature>` (preset = \"seed\")."
        );
        let _ = writeln!(w, "[rules.migration-file-name]");
        let _ = writeln!(w, "preset = \"{preset}\"");
    }
    if !ins.unassigned.is_empty() {
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "# In no layer (the layer rules leave these files alone; add them to a layer if they belong):"
        );
        for f in ins.unassigned.iter().take(12) {
            let _ = writeln!(w, "#   {f}");
        }
        if ins.unassigned.len() > 12 {
            let _ = writeln!(w, "#   … and {} more", ins.unassigned.len() - 12);
        }
    }
    out
}

fn array(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    let one_line = format!("[{}]", quoted.join(", "));
    if one_line.len() <= 90 {
        return one_line;
    }
    let mut s = String::from("[\n");
    for q in quoted {
        s.push_str("    ");
        s.push_str(&q);
        s.push_str(",\n");
    }
    s.push(']');
    s
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}
