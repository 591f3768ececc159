//! The subcommands.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use stratalint_engine::pipeline::{all_metas, parse_only};
use stratalint_engine::{CheckError, CheckOptions, Severity};
use stratalint_report::{Format, Report};

use crate::cli::{CheckArgs, ColorChoice, Command, DebugCommand, FailOn, ListFormat, RulesArgs};

pub fn dispatch(cli: crate::Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) => rules(args),
        Command::Rule { id } => rule(&id),
        Command::Init(args) => crate::arch_commands::init(args),
        Command::Graph(args) => crate::arch_commands::graph(args),
        Command::Debug { command } => debug(command),
    }
}

pub(crate) fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// Print an error that is not a finding and return exit code 2.
pub(crate) fn fail(err: CheckError) -> i32 {
    match err {
        CheckError::Config(e) => {
            eprintln!("{:?}", miette::Report::new(e));
        }
        CheckError::Usage(m) => eprintln!("error: {m}"),
    }
    2
}

/// Colors on: forced by `always` or CLICOLOR_FORCE; with `auto`, a terminal and no NO_COLOR.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let force = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => force || (is_terminal && !no_color),
    }
}

fn check(args: CheckArgs) -> i32 {
    let Some(format) = Format::parse(&args.format) else {
        eprintln!(
            "error: unknown output format `{}`; expected one of: {}",
            args.format,
            Format::ALL
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return 2;
    };
    let opts = CheckOptions {
        paths: args.paths.clone(),
        cwd: cwd(),
        config: args.config.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        jobs: args.jobs,
        force_exclude: args.force_exclude,
    };
    let result = match stratalint_engine::check(&opts, stratalint_rules::all()) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let report = Report {
        diagnostics: &result.diagnostics,
        root: &result.root,
        metas: &result.metas,
        files_checked: result.files_checked,
        elapsed: result.elapsed,
        color: use_color(args.color, to_terminal),
        version: env!("CARGO_PKG_VERSION"),
        sources: None,
    };
    let mut buf: Vec<u8> = Vec::new();
    let written = if args.quiet {
        writeln!(buf, "{}", stratalint_report::summary(&report))
    } else {
        stratalint_report::write(format, &report, &mut buf)
    };
    if let Err(e) = written {
        eprintln!("error: cannot render the report: {e}");
        return 2;
    }
    if args.statistics {
        write_statistics(&result.diagnostics, &mut buf);
    }
    let out = match &args.output {
        Some(path) => {
            std::fs::write(path, &buf).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&buf)
                .and_then(|_| stdout.flush())
                .map_err(|e| e.to_string())
        }
    };
    if let Err(e) = out {
        // a closed pipe (`| head`) is not an error worth a trace
        if !e.contains("Broken pipe") {
            eprintln!("error: {e}");
            return 2;
        }
    }
    let fail_on = match args.fail_on {
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Info) => Severity::Info,
        None => result.config.fail_on,
    };
    let failing = result.diagnostics.iter().any(|d| d.severity >= fail_on);
    i32::from(failing && !args.exit_zero)
}

fn write_statistics(diags: &[stratalint_engine::Diagnostic], out: &mut Vec<u8>) {
    let mut counts: Vec<(&str, usize, Severity)> = Vec::new();
    for d in diags {
        match counts.iter_mut().find(|(r, _, _)| *r == d.rule) {
            Some(c) => c.1 += 1,
            None => counts.push((d.rule, 1, d.severity)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let _ = writeln!(out);
    for (rule, n, sev) in counts {
        let _ = writeln!(out, "{n:>6}  {rule:<34} {sev}");
    }
}

fn rules(args: RulesArgs) -> i32 {
    let rules = stratalint_rules::all();
    let metas = all_metas(&rules);
    let mut out = String::new();
    match args.format {
        ListFormat::Text => {
            use std::fmt::Write as _;
            for m in &metas {
                let on = if m.default_enabled {
                    ""
                } else {
                    " (off by default)"
                };
                let _ = writeln!(
                    out,
                    "{:<34} {:<12} {:<8} {}{on}",
                    m.id,
                    m.family.as_str(),
                    m.severity.as_str(),
                    m.summary()
                );
            }
        }
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = metas
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id,
                        "family": m.family.as_str(),
                        "severity": m.severity.as_str(),
                        "summary": m.summary(),
                        "default_enabled": m.default_enabled,
                        "docs_url": stratalint_engine::rule::docs_url(m.id),
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&list).unwrap_or_default();
            out.push('\n');
        }
    }
    stratalint_engine::rule::register_doc_families(&metas);
    print!("{out}");
    0
}

fn rule(id: &str) -> i32 {
    let rules = stratalint_rules::all();
    let metas = all_metas(&rules);
    stratalint_engine::rule::register_doc_families(&metas);
    match metas.iter().find(|m| m.id == id) {
        Some(m) => {
            println!("{} ({}, {} by default)\n", m.id, m.family, m.severity);
            println!("{}", m.body().trim_end());
            println!(
                "\nDocumentation: {}",
                stratalint_engine::rule::docs_url(m.id)
            );
            0
        }
        None => {
            let ids: Vec<&str> = metas.iter().map(|m| m.id).collect();
            let hint = stratalint_engine::config::suggest(id, &ids)
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            eprintln!("error: unknown rule `{id}`{hint}\n`stratalint rules` lists them");
            2
        }
    }
}

fn debug(command: DebugCommand) -> i32 {
    match command {
        DebugCommand::ParseOnly { paths, jobs } => {
            let opts = CheckOptions {
                paths,
                cwd: cwd(),
                jobs,
                ..CheckOptions::default()
            };
            match parse_only(&opts) {
                Ok((n, elapsed)) => {
                    println!("{n} files parsed in {:.3}s", elapsed.as_secs_f64());
                    0
                }
                Err(e) => fail(e),
            }
        }
    }
}
