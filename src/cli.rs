//! The command line: clap definitions, then one function per command.
//!
//! Exit codes: 0 clean, 1 findings at or above `--fail-on` (or failing rule examples), 2 usage,
//! configuration or input error (a named path that does not exist).

use crate::audit::{self, RunSettings};
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::{Jurisdiction, Severity};
use crate::feeds;
use crate::output;
use crate::report::{
    GithubReporter, HumanReporter, JsonReporter, Reporter, render_html, render_sarif,
};
use crate::rules::{LoadError, Product, RuleSet, did_you_mean};
use crate::source::DEFAULT_MAX_FILE_SIZE;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Writes to stdout; a closed pipe (`overclaim … | head`) ends output quietly.
fn emit_str(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

macro_rules! emit {
    ($($arg:tt)*) => { emit_str(&format!($($arg)*)) };
}

macro_rules! emitln {
    ($($arg:tt)*) => { emit_str(&format!("{}\n", format!($($arg)*))) };
}

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
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Show the evidence base: every topic, or one topic with its studies.
    ///
    /// Example: overclaim evidence exosomes.vs-prp
    Evidence {
        /// Topic id; all topics when omitted.
        topic: Option<String>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// List, test or describe rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print a shell completion script.
    ///
    /// Example: overclaim completions bash > /etc/bash_completion.d/overclaim
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Write a commented starter `.overclaim.yaml` and an example rule folder (never overwrites).
    ///
    /// Example: overclaim init
    Init {
        /// Folder to write into.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List the rules in force.
    ///
    /// Example: overclaim rules list --format json
    List {
        /// Output format.
        ///
        /// Example: --format json
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run the examples of rule files: each `flag` example must produce its rule, each `pass`
    /// example must not. Exits 1 if any fails.
    ///
    /// Example: overclaim rules test my-rules/
    Test {
        /// A rule folder to test (its rules only); all rules in force when omitted.
        path: Option<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Print the JSON Schema of rule files, for editors to validate and complete them.
    ///
    /// Example: overclaim rules schema > rule.schema.json
    Schema,
}

/// Where rules come from.
#[derive(Debug, Default, clap::Args)]
struct RuleArgs {
    /// A config file to use for every audited file (instead of the nearest `.overclaim.yaml`).
    ///
    /// Example: --config brand/.overclaim.yaml
    #[arg(long)]
    config: Option<PathBuf>,
    /// A folder of extra rule files (rule packs, lexicon/, evidence/, regulatory/); repeatable.
    /// Rules with a built-in id replace the built-in rule.
    ///
    /// Example: --rules brand-rules/ --rules agency-rules/
    #[arg(long = "rules", value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Leave out the built-in rule packs (the built-in lexicon, positions and evidence stay).
    ///
    /// Example: --no-default-rules --rules brand-rules/
    #[arg(long)]
    no_default_rules: bool,
}

/// Report formats of `audit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// rustc-style diagnostics and a summary (colour on a terminal).
    Human,
    /// The JSON report contract (schema overclaim/report@1).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// One self-contained HTML page for reviewers: highlighted copy, panels, filters, summary.
    Html,
}

/// Output formats of listings.
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
    /// Report format.
    ///
    /// Example: --format sarif
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
    /// Write the report to this file (atomically) instead of standard output; never one of the
    /// audited files.
    ///
    /// Example: --format html --output report.html
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Read JSON Lines records `{"id": …, "text"|"html"|"markdown": …}` from standard input and
    /// write one JSON result line per record.
    ///
    /// Example: cat pages.jsonl | overclaim audit --jsonl
    #[arg(long, conflicts_with_all = ["output", "format"])]
    jsonl: bool,
    /// In CSV files, audit this column (for example a "Body (HTML)" column of a product export);
    /// findings name the row and column.
    ///
    /// Example: overclaim audit products.csv --csv-column "Body (HTML)"
    #[arg(long, value_name = "NAME")]
    csv_column: Option<String>,
    /// Jurisdictions to judge under, comma-separated (default US,EU,UK, or the config's).
    ///
    /// Example: --jurisdiction EU,UK
    #[arg(long, value_delimiter = ',', value_parser = parse_jurisdiction)]
    jurisdiction: Option<Vec<Jurisdiction>>,
    /// Exit 1 when a finding has this severity or higher.
    ///
    /// Example: --fail-on error
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// What the product is (default cosmetic, or the config's); drug claims are only
    /// overclaims for a cosmetic.
    ///
    /// Example: --product drug
    #[arg(long, value_enum)]
    product: Option<Product>,
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
    #[command(flatten)]
    rules: RuleArgs,
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
        Command::Explain { rule, rules } => with_rules(&rules, |r| explain(r, &rule)),
        Command::Evidence { topic, rules } => with_rules(&rules, |r| evidence(r, topic.as_deref())),
        Command::Rules(RulesCommand::List { format, rules }) => {
            with_rules(&rules, |r| list(r, format))
        }
        Command::Rules(RulesCommand::Test { path, rules }) => test(&rules, path.as_deref()),
        Command::Rules(RulesCommand::Schema) => schema(),
        Command::Init { dir } => init(&dir),
        Command::Completions { shell } => completions(shell),
    };
    ExitCode::from(code)
}

/// Prints rule or config errors and returns exit code 2.
fn report_errors(errors: &[LoadError]) -> u8 {
    for e in errors {
        eprintln!("error: {e}");
    }
    eprintln!("error: {} problem(s) in rule or config files", errors.len());
    2
}

fn settings_of(args: &RuleArgs) -> RunSettings {
    RunSettings {
        config: args.config.clone(),
        rule_dirs: args.dirs.clone(),
        no_default_rules: args.no_default_rules,
        ..RunSettings::default()
    }
}

/// The config that applies to the current folder (or `--config`).
fn config_here(args: &RuleArgs) -> Result<Option<Config>, Vec<LoadError>> {
    match args
        .config
        .clone()
        .or_else(|| Config::find(std::path::Path::new(".")))
    {
        Some(path) => Config::load(&path).map(Some),
        None => Ok(None),
    }
}

/// Loads the rules in force here (built-ins, config, `--rules`) and runs `f` on them.
fn with_rules(args: &RuleArgs, f: impl FnOnce(&RuleSet) -> u8) -> u8 {
    let loaded =
        config_here(args).and_then(|config| audit::engine_for(&settings_of(args), config.as_ref()));
    match loaded {
        Ok(engine) => f(engine.rules()),
        Err(errors) => report_errors(&errors),
    }
}

fn audit(args: &AuditArgs) -> u8 {
    let color = match (args.color, &args.output) {
        (ColorChoice::Always, _) => true,
        (ColorChoice::Never, _) | (ColorChoice::Auto, Some(_)) => false,
        (ColorChoice::Auto, None) => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    colored::control::set_override(color);
    let settings = RunSettings {
        paths: args.paths.clone(),
        jurisdictions: args.jurisdiction.clone(),
        product: args.product,
        max_file_size: args.max_file_size,
        keep_copy: args.format == ReportFormat::Html,
        progress: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
        csv_column: args.csv_column.clone(),
        ..settings_of(&args.rules)
    };
    if args.jsonl {
        return match feeds::audit_jsonl(
            &settings,
            std::io::stdin().lock(),
            std::io::stdout().lock(),
        ) {
            Ok(failed) => u8::from(fails(args.fail_on, &failed)),
            Err(errors) => report_errors(&errors),
        };
    }
    // The report goes to standard output, or to a temporary file renamed over --output at the
    // end (never over an audited file).
    let mut target = match output::Target::open(args.output.as_deref()) {
        Ok(target) => target,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let mut collected = Collector::default();
    let run = {
        let mut streaming: Box<dyn Reporter + '_> = match args.format {
            ReportFormat::Human => Box::new(HumanReporter::new(target.writer(), color)),
            ReportFormat::Json => Box::new(JsonReporter::new(target.writer())),
            ReportFormat::Github => Box::new(GithubReporter::new(target.writer())),
            ReportFormat::Sarif | ReportFormat::Html => Box::new(&mut collected),
        };
        let outcome = audit::run(&settings, streaming.as_mut());
        if let Ok(outcome) = &outcome
            && let Err(e) = streaming.finish(&outcome.report)
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            eprintln!("error: cannot write the report: {e}");
            return 2;
        }
        outcome
    };
    let mut outcome = match run {
        Ok(outcome) => outcome,
        Err(errors) => return report_errors(&errors),
    };
    if matches!(args.format, ReportFormat::Sarif | ReportFormat::Html) {
        outcome.report.findings = collected.findings;
        let rendered = match args.format {
            ReportFormat::Sarif => render_sarif(&outcome.report),
            _ => render_html(&outcome.report),
        };
        if let Err(e) = target.writer().write_all(rendered.as_bytes())
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            eprintln!("error: cannot write the report: {e}");
            return 2;
        }
    }
    let report = &outcome.report;
    if args.format == ReportFormat::Human || args.output.is_some() {
        for s in &report.skipped {
            eprintln!("warning: skipped {}: {}", s.path, s.reason);
        }
        for f in report.files.iter().filter(|f| f.warning.is_some()) {
            eprintln!(
                "warning: {}: {}",
                f.path,
                f.warning.as_deref().unwrap_or_default()
            );
        }
    }
    if let Err(e) = target.commit(report) {
        eprintln!("error: {e}");
        return 2;
    }
    if outcome.missing_operand {
        return 2;
    }
    let [info, warning, error] = report.counts;
    let mut severities = Vec::new();
    for (count, severity) in [
        (info, Severity::Info),
        (warning, Severity::Warning),
        (error, Severity::Error),
    ] {
        if count > 0 {
            severities.push(severity);
        }
    }
    u8::from(fails(args.fail_on, &severities))
}

