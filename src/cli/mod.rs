//! The command line: clap definitions, then one function per command. This is the CLI's
//! boundary: clap, the terminal, colour and the progress bar live here and nowhere else, and no
//! other module uses this one.
//!
//! Exit codes: 0 clean, 1 findings at or above `--fail-on` (or failing rule examples), 2 usage,
//! configuration, output or input error (a named path that does not exist).

mod commands;
mod lsp;
mod output;
mod serve;

use crate::Engine;
use crate::diagnostic::Severity;
use crate::error::RunError;
use crate::judge::Product;
use crate::report::{self, ReportFormat as Format};
use crate::run::{self, Progress, RunSettings};
use crate::source::DEFAULT_MAX_FILE_SIZE;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
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
    Audit(Box<AuditArgs>),
    /// Record today's findings in `.overclaim-baseline.json`, so that later audits report only
    /// new ones (takes what `audit` takes).
    ///
    /// Example: overclaim baseline samples/
    Baseline(Box<BaselineArgs>),
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
    /// Run a Language Server on standard input and output: diagnostics as copy is written,
    /// `explain` on hover, quick fixes that reword or suppress (for VS Code, Neovim, Helix).
    ///
    /// Example: overclaim lsp
    Lsp,
    /// Serve the review page on 127.0.0.1: paste or drop copy, see its overclaims as you
    /// type, accept suggestions, record waivers, export the HTML report.
    ///
    /// Example: overclaim serve --port 4848 pages/
    Serve(ServeArgs),
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
    /// Run the examples of rule files: each `flag` example must produce its rule (with the
    /// words it pins, if any), each `pass` example must not. Exits 1 if any fails.
    ///
    /// Example: overclaim rules test my-rules/
    Test {
        /// A rule folder to test (its rules only); all rules in force when omitted.
        path: Option<PathBuf>,
        /// Test only the rule with this id.
        ///
        /// Example: --rule drug-claim.collagen-stimulation
        #[arg(long, value_name = "ID")]
        rule: Option<String>,
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
    /// The JSON report contract (schema overclaim/report@2).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// One self-contained HTML page for reviewers: highlighted copy, panels, filters, summary.
    Html,
    /// One JSON result line per audited document (per record with --jsonl).
    Jsonl,
}

impl ReportFormat {
    fn format(self) -> Format {
        match self {
            ReportFormat::Human => Format::Human,
            ReportFormat::Json => Format::Json,
            ReportFormat::Sarif => Format::Sarif,
            ReportFormat::Github => Format::Github,
            ReportFormat::Html => Format::Html,
            ReportFormat::Jsonl => Format::JsonLines,
        }
    }
}

/// Output formats of listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// One line per rule: id, severity per jurisdiction, title.
    Human,
    /// A JSON array of rules: id, title, category, severity per jurisdiction, evidence, file.
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

/// The least severity shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum MinSeverity {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Everything (the default).
    Info,
}

impl MinSeverity {
    fn severity(self) -> Severity {
        match self {
            MinSeverity::Error => Severity::Error,
            MinSeverity::Warning => Severity::Warning,
            MinSeverity::Info => Severity::Info,
        }
    }
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
struct ServeArgs {
    /// The folder whose config and waivers apply to the page's copy (default: the current
    /// folder), or a file in it to open in the page.
    ///
    /// Example: overclaim serve drafts/launch-email.docx
    path: Option<PathBuf>,
    /// Port on 127.0.0.1 (0 picks a free one); the page is never served on other addresses.
    ///
    /// Example: --port 0
    #[arg(long, default_value_t = 4848)]
    port: u16,
    /// Refuse copy larger than this many bytes (1 byte to 1 TiB).
    ///
    /// Example: --max-file-size 1000000
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_SIZE,
          value_parser = clap::value_parser!(u64).range(1..=MAX_FILE_SIZE_LIMIT))]
    max_file_size: u64,
    #[command(flatten)]
    rules: RuleArgs,
}

