//! One audit run: walk the operands, find each file's config and waivers file, build one engine
//! per distinct rule set, audit the files in parallel, and hand each document's findings to the
//! reporter in path order.
//!
//! Every config and waivers file is loaded and checked before the first byte of a report is
//! written, so a broken one stops the run cleanly. Files are read, audited and dropped a chunk at
//! a time, so memory follows the findings, not the size of the folder.

use crate::Engine;
use crate::baseline::Baseline;
use crate::config::{Config, Policy};
use crate::diagnostic::{
    Finding, Jurisdiction, Skipped, make_safe, make_safe_line, make_safe_text,
};
use crate::error::RunError;
use crate::extract::Container;
use crate::judge::{AuditOptions, Product, RuleSelector};
use crate::profile::{Stage, time};
use crate::report::{Audited, BaselineUse, FileEntry, Report, Reporter, RuleMeta};
use crate::rules::{self, LoadError, RuleSource, SourceKind};
use crate::source::{self, Candidate, Origin};
use crate::waivers::WaiverFile;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod auditor;
pub use auditor::Auditor;

/// What the command line asked for.
#[derive(Clone, Debug, Default)]
pub struct RunSettings {
    /// Files and folders; `-` is standard input.
    pub paths: Vec<PathBuf>,
    /// `--jurisdiction` codes, when given (they beat the config).
    pub jurisdictions: Option<Vec<String>>,
    /// `--product`, when given.
    pub product: Option<Product>,
    /// `--config FILE`: use this config for every file instead of searching.
    pub config: Option<PathBuf>,
    /// `--rules DIR`, in order.
    pub rule_dirs: Vec<PathBuf>,
    /// `--no-default-rules`: leave out the built-in rule packs (the built-in lexicon, positions,
    /// jurisdictions and evidence stay, so user rules can use them).
    pub no_default_rules: bool,
    /// `--max-file-size`.
    pub max_file_size: u64,
    /// `--csv-column` (or a `--csv-preset`'s): in CSV files, audit these columns, one document
    /// per row and column.
    pub csv_columns: Vec<String>,
    /// `--key`: the CSV column or JSON Lines field that names each record.
    pub record_key: Option<String>,
    /// `--jsonl`: every operand is JSON Lines, one document per record.
    pub jsonl: bool,
    /// `--stdin-filename`: the file standard input stands for, which gives it its format, its
    /// name in reports, and the config and waivers of its folder.
    pub stdin_filename: Option<PathBuf>,
    /// What standard input holds, when the caller has it already (the language server, whose
    /// own standard input is its protocol; the review page): `-` is then these bytes.
    pub stdin_bytes: Option<std::sync::Arc<[u8]>>,
    /// The format standard input is read as when it is not its name's: the review page sends
    /// a Word draft's copy, already extracted, as text under the draft's name.
    pub stdin_format: Option<source::Format>,
    /// Engines kept between runs: a caller that audits again and again (the review page, the
    /// language server) reads config and rule files every time but builds an engine only when
    /// their text changed.
    pub engines: Option<Arc<EngineCache>>,
    /// `--include`: globs a folder's file must match (instead of being a copy format).
    pub include: Vec<String>,
    /// `--exclude`: globs no folder's file may match.
    pub exclude: Vec<String>,
    /// `--select`: rule selectors (ids, `prefix.`, `pack:NAME`); only these rules are tried.
    pub select: Vec<String>,
    /// `--ignore`: rule selectors switched off, as a config's `disable`.
    pub ignore: Vec<String>,
    /// The baseline file whose findings are left out of the report (counted as baselined).
    pub baseline: Option<PathBuf>,
    /// `--changed-since`: only files that changed since a git ref are audited.
    pub changes: Option<Arc<source::Changes>>,
    /// `--changed-lines`: only findings on the changed lines are reported.
    pub changed_lines: bool,
}

/// `--select` and `--ignore`, parsed once for the run.
struct RuleChoice {
    select: Vec<RuleSelector>,
    ignore: Vec<RuleSelector>,
}

impl RuleChoice {
    fn of(settings: &RunSettings) -> RuleChoice {
        let parsed = |list: &[String]| list.iter().map(|s| RuleSelector::parse(s)).collect();
        RuleChoice {
            select: parsed(&settings.select),
            ignore: parsed(&settings.ignore),
        }
    }

    /// Each selector must name a rule in force (under some config of the run), as a
    /// config's must.
    fn check(&self, engines: &[Arc<Engine>]) -> Result<(), RunError> {
        let named = self
            .select
            .iter()
            .map(|s| ("--select", s))
            .chain(self.ignore.iter().map(|s| ("--ignore", s)));
        for (option, selector) in named {
            let unmatched: Vec<String> = engines
                .iter()
                .filter_map(|e| e.book.unmatched(selector))
                .collect();
            if unmatched.len() == engines.len()
                && let Some(message) = unmatched.into_iter().next()
            {
                return Err(RunError::Usage(format!("{option} `{selector}`: {message}")));
            }
        }
        Ok(())
    }
}

