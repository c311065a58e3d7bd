//! The command line: clap definitions (`Cli`), validated into settings, and the commands.
//!
//! Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage, configuration or input
//! error (a named path that does not exist).

use crate::Engine;
use crate::diagnostic::{Jurisdiction, Severity};
use crate::judge::AuditOptions;
use crate::report::{FileEntry, Report, render_human, render_json};
use crate::rules::{self, Product, RuleSet};
use crate::source::{self, DEFAULT_MAX_FILE_SIZE};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Audits product labels and marketing copy for overclaims.
#[derive(Debug, Parser)]
#[command(name = "overclaim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Audit files and folders (HTML, Markdown, text, labels) for overclaims.
    ///
    /// Example: overclaim audit samples/ --jurisdiction EU,UK --format json
    Audit(AuditArgs),
    /// Explain a rule: what it catches, why, where, with examples.
    ///
    /// Example: overclaim explain drug-claim.collagen-stimulation
    Explain {
        /// Rule id.
        rule: String,
    },
    /// Show the evidence base: every topic, or one topic with its studies.
    ///
    /// Example: overclaim evidence exosomes.vs-prp
    Evidence {
        /// Topic id; all topics when omitted.
        topic: Option<String>,
    },
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// rustc-style diagnostics and a summary.
    Human,
    /// The JSON report contract (schema overclaim/report@1).
    Json,
}

/// Lowest severity that makes the run fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Fail on errors only.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail because of findings.
    Never,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, clap::Args)]
struct AuditArgs {
    /// Files or folders to audit; `-` reads standard input as plain text.
    ///
    /// Example: overclaim audit samples/ page.html -
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    ///
    /// Example: --format json
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Jurisdictions to judge under, comma-separated.
    ///
    /// Example: --jurisdiction EU,UK
    #[arg(long, value_delimiter = ',', default_value = "US,EU,UK", value_parser = parse_jurisdiction)]
    jurisdiction: Vec<Jurisdiction>,
    /// Exit 1 when a finding has this severity or higher.
    ///
    /// Example: --fail-on error
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// What the product is; drug claims are only overclaims for a cosmetic.
    ///
    /// Example: --product drug
    #[arg(long, value_enum, default_value_t = Product::Cosmetic)]
    product: Product,
    /// Colour the output.
    ///
    /// Example: --color never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Skip files larger than this many bytes.
    ///
    /// Example: --max-file-size 1000000
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
}

fn parse_jurisdiction(value: &str) -> Result<Jurisdiction, String> {
    match value.trim().to_ascii_uppercase().as_str() {
        "US" => Ok(Jurisdiction::US),
        "EU" => Ok(Jurisdiction::EU),
        "UK" | "GB" => Ok(Jurisdiction::UK),
        other => Err(format!(
            "unknown jurisdiction `{other}`; expected US, EU or UK"
        )),
    }
}

/// Parses the command line, runs the command, and returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Audit(args) => audit(&args),
        Command::Explain { rule } => explain(&rule),
        Command::Evidence { topic } => evidence(topic.as_deref()),
    };
    ExitCode::from(code)
}

/// Loads the built-in rules, printing every load error.
fn load_rules() -> Result<RuleSet, u8> {
    rules::load(&rules::embedded_sources()).map_err(|errors| {
        for e in &errors {
            eprintln!("error: {e}");
        }
        eprintln!("error: {} problem(s) in rule files", errors.len());
        2
    })
}