/// What is audited and how it is judged: the same for `audit` and `baseline`.
#[derive(Debug, clap::Args)]
struct Scope {
    /// Files or folders to audit; `-` reads standard input (as plain text, or as
    /// --stdin-filename says). Default: the current folder (standard input with --jsonl).
    ///
    /// Example: overclaim audit samples/ page.html -
    paths: Vec<PathBuf>,
    /// Read the operands (standard input by default) as JSON Lines records `{"id": …,
    /// "text"|"html"|"markdown": …}`, each audited as its own document; findings point into the
    /// file's bytes and name the record.
    ///
    /// Example: cat pages.jsonl | overclaim audit --jsonl
    #[arg(long)]
    jsonl: bool,
    /// In CSV files, audit this column (for example a "Body (HTML)" column of a product export),
    /// one document per row and column; repeatable. Findings point into the file and name the
    /// row (or its --key) and column.
    ///
    /// Example: overclaim audit products.csv --csv-column "Body (HTML)"
    #[arg(long, value_name = "NAME", conflicts_with = "jsonl")]
    csv_column: Vec<String>,
    /// A platform's product export as it comes: its copy columns and id column (shopify:
    /// "Body (HTML)" keyed by Handle; woocommerce: "Description" and "Short description" keyed
    /// by SKU). --key picks another id column.
    ///
    /// Example: overclaim audit products_export.csv --csv-preset shopify
    #[arg(long, value_enum, value_name = "PLATFORM", conflicts_with_all = ["jsonl", "csv_column"])]
    csv_preset: Option<CsvPreset>,
    /// The CSV column or JSON Lines field that names each record in findings (a handle, a
    /// SKU); every report format shows it. Default: the row number (CSV), `id` (JSON Lines).
    ///
    /// Example: --key Handle
    #[arg(long, alias = "csv-key", value_name = "NAME")]
    key: Option<String>,
    /// Jurisdictions to judge under, comma-separated (default: every jurisdiction of the
    /// registry, US,EU,UK, or the config's).
    ///
    /// Example: --jurisdiction EU,UK
    #[arg(long, value_delimiter = ',')]
    jurisdiction: Option<Vec<String>>,
    /// What the product is (default cosmetic, or the config's); drug claims are only
    /// overclaims for a cosmetic.
    ///
    /// Example: --product drug
    #[arg(long, value_parser = parse_product)]
    product: Option<Product>,
    /// The file that standard input (`-`) stands for: its extension gives the format, its
    /// folder the config and waivers, and reports name it.
    ///
    /// Example: cat draft.md | overclaim audit - --stdin-filename pages/draft.md
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Skip files larger than this many bytes (1 byte to 1 TiB).
    ///
    /// Example: --max-file-size 1000000
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_SIZE,
          value_parser = clap::value_parser!(u64).range(1..=MAX_FILE_SIZE_LIMIT))]
    max_file_size: u64,
    /// In folders, audit only files matching this glob (relative to the folder; repeatable),
    /// whatever their extension, instead of the copy formats.
    ///
    /// Example: --include '*.liquid' --include 'pages/**/*.html'
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// In folders, never audit files matching this glob (relative to the folder; repeatable).
    ///
    /// Example: --exclude 'archive/**'
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Try only these rules: ids, `prefix.` or `pack:NAME`, comma-separated or repeated.
    ///
    /// Example: --select drug-claim.,regulatory-status.fda-approved
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// Switch these rules off, as a config's `disable` does (ids, `prefix.`, `pack:NAME`).
    ///
    /// Example: --ignore absolute.,evidence-strength.expert-endorsement
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// Accept a run that skipped files or records (binary, oversized, unreadable, a failed row):
    /// exit by the findings alone instead of with code 3.
    ///
    /// Example: --allow-skips
    #[arg(long)]
    allow_skips: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

/// The product exports `--csv-preset` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CsvPreset {
    /// Shopify's product CSV: copy in "Body (HTML)", each row named by its Handle.
    Shopify,
    /// WooCommerce's product CSV: copy in "Description" and "Short description", by SKU.
    Woocommerce,
}

impl CsvPreset {
    /// The copy columns and the id column of the export.
    fn columns(self) -> (&'static [&'static str], &'static str) {
        match self {
            CsvPreset::Shopify => (&["Body (HTML)"], "Handle"),
            CsvPreset::Woocommerce => (&["Description", "Short description"], "SKU"),
        }
    }
}

