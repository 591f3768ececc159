//! The `junit` format, read back with an XML parser as a CI system would.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{error, loc, register, render, report, FILE_NAME};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use stratalint_engine::{Diagnostic, Loc};
use stratalint_report::Format;

const TEXT: &str = "fn é() {\n    let s = \"日本\"; std::thread::sleep(d);\n}\n";

/// An element as parsed: name, attributes (unescaped), text content (unescaped), depth.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    depth: usize,
}

impl Element {
    fn attr(&self, key: &str) -> &str {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {key} on {self:?}"))
    }
}

/// Parse `xml` strictly (well-formedness errors fail the test) into a flat list of elements.
fn parse(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("well-formed attribute");
                        let value = a
                            .normalized_value(XmlVersion::Explicit1_0)
                            .expect("valid escapes")
                            .into_owned();
                        (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), value)
                    })
                    .collect();
                elements.push(Element {
                    name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
                    attrs,
                    text: String::new(),
                    depth: open.len(),
                });
                if matches!(event, Event::Start(_)) {
                    open.push(elements.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&t.decode().unwrap());
                }
            }
            Event::GeneralRef(r) => {
                let i = *open.last().unwrap();
                let name = r.decode().unwrap();
                let c = match &*name {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    _ => r.resolve_char_ref().unwrap().unwrap().to_string(),
                };
                elements[i].text.push_str(&c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty());
    elements
}

#[test]
fn one_suite_per_file_one_failing_case_per_finding() {
    register();
    let sleep = error(
        loc("src/a.rs", TEXT, "std::thread::sleep(d)", 0),
        "blocking <sleep> & \"quotes\" 'too'\n\tsecond line",
    )
    .with_help("use `tokio::time::sleep(..).await`\r\nor <spawn_blocking>");
    let other = error(loc("src/a.rs", TEXT, "fn", 0), "first");
    let file_level = Diagnostic::new(
        FILE_NAME.id,
        FILE_NAME.family,
        FILE_NAME.severity,
        Loc::file_start(Arc::from("src/<B>&.rs")),
        "file name is not snake_case",
    );
    let diags = vec![other, sleep, file_level];
    let xml = render(Format::Junit, &report(&diags, Path::new("/nonexistent")));
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let e = parse(&xml);
    let names: Vec<(&str, usize)> = e.iter().map(|e| (e.name.as_str(), e.depth)).collect();
    assert_eq!(
        names,
        [
            ("testsuites", 0),
            ("testsuite", 1),
            ("testcase", 2),
            ("failure", 3),
            ("testcase", 2),
            ("failure", 3),
            ("testsuite", 1),
            ("testcase", 2),
            ("failure", 3),
        ]
    );
    assert_eq!(e[0].attr("tests"), "3");
    assert_eq!(e[0].attr("failures"), "3");
    assert_eq!(e[1].attr("name"), "src/a.rs");
    assert_eq!(e[1].attr("tests"), "2");
    assert_eq!(e[4].attr("name"), "blocking-call-in-async at 2:19");
    assert_eq!(e[4].attr("classname"), "src/a.rs");
    assert_eq!(e[4].attr("line"), "2");
    // Every markup character, the line break and tab of the message (in an attribute, where a
    // parser turns literal ones into spaces) and the CRLF of the help survive the round trip.
    assert_eq!(
        e[5].attr("message"),
        "blocking <sleep> & \"quotes\" 'too'\n\tsecond line"
    );
    assert_eq!(e[5].attr("type"), "blocking-call-in-async");
    assert_eq!(
        e[5].text,
        "src/a.rs:2:19: error[blocking-call-in-async] blocking <sleep> & \"quotes\" 'too'\n\
         \tsecond line\n\
         help: use `tokio::time::sleep(..).await`\r\nor <spawn_blocking>\n\
         docs: https://github.com/stratalint/stratalint/blob/main/rules/async/blocking-call-in-async.md"
    );
    // A file-level finding: named by its rule, in a suite named by the (escaped) path.
    assert_eq!(e[6].attr("name"), "src/<B>&.rs");
    assert_eq!(e[7].attr("name"), "file-name-case");
    assert_eq!(e[8].attr("type"), "file-name-case");
}

#[test]
fn no_findings_is_one_passing_case() {
    let xml = render(Format::Junit, &report(&[], Path::new(".")));
    let e = parse(&xml);
    let names: Vec<&str> = e.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["testsuites", "testsuite", "testcase"]);
    assert_eq!(e[0].attr("failures"), "0");
    assert_eq!(e[1].attr("tests"), "1");
    assert_eq!(e[2].attr("name"), "no findings in 12 files checked");
}
