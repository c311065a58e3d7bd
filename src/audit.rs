//! One audit run: walk the operands, find each file's config, build one engine per distinct
//! rule set, audit the files in parallel, and gather the report.
//!
//! Files are read, audited and dropped inside the parallel closure, so memory follows the
//! findings, not the size of the folder.

use crate::Engine;
use crate::config::{Config, Policy};
use crate::diagnostic::Jurisdiction;
use crate::judge::AuditOptions;
use crate::judge::Judged;
use crate::report::{FileEntry, Report, Reporter, RuleMeta};
use crate::rules::{self, LoadError, Product, RuleSource, SourceKind};
use crate::source::{self, Candidate, Format, Origin, Skipped, SourceFile};
use crate::waivers::WaiverFile;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the command line asked for.
#[derive(Clone, Debug, Default)]
pub struct RunSettings {
    /// Files and folders.
    pub paths: Vec<PathBuf>,
    /// `--jurisdiction`, when given (it beats the config).
    pub jurisdictions: Option<Vec<Jurisdiction>>,
    /// `--product`, when given.
    pub product: Option<Product>,
    /// `--config FILE`: use this config for every file instead of searching.
    pub config: Option<PathBuf>,
    /// `--rules DIR`, in order.
    pub rule_dirs: Vec<PathBuf>,
    /// `--no-default-rules`: leave out the built-in rule packs (the built-in lexicon, positions
    /// and evidence stay, so user rules can use them).
    pub no_default_rules: bool,
    /// `--max-file-size`.
    pub max_file_size: u64,
    /// Keep each file's visible copy in the report (for the HTML report).
    pub keep_copy: bool,
    /// Show a progress bar on standard error.
    pub progress: bool,
    /// `--csv-column`: in CSV files, audit this column, one document per row.
    pub csv_column: Option<String>,
}

