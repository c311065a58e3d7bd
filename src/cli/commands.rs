//! The commands that are not `audit`: explain a rule, show the evidence, list, test and
//! describe rule files, write starter files.

use crate::Engine;
use crate::config::CONFIG_FILE;
use crate::diagnostic::Severity;
use crate::diagnostic::{make_safe_line, make_safe_text};
use crate::rules::did_you_mean;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when standard output refused a write for a reason other than a closed pipe.
static OUTPUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout with control and bidi characters made visible (rule files and names
/// typed on the command line reach this text). A closed pipe (`overclaim … | head`) ends
/// output quietly; any other write error is reported once and makes the command exit 2.
pub(super) fn emit_str(text: &str) {
    let text = make_safe_text(text);
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
        && !OUTPUT_FAILED.swap(true, Ordering::Relaxed)
    {
        eprintln!("error: cannot write output: {e}");
    }
}

/// `code`, or 2 when some output could not be written.
pub(super) fn unless_output_failed(code: u8) -> u8 {
    if OUTPUT_FAILED.load(Ordering::Relaxed) {
        2
    } else {
        code
    }
}

macro_rules! emit {
    ($($arg:tt)*) => { emit_str(&format!($($arg)*)) };
}

macro_rules! emitln {
    ($($arg:tt)*) => { emit_str(&format!("{}\n", format!($($arg)*))) };
}

/// One row of `rules list --format json`.
#[derive(serde::Serialize)]
struct RuleRow<'a> {
    id: &'a str,
    title: &'a str,
    category: &'a str,
    severity: std::collections::BTreeMap<String, Severity>,
    evidence: Option<&'a str>,
    file: &'a str,
}

