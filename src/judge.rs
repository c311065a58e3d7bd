//! Stage 5, `judge`: rules meet claim frames.
//!
//! Only rules indexed under a concept that fired in a sentence are tried, so the cost follows
//! the hits, not the number of rules. A rule matches when its concepts fire together in one
//! clause inside its window (or one of its phrases is found), no excluding phrase is present,
//! and none of its `unless` properties holds for the match.

use crate::claims::{ClaimFrame, Claims, Hit, Strength};
use crate::diagnostic::{
    EvidenceSummary, Finding, Jurisdiction, LineIndex, PositionSummary, Severity, Span,
};
use crate::extract::Extracted;
use crate::parse::Parsed;
use crate::rules::{ConceptId, Product, Rule, RuleSet, Unless};
use crate::source::SourceFile;

/// What the audit is for: where the product is sold and what it is.
#[derive(Clone, Debug)]
pub struct AuditOptions {
    /// Jurisdictions to judge under.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Product type.
    pub product: Product,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            jurisdictions: Jurisdiction::ALL.to_vec(),
            product: Product::Cosmetic,
        }
    }
}

/// A rule's match inside one sentence.
struct Match {
    span: Span,
}

/// Judges every frame of a document and returns its findings, sorted by position.
pub fn judge(
    file: &SourceFile,
    extracted: &Extracted,
    parsed: &Parsed,
    claims: &Claims,
    rules: &RuleSet,
    options: &AuditOptions,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut lines: Option<LineIndex<'_>> = None;
    let mut candidates: Vec<u32> = Vec::new();
    for frame in &claims.frames {
        candidates.clear();
        for hit in &frame.hits {
            candidates.extend_from_slice(&rules.by_concept[hit.concept as usize]);
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &r in &candidates {
            let rule = &rules.rules[r as usize];
            if !rule.applies_to(options.product) {
                continue;
            }
            let Some(severity) = severity(rule, &options.jurisdictions) else {
                continue;
            };
            if let Some(m) = match_rule(rule, frame, claims, rules) {
                let lines = lines.get_or_insert_with(|| LineIndex::new(&file.text));
                findings.push(finding(
                    file, extracted, parsed, rules, rule, frame, m, severity, lines, options,
                ));
            }
        }
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    findings
}

/// The highest severity among the selected jurisdictions the rule covers.
fn severity(rule: &Rule, selected: &[Jurisdiction]) -> Option<Severity> {
    rule.jurisdictions
        .iter()
        .filter(|j| selected.contains(&j.jurisdiction))
        .map(|j| j.severity)
        .max()
}

/// Finds the rule's first acceptable match in the frame.
fn match_rule(rule: &Rule, frame: &ClaimFrame, claims: &Claims, rules: &RuleSet) -> Option<Match> {
    let excluded = rule.exclude.iter().any(|p| {
        phrase_matches(&p.parts, rule.within, frame, claims)
            .next()
            .is_some()
    });
    if excluded {
        return None;
    }
    if !rule.concepts.is_empty() {
        for hits in concept_matches(rule, frame, claims) {
            if accepted(rule, frame, claims, rules, &hits) {
                return Some(Match { span: cover(&hits) });
            }
        }
    }
    for phrase in &rule.phrases {
        for hits in phrase_matches(&phrase.parts, rule.within, frame, claims) {
            if accepted(rule, frame, claims, rules, &hits) {
                return Some(Match { span: cover(&hits) });
            }
        }
    }
    None
}

fn hits_of(frame: &ClaimFrame, concept: ConceptId) -> impl Iterator<Item = &Hit> {
    frame.hits.iter().filter(move |h| h.concept == concept)
}

/// For each hit of the rule's first concept, the nearest hit of every other concept in its
/// clause; kept when all of them fit in the window.
fn concept_matches<'a>(
    rule: &'a Rule,
    frame: &'a ClaimFrame,
    claims: &'a Claims,
) -> impl Iterator<Item = Vec<Hit>> + 'a {
    hits_of(frame, rule.concepts[0]).filter_map(move |anchor| {
        let clause = frame.clause_of(anchor.first);
        let mut hits = vec![*anchor];
        for &concept in &rule.concepts[1..] {
            let nearest = hits_of(frame, concept)
                .filter(|h| frame.clause_of(h.first) == clause)
                .min_by_key(|h| distance(claims, anchor, h))?;
            hits.push(*nearest);
        }
        let first = hits.iter().map(|h| h.first).min()?;
        let last = hits.iter().map(|h| h.last).max()?;
        (claims.words_between(first, last) <= rule.within).then_some(hits)
    })
}