/// The rule sources of a run: built-ins, then config folders and evidence, then `--rules`.
pub fn rule_sources(
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

/// Builds the engine for a config (or for none), checking the config's rule names.
pub fn engine_for(
    settings: &RunSettings,
    config: Option<&Config>,
) -> Result<Engine, Vec<LoadError>> {
    let sources = rule_sources(settings, config)?;
    let rules = rules::load(&sources)?;
    if let Some(config) = config {
        let errors = config.check_rule_names(&rules);
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    Ok(Engine::new(rules, AuditOptions::default()))
}

/// The options for one file: command line beats per-path settings beats defaults.
pub fn options_for(settings: &RunSettings, policy: Policy) -> AuditOptions {
    let mut jurisdictions = settings
        .jurisdictions
        .clone()
        .or(policy.jurisdictions)
        .unwrap_or_else(|| Jurisdiction::ALL.to_vec());
    jurisdictions.sort();
    jurisdictions.dedup();
    AuditOptions {
        jurisdictions,
        product: settings
            .product
            .or(policy.product)
            .unwrap_or(Product::Cosmetic),
        disable: policy.disable,
        severity: policy.severity,
    }
}

/// A file with the engine and options it is audited with.
struct Job<'a> {
    candidate: &'a Candidate,
    engine: usize,
    options: AuditOptions,
}

/// Result of a run.
pub struct Outcome {
    /// The report.
    pub report: Report,
    /// Whether an operand named on the command line does not exist.
    pub missing_operand: bool,
}

/// Runs the audit, handing findings to `reporter` file by file; rule or config errors come back
/// all at once, before anything is reported.
pub fn run(settings: &RunSettings, reporter: &mut dyn Reporter) -> Result<Outcome, Vec<LoadError>> {
    let walk = source::walk(&settings.paths);
    let explicit = match &settings.config {
        Some(path) => Some(Config::load(path)?),
        None => None,
    };

    // Each distinct config gets its own engine; index 0 is the engine without a config.
    let mut configs: Vec<Option<Config>> = vec![None];
    let mut config_of_dir: HashMap<PathBuf, usize> = HashMap::new();
    let mut errors = Vec::new();
    let mut jobs_config = Vec::with_capacity(walk.candidates.len());
    for candidate in &walk.candidates {
        let index = match (&explicit, &candidate.origin) {
            (Some(_), _) => 0,
            (None, Origin::Stdin) => 0,
            (None, Origin::Path(path)) => {
                let dir = match path.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                match config_of_dir.get(&dir) {
                    Some(&i) => i,
                    None => {
                        let i = match Config::find(&dir) {
                            None => 0,
                            Some(found) => match configs
                                .iter()
                                .position(|c| c.as_ref().is_some_and(|c| c.path == found))
                            {
                                Some(i) => i,
                                None => match Config::load(&found) {
                                    Ok(config) => {
                                        configs.push(Some(config));
                                        configs.len() - 1
                                    }
                                    Err(e) => {
                                        errors.extend(e);
                                        0
                                    }
                                },
                            },
                        };
                        config_of_dir.insert(dir, i);
                        i
                    }
                }
            }
        };
        jobs_config.push(index);
    }
    if let Some(config) = explicit {
        configs[0] = Some(config);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut engines = Vec::with_capacity(configs.len());
    for config in &configs {
        match engine_for(settings, config.as_ref()) {
            Ok(engine) => engines.push(engine),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let jobs: Vec<Job<'_>> = walk
        .candidates
        .iter()
        .zip(jobs_config)
        .filter_map(|(candidate, engine)| {
            let config = configs[engine].as_ref();
            let policy = match (&candidate.origin, config) {
                (Origin::Path(path), Some(config)) => {
                    if config.ignores(path) || config.owns(path) {
                        return None;
                    }
                    config.policy_for(path)
                }
                _ => Policy::default(),
            };
            Some(Job {
                candidate,
                engine,
                options: options_for(settings, policy),
            })
        })
        .collect();

    let progress = settings.progress.then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(jobs.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let today = chrono::Local::now().date_naive();
    let mut waivers = Waivers::default();
    let mut report = Report {
        skipped: walk.skipped,
        ..Report::default()
    };
    let mut rules_seen: Vec<String> = Vec::new();
    // Files are audited in parallel a chunk at a time and reported in order; each chunk's
    // texts and findings are dropped once reported, so memory stays flat.
    for chunk in jobs.chunks(CHUNK) {
        let outcomes: Vec<Result<(FileEntry, Judged), Skipped>> = chunk
            .par_iter()
            .map(|job| {
                let outcome = audit_file(job, &engines, settings);
                if let Some(bar) = &progress {
                    bar.inc(1);
                }
                outcome
            })
            .collect();
        for (job, outcome) in chunk.iter().zip(outcomes) {
            match outcome {
                Ok((mut entry, judged)) => {
                    report.suppressed += judged.suppressed;
                    if settings.keep_copy {
                        entry.copy = Some(judged.copy);
                    }
                    let mut findings = judged.findings;
                    if let Origin::Path(path) = &job.candidate.origin {
                        let before = findings.len();
                        if let Some(file) = waivers.for_file(path)? {
                            findings.retain(|f| !file.waives(f, path, today));
                        }
                        report.waived += before - findings.len();
                        entry.findings = findings.len();
                    }
                    report.files.push(entry);
                    report.tally(&findings);
                    note_rules(&mut rules_seen, &findings);
                    reporter.findings(&findings).map_err(write_error)?;
                }
                Err(skipped) => report.skipped.push(skipped),
            }
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let options = AuditOptions {
        jurisdictions: settings
            .jurisdictions
            .clone()
            .unwrap_or_else(|| Jurisdiction::ALL.to_vec()),
        ..AuditOptions::default()
    };
    for file in &waivers.files {
        let findings = file.problems(today, engines[0].rules(), &options);
        report.tally(&findings);
        note_rules(&mut rules_seen, &findings);
        reporter.findings(&findings).map_err(write_error)?;
    }
    report.rules = rule_meta(&rules_seen, &engines);
    Ok(Outcome {
        report,
        missing_operand: walk.missing_operand,
    })
}

/// Files audited in parallel before their findings are reported.
const CHUNK: usize = 64;

/// A failure to write the report, as a run error.
fn write_error(e: std::io::Error) -> Vec<LoadError> {
    vec![LoadError {
        path: "<output>".to_string(),
        line: None,
        column: None,
        id: None,
        message: format!("cannot write the report: {e}"),
    }]
}

fn note_rules(seen: &mut Vec<String>, findings: &[crate::diagnostic::Finding]) {
    for f in findings {
        if !seen.contains(&f.rule) {
            seen.push(f.rule.clone());
        }
    }
}

/// Reads, extracts, parses and judges one file (or each row of a CSV column).
fn audit_file(
    job: &Job<'_>,
    engines: &[Engine],
    settings: &RunSettings,
) -> Result<(FileEntry, Judged), Skipped> {
    let file = source::read(job.candidate, settings.max_file_size)?;
    let engine = &engines[job.engine];
    let is_csv = file.display.to_ascii_lowercase().ends_with(".csv");
    let judged = match &settings.csv_column {
        Some(column) if is_csv => csv_column(engine, &file, column, &job.options)?,
        _ => engine.judge(&file, &job.options).map_err(|e| Skipped {
            path: file.display.clone(),
            reason: format!("could not parse: {e}"),
        })?,
    };
    let entry = FileEntry {
        path: file.display,
        format: file.format,
        findings: judged.findings.len(),
        warning: file.warning,
        copy: None,
    };
    Ok((entry, judged))
}

/// Audits one column of a CSV file, one document per row; findings name the row and column.
/// Spans are offsets into the cell.
fn csv_column(
    engine: &Engine,
    file: &SourceFile,
    column: &str,
    options: &AuditOptions,
) -> Result<Judged, Skipped> {
    let skip = |reason: String| Skipped {
        path: file.display.clone(),
        reason,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| skip(format!("not a CSV file: {e}")))?
        .clone();
    let index = headers.iter().position(|h| h == column).ok_or_else(|| {
        let names: Vec<&str> = headers.iter().collect();
        skip(format!(
            "no column `{column}` (columns: {})",
            names.join(", ")
        ))
    })?;
    let mut judged = Judged::default();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| skip(format!("bad CSV row {}: {e}", row + 1)))?;
        let Some(cell) = record.get(index) else {
            continue;
        };
        let format = if cell.contains('<') && cell.contains('>') {
            Format::Html
        } else {
            Format::Text
        };
        let document = SourceFile {
            display: file.display.clone(),
            format,
            text: cell.to_string(),
            warning: None,
        };
        let mut cell_judged = engine
            .judge(&document, options)
            .map_err(|e| skip(format!("could not parse row {}: {e}", row + 1)))?;
        for finding in &mut cell_judged.findings {
            finding.record = Some(format!("row {}, column {column}", row + 1));
        }
        judged.suppressed += cell_judged.suppressed;
        judged.findings.extend(cell_judged.findings);
    }
    Ok(judged)
}

/// Documentation and legal basis of every rule that produced a finding.
fn rule_meta(ids: &[String], engines: &[Engine]) -> Vec<RuleMeta> {
    let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    ids.into_iter()
        .filter_map(|id| {
            engines.iter().find_map(|e| {
                let rules = e.rules();
                let rule = rules.rule(id)?;
                Some(RuleMeta {
                    id: rule.id.clone(),
                    title: rule.title.clone(),
                    category: rule.category.as_str().to_string(),
                    why: rule.why.trim().to_string(),
                    suggest: rule.suggest.clone(),
                    positions: rule
                        .jurisdictions
                        .iter()
                        .flat_map(|j| &j.positions)
                        .filter_map(|p| rules.positions.get(p))
                        .map(|p| crate::diagnostic::PositionSummary {
                            id: p.id.clone(),
                            jurisdiction: p.jurisdiction,
                            instrument: p.instrument.clone(),
                            url: p.url.clone(),
                        })
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
    /// The waiver file that applies to a file, if any.
    fn for_file(&mut self, path: &Path) -> Result<Option<&mut WaiverFile>, Vec<LoadError>> {
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let index = match self.by_dir.get(&dir) {
            Some(&index) => index,
            None => {
                let index = match WaiverFile::find(&dir) {
                    None => None,
                    Some(found) => match self.files.iter().position(|f| f.path() == found) {
                        Some(i) => Some(i),
                        None => {
                            self.files.push(WaiverFile::load(&found)?);
                            Some(self.files.len() - 1)
                        }
                    },
                };
                self.by_dir.insert(dir, index);
                index
            }
        };
        Ok(index.map(|i| &mut self.files[i]))
    }
}