#[derive(Debug, clap::Args)]
struct AuditArgs {
    #[command(flatten)]
    scope: Scope,
    /// Report format (default human, or jsonl with --jsonl).
    ///
    /// Example: --format sarif
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// Write the report to this file (atomically) instead of standard output; never one of the
    /// audited files.
    ///
    /// Example: --format html --output report.html
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Exit 1 when a finding has this severity or higher.
    ///
    /// Example: --fail-on error
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Colour the output.
    ///
    /// Example: --color never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Show only findings at least this severe; the summary (and --fail-on) still count all.
    ///
    /// Example: --min-severity error
    #[arg(long, value_enum, value_name = "SEVERITY")]
    min_severity: Option<MinSeverity>,
    /// Show no findings, only the summary (and what was skipped); the exit code is unchanged.
    ///
    /// Example: overclaim audit pages/ --quiet
    #[arg(long, short = 'q', conflicts_with = "min_severity")]
    quiet: bool,
    /// Audit nothing: print the settings that apply to each path (config, jurisdictions,
    /// product, rules, waivers) and where each came from.
    ///
    /// Example: overclaim audit --show-config pages/serum.html
    #[arg(long)]
    show_config: bool,
    /// Leave out the findings this baseline file holds (written by `overclaim baseline`);
    /// default: `.overclaim-baseline.json` in the current folder, when there is one.
    ///
    /// Example: --baseline ci/overclaim-baseline.json
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Report every finding, even with a baseline file in the current folder.
    ///
    /// Example: overclaim audit pages/ --no-baseline
    #[arg(long, conflicts_with = "baseline")]
    no_baseline: bool,
    /// Audit only the files that changed since this git ref (its merge base with HEAD, up to
    /// the working tree, new files included).
    ///
    /// Example: --changed-since origin/main
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
    /// With --changed-since: report only findings on changed lines, for pull-request gates.
    ///
    /// Example: --changed-since origin/main --changed-lines
    #[arg(long, requires = "changed_since")]
    changed_lines: bool,
}

#[derive(Debug, clap::Args)]
struct BaselineArgs {
    #[command(flatten)]
    scope: Scope,
    /// The baseline file to write (atomically; replaced if it exists).
    ///
    /// Example: --output ci/overclaim-baseline.json
    #[arg(long, short, default_value = crate::baseline::BASELINE_FILE)]
    output: PathBuf,
}

fn parse_product(value: &str) -> Result<Product, String> {
    Product::from_name(value).ok_or_else(|| {
        let names: Vec<&str> = Product::NAMES.iter().map(|(n, _)| *n).collect();
        format!("unknown product `{value}`; expected {}", names.join(", "))
    })
}

/// Parses the command line, runs the command, and returns the exit code.
pub fn main() -> ExitCode {
    // Help and version text is output too: a write error there exits 2, not 0.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            return match e.print() {
                Ok(()) => ExitCode::from(code),
                Err(write) => {
                    eprintln!("error: cannot write output: {write}");
                    ExitCode::from(2)
                }
            };
        }
    };
    let code = match cli.command {
        Command::Audit(args) => audit(&args),
        Command::Baseline(args) => baseline(&args),
        Command::Lsp => lsp::serve(),
        Command::Serve(args) => serve::serve(serve::ServeOptions {
            port: args.port,
            path: args.path.unwrap_or_else(|| PathBuf::from(".")),
            settings: RunSettings {
                max_file_size: args.max_file_size,
                ..settings_of(&args.rules)
            },
        }),
        Command::Explain { rule, rules } => with_engine(&rules, |e| commands::explain(e, &rule)),
        Command::Evidence { topic, rules } => {
            with_engine(&rules, |e| commands::evidence(e, topic.as_deref()))
        }
        Command::Rules(RulesCommand::List { format, rules }) => {
            with_engine(&rules, |e| commands::list(e, format == OutputFormat::Json))
        }
        Command::Rules(RulesCommand::Test { path, rule, rules }) => {
            let mut settings = settings_of(&rules);
            if let Some(path) = &path {
                settings.rule_dirs.push(path.clone());
            }
            match Engine::for_settings(&settings) {
                Ok(engine) => commands::test(&engine, path.as_deref(), rule.as_deref()),
                Err(e) => report_error(&e),
            }
        }
        Command::Rules(RulesCommand::Schema) => commands::schema(),
        Command::Init { dir } => commands::init(&dir),
        Command::Completions { shell } => completions(shell),
    };
    ExitCode::from(commands::unless_output_failed(code))
}

/// Prints a run error and returns its exit code.
fn report_error(error: &RunError) -> u8 {
    for line in error.messages() {
        eprintln!("{}", crate::diagnostic::make_safe(&line));
    }
    error.exit_code()
}

fn settings_of(args: &RuleArgs) -> RunSettings {
    RunSettings {
        config: args.config.clone(),
        rule_dirs: args.dirs.clone(),
        no_default_rules: args.no_default_rules,
        ..RunSettings::default()
    }
}

