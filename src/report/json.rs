//! `--format json`: the report contract of design.md, schema `overclaim/report@2`.
//!
//! Findings are streamed one per line as the run produces them, so memory stays flat however
//! many pages are audited; files, the summary, skipped files and the shared tables follow.
//! What every finding of a rule would repeat is written once: the `rules` table gives each
//! rule's title, message, explanation and legal positions by jurisdiction (a finding's are its
//! rule's, in the finding's `jurisdictions`), `positions` gives each position in full, and a
//! finding names its evidence by topic, whose studies are in the `evidence` table (version 1
//! repeated all of it in every finding: the report was seven times the size of the copy).

use super::{Audited, Report, Reporter};
use crate::diagnostic::{EvidenceSummary, Finding, PositionSummary};
use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

/// The schema id the report starts with.
pub(crate) const SCHEMA: &str = "overclaim/report@2";

/// Streams the JSON report.
pub struct JsonReporter<W: Write> {
    out: W,
    started: bool,
    first: bool,
    /// Every evidence topic a finding named so far, by id.
    evidence: BTreeMap<String, Arc<EvidenceSummary>>,
}

impl<W: Write> JsonReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        JsonReporter {
            out,
            started: false,
            first: true,
            evidence: BTreeMap::new(),
        }
    }

    /// Notes the evidence topic of a finding for the table at the end.
    fn note_evidence(&mut self, finding: &Finding) {
        if let Some(evidence) = &finding.evidence
            && !self.evidence.contains_key(&evidence.topic)
        {
            self.evidence
                .insert(evidence.topic.clone(), evidence.clone());
        }
    }

    fn start(&mut self) -> std::io::Result<()> {
        if !self.started {
            self.started = true;
            write!(self.out, "{{\"schema\":\"{SCHEMA}\",\"findings\":[")?;
        }
        Ok(())
    }
}

impl<W: Write> Reporter for JsonReporter<W> {
    fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()> {
        self.start()?;
        for finding in audited.findings {
            self.out
                .write_all(if self.first { b"\n" } else { b",\n" })?;
            self.first = false;
            serde_json::to_writer(&mut self.out, &Compact(finding))?;
            self.note_evidence(finding);
        }
        Ok(())
    }

    fn finish(&mut self, report: &Report) -> std::io::Result<()> {
        self.start()?;
        write!(self.out, "\n],\n\"files\":")?;
        serde_json::to_writer(&mut self.out, &report.files)?;
        write!(self.out, ",\n\"summary\":")?;
        serde_json::to_writer(&mut self.out, &report.summary())?;
        write!(self.out, ",\n\"skipped\":")?;
        serde_json::to_writer(&mut self.out, &report.skipped)?;
        if let Some(baseline) = &report.baseline {
            write!(self.out, ",\n\"baseline\":")?;
            serde_json::to_writer(&mut self.out, baseline)?;
        }
        // Every position a finding cites is one of its rule's.
        let positions: BTreeMap<&str, &Arc<PositionSummary>> = report
            .rules
            .iter()
            .flat_map(|r| &r.positions)
            .map(|p| (p.id.as_str(), p))
            .collect();
        write!(self.out, ",\n\"rules\":")?;
        serde_json::to_writer(&mut self.out, &Rules(&report.rules))?;
        write!(self.out, ",\n\"positions\":")?;
        serde_json::to_writer(&mut self.out, &table(&positions, |p| Entry::Position(p)))?;
        write!(self.out, ",\n\"evidence\":")?;
        serde_json::to_writer(
            &mut self.out,
            &table(&self.evidence, |e| Entry::Evidence(e)),
        )?;
        writeln!(self.out, "\n}}")?;
        self.out.flush()
    }
}

/// A finding as one line of JSON, with the fields a finding has in the JSON report (its rule's
/// explanation and legal positions are in the report's tables, not here).
pub fn finding_json(finding: &Finding) -> String {
    // A finding is strings, numbers and maps with string keys: serialising cannot fail.
    serde_json::to_string(&Compact(finding)).unwrap_or_default()
}

/// A finding as the JSON report writes it: its legal positions are those of its rule (the
/// `rules` table) in its jurisdictions, and its evidence is named by topic with its level (the
/// `evidence` table holds the studies).
struct Compact<'a>(&'a Finding);