fn distance(claims: &Claims, a: &Hit, b: &Hit) -> usize {
    if a.first <= b.first {
        claims.words_between(a.first, b.first)
    } else {
        claims.words_between(b.first, a.first)
    }
}

/// Matches of a phrase: its parts in order, gaps inside the window.
fn phrase_matches<'a>(
    parts: &'a [ConceptId],
    within: usize,
    frame: &'a ClaimFrame,
    claims: &'a Claims,
) -> impl Iterator<Item = Vec<Hit>> + 'a {
    hits_of(frame, parts[0]).filter_map(move |first| {
        let mut hits = vec![*first];
        for &part in &parts[1..] {
            let previous = *hits.last()?;
            let next = hits_of(frame, part).find(|h| h.first > previous.last)?;
            hits.push(*next);
        }
        let last = hits.last()?.last;
        (claims.words_between(first.first, last) <= within.max(parts.len())).then_some(hits)
    })
}

/// Whether none of the rule's `unless` properties holds for this match.
fn accepted(
    rule: &Rule,
    frame: &ClaimFrame,
    claims: &Claims,
    rules: &RuleSet,
    hits: &[Hit],
) -> bool {
    let first = hits.iter().map(|h| h.first).min().unwrap_or(0);
    rule.unless.iter().all(|unless| match unless {
        Unless::Negated => !frame.is_negated(first, claims),
        Unless::AppearanceFraming => !hits
            .iter()
            .any(|h| rules.framable[h.concept as usize] && frame.is_framed(h, claims)),
        Unless::Attributed => frame.distancing.is_none_or(|d| d > first),
        Unless::Hedged => frame.strength > Strength::Hedged,
        Unless::Speculative => frame.strength != Strength::Speculative,
        Unless::Disclosed => !frame.disclosed,
        Unless::Cited => !frame.cited,
    })
}