/// Loads the rules in force here (built-ins, config, `--rules`) and runs `f` on them.
fn with_engine(args: &RuleArgs, f: impl FnOnce(&Engine) -> u8) -> u8 {
    match Engine::for_settings(&settings_of(args)) {
        Ok(engine) => f(&engine),
        Err(e) => report_error(&e),
    }
}

/// A progress bar on standard error.
struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn start(&self, files: usize) {
        self.0.set_length(files as u64);
    }

    fn file_done(&self) {
        self.0.inc(1);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

fn progress_bar() -> Bar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Bar(bar)
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
    let mut settings = match settings_of_scope(&args.scope) {
        Ok(settings) => settings,
        Err(code) => return code,
    };
    if let Some(file) = args.baseline.as_ref().filter(|f| !f.is_file()) {
        eprintln!("error: --baseline {}: no such file", file.display());
        return 2;
    }
    settings.baseline = match (&args.baseline, args.no_baseline) {
        (Some(file), _) => Some(file.clone()),
        (None, true) => None,
        (None, false) => {
            let here = PathBuf::from(crate::baseline::BASELINE_FILE);
            here.is_file().then_some(here)
        }
    };
    if let Some(reference) = &args.changed_since {
        // Standard input has no history; git is asked about the first path.
        let first = settings
            .paths
            .iter()
            .find(|p| p.as_os_str() != "-")
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        match crate::source::Changes::since(reference, &first) {
            Ok(changes) => settings.changes = Some(std::sync::Arc::new(changes)),
            Err(e) => {
                eprintln!(
                    "error: --changed-since: {}",
                    crate::diagnostic::make_safe(&e)
                );
                return 2;
            }
        }
        settings.changed_lines = args.changed_lines;
    }
    if args.show_config {
        return show_config(&settings);
    }
    let format = match (args.format, args.scope.jsonl) {
        (Some(format), _) => format,
        (None, true) => ReportFormat::Jsonl,
        (None, false) => ReportFormat::Human,
    };
    // The report goes to standard output, or to a temporary file renamed over --output at the
    // end (never over an audited file).
    let mut target = match output::Target::open(args.output.as_deref(), &settings.paths) {
        Ok(target) => target,
        Err(e) => {
            eprintln!("error: {}", crate::diagnostic::make_safe(&e.to_string()));
            return 2;
        }
    };
    // A bar on the terminal the report is printed to would be drawn across its lines.
    let report_on_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let show_progress =
        std::io::stderr().is_terminal() && !report_on_terminal && std::env::var_os("CI").is_none();
    let progress: Box<dyn Progress> = if show_progress {
        Box::new(progress_bar())
    } else {
        Box::new(run::Silent)
    };
    let outcome = {
        let mut reporter = report::reporter(format.format(), Box::new(target.writer()), color);
        let least = args.min_severity.map(MinSeverity::severity);
        if args.quiet || least.is_some() {
            let shown = if args.quiet { None } else { least };
            reporter = Box::new(report::Showing::new(reporter, shown));
        }
        run::run(&settings, reporter.as_mut(), progress.as_ref())
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        // A closed pipe (`overclaim … | head`) ends the report quietly; it is still an
        // output error, so a script that checks the code sees that the report was cut.
        Err(RunError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return 2,
        Err(e) => return report_error(&e),
    };
    let report = &outcome.report;
    if format == ReportFormat::Human || args.output.is_some() {
        warn_skipped(report);
        for path in &report.passed_over {
            eprintln!("note: passed over {path}: a report written by overclaim, not copy");
        }
        for f in report.files.iter().filter(|f| f.warning.is_some()) {
            eprintln!(
                "warning: {}: {}",
                f.path,
                f.warning.as_deref().unwrap_or_default()
            );
        }
    }
    if let (Some(least), false) = (args.min_severity, args.quiet) {
        let [info, warning, _] = report.counts;
        let hidden = match least {
            MinSeverity::Error => info + warning,
            MinSeverity::Warning => info,
            MinSeverity::Info => 0,
        };
        if hidden > 0 {
            eprintln!("note: {hidden} finding(s) below --min-severity not shown");
        }
    }
    if let Some(baseline) = &report.baseline {
        note_stale(baseline);
    }
    if let (Some(changes), true) = (&settings.changes, outcome.unchanged > 0) {
        eprintln!(
            "note: {} not audited: unchanged since {}",
            plural_files(outcome.unchanged),
            crate::diagnostic::make_safe_line(&changes.reference)
        );
    }
    if let Err(e) = target.commit(report) {
        eprintln!("error: {e}");
        return 2;
    }
    if outcome.missing_operand {
        eprintln!("error: a path named on the command line does not exist (exit code 2)");
        return 2;
    }
    // Nothing passes unread: a skipped file or record makes the run incomplete, whatever was
    // found in the rest.
    let skipped = report.skipped.len();
    if skipped > 0 && !args.scope.allow_skips {
        let noun = if skipped == 1 {
            "file or record was"
        } else {
            "files or records were"
        };
        eprintln!(
            "incomplete: {skipped} {noun} not audited (exit code 3; --allow-skips accepts the run)"
        );
        return INCOMPLETE;
    }
    // Nothing changed since the ref: a gate on the change has nothing to hold back.
    if report.files.is_empty() && report.passed_over.is_empty() && outcome.unchanged > 0 {
        return 0;
    }
    // An empty selection is not a clean catalogue: nothing was read.
    if report.files.is_empty() && report.passed_over.is_empty() {
        let passed = match outcome.not_copy {
            0 => String::new(),
            1 => " (1 file in the folders was passed over: not copy, or left out by \
                   --include/--exclude)"
                .to_string(),
            n => format!(
                " ({n} files in the folders were passed over: not copy, or left out by \
                 --include/--exclude)"
            ),
        };
        eprintln!("nothing to audit: no copy file was found to read{passed} (exit code 3)");
        return INCOMPLETE;
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

/// The run settings of what `audit` and `baseline` share; `Err` holds the exit code of a usage
/// error (already reported).
fn settings_of_scope(scope: &Scope) -> Result<RunSettings, u8> {
    let paths = match (&scope.paths[..], scope.jsonl) {
        ([], false) => vec![PathBuf::from(".")],
        (paths, _) => paths.to_vec(),
    };
    if scope.stdin_filename.is_some() && !paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("error: --stdin-filename names standard input; give `-` among the paths");
        return Err(2);
    }
    let (csv_columns, preset_key) = match scope.csv_preset {
        Some(preset) => {
            let (columns, key) = preset.columns();
            let columns = columns.iter().map(|c| c.to_string()).collect();
            (columns, Some(key.to_string()))
        }
        None => {
            // A column named twice is audited once.
            let mut columns = scope.csv_column.clone();
            let mut seen = std::collections::HashSet::new();
            columns.retain(|c| seen.insert(c.clone()));
            (columns, None)
        }
    };
    if scope.key.is_some() && csv_columns.is_empty() && !scope.jsonl {
        eprintln!(
            "error: --key names the id column of CSV or JSON Lines records; give \
             --csv-column, --csv-preset or --jsonl too"
        );
        return Err(2);
    }
    Ok(RunSettings {
        paths,
        jurisdictions: scope.jurisdiction.clone(),
        product: scope.product,
        max_file_size: scope.max_file_size,
        csv_columns,
        record_key: scope.key.clone().or(preset_key),
        jsonl: scope.jsonl,
        stdin_filename: scope.stdin_filename.clone(),
        include: scope.include.clone(),
        exclude: scope.exclude.clone(),
        select: scope.select.clone(),
        ignore: scope.ignore.clone(),
        ..settings_of(&scope.rules)
    })
}

/// A warning on standard error for each file or record the run skipped.
fn warn_skipped(report: &report::Report) {
    for s in &report.skipped {
        match &s.record {
            Some(record) => eprintln!("warning: skipped {} ({record}): {}", s.path, s.reason),
            None => eprintln!("warning: skipped {}: {}", s.path, s.reason),
        }
    }
}

/// The baseline's entries that no finding met any more, on standard error.
fn note_stale(baseline: &report::BaselineUse) {
    if baseline.entries > 0 && baseline.entries_for_audited == 0 {
        eprintln!(
            "note: none of the {} entries of {} is for a file audited in this run (its paths are \
             relative to the folder it is in)",
            baseline.entries, baseline.file
        );
    }
    if baseline.stale.is_empty() {
        return;
    }
    let count: usize = baseline.stale.iter().map(|e| e.count).sum();
    eprintln!(
        "note: {count} finding(s) in {} no longer occur (fixed, reworded, or their file is \
         gone); `overclaim baseline` writes it again without them",
        baseline.file
    );
    const SHOWN: usize = 5;
    for entry in baseline.stale.iter().take(SHOWN) {
        let f = &entry.fingerprint;
        let record = f
            .record
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        eprintln!(
            "  {}{record}: {}: \"{}\"",
            crate::diagnostic::make_safe_line(&f.path),
            f.rule,
            crate::diagnostic::make_safe_line(&f.claim)
        );
    }
    if baseline.stale.len() > SHOWN {
        eprintln!(
            "  … and {} more (see --format json)",
            baseline.stale.len() - SHOWN
        );
    }
}

fn plural_files(n: usize) -> String {
    if n == 1 {
        "1 file".to_string()
    } else {
        format!("{n} files")
    }
}

/// `overclaim baseline`: audits as `audit` would (without a baseline) and writes every
/// finding's fingerprint.
fn baseline(args: &BaselineArgs) -> u8 {
    let settings = match settings_of_scope(&args.scope) {
        Ok(settings) => settings,
        Err(code) => return code,
    };
    let mut writer = match crate::baseline::BaselineWriter::new(&args.output) {
        Ok(writer) => writer,
        Err(e) => {
            eprintln!("error: {}", crate::diagnostic::make_safe(&e.to_string()));
            eprintln!(
                "error: not replaced: write the baseline elsewhere with --output, or remove it"
            );
            return 2;
        }
    };
    let outcome = {
        let mut collect = BaselineCollector(&mut writer);
        run::run(&settings, &mut collect, &run::Silent)
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => return report_error(&e),
    };
    let report = &outcome.report;
    warn_skipped(report);
    if outcome.missing_operand {
        eprintln!("error: a path named on the command line does not exist (exit code 2)");
        return 2;
    }
    if report.files.is_empty() {
        eprintln!(
            "nothing to audit: no copy file was found to read; no baseline written (exit code 3)"
        );
        return INCOMPLETE;
    }
    for file in &report.files {
        writer.note_audited(&file.path);
    }
    let (kept, gone) = writer.keep_earlier();
    // Written as a report is: atomically, and never over a file named for audit.
    let written = output::Target::open(Some(&args.output), &settings.paths).and_then(|mut t| {
        t.writer()
            .write_all(writer.to_json().as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", args.output.display()))?;
        t.commit(report)
    });
    if let Err(e) = written {
        eprintln!("error: {}", crate::diagnostic::make_safe(&e));
        return 2;
    }
    let (findings, files) = writer.totals();
    println!(
        "wrote {}: {findings} finding(s) in {} ({} audited now)",
        crate::diagnostic::make_safe_line(&args.output.display().to_string()),
        plural_files(files),
        plural_files(report.files.len()),
    );
    if kept > 0 {
        println!("kept {kept} earlier entries for files not audited in this run");
    }
    if gone > 0 {
        println!("dropped {gone} earlier entries for files that no longer exist");
    }
    let skipped = report.skipped.len();
    if skipped > 0 && !args.scope.allow_skips {
        eprintln!(
            "incomplete: {skipped} file(s) or record(s) not audited are not in the baseline (exit \
             code 3; --allow-skips accepts the run)"
        );
        return INCOMPLETE;
    }
    0
}

/// Hands every finding of a run to a baseline writer.
struct BaselineCollector<'a>(&'a mut crate::baseline::BaselineWriter);

impl report::Reporter for BaselineCollector<'_> {
    fn document(&mut self, audited: &report::Audited<'_>) -> std::io::Result<()> {
        for finding in audited.findings {
            self.0.add(finding);
        }
        Ok(())
    }

    fn finish(&mut self, _report: &report::Report) -> std::io::Result<()> {
        Ok(())
    }
}

/// `audit --show-config`: the settings of each path named, a block each.
fn show_config(settings: &RunSettings) -> u8 {
    for path in settings.paths.iter().filter(|p| p.as_os_str() != "-") {
        if !path.exists() {
            eprintln!("error: {}: no such file or folder", path.display());
            return 2;
        }
        let rows = match run::applied_settings(settings, path) {
            Ok(rows) => rows,
            Err(e) => return report_error(&e),
        };
        let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
        println!(
            "settings for {}",
            crate::diagnostic::make_safe_line(&path.display().to_string())
        );
        for row in rows {
            println!(
                "  {:width$}  {}  ({})",
                row.name,
                crate::diagnostic::make_safe_line(&row.value),
                crate::diagnostic::make_safe_line(&row.from)
            );
        }
    }
    0
}

/// The largest `--max-file-size` accepted: a bigger value is a usage error, never a wrap-around.
const MAX_FILE_SIZE_LIMIT: u64 = 1 << 40;

/// The exit code of a run that left something named unaudited.
const INCOMPLETE: u8 = 3;

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
    commands::emit_str(&String::from_utf8_lossy(&out));
    0
}