impl Serialize for Compact<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut out = serializer.serialize_struct("Finding", 17)?;
        out.serialize_field("path", &f.path)?;
        out.serialize_field("rule", &f.rule)?;
        out.serialize_field("category", &f.category)?;
        out.serialize_field("severity", &f.severity)?;
        out.serialize_field("severities", &InOrder(&f.severities))?;
        out.serialize_field("jurisdictions", &f.jurisdictions)?;
        out.serialize_field("message", &f.message)?;
        out.serialize_field("span", &f.span)?;
        out.serialize_field("text", &f.text)?;
        out.serialize_field("claim", &f.claim)?;
        if let Some(evidence) = &f.evidence {
            out.serialize_field("evidence", &EvidenceRef(evidence))?;
        }
        out.serialize_field("suggestion", &f.suggestion)?;
        if let Some(frame) = &f.frame {
            out.serialize_field("frame", frame)?;
        }
        if let Some(record) = &f.record {
            out.serialize_field("record", record)?;
        }
        if let Some(part) = &f.part {
            out.serialize_field("part", part)?;
        }
        if !f.related.is_empty() {
            let related: Vec<RelatedRef<'_>> = f.related.iter().map(RelatedRef).collect();
            out.serialize_field("related", &related)?;
        }
        if !f.also_at.is_empty() {
            out.serialize_field("also_at", &f.also_at)?;
        }
        out.end()
    }
}

/// Another rule the claim matched: its rule, severities and place; its message, category and
/// legal basis are in the `rules` table.
struct RelatedRef<'a>(&'a crate::diagnostic::Related);

impl Serialize for RelatedRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut out = serializer.serialize_struct("Related", 6)?;
        out.serialize_field("rule", &r.rule)?;
        out.serialize_field("severity", &r.severity)?;
        out.serialize_field("severities", &InOrder(&r.severities))?;
        out.serialize_field("span", &r.span)?;
        out.serialize_field("text", &r.text)?;
        if !r.also_at.is_empty() {
            out.serialize_field("also_at", &r.also_at)?;
        }
        out.end()
    }
}

/// A finding's evidence: the topic and what it supports; its studies are in the table.
struct EvidenceRef<'a>(&'a EvidenceSummary);

impl Serialize for EvidenceRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Evidence", 3)?;
        out.serialize_field("topic", &self.0.topic)?;
        out.serialize_field("best_level", &self.0.best_level)?;
        out.serialize_field("supports", &self.0.supports)?;
        out.end()
    }
}

/// One entry of a shared table, written without the id it is keyed by.
enum Entry<'a> {
    Position(&'a PositionSummary),
    Evidence(&'a EvidenceSummary),
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Entry::Position(p) => {
                let mut out = serializer.serialize_struct("Position", 4)?;
                out.serialize_field("jurisdiction", &p.jurisdiction)?;
                out.serialize_field("instrument", &p.instrument)?;
                out.serialize_field("url", &p.url)?;
                out.serialize_field("status", &p.status)?;
                out.end()
            }
            Entry::Evidence(e) => {
                let mut out = serializer.serialize_struct("Evidence", 3)?;
                out.serialize_field("best_level", &e.best_level)?;
                out.serialize_field("supports", &e.supports)?;
                out.serialize_field("studies", &e.studies)?;
                out.end()
            }
        }
    }
}

/// The rules behind the findings, by id: what a finding and its related rules share.
struct Rules<'a>(&'a [super::RuleMeta]);

impl Serialize for Rules<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(Some(self.0.len()))?;
        for rule in self.0 {
            out.serialize_entry(&rule.id, &RuleEntry(rule))?;
        }
        out.end()
    }
}

struct RuleEntry<'a>(&'a super::RuleMeta);

impl Serialize for RuleEntry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut out = serializer.serialize_struct("Rule", 5)?;
        out.serialize_field("title", &r.title)?;
        out.serialize_field("category", &r.category)?;
        out.serialize_field("message", &r.message)?;
        out.serialize_field("why", &r.why)?;
        let mut by_jurisdiction: Vec<(&str, Vec<&str>)> = Vec::new();
        for p in &r.positions {
            let code = p.jurisdiction.as_str();
            match by_jurisdiction.iter_mut().find(|(j, _)| *j == code) {
                Some((_, ids)) => ids.push(&p.id),
                None => by_jurisdiction.push((code, vec![&p.id])),
            }
        }
        out.serialize_field("positions", &InOrder(&by_jurisdiction))?;
        out.end()
    }
}

/// Pairs written as a map, in their order (severities in report order, positions by
/// jurisdiction).
struct InOrder<'a, K, V>(&'a [(K, V)]);

impl<K: Serialize, V: Serialize> Serialize for InOrder<'_, K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A table keyed by id, in id order, each entry written by `entry`.
fn table<'a, K: Ord, T>(
    map: &'a BTreeMap<K, T>,
    entry: impl Fn(&'a T) -> Entry<'a>,
) -> BTreeMap<&'a K, Entry<'a>> {
    map.iter().map(|(id, value)| (id, entry(value))).collect()
}