fn cover(hits: &[Hit]) -> Span {
    hits.iter()
        .map(|h| h.span)
        .reduce(Span::cover)
        .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn finding(
    file: &SourceFile,
    extracted: &Extracted,
    parsed: &Parsed,
    rules: &RuleSet,
    rule: &Rule,
    frame: &ClaimFrame,
    m: Match,
    severity: Severity,
    lines: &LineIndex<'_>,
    options: &AuditOptions,
) -> Finding {
    let text = &extracted.text;
    let source = extracted.map.to_source(m.span.start..m.span.end);
    let sentence = parsed.sentences[frame.sentence].span;
    let jurisdictions: Vec<Jurisdiction> = rule
        .jurisdictions
        .iter()
        .map(|j| j.jurisdiction)
        .filter(|j| options.jurisdictions.contains(j))
        .collect();
    let positions = rule
        .jurisdictions
        .iter()
        .filter(|j| jurisdictions.contains(&j.jurisdiction))
        .flat_map(|j| &j.positions)
        .filter_map(|id| rules.positions.get(id))
        .map(|p| PositionSummary {
            id: p.id.clone(),
            jurisdiction: p.jurisdiction,
            instrument: p.instrument.clone(),
            url: p.url.clone(),
        })
        .collect();
    let span = Span::new(source.start, source.end);
    Finding {
        path: file.display.clone(),
        rule: rule.id.clone(),
        category: rule.category.as_str().to_string(),
        severity,
        jurisdictions,
        message: rule.message.clone(),
        span: lines.source_span(span),
        context: lines.context(span),
        text: one_line(&text[m.span.start..m.span.end]),
        claim: one_line(&text[sentence.start..sentence.end]),
        evidence: rule
            .evidence
            .as_ref()
            .and_then(|id| rules.topics.get(id))
            .map(|topic| EvidenceSummary {
                topic: topic.id.clone(),
                best_level: topic.best_level.as_str().to_string(),
                studies: topic
                    .studies
                    .iter()
                    .filter_map(|s| rules.studies.get(s))
                    .map(|s| s.citation.clone())
                    .collect(),
            }),
        positions,
        suggestion: rule.suggest.clone(),
    }
}

/// Folds line breaks and runs of whitespace into single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_rules;
    use crate::source::Format;

    const PACK: &str = r#"
id: drug-claim.collagen-stimulation
title: Collagen stimulation
category: drug-claim
products: [cosmetic]
match: { concepts: [verb.stimulate, target.dermal-structure], within: 4, any: ["collagen booster"] }
unless: [negated, appearance-framing]
jurisdictions:
  US: { severity: error, positions: [us.test] }
  EU: { severity: warning }
message: Drug claim.
suggest: helps improve the look of firmness
examples: { flag: [Boosts collagen.], pass: [Does not boost collagen.] }
"#;

    fn rules_fired(text: &str, options: &AuditOptions) -> Vec<(String, Severity, String)> {
        let rules = test_rules(PACK);
        let file = SourceFile {
            display: "t.txt".into(),
            format: Format::Text,
            text: text.into(),
        };
        let engine = crate::Engine::new(rules, options.clone());
        engine
            .audit(&file)
            .unwrap()
            .into_iter()
            .map(|f| (f.rule, f.severity, f.text))
            .collect()
    }

    #[test]
    fn concepts_match_inside_their_window_and_clause() {
        let all = AuditOptions::default();
        let fired = rules_fired("Our serum stimulates collagen production.", &all);
        assert_eq!(
            fired,
            vec![(
                "drug-claim.collagen-stimulation".into(),
                Severity::Error,
                "stimulates collagen".into()
            )]
        );
        assert!(
            rules_fired(
                "It boosts radiance, hydration, glow and comfort, and collagen fans love it.",
                &all
            )
            .is_empty()
        );
        assert!(rules_fired("It boosts radiance; collagen is a protein.", &all).is_empty());
        assert_eq!(rules_fired("The first collagen booster!", &all).len(), 1);
    }

    #[test]
    fn unless_properties_turn_matches_off() {
        let all = AuditOptions::default();
        assert!(rules_fired("This serum does not stimulate collagen.", &all).is_empty());
        assert!(rules_fired("Boosts the look of collagen-rich skin.", &all).is_empty());
        assert_eq!(
            rules_fired("Helps boost collagen for firmer-looking skin.", &all).len(),
            1,
            "hedges do not excuse a drug claim"
        );
    }

    #[test]
    fn jurisdiction_and_product_select_rules_and_severity() {
        let eu = AuditOptions {
            jurisdictions: vec![Jurisdiction::EU],
            product: Product::Cosmetic,
        };
        assert_eq!(rules_fired("Boosts collagen.", &eu)[0].1, Severity::Warning);
        let uk = AuditOptions {
            jurisdictions: vec![Jurisdiction::UK],
            product: Product::Cosmetic,
        };
        assert!(rules_fired("Boosts collagen.", &uk).is_empty());
        let drug = AuditOptions {
            product: Product::Drug,
            ..AuditOptions::default()
        };
        assert!(rules_fired("Boosts collagen.", &drug).is_empty());
    }
}
