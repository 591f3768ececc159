//! The subcommands.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use stratalint_engine::baseline::{self, Baseline};
use stratalint_engine::pipeline::{all_metas, parse_only};
use stratalint_engine::{CheckError, CheckOptions, Severity, StdinInput};
use stratalint_report::{Format, Report};

use crate::cli::{CheckArgs, ColorChoice, Command, DebugCommand, FailOn, ListFormat, RulesArgs};

pub fn dispatch(cli: crate::Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Rules(args) => rules(args),
        Command::Rule { id } => rule(&id),
        Command::Clean { path } => clean(path),
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

fn check(mut args: CheckArgs) -> i32 {
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
    let stdin = match &args.stdin_filename {
        Some(path) => {
            let mut contents = String::new();
            if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut contents) {
                eprintln!("error: cannot read standard input: {e}");
                return 2;
            }
            Some(StdinInput {
                path: path.clone(),
                contents,
            })
        }
        None => None,
    };
    if let Some(rev) = &args.changed_since {
        match changed_files(rev, &args.paths) {
            Ok(files) if files.is_empty() => {
                if !args.quiet {
                    println!("No files changed since {rev}");
                }
                return 0;
            }
            Ok(files) => args.paths = files,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    }
    let opts = CheckOptions {
        paths: args.paths.clone(),
        cwd: cwd(),
        config: args.config.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        jobs: args.jobs,
        force_exclude: args.force_exclude,
        no_cache: args.no_cache,
        stdin: stdin.clone(),
        need_architecture: false,
    };
    if args.fix || args.diff {
        use stratalint_rules::migrations::fix;
        let plan = match fix::plan(&opts) {
            Ok(plan) => plan,
            Err(e) => return fail(e),
        };
        if args.diff {
            print!("{}", plan.describe());
            return i32::from(!plan.renames.is_empty());
        }
        for line in fix::apply(&plan) {
            eprintln!("{line}");
        }
    }
    let mut result = match stratalint_engine::check(&opts, stratalint_rules::all()) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::from_diagnostics(&result.diagnostics);
        return match baseline.write(path) {
            Ok(()) => {
                eprintln!(
                    "wrote {} findings to the baseline {}",
                    baseline.entries.len(),
                    path.display()
                );
                0
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                2
            }
        };
    }
    let baseline_path = args
        .baseline
        .clone()
        .map(|p| cwd().join(p))
        .or_else(|| result.config.baseline.clone());
    let mut baseline_note = None;
    if let Some(path) = baseline_path {
        let baseline = match Baseline::load(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!(
                    "error: {e}\nrecord one with `stratalint check --write-baseline {}`",
                    path.display()
                );
                return 2;
            }
        };
        let checked: BTreeSet<&str> = result.checked_files.iter().map(|f| &**f).collect();
        let outcome = baseline.apply(&mut result.diagnostics, &checked);
        baseline_note = Some((path, outcome));
    }
    let mut sources: HashMap<String, Arc<str>> = HashMap::new();
    if let (Some(input), Some(file)) = (&stdin, result.checked_files.first()) {
        sources.insert(file.to_string(), Arc::from(input.contents.as_str()));
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let report = Report {
        diagnostics: &result.diagnostics,
        root: &result.root,
        metas: &result.metas,
        files_checked: result.files_checked,
        elapsed: result.elapsed,
        color: use_color(args.color, to_terminal),
        version: env!("CARGO_PKG_VERSION"),
        sources: Some(&sources),
    };
    let mut buf: Vec<u8> = Vec::new();
    // machine-readable documents stay whole: --quiet only shortens the formats for people
    let written = if args.quiet && !format.is_document() {
        writeln!(buf, "{}", stratalint_report::summary(&report))
    } else {
        stratalint_report::write(format, &report, &mut buf)
    };
    if let Err(e) = written {
        eprintln!("error: cannot render the report: {e}");
        return 2;
    }
    if args.statistics {
        if format.is_document() {
            let mut stats = Vec::new();
            write_statistics(&result.diagnostics, &mut stats);
            eprint!("{}", String::from_utf8_lossy(&stats));
        } else {
            write_statistics(&result.diagnostics, &mut buf);
        }
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
    if let Some((path, outcome)) = &baseline_note {
        report_baseline(path, outcome);
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

fn report_baseline(path: &std::path::Path, outcome: &baseline::Outcome) {
    if outcome.matched > 0 {
        eprintln!(
            "{} known findings hidden by the baseline {}",
            outcome.matched,
            path.display()
        );
    }
    if !outcome.stale.is_empty() {
        eprintln!(
            "{} baseline entries no longer match a finding (fixed?); run `stratalint check --write-baseline {}` to drop them:",
            outcome.stale.len(),
            path.display()
        );
        for e in outcome.stale.iter().take(20) {
            eprintln!("  {} [{}] {}", e.file, e.rule, e.message);
        }
        if outcome.stale.len() > 20 {
            eprintln!("  … and {} more", outcome.stale.len() - 20);
        }
    }
}

/// Files changed since `rev` (committed since, staged, unstaged, untracked), absolute, existing,
/// and under the checked `paths` (the current directory when none is given, as for `check`).
///
/// Git runs in the repository of each checked path (`git -C`), so
/// `stratalint check some/repo --changed-since HEAD~1` works from anywhere. The names are
/// listed from the repository's top level, where git prints them relative to it whatever
/// `diff.relative` says, NUL-separated so no name comes back quoted.
fn changed_files(rev: &str, paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let git = |dir: &Path, args: &[&str]| -> Result<String, String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| format!("--changed-since needs git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git -C {} {} failed: {}",
                dir.display(),
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let cwd = cwd();
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    for p in paths {
        let abs = cwd.join(p);
        let Ok(root) = abs.canonicalize() else {
            return Err(format!("path `{}` does not exist", p.display()));
        };
        dirs.push(match root.parent() {
            Some(parent) if !root.is_dir() => parent.to_path_buf(),
            _ => root.clone(),
        });
        roots.push(root);
    }
    let mut tops: BTreeSet<PathBuf> = BTreeSet::new();
    for dir in &dirs {
        let top = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?.trim());
        tops.insert(top.canonicalize().unwrap_or(top));
    }
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    for top in &tops {
        let changed = git(
            top,
            &["diff", "-z", "--name-only", "--no-renames", rev, "--"],
        )?;
        let untracked = git(top, &["ls-files", "-z", "--others", "--exclude-standard"])?;
        files.extend(
            changed
                .split('\0')
                .chain(untracked.split('\0'))
                .filter(|n| !n.is_empty())
                .map(|n| top.join(n))
                .filter(|p| p.is_file())
                .filter(|p| roots.iter().any(|r| p.starts_with(r))),
        );
    }
    Ok(files.into_iter().collect())
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

/// Remove the cache of the project that `path` belongs to (found as `check` finds it).
fn clean(path: Option<PathBuf>) -> i32 {
    let opts = CheckOptions {
        paths: path.into_iter().collect(),
        cwd: cwd(),
        ..CheckOptions::default()
    };
    let rules = stratalint_rules::all();
    let metas = all_metas(&rules);
    let (config, anchor, _) = match stratalint_engine::pipeline::load_config(&opts, &metas) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let root = stratalint_engine::project::find_root(&anchor, &config);
    match stratalint_engine::cache::clean(&root) {
        Ok(true) => {
            println!(
                "removed {}",
                root.join(stratalint_engine::cache::DIR).display()
            );
            0
        }
        Ok(false) => {
            println!("no cache under {}", root.display());
            0
        }
        Err(e) => {
            eprintln!(
                "error: cannot remove the cache under {}: {e}",
                root.display()
            );
            2
        }
    }
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
        DebugCommand::ParseOnly {
            paths,
            jobs,
            like_check,
        } => {
            let opts = CheckOptions {
                paths,
                cwd: cwd(),
                jobs,
                ..CheckOptions::default()
            };
            match parse_only(&opts, like_check) {
                Ok((n, elapsed)) => {
                    println!("{n} files parsed in {:.3}s", elapsed.as_secs_f64());
                    0
                }
                Err(e) => fail(e),
            }
        }
    }
}
