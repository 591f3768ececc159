//! Mermaid and DOT for a [`Graph`].

use std::fmt::Write;

use super::{plural, Edge, Graph};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Mermaid flowchart: paste it in a ```` ```mermaid ```` block of any GitHub markdown.
    Mermaid,
    /// Graphviz: `dot -Tsvg`.
    Dot,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "mermaid" => Some(Format::Mermaid),
            "dot" | "graphviz" => Some(Format::Dot),
            _ => None,
        }
    }
}

const FORBIDDEN: &str = "#d1242f";
const CYCLE: &str = "#bc4c00";

pub fn render(graph: &Graph, format: Format) -> String {
    match format {
        Format::Mermaid => mermaid(graph),
        Format::Dot => dot(graph),
    }
}

fn edge_label(e: &Edge) -> String {
    let mut label = e.refs.to_string();
    if e.forbidden == e.refs {
        label.push_str(" ✗");
    } else if e.forbidden > 0 {
        label.push_str(&format!(", {} ✗", e.forbidden));
    }
    if e.cycle {
        label.push_str(" ↻");
    }
    label
}

/// Lines naming the forbidden edges and cycles, for the top of the output.
fn summary(graph: &Graph) -> Vec<String> {
    let name = |n: usize| graph.nodes[n].label.as_str();
    let mut lines = vec![format!(
        "stratalint graph: {}. Edge label: references (imports and paths written out); \
         ✗ against the layer map; ↻ part of a cycle.",
        graph.title
    )];
    for e in graph.edges.iter().filter(|e| e.forbidden > 0) {
        let count = if e.forbidden == e.refs {
            plural(e.refs, "reference")
        } else {
            format!("{} of {} references", e.forbidden, e.refs)
        };
        lines.push(format!(
            "forbidden: {} → {} ({count})",
            name(e.from),
            name(e.to)
        ));
    }
    let cyclic: Vec<String> = graph
        .edges
        .iter()
        .filter(|e| e.cycle)
        .map(|e| format!("{} → {}", name(e.from), name(e.to)))
        .collect();
    if !cyclic.is_empty() {
        lines.push(format!("in a cycle: {}", cyclic.join(", ")));
    }
    lines
}

fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
}

fn mermaid(graph: &Graph) -> String {
    let mut out = String::from("flowchart TD\n");
    for line in summary(graph) {
        let _ = writeln!(out, "  %% {line}");
    }
    for (i, n) in graph.nodes.iter().enumerate() {
        let text = format!("{}<br/>{}", mermaid_text(&n.label), mermaid_text(&n.detail));
        if n.external {
            let _ = writeln!(out, "  n{i}([\"{text}\"])");
        } else {
            let _ = writeln!(out, "  n{i}[\"{text}\"]");
        }
    }
    let mut styles = Vec::new();
    for (i, e) in graph.edges.iter().enumerate() {
        let arrow = if e.forbidden > 0 { "==>" } else { "-->" };
        let _ = writeln!(
            out,
            "  n{} {arrow}|\"{}\"| n{}",
            e.from,
            edge_label(e),
            e.to
        );
        if e.forbidden > 0 {
            styles.push(format!(
                "  linkStyle {i} stroke:{FORBIDDEN},stroke-width:3px,color:{FORBIDDEN}"
            ));
        } else if e.cycle {
            styles.push(format!(
                "  linkStyle {i} stroke:{CYCLE},stroke-width:2px,color:{CYCLE}"
            ));
        }
    }
    for s in styles {
        let _ = writeln!(out, "{s}");
    }
    let external: Vec<String> = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.external)
        .map(|(i, _)| format!("n{i}"))
        .collect();
    if !external.is_empty() {
        let _ = writeln!(
            out,
            "  classDef outside fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3,color:#57606a"
        );
        let _ = writeln!(out, "  class {} outside", external.join(","));
    }
    out
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(graph: &Graph) -> String {
    let mut out = String::from("digraph stratalint {\n");
    for line in summary(graph) {
        let _ = writeln!(out, "  // {line}");
    }
    let _ = writeln!(out, "  rankdir=TB;");
    let _ = writeln!(
        out,
        "  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
    for (i, n) in graph.nodes.iter().enumerate() {
        let style = if n.external {
            ", style=\"rounded,dashed\", color=\"#8c959f\", fontcolor=\"#57606a\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  n{i} [label=\"{}\\n{}\"{style}];",
            dot_text(&n.label),
            dot_text(&n.detail)
        );
    }
    for e in &graph.edges {
        let style = if e.forbidden > 0 {
            format!(", color=\"{FORBIDDEN}\", fontcolor=\"{FORBIDDEN}\", penwidth=2.5")
        } else if e.cycle {
            format!(", color=\"{CYCLE}\", fontcolor=\"{CYCLE}\", penwidth=1.8")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  n{} -> n{} [label=\"{}\"{style}];",
            e.from,
            e.to,
            dot_text(&edge_label(e))
        );
    }
    out.push_str("}\n");
    out
}