pub(super) fn list(engine: &Engine, json: bool) -> u8 {
    let rows: Vec<RuleRow<'_>> = engine
        .book
        .rules
        .iter()
        .map(|r| RuleRow {
            id: &r.id,
            title: &r.title,
            category: r.category.as_str(),
            severity: r
                .jurisdictions
                .iter()
                .map(|j| (j.jurisdiction.to_string(), j.severity))
                .collect(),
            evidence: r.evidence.first().map(String::as_str),
            file: &r.file,
        })
        .collect();
    match json {
        true => {
            emitln!(
                "{}",
                serde_json::to_string_pretty(&rows).expect("rows serialise")
            );
        }
        false => {
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

pub(super) fn test(engine: &Engine, path: Option<&std::path::Path>, rule: Option<&str>) -> u8 {
    let under = path.map(|p| p.display().to_string());
    if let Some(id) = rule
        && !engine.rule_ids().any(|r| r == id)
    {
        let ids: Vec<String> = engine.rule_ids().map(str::to_string).collect();
        eprintln!(
            "error: no rule `{}`{}",
            make_safe_line(id),
            did_you_mean(id, ids.iter())
        );
        return 2;
    }
    let report = engine.check_examples(|id, file| {
        rule.is_none_or(|r| r == id)
            && under
                .as_ref()
                .is_none_or(|dir| file.starts_with(dir.as_str()))
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

pub(super) fn schema() -> u8 {
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

/// Writes the starter files into `dir`. Nothing already there is replaced or followed: a name
/// taken by any entry (a dangling symbolic link included) stops it, the rule folder must be a
/// real folder, and files are created only where none exists, so a link planted in a shared
/// checkout cannot send the starter files somewhere else.
pub(super) fn init(dir: &std::path::Path) -> u8 {
    let config = dir.join(CONFIG_FILE);
    let rules_dir = dir.join("overclaim-rules");
    let rules = rules_dir.join("brand-words.yaml");
    for path in [&config, &rules] {
        if path.symlink_metadata().is_ok() {
            eprintln!(
                "error: {} already exists; overclaim init never overwrites",
                make_safe_line(&path.display().to_string())
            );
            return 2;
        }
    }
    if rules_dir.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
        eprintln!(
            "error: {} is not a folder (a symbolic link is not followed); overclaim init writes \
             its example rules into a real folder",
            make_safe_line(&rules_dir.display().to_string())
        );
        return 2;
    }
    let create = |path: &std::path::Path, text: &str| {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
    };
    let written = std::fs::create_dir_all(&rules_dir)
        .and_then(|()| create(&config, STARTER_CONFIG))
        .and_then(|()| create(&rules, STARTER_RULES));
    match written {
        Ok(()) => {
            emitln!("wrote {}\nwrote {}", config.display(), rules.display());
            emitln!(
                "next: overclaim rules test {} && overclaim audit {}",
                rules_dir.display(),
                dir.display()
            );
            0
        }
        Err(e) => {
            eprintln!(
                "error: cannot write starter files in {}: {e}",
                make_safe_line(&dir.display().to_string())
            );
            2
        }
    }
}

pub(super) fn evidence(engine: &Engine, topic: Option<&str>) -> u8 {
    let knowledge = &engine.knowledge;
    let mut topics: Vec<_> = knowledge.topics.values().collect();
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
    let Some(topic) = knowledge.topics.get(id) else {
        let near = did_you_mean(id, topics.iter().map(|t| &t.id));
        eprintln!("error: no evidence topic `{}`{near}", make_safe_line(id));
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
    for study in topic
        .studies
        .iter()
        .filter_map(|s| knowledge.studies.get(s))
    {
        out.push_str(&format!(
            "  {} [{}]: {}\n    {}\n",
            study.id,
            study.level.as_str(),
            study.describe(),
            study.citation
        ));
        if let Some(doi) = &study.doi {
            out.push_str(&format!("    https://doi.org/{doi}\n"));
        } else if let Some(url) = &study.url {
            out.push_str(&format!("    {url}\n"));
        }
        out.push_str(&format!("    route: {}", study.route.as_str()));
        if let Some(population) = &study.population {
            out.push_str(&format!("; who: {}", population.trim()));
        }
        if let Some(comparator) = &study.comparator {
            out.push_str(&format!("; compared with: {}", comparator.trim()));
        }
        out.push_str(&format!("\n    found: {}\n", study.outcomes.trim()));
        for cited in &study.reported_in {
            out.push_str(&format!(
                "    cited in {} as ref {}",
                cited.source, cited.reference
            ));
            if let Some(note) = &cited.note {
                out.push_str(&format!(" ({})", note.trim()));
            }
            out.push('\n');
        }
    }
    let citing: Vec<&str> = engine
        .book
        .rules
        .iter()
        .filter(|r| r.evidence.contains(&topic.id))
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

pub(super) fn explain(engine: &Engine, id: &str) -> u8 {
    let Some(text) = explanation(engine, id) else {
        let near = did_you_mean(id, engine.book.rules.iter().map(|r| &r.id));
        eprintln!("error: no rule `{}`{near}", make_safe_line(id));
        return 2;
    };
    emit!("{text}");
    0
}

/// What `overclaim explain ID` prints: what the rule catches, why, where (legal basis),
/// examples, evidence and the suggested wording; `None` for no such rule.
pub(super) fn explanation(engine: &Engine, id: &str) -> Option<String> {
    let rule = engine.book.rule(id)?;
    let mut out = String::new();
    out.push_str(&format!("{}\n{}\n\n", rule.id, rule.title));
    out.push_str(&format!(
        "Category: {}\nDefined in: {}\n\n",
        rule.category.as_str(),
        rule.file
    ));
    out.push_str(&format!("What it says\n  {}\n\n", rule.message));
    out.push_str(if rule.mentions {
        "Fires on\n  every sentence that matches, asserted or not\n\n"
    } else {
        "Fires on\n  asserted claims only: not on questions about whether something is so, \
         definitions, statements of research or law, negated existence (\"no product \
         contains ...\"), precautions or someone else's claim that the copy rejects\n\n"
    });
    if !rule.why.is_empty() {
        out.push_str(&format!("Why\n  {}\n\n", rule.why.trim()));
    }
    out.push_str("Where\n");
    for j in &rule.jurisdictions {
        out.push_str(&format!("  {} ({})\n", j.jurisdiction, j.severity));
        for id in &j.positions {
            if let Some(p) = engine.knowledge.positions.get(id) {
                out.push_str(&format!(
                    "    {}: {} ({}; {})\n      {}\n      {}\n",
                    p.id,
                    p.instrument,
                    p.authority,
                    p.status.as_str(),
                    p.summary,
                    p.url
                ));
                if let Some(note) = &p.note {
                    out.push_str(&format!("      note: {}\n", note.trim()));
                }
            }
        }
    }
    out.push_str("\nFlags\n");
    for e in &rule.flag_examples {
        out.push_str(&format!("  ✗ {}\n", e.text));
    }
    out.push_str("Passes\n");
    for e in &rule.pass_examples {
        out.push_str(&format!("  ✓ {e}\n"));
    }
    let topics: Vec<_> = rule
        .evidence
        .iter()
        .filter_map(|t| engine.knowledge.topics.get(t))
        .collect();
    if topics.len() > 1 {
        out.push_str("\nEvidence (the first topic the copy names is shown)\n");
    } else if !topics.is_empty() {
        out.push_str("\nEvidence\n");
    }
    for topic in topics {
        out.push_str(&format!(
            "  {} (best level {}; supports at most {} claims); see `overclaim evidence {}`\n",
            topic.id,
            topic.best_level.as_str(),
            topic.supports.as_str(),
            topic.id
        ));
    }
    out.push_str(&format!("\nSuggested wording\n  {}\n", rule.suggest));
    Some(out)
}