/// The globs of an option as one set; `None` when none were given.
fn glob_set(option: &str, globs: &[String]) -> Result<Option<globset::GlobSet>, RunError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut set = globset::GlobSetBuilder::new();
    for glob in globs {
        // `*` stays within a folder, as in gitignore: `pages/*.html` is not `pages/a/b.html`.
        let compiled = globset::GlobBuilder::new(source::normalised_glob(glob))
            .literal_separator(true)
            .build()
            .map_err(|e| RunError::Usage(format!("{option} `{glob}`: {e}")))?;
        set.add(compiled);
    }
    set.build()
        .map(Some)
        .map_err(|e| RunError::Usage(format!("{option}: {e}")))
}

/// Engines built before, by a digest of the rule sources they were built from.
#[derive(Debug, Default)]
pub struct EngineCache(std::sync::Mutex<Vec<(u64, Arc<Engine>)>>);

impl EngineCache {
    /// How many engines are kept (one per config the caller's copy has used, newest first).
    const KEPT: usize = 4;

    /// The engine of these sources: one built before from the same text, or a new one.
    fn engine(&self, sources: &[RuleSource]) -> Result<Arc<Engine>, Vec<LoadError>> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for source in sources {
            (&source.path, source.kind, source.layer, &source.text).hash(&mut hasher);
        }
        let digest = hasher.finish();
        let built = self.0.lock().ok().and_then(|kept| {
            kept.iter()
                .find(|(d, _)| *d == digest)
                .map(|(_, engine)| engine.clone())
        });
        if let Some(engine) = built {
            return Ok(engine);
        }
        let engine = Arc::new(Engine::from_sources(sources)?);
        if let Ok(mut kept) = self.0.lock() {
            kept.insert(0, (digest, engine.clone()));
            kept.truncate(Self::KEPT);
        }
        Ok(engine)
    }
}

impl RunSettings {
    /// The settings that audit `bytes` as `overclaim audit - --stdin-filename NAME` would.
    pub(crate) fn for_copy(name: PathBuf, bytes: std::sync::Arc<[u8]>) -> RunSettings {
        RunSettings {
            paths: vec![PathBuf::from("-")],
            max_file_size: source::DEFAULT_MAX_FILE_SIZE,
            stdin_filename: Some(name),
            stdin_bytes: Some(bytes),
            ..RunSettings::default()
        }
    }
}

/// Told how far the run is (a progress bar, say).
pub trait Progress: Sync {
    /// The run will audit this many files.
    fn start(&self, _files: usize) {}
    /// One more file is done.
    fn file_done(&self) {}
    /// The run is over.
    fn finish(&self) {}
}

/// No progress shown.
pub struct Silent;

impl Progress for Silent {}

/// Result of a run that completed.
pub struct Outcome {
    /// The report's totals, files and skips.
    pub report: Report,
    /// Whether an operand named on the command line does not exist.
    pub missing_operand: bool,
    /// Files found in the named folders that the selection did not take, passed over.
    pub not_copy: usize,
    /// Files left out because they did not change since `--changed-since`'s ref.
    pub unchanged: usize,
}