fn audit(args: &AuditArgs) -> u8 {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    colored::control::set_override(color);
    let rules = match load_rules() {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let mut jurisdictions = args.jurisdiction.clone();
    jurisdictions.sort();
    jurisdictions.dedup();
    let engine = Engine::new(
        rules,
        AuditOptions {
            jurisdictions,
            product: args.product,
        },
    );

    let walk = source::walk(&args.paths);
    let outcomes: Vec<_> = walk
        .candidates
        .par_iter()
        .map(|candidate| {
            let file = source::read(candidate, args.max_file_size)?;
            let findings = engine.audit(&file).map_err(|e| source::Skipped {
                path: file.display.clone(),
                reason: format!("could not parse: {e}"),
            })?;
            Ok((
                FileEntry {
                    path: file.display,
                    format: file.format,
                    findings: findings.len(),
                },
                findings,
            ))
        })
        .collect();

    let mut report = Report {
        skipped: walk.skipped,
        ..Report::default()
    };
    for outcome in outcomes {
        match outcome {
            Ok((entry, findings)) => {
                report.files.push(entry);
                report.findings.extend(findings);
            }
            Err(skipped) => report.skipped.push(skipped),
        }
    }

    let rendered = match args.format {
        OutputFormat::Human => {
            for s in &report.skipped {
                eprintln!("warning: skipped {}: {}", s.path, s.reason);
            }
            render_human(&report, color)
        }
        OutputFormat::Json => render_json(&report),
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(rendered.as_bytes())
        .and_then(|()| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write output: {e}");
        return 2;
    }

    if walk.missing_operand {
        return 2;
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    u8::from(failed)
}

fn evidence(topic: Option<&str>) -> u8 {
    let rules = match load_rules() {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let mut topics: Vec<_> = rules.topics.values().collect();
    topics.sort_by(|a, b| a.id.cmp(&b.id));
    let Some(id) = topic else {
        let mut out = String::new();
        for t in topics {
            out.push_str(&format!(
                "{:<36} best {:<14} supports {:<12} {}\n",
                t.id,
                t.best_level.as_str(),
                t.supports.as_str(),
                t.title
            ));
        }
        print!("{out}");
        return 0;
    };
    let Some(topic) = rules.topics.get(id) else {
        let near = topics
            .iter()
            .map(|t| (strsim::jaro_winkler(id, &t.id), &t.id))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(score, _)| *score > 0.7)
            .map_or_else(String::new, |(_, c)| format!("; did you mean `{c}`?"));
        eprintln!("error: no evidence topic `{id}`{near}");
        return 2;
    };
    let mut out = format!(
        "{}\n{}\n\nBest level: {}\nSupports at most: {} claims\n\n{}\n\nStudies\n",
        topic.id,
        topic.title,
        topic.best_level.as_str(),
        topic.supports.as_str(),
        topic.summary.trim()
    );
    for study in topic.studies.iter().filter_map(|s| rules.studies.get(s)) {
        out.push_str(&format!(
            "  {} [{}]: {}\n    {}\n",
            study.id,
            study.level.as_str(),
            crate::judge::describe_study(study),
            study.citation
        ));
        if let Some(doi) = &study.doi {
            out.push_str(&format!("    https://doi.org/{doi}\n"));
        } else if let Some(url) = &study.url {
            out.push_str(&format!("    {url}\n"));
        }
    }
    let citing: Vec<&str> = rules
        .rules
        .iter()
        .filter(|r| r.evidence.as_deref() == Some(topic.id.as_str()))
        .map(|r| r.id.as_str())
        .collect();
    if !citing.is_empty() {
        out.push_str(&format!(
            "\nRules judged against it\n  {}\n",
            citing.join("\n  ")
        ));
    }
    print!("{out}");
    0
}

fn explain(id: &str) -> u8 {
    let rules = match load_rules() {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let Some(rule) = rules.rule(id) else {
        let ids: Vec<&String> = rules.rules.iter().map(|r| &r.id).collect();
        let near = ids
            .iter()
            .map(|c| (strsim::jaro_winkler(id, c), c))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(score, _)| *score > 0.7)
            .map_or_else(String::new, |(_, c)| format!("; did you mean `{c}`?"));
        eprintln!("error: no rule `{id}`{near}");
        return 2;
    };
    let mut out = String::new();
    out.push_str(&format!("{}\n{}\n\n", rule.id, rule.title));
    out.push_str(&format!(
        "Category: {}\nDefined in: {}\n\n",
        rule.category.as_str(),
        rule.file
    ));
    out.push_str(&format!("What it says\n  {}\n\n", rule.message));
    if !rule.why.is_empty() {
        out.push_str(&format!("Why\n  {}\n\n", rule.why.trim()));
    }
    out.push_str("Where\n");
    for j in &rule.jurisdictions {
        out.push_str(&format!("  {} ({})\n", j.jurisdiction, j.severity));
        for id in &j.positions {
            if let Some(p) = rules.positions.get(id) {
                out.push_str(&format!(
                    "    {}: {}\n      {}\n      {}\n",
                    p.id, p.instrument, p.summary, p.url
                ));
            }
        }
    }
    out.push_str("\nFlags\n");
    for e in &rule.flag_examples {
        out.push_str(&format!("  ✗ {e}\n"));
    }
    out.push_str("Passes\n");
    for e in &rule.pass_examples {
        out.push_str(&format!("  ✓ {e}\n"));
    }
    if let Some(topic) = rule.evidence.as_ref().and_then(|t| rules.topics.get(t)) {
        out.push_str(&format!(
            "\nEvidence\n  {} (best level {}; supports at most {} claims); see `overclaim evidence {}`\n",
            topic.id,
            topic.best_level.as_str(),
            topic.supports.as_str(),
            topic.id
        ));
    }
    out.push_str(&format!("\nSuggested wording\n  {}\n", rule.suggest));
    print!("{out}");
    0
}
