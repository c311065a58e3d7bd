//! One finding per claim. Findings of one document whose spans overlap are one claim seen by
//! several rules: the highest-ranked rule's finding stands for the claim and lists the others
//! as `related`. A rule reported once per page keeps its first finding and lists its other
//! places, before claims are merged.
//!
//! Rank, highest first: regulatory status, drug claim, evidence, figure, absolute, citation
//! (what changes the product's legal status before what needs rewording), then severity, then
//! the wider span (it covers more of the claim), then rule id. The tool's own housekeeping
//! findings are never merged.

use super::{Category, RuleBook};
use crate::diagnostic::{Finding, Jurisdiction, Related, Severity, Span};
use std::collections::HashMap;

/// Merges a document's findings, sorted by position, into one finding per claim, still sorted
/// by position.
/// `report_order` is the order of the selected jurisdictions.
pub(crate) fn merge_claims(
    findings: Vec<Finding>,
    book: &RuleBook,
    report_order: &[Jurisdiction],
) -> Vec<Finding> {
    let findings = fold_repeats(findings, book);
    if findings.len() < 2 {
        return findings;
    }
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| rank(&findings[i]));
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    let mut claims: Vec<Finding> = Vec::new();
    let mut placed = DisjointSpans::new();
    for i in order {
        let Some(finding) = slots[i].take() else {
            continue;
        };
        let span = Span::new(finding.span.start, finding.span.end);
        if finding.category == Category::Tool.as_str() {
            claims.push(finding);
            continue;
        }
        match placed.overlapping(span) {
            Some(claim) => absorb(&mut claims[claim], finding, report_order),
            None => {
                placed.place(span, claims.len());
                claims.push(finding);
            }
        }
    }
    claims.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    claims
}

/// Sort key: lower ranks first.
fn rank(
    finding: &Finding,
) -> (
    u8,
    std::cmp::Reverse<Severity>,
    std::cmp::Reverse<usize>,
    &str,
) {
    let category = [
        Category::RegulatoryStatus,
        Category::DrugClaim,
        Category::EvidenceStrength,
        Category::UnsubstantiatedFigure,
        Category::Absolute,
        Category::Citation,
    ]
    .iter()
    .position(|c| c.as_str() == finding.category)
    .unwrap_or(6) as u8;
    let width = finding.span.end - finding.span.start;
    (
        category,
        std::cmp::Reverse(finding.severity),
        std::cmp::Reverse(width),
        &finding.rule,
    )
}

/// Adds a lower-ranked finding of the same claim to the claim's finding: as related, raising
/// the claim's severities to the highest of either.
fn absorb(claim: &mut Finding, other: Finding, report_order: &[Jurisdiction]) {
    claim.severity = claim.severity.max(other.severity);
    for (jurisdiction, severity) in &other.severities {
        match claim.severities.iter_mut().find(|(j, _)| j == jurisdiction) {
            Some((_, own)) => *own = (*own).max(*severity),
            None => claim.severities.push((jurisdiction.clone(), *severity)),
        }
    }
    for jurisdiction in &other.jurisdictions {
        if !claim.jurisdictions.contains(jurisdiction) {
            claim.jurisdictions.push(jurisdiction.clone());
        }
    }
    let order = |j: &Jurisdiction| report_order.iter().position(|k| k == j);
    claim.severities.sort_by_key(|(j, _)| order(j));
    claim.jurisdictions.sort_by_key(order);
    claim.related.push(Related {
        rule: other.rule,
        category: other.category,
        severity: other.severity,
        severities: other.severities,
        jurisdictions: other.jurisdictions,
        message: other.message,
        span: other.span,
        text: other.text,
        also_at: other.also_at,
    });
    // Related rules of a finding absorbed earlier keep their rank order behind it.
    claim.related.extend(other.related);
}

/// Folds the later findings of each once-per-page rule into its first finding, before claims
/// are merged: a repeat's other rules then make their claim without it.
fn fold_repeats(findings: Vec<Finding>, book: &RuleBook) -> Vec<Finding> {
    let once: Vec<&str> = book
        .rules
        .iter()
        .filter(|r| r.once_per_page)
        .map(|r| r.id.as_str())
        .collect();
    if once.is_empty() {
        return findings;
    }
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        if !once.contains(&finding.rule.as_str()) {
            out.push(finding);
            continue;
        }
        match first.get(&finding.rule) {
            Some(&at) => out[at].also_at.push(finding.span),
            None => {
                first.insert(finding.rule.clone(), out.len());
                out.push(finding);
            }
        }
    }
    out
}

/// Spans that share no byte with a span already placed, in the order tried: looked up in a
/// tree of placed spans (disjoint, so only the nearest one before the end can overlap), so a
/// document with thousands of findings costs a logarithm per finding.
struct DisjointSpans {
    by_start: std::collections::BTreeMap<usize, (usize, usize)>,
}

impl DisjointSpans {
    fn new() -> Self {
        DisjointSpans {
            by_start: std::collections::BTreeMap::new(),
        }
    }

    /// The index given with the placed span that `span` overlaps, if any.
    fn overlapping(&self, span: Span) -> Option<usize> {
        let (_, &(end, index)) = self
            .by_start
            .range(..span.end.max(span.start + 1))
            .next_back()?;
        (end > span.start).then_some(index)
    }

    /// Places a span that overlaps none placed, remembering `index` with it.
    fn place(&mut self, span: Span, index: usize) {
        self.by_start.insert(span.start, (span.end, index));
    }
}