/// The rule sources of a run: built-ins, then config folders and evidence, then `--rules`.
fn rule_sources(
    settings: &RunSettings,
    config: Option<&Config>,
) -> Result<Vec<RuleSource>, Vec<LoadError>> {
    let mut sources: Vec<RuleSource> = rules::embedded_sources()
        .into_iter()
        .filter(|s| !(settings.no_default_rules && s.kind == SourceKind::Rules))
        .collect();
    let mut layer = 1u8;
    let mut errors = Vec::new();
    let config_dirs = config.map_or(&[][..], |c| &c.rule_dirs[..]);
    for dir in config_dirs.iter().chain(&settings.rule_dirs) {
        match rules::sources_from_dir(dir, layer) {
            Ok(found) => sources.extend(found),
            Err(e) => errors.push(e),
        }
        layer = layer.saturating_add(1);
    }
    for file in config.map_or(&[][..], |c| &c.evidence[..]) {
        match rules::evidence_file(file, layer) {
            Ok(source) => sources.push(source),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

/// Builds the engine for a config (or for none), checking the names the config uses.
pub(crate) fn engine_for(
    settings: &RunSettings,
    config: Option<&mut Config>,
) -> Result<Arc<Engine>, Vec<LoadError>> {
    // Checked before anything is read: a found config may not reach outside its folder.
    if let Some(config) = config.as_deref()
        && settings.config.as_ref() != Some(&config.path)
    {
        let errors = config.check_contained(&settings.rule_dirs);
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    let sources = rule_sources(settings, config.as_deref())?;
    let engine = match &settings.engines {
        Some(cache) => cache.engine(&sources)?,
        None => Arc::new(Engine::from_sources(&sources)?),
    };
    if let Some(config) = config {
        let mut errors = config.check_rule_names(&engine.book);
        errors.extend(config.resolve_jurisdictions(&engine.knowledge));
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    Ok(engine)
}

/// The config that applies to the current folder (or `--config`), and its engine.
pub(crate) fn engine_here(settings: &RunSettings) -> Result<Arc<Engine>, RunError> {
    engine_in(settings, Path::new("."))
}

/// The config that applies to copy in `folder` (or `--config`), and its engine.
pub(crate) fn engine_in(settings: &RunSettings, folder: &Path) -> Result<Arc<Engine>, RunError> {
    let path = settings.config.clone().or_else(|| Config::find(folder));
    let mut config = match path {
        Some(path) => Some(Config::load(&path)?),
        None => None,
    };
    Ok(engine_for(settings, config.as_mut())?)
}

/// The options for one file: command line beats per-path settings beats defaults.
fn options_for(
    engine: &Engine,
    cli_jurisdictions: Option<&Vec<Jurisdiction>>,
    settings: &RunSettings,
    choice: &RuleChoice,
    policy: Policy,
    quote_lines: bool,
) -> AuditOptions {
    let mut jurisdictions = cli_jurisdictions
        .cloned()
        .or(policy.jurisdictions)
        .unwrap_or_else(|| engine.knowledge.all_jurisdictions());
    engine.knowledge.in_report_order(&mut jurisdictions);
    AuditOptions {
        jurisdictions,
        product: settings
            .product
            .or(policy.product)
            .unwrap_or(Product::Cosmetic),
        disable: policy
            .disable
            .into_iter()
            .chain(choice.ignore.iter().cloned())
            .collect(),
        select: choice.select.clone(),
        severity: policy.severity,
        quote_lines,
    }
}

/// The `--jurisdiction` codes as the registry's jurisdictions.
fn cli_jurisdictions(
    settings: &RunSettings,
    engine: &Engine,
) -> Result<Option<Vec<Jurisdiction>>, RunError> {
    let Some(codes) = &settings.jurisdictions else {
        return Ok(None);
    };
    let knowledge = &engine.knowledge;
    codes
        .iter()
        .map(|code| {
            knowledge.jurisdiction(code).ok_or_else(|| {
                RunError::Usage(format!(
                    "unknown jurisdiction `{}`; expected {}",
                    code.trim(),
                    knowledge.jurisdiction_list("or")
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A file with the engine, options and waivers file it is audited with.
struct Job<'a> {
    candidate: &'a Candidate,
    engine: usize,
    options: AuditOptions,
    waivers: Option<usize>,
}

/// What auditing one file gave.
struct FileResult {
    entry: FileEntry,
    documents: Vec<Result<AuditedDocument, Skipped>>,
    suppressed: usize,
    /// An overclaim report found in an audited folder, not audited.
    passed_over: bool,
}

/// One document's findings, and the copy of a whole file (reports that show pages need it).
struct AuditedDocument {
    record: Option<String>,
    findings: Vec<Finding>,
    copy: Option<String>,
}

/// Files audited in parallel before their findings are reported.
const CHUNK: usize = 64;

/// Runs the audit, handing each document's findings to `reporter` as files are done; rule,
/// config and waivers errors come back all at once, before anything is reported.
pub fn run(
    settings: &RunSettings,
    reporter: &mut dyn Reporter,
    progress: &dyn Progress,
) -> Result<Outcome, RunError> {
    let mut operands = settings.paths.clone();
    if settings.jsonl && operands.is_empty() {
        operands.push(PathBuf::from("-"));
    }
    let selection = source::Selection {
        csv: !settings.csv_columns.is_empty(),
        jsonl: settings.jsonl,
        include: glob_set("--include", &settings.include)?,
        exclude: glob_set("--exclude", &settings.exclude)?,
    };
    let mut walk = source::walk(&operands, settings.stdin_filename.as_deref(), &selection);
    let mut unchanged = 0;
    if let Some(changes) = &settings.changes {
        let before = walk.candidates.len();
        walk.candidates.retain(|candidate| match &candidate.origin {
            Origin::Path(path) => changes.has_file(path),
            Origin::Stdin => true,
        });
        unchanged = before - walk.candidates.len();
    }
    if let Some(format) = settings.stdin_format {
        for candidate in &mut walk.candidates {
            if let Origin::Stdin = candidate.origin {
                candidate.format = format;
            }
        }
    }
    let mut explicit = match &settings.config {
        Some(path) => Some(Config::load(path)?),
        None => None,
    };
    let mut baseline = match &settings.baseline {
        Some(path) => Some(Baseline::load(path).map_err(RunError::Baseline)?),
        None => None,
    };

    // Each distinct config gets its own engine; index 0 is the engine without a config (or
    // with the explicit one).
    let mut configs: Vec<Option<Config>> = vec![None];
    let mut config_of_dir: HashMap<PathBuf, usize> = HashMap::new();
    let mut waivers = Waivers::default();
    let mut errors = Vec::new();
    let mut broken_configs: Vec<PathBuf> = Vec::new();
    let mut planned = Vec::with_capacity(walk.candidates.len());
    for candidate in &walk.candidates {
        // Standard input is copy from the current folder: its config applies, no waivers do.
        let dir = candidate
            .settings_path()
            .map_or_else(|| PathBuf::from("."), folder_of);
        let config = match (&explicit, config_of_dir.get(&dir)) {
            (Some(_), _) => 0,
            (None, Some(&i)) => i,
            (None, None) => {
                let i = match Config::find(&dir) {
                    None => 0,
                    Some(found) => match configs
                        .iter()
                        .position(|c| c.as_ref().is_some_and(|c| c.path == found))
                    {
                        Some(i) => i,
                        // A broken config is reported once, not once per folder below it.
                        None if broken_configs.contains(&found) => 0,
                        None => match Config::load(&found) {
                            Ok(config) => {
                                configs.push(Some(config));
                                configs.len() - 1
                            }
                            Err(e) => {
                                errors.extend(e);
                                broken_configs.push(found);
                                0
                            }
                        },
                    },
                };
                config_of_dir.insert(dir.clone(), i);
                i
            }
        };
        let waiver_file = match (candidate.settings_path(), waivers.for_folder(&dir)) {
            (None, _) => None,
            (Some(_), Ok(index)) => index,
            (Some(_), Err(e)) => {
                errors.extend(e);
                None
            }
        };
        planned.push((config, waiver_file));
    }
    if let Some(config) = explicit.take() {
        configs[0] = Some(config);
    }
    if !errors.is_empty() {
        return Err(RunError::Config(errors));
    }
    let mut engines = Vec::with_capacity(configs.len());
    for config in &mut configs {
        match engine_for(settings, config.as_mut()) {
            Ok(engine) => engines.push(engine),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(RunError::Config(errors));
    }
    let chosen = cli_jurisdictions(settings, &engines[0])?;
    let choice = RuleChoice::of(settings);
    choice.check(&engines)?;

    // Rule folders named with `--rules` hold rules (whose examples are claims), never copy.
    let rule_dirs: Vec<PathBuf> = settings
        .rule_dirs
        .iter()
        .map(|d| std::path::absolute(d).unwrap_or_else(|_| d.clone()))
        .collect();
    let in_rule_dir = |path: &Path| {
        std::path::absolute(path).is_ok_and(|p| rule_dirs.iter().any(|d| p.starts_with(d)))
    };
    let mut jobs: Vec<Job<'_>> = Vec::with_capacity(planned.len());
    for (candidate, (engine, waivers)) in walk.candidates.iter().zip(planned) {
        if let Origin::Path(path) = &candidate.origin
            && !rule_dirs.is_empty()
            && in_rule_dir(path)
        {
            continue;
        }
        let config = configs[engine].as_ref();
        let policy = match (&candidate.origin, config) {
            (Origin::Path(path), Some(config)) => {
                if config.ignores(path) || config.owns(path) {
                    continue;
                }
                config.policy_for(path)
            }
            (Origin::Stdin, Some(config)) => {
                config.policy_for(candidate.stdin_name.as_deref().unwrap_or(Path::new(".")))
            }
            (_, None) => Policy::default(),
        };
        jobs.push(Job {
            candidate,
            engine,
            options: options_for(
                &engines[engine],
                chosen.as_ref(),
                settings,
                &choice,
                policy,
                reporter.quotes_lines(),
            ),
            waivers,
        });
    }

    let mut report = Report {
        unchanged_files: unchanged,
        ..Report::default()
    };
    for job in &jobs {
        report
            .jurisdictions
            .extend(job.options.jurisdictions.iter().cloned());
    }
    if jobs.is_empty() {
        report.jurisdictions = chosen
            .clone()
            .unwrap_or_else(|| engines[0].knowledge.all_jurisdictions());
    }
    engines[0]
        .knowledge
        .in_report_order(&mut report.jurisdictions);
    let write = RunError::Output;
    for skipped in walk.skipped {
        reporter.skipped(&skipped).map_err(write)?;
        report.skipped.push(skipped);
    }

    let shows_copy = reporter.shows_copy();
    progress.start(jobs.len());
    let today = chrono::Local::now().date_naive();
    let mut rules_seen: BTreeSet<String> = BTreeSet::new();
    let audit_chunk = |chunk: &[Job<'_>]| -> Vec<Result<FileResult, Skipped>> {
        chunk
            .par_iter()
            .map(|job| {
                let result = audit_file(job, &engines, settings, shows_copy);
                progress.file_done();
                result
            })
            .collect()
    };
    // Each chunk is audited on the thread pool while this thread reports the chunk before it,
    // so the workers never wait for the report to be written.
    std::thread::scope(|scope| -> Result<(), RunError> {
        let mut chunks = jobs.chunks(CHUNK);
        let spawn = |chunk| scope.spawn(move || audit_chunk(chunk));
        let mut pending = chunks.next().map(|chunk| (chunk, spawn(chunk)));
        while let Some((chunk, audited)) = pending.take() {
            let results = audited
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            pending = chunks.next().map(|chunk| (chunk, spawn(chunk)));
            for (job, result) in chunk.iter().zip(results) {
                let mut file = match result {
                    Ok(file) => file,
                    Err(skipped) => {
                        reporter.skipped(&skipped).map_err(write)?;
                        report.skipped.push(skipped);
                        continue;
                    }
                };
                if file.passed_over {
                    report.passed_over.push(file.entry.path);
                    continue;
                }
                report.suppressed += file.suppressed;
                let book = &engines[job.engine].book;
                if let (Some(path), Some(w)) = (job.candidate.settings_path(), job.waivers) {
                    waivers.files[w].note_audited(path);
                }
                for document in file.documents {
                    let mut document = match document {
                        Ok(document) => document,
                        Err(skipped) => {
                            reporter.skipped(&skipped).map_err(write)?;
                            report.skipped.push(skipped);
                            continue;
                        }
                    };
                    if let (Some(path), Some(w)) = (job.candidate.settings_path(), job.waivers) {
                        let before = document.findings.len();
                        let waiver_file = &mut waivers.files[w];
                        document
                            .findings
                            .retain(|f| !waiver_file.waives(f, path, today, book));
                        report.waived += before - document.findings.len();
                    }
                    document.findings = time(Stage::Judge, || {
                        crate::judge::merge_claims(
                            std::mem::take(&mut document.findings),
                            book,
                            &job.options.jurisdictions,
                        )
                    });
                    if let Some(baseline) = &mut baseline {
                        document.findings.retain(|f| !baseline.absorbs(f));
                    }
                    if let (Some(changes), true, Origin::Path(path)) = (
                        &settings.changes,
                        settings.changed_lines,
                        &job.candidate.origin,
                    ) {
                        let before = document.findings.len();
                        document
                            .findings
                            .retain(|f| changes.touches(path, f.span.line, f.span.end_line));
                        report.unchanged_lines += before - document.findings.len();
                    }
                    file.entry.findings += document.findings.len();
                    report.tally(&document.findings);
                    note_rules(&mut rules_seen, &document.findings);
                    let audited = Audited {
                        path: &file.entry.path,
                        record: document.record.as_deref(),
                        findings: &document.findings,
                        counts: crate::report::severity_counts(&document.findings),
                        copy: document.copy.as_deref(),
                    };
                    time(Stage::Report, || reporter.document(&audited)).map_err(write)?;
                }
                if let Some(baseline) = &mut baseline {
                    baseline.note_audited(&file.entry.path);
                }
                report.files.push(file.entry);
            }
        }
        Ok(())
    })?;
    if let Some(baseline) = baseline {
        report.baselined = baseline.absorbed;
        report.baseline = Some(BaselineUse {
            file: make_safe_line(&baseline.path.display().to_string()).into_owned(),
            stale: baseline.stale(),
            entries: baseline.entries(),
            entries_for_audited: baseline.entries_for_audited(),
        });
    }
    progress.finish();
    let options = AuditOptions::for_jurisdictions(
        chosen.unwrap_or_else(|| engines[0].knowledge.all_jurisdictions()),
    );
    for file in &waivers.files {
        let findings = file.problems(today, &engines[0].book, &engines[0].knowledge, &options);
        if findings.is_empty() {
            continue;
        }
        report.tally(&findings);
        note_rules(&mut rules_seen, &findings);
        let path = findings[0].path.clone();
        let audited = Audited {
            path: &path,
            record: None,
            findings: &findings,
            counts: crate::report::severity_counts(&findings),
            copy: None,
        };
        reporter.document(&audited).map_err(write)?;
    }
    report.rules = rule_meta(&rules_seen, &engines);
    reporter.finish(&report).map_err(write)?;
    Ok(Outcome {
        report,
        missing_operand: walk.missing_operand,
        not_copy: walk.not_copy,
        unchanged,
    })
}

/// The folder a file's config and waivers are looked up from.
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Notes the rules of findings and of their related matches, for the report's rule table.
fn note_rules(seen: &mut BTreeSet<String>, findings: &[Finding]) {
    let rules = findings
        .iter()
        .flat_map(|f| std::iter::once(&f.rule).chain(f.related.iter().map(|r| &r.rule)));
    for rule in rules {
        if !seen.contains(rule) {
            seen.insert(rule.clone());
        }
    }
}

/// How a file holds its copy, from the run's settings and the file's name.
fn container_of(candidate: &Candidate, settings: &RunSettings) -> Container {
    if settings.jsonl {
        return Container::JsonLines {
            first_line: 1,
            key: settings.record_key.clone(),
        };
    }
    if !settings.csv_columns.is_empty() && candidate.display.to_ascii_lowercase().ends_with(".csv")
    {
        return Container::CsvColumns {
            columns: settings.csv_columns.clone(),
            key: settings.record_key.clone(),
        };
    }
    Container::Whole
}

/// Reads, extracts, parses and judges one file (each of its records, for a container).
fn audit_file(
    job: &Job<'_>,
    engines: &[Arc<Engine>],
    settings: &RunSettings,
    shows_copy: bool,
) -> Result<FileResult, Skipped> {
    let container = container_of(job.candidate, settings);
    if let Container::JsonLines { .. } = container {
        return audit_line_stream(job, &engines[job.engine], settings);
    }
    let file = time(Stage::Source, || {
        source::read(
            job.candidate,
            settings.max_file_size,
            settings.stdin_bytes.as_deref(),
        )
    })?;
    // An earlier report written into an audited folder is output, not copy.
    if job.candidate.in_folder && crate::report::is_own_report(&file.text) {
        return Ok(FileResult {
            entry: file_entry(&file.display, file.format, None),
            documents: Vec::new(),
            suppressed: 0,
            passed_over: true,
        });
    }
    let engine = &engines[job.engine];
    let entry = file_entry(&file.display, file.format, file.warning.as_deref());
    let keep_copy = shows_copy && container == Container::Whole;
    let mut documents = Vec::new();
    let mut suppressed = 0;
    for document in engine.documents(file, &container)? {
        suppressed += judge_document(engine, job, document, (0, 0), keep_copy, &mut documents);
    }
    Ok(FileResult {
        entry,
        documents,
        suppressed,
        passed_over: false,
    })
}

/// Judges one document (or passes on the skip of a record that could not be read) into `out`:
/// its findings, moved by `shift` (the lines and bytes before a stream chunk), then a skip for
/// each block the grammar gave up on; with `keep_copy`, its visible copy for reports that show
/// pages. Returns how many findings inline suppressions removed.
fn judge_document(
    engine: &Engine,
    job: &Job<'_>,
    document: Result<crate::Document, Skipped>,
    (lines_before, bytes_before): (usize, usize),
    keep_copy: bool,
    out: &mut Vec<Result<AuditedDocument, Skipped>>,
) -> usize {
    let document = match document {
        Ok(document) => document,
        Err(skipped) => {
            out.push(Err(skipped));
            return 0;
        }
    };
    let mut judged = engine.judge(&document, &job.options);
    for finding in &mut judged.findings {
        finding.shift(lines_before, bytes_before);
    }
    let unparsed = document.unparsed(lines_before);
    let copy = keep_copy.then(|| {
        let text = document.copy.text;
        match make_safe(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(safe) => safe,
        }
    });
    out.push(Ok(AuditedDocument {
        record: document.record,
        findings: judged.findings,
        copy,
    }));
    out.extend(unparsed.into_iter().map(Err));
    judged.suppressed
}

fn file_entry(display: &str, format: source::Format, warning: Option<&str>) -> FileEntry {
    FileEntry {
        path: make_safe_line(display).into_owned(),
        format: format.as_str().to_string(),
        findings: 0,
        warning: warning.map(|w| make_safe(w).into_owned()),
        copy: None,
    }
}

/// Reads and judges a JSON Lines file or stream chunk by chunk ([`source::read_lines`]): each
/// record is bounded by `--max-file-size`, the stream is not, and memory follows the chunk and
/// the findings, not the stream. Findings are moved from their chunk's lines to the stream's.
fn audit_line_stream(
    job: &Job<'_>,
    engine: &Engine,
    settings: &RunSettings,
) -> Result<FileResult, Skipped> {
    let mut documents = Vec::new();
    let mut suppressed = 0;
    let mut warning = None;
    source::read_lines(
        job.candidate,
        settings.max_file_size,
        &mut |part| match part {
            source::LinePart::Skipped(line, reason) => {
                let mut skipped = Skipped::file(&job.candidate.display, reason);
                skipped.record = Some(format!("line {line}"));
                skipped.line = Some(line);
                documents.push(Err(skipped));
            }
            source::LinePart::Lines(chunk) => {
                if warning.is_none() {
                    warning.clone_from(&chunk.file.warning);
                }
                let shift = (chunk.first_line - 1, chunk.offset);
                let container = Container::JsonLines {
                    first_line: chunk.first_line,
                    key: settings.record_key.clone(),
                };
                match engine.documents(chunk.file, &container) {
                    Ok(records) => {
                        for document in records {
                            suppressed +=
                                judge_document(engine, job, document, shift, false, &mut documents);
                        }
                    }
                    Err(skipped) => documents.push(Err(skipped)),
                }
            }
        },
    )?;
    Ok(FileResult {
        entry: file_entry(
            &job.candidate.display,
            job.candidate.format,
            warning.as_deref(),
        ),
        documents,
        suppressed,
        passed_over: false,
    })
}

/// Documentation and legal basis of every rule that produced a finding.
fn rule_meta(ids: &BTreeSet<String>, engines: &[Arc<Engine>]) -> Vec<RuleMeta> {
    ids.iter()
        .filter_map(|id| {
            engines.iter().find_map(|e| {
                let rule = e.book.rule(id)?;
                // A user's rule file may hold control characters; every report shows these.
                let line = |text: &str| make_safe_line(text).into_owned();
                Some(RuleMeta {
                    id: line(&rule.id),
                    title: line(&rule.title),
                    category: rule.category.as_str().to_string(),
                    message: make_safe_text(rule.message.trim()).into_owned(),
                    why: make_safe_text(rule.why.trim()).into_owned(),
                    suggest: line(&rule.suggest),
                    positions: rule
                        .jurisdictions
                        .iter()
                        .flat_map(|j| &j.positions)
                        .filter_map(|p| e.knowledge.positions.get(p))
                        .map(|p| p.summary())
                        .collect(),
                })
            })
        })
        .collect()
}

/// Waiver files, loaded once each, by the folder they were looked up from.
#[derive(Default)]
struct Waivers {
    files: Vec<WaiverFile>,
    by_dir: HashMap<PathBuf, Option<usize>>,
}

impl Waivers {
    /// The waivers file that applies to the files of a folder, loading it the first time.
    fn for_folder(&mut self, dir: &Path) -> Result<Option<usize>, Vec<LoadError>> {
        if let Some(&index) = self.by_dir.get(dir) {
            return Ok(index);
        }
        let index = match WaiverFile::find(dir) {
            None => None,
            Some(found) => match self.files.iter().position(|f| f.path() == found) {
                Some(i) => Some(i),
                None => match WaiverFile::load(&found) {
                    Ok(file) => {
                        self.files.push(file);
                        Some(self.files.len() - 1)
                    }
                    Err(errors) => {
                        // Reported once, not again for every folder below it.
                        self.by_dir.insert(dir.to_path_buf(), None);
                        return Err(errors);
                    }
                },
            },
        };
        self.by_dir.insert(dir.to_path_buf(), index);
        Ok(index)
    }
}

/// One setting that applies to a path, its value, and where the value came from.
pub(crate) struct Applied {
    pub name: &'static str,
    pub value: String,
    pub from: String,
}

/// The settings `audit` uses for `path` (a file, or a folder's files), each with where it came
/// from: the command line, the config (and its overrides for the path), or the default.
pub(crate) fn applied_settings(
    settings: &RunSettings,
    path: &Path,
) -> Result<Vec<Applied>, RunError> {
    let folder = if path.is_dir() {
        path.to_path_buf()
    } else {
        folder_of(path)
    };
    let found = settings.config.clone().or_else(|| Config::find(&folder));
    let mut config = match &found {
        Some(file) => Some(Config::load(file)?),
        None => None,
    };
    let engine = engine_for(settings, config.as_mut())?;
    let cli = cli_jurisdictions(settings, &engine)?;
    let policy = config
        .as_ref()
        .map(|c| c.policy_for(path))
        .unwrap_or_default();
    let from_config = match &config {
        Some(c) => match c.overrides_for(path) {
            0 => c.path.display().to_string(),
            n => format!("{} (with {n} override(s) for this path)", c.path.display()),
        },
        None => "default".to_string(),
    };
    let row = |name, value: String, from: String| Applied { name, value, from };
    let names = |list: &[Jurisdiction]| {
        list.iter()
            .map(Jurisdiction::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let selectors = |list: &[RuleSelector]| {
        list.iter()
            .map(RuleSelector::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut rows = vec![row(
        "config",
        found
            .as_ref()
            .map_or_else(|| "none".to_string(), |f| f.display().to_string()),
        match (&settings.config, &found) {
            (Some(_), _) => "--config".to_string(),
            (None, Some(_)) => "found in or above the folder".to_string(),
            (None, None) => "no .overclaim.yaml in or above the folder".to_string(),
        },
    )];
    rows.push(match (&cli, &policy.jurisdictions) {
        (Some(list), _) => row("jurisdictions", names(list), "--jurisdiction".into()),
        (None, Some(list)) => row("jurisdictions", names(list), from_config.clone()),
        (None, None) => row(
            "jurisdictions",
            names(&engine.knowledge.all_jurisdictions()),
            "default: every jurisdiction of the registry".into(),
        ),
    });
    rows.push(match (settings.product, policy.product) {
        (Some(p), _) => row("product", p.name().into(), "--product".into()),
        (None, Some(p)) => row("product", p.name().into(), from_config.clone()),
        (None, None) => row("product", "cosmetic".into(), "default".into()),
    });
    if !policy.disable.is_empty() {
        rows.push(row(
            "rules off",
            selectors(&policy.disable),
            from_config.clone(),
        ));
    }
    if !settings.ignore.is_empty() {
        rows.push(row(
            "rules off",
            settings.ignore.join(", "),
            "--ignore".into(),
        ));
    }
    if !settings.select.is_empty() {
        rows.push(row(
            "rules only",
            settings.select.join(", "),
            "--select".into(),
        ));
    }
    if !policy.severity.is_empty() {
        let overrides: Vec<String> = policy
            .severity
            .iter()
            .map(|(s, severity)| format!("{s} = {}", severity.as_str()))
            .collect();
        rows.push(row("severity", overrides.join(", "), from_config.clone()));
    }
    rows.push(row(
        "built-in rules",
        if settings.no_default_rules {
            "off"
        } else {
            "on"
        }
        .into(),
        if settings.no_default_rules {
            "--no-default-rules"
        } else {
            "default"
        }
        .into(),
    ));
    for dir in config.as_ref().map_or(&[][..], |c| &c.rule_dirs[..]) {
        rows.push(row(
            "rule folder",
            dir.display().to_string(),
            from_config.clone(),
        ));
    }
    for dir in &settings.rule_dirs {
        rows.push(row(
            "rule folder",
            dir.display().to_string(),
            "--rules".into(),
        ));
    }
    for file in config.as_ref().map_or(&[][..], |c| &c.evidence[..]) {
        rows.push(row(
            "evidence",
            file.display().to_string(),
            from_config.clone(),
        ));
    }
    rows.push(match WaiverFile::find(&folder) {
        Some(file) => row(
            "waivers",
            file.display().to_string(),
            "found in or above the folder".into(),
        ),
        None => row(
            "waivers",
            "none".into(),
            "no waivers file in or above the folder".into(),
        ),
    });
    if settings.jsonl {
        let key = settings.record_key.as_deref().unwrap_or("id");
        rows.push(row(
            "records",
            format!("JSON Lines, named by `{key}`"),
            "--jsonl".into(),
        ));
    } else if !settings.csv_columns.is_empty() {
        let key = settings
            .record_key
            .as_deref()
            .map_or_else(|| "the row number".to_string(), |k| format!("`{k}`"));
        rows.push(row(
            "records",
            format!(
                "CSV columns {}, named by {key}",
                settings.csv_columns.join(", ")
            ),
            "--csv-column, --csv-preset or --key".into(),
        ));
    }
    let default_baseline = Path::new(crate::baseline::BASELINE_FILE);
    rows.push(match &settings.baseline {
        Some(file) if file == default_baseline => row(
            "baseline",
            file.display().to_string(),
            "found in the current folder".into(),
        ),
        Some(file) => row("baseline", file.display().to_string(), "--baseline".into()),
        None => row(
            "baseline",
            "none".into(),
            "no .overclaim-baseline.json in the current folder, or --no-baseline".into(),
        ),
    });
    if let Some(changes) = &settings.changes {
        rows.push(row(
            "changed since",
            changes.reference.clone(),
            "--changed-since".into(),
        ));
    }
    if path.is_file() {
        let (audited, why) = match &config {
            Some(c) if c.ignores(path) => {
                ("no", format!("the config's ignore ({})", c.path.display()))
            }
            Some(c) if c.owns(path) => ("no", "a rule or evidence file of the config".to_string()),
            _ => match &settings.changes {
                Some(changes) if !changes.has_file(path) => (
                    "no",
                    format!("unchanged since {} (--changed-since)", changes.reference),
                ),
                _ => ("yes", "named, it is read whatever it is".to_string()),
            },
        };
        rows.push(row("audited", audited.into(), why));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_engine_is_built_again_only_when_its_sources_change() {
        let cache = EngineCache::default();
        let mut sources = rules::embedded_sources();
        let first = cache.engine(&sources).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.engine(&sources).unwrap()));
        let last = sources.last_mut().unwrap();
        last.text.push_str("\n# edited\n");
        let edited = cache.engine(&sources).unwrap();
        assert!(!Arc::ptr_eq(&first, &edited), "edited text, new engine");
    }
}