/// Keeps findings for the formats that need all of them at once (SARIF, HTML).
#[derive(Default)]
struct Collector {
    findings: Vec<crate::diagnostic::Finding>,
}

impl Reporter for &mut Collector {
    fn findings(&mut self, findings: &[crate::diagnostic::Finding]) -> std::io::Result<()> {
        self.findings.extend_from_slice(findings);
        Ok(())
    }

    fn finish(&mut self, _report: &crate::report::Report) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether any severity reaches the `--fail-on` threshold.
fn fails(fail_on: FailOn, severities: &[Severity]) -> bool {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return false,
    };
    severities.iter().any(|s| *s >= threshold)
}

fn completions(shell: clap_complete::Shell) -> u8 {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "overclaim", &mut out);
    emit_str(&String::from_utf8_lossy(&out));
    0
}

/// One row of `rules list --format json`.
#[derive(serde::Serialize)]
struct RuleRow<'a> {
    id: &'a str,
    title: &'a str,
    category: &'a str,
    severity: std::collections::BTreeMap<&'static str, Severity>,
    evidence: Option<&'a str>,
    file: &'a str,
}

fn list(rules: &RuleSet, format: OutputFormat) -> u8 {
    let rows: Vec<RuleRow<'_>> = rules
        .rules
        .iter()
        .map(|r| RuleRow {
            id: &r.id,
            title: &r.title,
            category: r.category.as_str(),
            severity: r
                .jurisdictions
                .iter()
                .map(|j| (j.jurisdiction.as_str(), j.severity))
                .collect(),
            evidence: r.evidence.as_deref(),
            file: &r.file,
        })
        .collect();
    match format {
        OutputFormat::Json => {
            emitln!(
                "{}",
                serde_json::to_string_pretty(&rows).expect("rows serialise")
            );
        }
        OutputFormat::Human => {
            let mut out = String::new();
            for row in &rows {
                let severities: Vec<String> = row
                    .severity
                    .iter()
                    .map(|(j, s)| format!("{j}:{s}"))
                    .collect();
                out.push_str(&format!(
                    "{:<58} {:<24} {}\n",
                    row.id,
                    severities.join(" "),
                    row.title
                ));
            }
            out.push_str(&format!("{} rules\n", rows.len()));
            emit!("{out}");
        }
    }
    0
}

fn test(args: &RuleArgs, path: Option<&std::path::Path>) -> u8 {
    let mut settings = settings_of(args);
    if let Some(path) = path {
        settings.rule_dirs.push(path.to_path_buf());
    }
    let engine = match config_here(args).and_then(|c| audit::engine_for(&settings, c.as_ref())) {
        Ok(engine) => engine,
        Err(errors) => return report_errors(&errors),
    };
    let under = path.map(|p| p.display().to_string());
    let report = engine.check_examples(|rule| {
        under
            .as_ref()
            .is_none_or(|dir| rule.file.starts_with(dir.as_str()))
    });
    for failure in &report.failures {
        emitln!(
            "FAIL {} ({})\n  example: {:?}\n  {}",
            failure.rule,
            failure.file,
            failure.example,
            failure.why
        );
    }
    emitln!("{} passed, {} failed", report.passed, report.failures.len());
    u8::from(!report.failures.is_empty())
}

fn schema() -> u8 {
    let schema = schemars::schema_for!(crate::rules::raw::RawRule);
    emitln!(
        "{}",
        serde_json::to_string_pretty(&schema).expect("schema serialises")
    );
    0
}

/// The starter config `init` writes.
const STARTER_CONFIG: &str = include_str!("init/overclaim.yaml");
/// The example rule pack `init` writes.
const STARTER_RULES: &str = include_str!("init/brand-words.yaml");

fn init(dir: &std::path::Path) -> u8 {
    let config = dir.join(CONFIG_FILE);
    let rules = dir.join("overclaim-rules").join("brand-words.yaml");
    for path in [&config, &rules] {
        if path.exists() {
            eprintln!(
                "error: {} already exists; overclaim init never overwrites",
                path.display()
            );
            return 2;
        }
    }
    let written = std::fs::create_dir_all(dir.join("overclaim-rules"))
        .and_then(|()| std::fs::write(&config, STARTER_CONFIG))
        .and_then(|()| std::fs::write(&rules, STARTER_RULES));
    match written {
        Ok(()) => {
            emitln!("wrote {}\nwrote {}", config.display(), rules.display());
            emitln!("next: overclaim rules test overclaim-rules/ && overclaim audit .");
            0
        }
        Err(e) => {
            eprintln!("error: cannot write starter files: {e}");
            2
        }
    }
}

fn evidence(rules: &RuleSet, topic: Option<&str>) -> u8 {
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
        emit!("{out}");
        return 0;
    };
    let Some(topic) = rules.topics.get(id) else {
        let near = did_you_mean(id, topics.iter().map(|t| &t.id));
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
    emit!("{out}");
    0
}

fn explain(rules: &RuleSet, id: &str) -> u8 {
    let Some(rule) = rules.rule(id) else {
        let near = did_you_mean(id, rules.rules.iter().map(|r| &r.id));
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
    emit!("{out}");
    0
}
