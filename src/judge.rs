//! Stage 5, `judge`: rules meet claim frames and document facts.
//!
//! Only rules indexed under a concept that fired in a sentence are tried, so the cost follows
//! the hits, not the number of rules. A rule matches when its concepts fire together in one
//! clause inside its window (or one of its phrases is found), no excluding phrase is present,
//! none of its `unless` properties holds, its ingredient condition holds, and, for evidence
//! rules, the claim is stronger than its topic's evidence supports. Rules with a `check` run
//! once per document (duplicate, missing and unrelated references).

use crate::claims::{ClaimFrame, Claims, Hit, Strength, subject_words};
use crate::config::RuleSelector;
use crate::diagnostic::{
    EvidenceSummary, Finding, Jurisdiction, LineIndex, PositionSummary, Severity, Span,
};
use crate::extract::{BlockKind, Extracted};
use crate::parse::Parsed;
use crate::rules::raw::{Level, Study};
use crate::rules::{Check, ConceptId, Product, Rule, RuleSet, Scope, Topic, Unless};
use crate::source::SourceFile;
use crate::suppress;

/// What the audit is for: where the product is sold, what it is, and the user's rule choices.
#[derive(Clone, Debug)]
pub struct AuditOptions {
    /// Jurisdictions to judge under.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Product type.
    pub product: Product,
    /// Rules switched off.
    pub disable: Vec<RuleSelector>,
    /// Severity overrides (for every jurisdiction); the last matching entry wins.
    pub severity: Vec<(RuleSelector, Severity)>,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            jurisdictions: Jurisdiction::ALL.to_vec(),
            product: Product::Cosmetic,
            disable: Vec::new(),
            severity: Vec::new(),
        }
    }
}

/// Values a rule's message may quote as `{name}`.
pub type Vars = Vec<(&'static str, String)>;

/// Everything judging one document needs.
struct Judge<'a> {
    file: &'a SourceFile,
    extracted: &'a Extracted,
    parsed: &'a Parsed,
    claims: &'a Claims,
    rules: &'a RuleSet,
    options: &'a AuditOptions,
    lines: LineIndex<'a>,
    /// Each rule's severity under these options (None: switched off), worked out once per
    /// document rather than for every sentence the rule is tried on.
    severities: Vec<Option<Severity>>,
}

/// Judges a document and returns its findings, sorted by position.
pub fn judge(
    file: &SourceFile,
    extracted: &Extracted,
    parsed: &Parsed,
    claims: &Claims,
    rules: &RuleSet,
    options: &AuditOptions,
) -> Judged {
    let judge = Judge {
        file,
        extracted,
        parsed,
        claims,
        rules,
        options,
        lines: LineIndex::new(&file.text),
        severities: rules.rules.iter().map(|r| severity(r, options)).collect(),
    };
    let mut findings = Vec::new();
    let mut candidates: Vec<u32> = Vec::new();
    for frame in &claims.frames {
        candidates.clear();
        for hit in &frame.hits {
            candidates.extend_from_slice(&rules.by_concept[hit.concept as usize]);
        }
        candidates.sort_unstable();
        candidates.dedup();
        let kind = parsed.blocks[parsed.sentences[frame.sentence].block].kind;
        for &r in &candidates {
            let rule = &rules.rules[r as usize];
            if rule.check.is_some() || !in_scope(rule.scope, kind) {
                continue;
            }
            let Some(severity) = judge.severities[r as usize] else {
                continue;
            };
            // A missing ingredient is one problem per page, reported at its first claim.
            let once = !rule.ingredients_absent.is_empty();
            if once && findings.iter().any(|f: &Finding| f.rule == rule.id) {
                continue;
            }
            if let Some((span, vars)) = judge.match_frame(rule, frame) {
                findings.push(judge.finding(rule, severity, span, frame.sentence, vars));
            }
        }
    }
    for (rule, severity) in rules.rules.iter().zip(&judge.severities) {
        if let (Some(_), Some(severity)) = (rule.check, *severity) {
            findings.extend(judge.run_check(rule, severity));
        }
    }
    let suppressions = suppress::suppressions(&extracted.comments, &file.text);
    let (suppressed, unused) = suppress::apply(&mut findings, &suppressions);
    let unused_rule = rules
        .rules
        .iter()
        .position(|r| r.check == Some(Check::UnusedSuppression));
    if let Some(index) = unused_rule
        && let Some(severity) = judge.severities[index]
    {
        let rule = &rules.rules[index];
        for comment in unused {
            let place = Place {
                path: &file.display,
                lines: &judge.lines,
                span: Span::new(comment.start, comment.end),
                text: one_line(&file.text[comment.clone()]),
                claim: one_line(&file.text[comment]),
                copy_span: None,
            };
            findings.push(build_finding(
                rule,
                severity,
                place,
                Vars::new(),
                rules,
                options,
            ));
        }
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    Judged {
        findings,
        suppressed,
        copy: String::new(),
    }
}

/// A document's findings and how many inline suppressions removed.
#[derive(Debug, Default)]
pub struct Judged {
    /// Findings, sorted by position.
    pub findings: Vec<Finding>,
    /// Findings removed by inline suppressions.
    pub suppressed: usize,
    /// The document's visible copy (extracted text), which `copy_span`s point into.
    pub copy: String,
}

/// The highest severity among the selected jurisdictions the rule covers (or the user's
/// override), if it applies to this product and is not switched off.
pub fn severity(rule: &Rule, options: &AuditOptions) -> Option<Severity> {
    let selected = |s: &RuleSelector| s.selects(&rule.id, &rule.file);
    if !rule.applies_to(options.product) || options.disable.iter().any(selected) {
        return None;
    }
    let severity = rule
        .jurisdictions
        .iter()
        .filter(|j| options.jurisdictions.contains(&j.jurisdiction))
        .map(|j| j.severity)
        .max()?;
    let overridden = options.severity.iter().rev().find(|(s, _)| selected(s));
    Some(overridden.map_or(severity, |(_, s)| *s))
}

/// Whether a rule with this scope reads blocks of this kind.
fn in_scope(scope: Scope, kind: BlockKind) -> bool {
    match scope {
        Scope::Copy => !kind.is_apparatus(),
        Scope::Ingredients => kind == BlockKind::Ingredients,
        Scope::All => true,
    }
}

impl Judge<'_> {
    fn text(&self, span: Span) -> &str {
        &self.extracted.text[span.start..span.end]
    }

    /// The rule's first acceptable match in a frame, with the values its message may quote.
    fn match_frame(&self, rule: &Rule, frame: &ClaimFrame) -> Option<(Span, Vars)> {
        let claims = self.claims;
        let excluded = rule.exclude.iter().any(|p| {
            phrase_matches(&p.parts, rule.within, frame, claims)
                .next()
                .is_some()
        });
        if excluded {
            return None;
        }
        let mut vars = self.ingredient_condition(rule)?;
        if rule.exceeds_evidence {
            let topic = rule
                .evidence
                .as_ref()
                .and_then(|t| self.rules.topics.get(t))?;
            if frame.strength <= topic.supports {
                return None;
            }
        }
        let accepted = |hits: &Vec<Hit>| accepted(rule, frame, claims, self.rules, hits);
        let hits = if rule.concepts.is_empty() {
            None
        } else {
            concept_matches(rule, frame, claims).find(accepted)
        }
        .or_else(|| {
            rule.phrases.iter().find_map(|phrase| {
                phrase_matches(&phrase.parts, rule.within, frame, claims).find(accepted)
            })
        })?;
        let span = cover(&hits);
        vars.push(("strength", frame.strength.as_str().to_string()));
        let cue = frame.strength_cue.unwrap_or(span);
        vars.push(("cue", one_line(self.text(cue))));
        Some((span, vars))
    }

    /// `None` when the rule's ingredient condition fails; otherwise the ingredient it names.
    fn ingredient_condition(&self, rule: &Rule) -> Option<Vars> {
        let facts = &self.claims.facts;
        let mut vars = Vars::new();
        if !rule.ingredients_present.is_empty() {
            let found = facts
                .ingredients
                .iter()
                .find(|i| rule.ingredients_present.iter().any(|p| p.matches(&i.name)))?;
            vars.push(("ingredient", one_line(self.text(found.span))));
        }
        if !rule.ingredients_absent.is_empty() {
            let any = facts
                .ingredients
                .iter()
                .any(|i| rule.ingredients_absent.iter().any(|p| p.matches(&i.name)));
            if !facts.has_ingredient_list || any {
                return None;
            }
        }
        Some(vars)
    }

    /// Runs a document-level check.
    fn run_check(&self, rule: &Rule, severity: Severity) -> Vec<Finding> {
        let facts = &self.claims.facts;
        let mut out = Vec::new();
        match rule.check {
            Some(Check::DuplicateReference) => {
                for (i, later) in facts.references.iter().enumerate() {
                    let first = facts.references[..i].iter().find(|r| {
                        r.title.len() >= 20 && r.title.eq_ignore_ascii_case(&later.title)
                    });
                    if let Some(first) = first {
                        let vars = vec![
                            ("number", later.number.to_string()),
                            ("first", first.number.to_string()),
                            ("title", later.title.clone()),
                        ];
                        let sentence = self.sentence_at(later.span.start);
                        out.push(self.finding(rule, severity, later.span, sentence, vars));
                    }
                }
            }
            Some(Check::MissingReference) if !facts.references.is_empty() => {
                for citation in &facts.citations {
                    let missing: Vec<String> = citation
                        .numbers
                        .iter()
                        .filter(|n| !facts.references.iter().any(|r| r.number == **n))
                        .map(ToString::to_string)
                        .collect();
                    if !missing.is_empty() {
                        let vars = vec![
                            ("number", missing.join(", ")),
                            ("count", facts.references.len().to_string()),
                        ];
                        out.push(self.finding(
                            rule,
                            severity,
                            citation.span,
                            citation.sentence,
                            vars,
                        ));
                    }
                }
            }
            Some(Check::UnrelatedReference) => {
                let generic = &self.rules.generic_words;
                for citation in &facts.citations {
                    // Only sentences that claim something: not author lines with affiliation marks.
                    let makes_claim = self.claims.frames[citation.sentence]
                        .hits
                        .iter()
                        .any(|h| !self.rules.token_concepts.values().any(|&t| t == h.concept));
                    if !makes_claim {
                        continue;
                    }
                    let sentence = self.parsed.sentences[citation.sentence].span;
                    let claim = subject_words(self.text(sentence), generic);
                    for n in &citation.numbers {
                        let Some(reference) = facts.references.iter().find(|r| r.number == *n)
                        else {
                            continue;
                        };
                        let cited = subject_words(&reference.text, generic);
                        if !cited.is_empty() && claim.is_disjoint(&cited) {
                            let vars = vec![
                                ("number", n.to_string()),
                                ("title", reference.title.clone()),
                            ];
                            out.push(self.finding(
                                rule,
                                severity,
                                citation.span,
                                citation.sentence,
                                vars,
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
        out
    }

    /// The index of the sentence containing an offset (or the nearest before it).
    fn sentence_at(&self, offset: usize) -> usize {
        self.parsed
            .sentences
            .partition_point(|s| s.span.start <= offset)
            .saturating_sub(1)
    }

    fn finding(
        &self,
        rule: &Rule,
        severity: Severity,
        span: Span,
        sentence: usize,
        vars: Vars,
    ) -> Finding {
        let source = self.extracted.map.to_source(span.start..span.end);
        let sentence = self.parsed.sentences.get(sentence).map_or(span, |s| s.span);
        let place = Place {
            path: &self.file.display,
            lines: &self.lines,
            span: Span::new(source.start, source.end),
            text: one_line(self.text(span)),
            claim: one_line(self.text(sentence)),
            copy_span: Some(span),
        };
        build_finding(rule, severity, place, vars, self.rules, self.options)
    }
}

/// Where a finding is.
pub struct Place<'a> {
    /// Path as shown in reports.
    pub path: &'a str,
    /// Line index of the file the span points into.
    pub lines: &'a LineIndex<'a>,
    /// Byte span in that file.
    pub span: Span,
    /// The matched text.
    pub text: String,
    /// The sentence (or line) it is in.
    pub claim: String,
    /// The span in the extracted copy, when the finding is in the copy.
    pub copy_span: Option<Span>,
}

/// Builds a finding of `rule` at `place`: message and suggestion filled in, positions and
/// evidence of the selected jurisdictions attached.
pub fn build_finding(
    rule: &Rule,
    severity: Severity,
    place: Place<'_>,
    mut vars: Vars,
    rules: &RuleSet,
    options: &AuditOptions,
) -> Finding {
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
    let topic = rule.evidence.as_ref().and_then(|id| rules.topics.get(id));
    if let Some(topic) = topic {
        vars.extend(evidence_vars(topic, rules));
    }
    Finding {
        path: place.path.to_string(),
        rule: rule.id.clone(),
        category: rule.category.as_str().to_string(),
        severity,
        jurisdictions,
        message: fill(&rule.message, &vars),
        span: place.lines.source_span(place.span),
        context: place.lines.context(place.span),
        text: place.text,
        claim: place.claim,
        evidence: topic.map(|topic| EvidenceSummary {
            topic: topic.id.clone(),
            best_level: topic.best_level.as_str().to_string(),
            supports: topic.supports.as_str().to_string(),
            studies: topic
                .studies
                .iter()
                .filter_map(|s| rules.studies.get(s))
                .map(|s| s.citation.clone())
                .collect(),
        }),
        positions,
        suggestion: fill(&rule.suggest, &vars),
        record: None,
        copy_span: place.copy_span,
    }
}

/// What a topic's evidence is, for messages: `{topic}`, `{supports}`, `{best_level}`,
/// `{best_evidence}`.
fn evidence_vars(topic: &Topic, rules: &RuleSet) -> Vars {
    let studies: Vec<&Study> = topic
        .studies
        .iter()
        .filter_map(|id| rules.studies.get(id))
        .collect();
    let best = studies.iter().max_by_key(|s| (s.level, s.n.unwrap_or(0)));
    let peers = best.map_or(0, |b| studies.iter().filter(|s| s.level == b.level).count());
    let describe = |study: &&Study| match peers {
        0 | 1 => describe_study(study),
        n => format!("{} and {} more at that level", describe_study(study), n - 1),
    };
    vec![
        ("topic", topic.title.clone()),
        ("supports", topic.supports.as_str().to_string()),
        ("best_level", topic.best_level.as_str().to_string()),
        (
            "best_evidence",
            best.map_or_else(|| "no study at all".to_string(), describe),
        ),
    ]
}

/// "one randomised split-face trial of 25 people over 12 weeks (Kwon 2020)".
pub fn describe_study(study: &Study) -> String {
    use crate::rules::raw::{Design, TrialType};
    let design = match study.design {
        Design::InVitro => "one cell-culture study",
        Design::Animal => "one animal study",
        Design::CaseReport => "one case report",
        Design::CaseSeries => "one uncontrolled case series",
        Design::OpenLabel => "one open-label study with no control group",
        Design::NonRandomisedControlled => "one non-randomised controlled study",
        Design::Rct if study.trial_type == TrialType::NonInferiority => {
            "one randomised non-inferiority trial"
        }
        Design::Rct => "one randomised controlled trial",
        Design::SystematicReview => "one systematic review",
        Design::Guidance => "regulatory guidance",
    };
    let mut out = design.to_string();
    if let Some(n) = study.n
        && study.level > Level::Animal
    {
        out.push_str(&format!(" of {n} people"));
    }
    if let Some(duration) = &study.duration {
        let short = duration
            .split(['(', ';', ','])
            .next()
            .unwrap_or(duration)
            .trim();
        out.push_str(&format!(" over {short}"));
    }
    let mut id = study.id.splitn(3, '-');
    if let (Some(author), Some(year)) = (id.next(), id.next()) {
        let mut name = author.to_string();
        if let Some(first) = name.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        out.push_str(&format!(" ({name} {year})"));
    }
    out
}

/// Replaces `{name}` with its value.
fn fill(template: &str, vars: &Vars) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
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
        Unless::Negated => !hits.iter().any(|h| frame.is_negated(h.first, claims)),
        Unless::AppearanceFraming => !hits
            .iter()
            .any(|h| rules.framable[h.concept as usize] && frame.is_framed(h, claims)),
        Unless::Attributed => frame.distancing.is_none_or(|d| d > first),
        Unless::Hedged => frame.strength > Strength::Hedged,
        Unless::Speculative => frame.strength != Strength::Speculative,
        Unless::Disclosed => !frame.disclosed,
        Unless::Limitation => !frame.limitation,
        Unless::Cited => !frame.cited,
        Unless::Supported => !rules.topic_phrases.iter().any(|(topic, phrases)| {
            let supports = rules.topics.get(topic).map(|t| t.supports);
            supports.is_some_and(|s| s >= frame.strength)
                && phrases
                    .iter()
                    .any(|p| phrase_matches(&p.parts, 12, frame, claims).next().is_some())
        }),
    })
}

fn cover(hits: &[Hit]) -> Span {
    hits.iter()
        .map(|h| h.span)
        .reduce(Span::cover)
        .unwrap_or_default()
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
            warning: None,
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
            ..AuditOptions::default()
        };
        assert_eq!(rules_fired("Boosts collagen.", &eu)[0].1, Severity::Warning);
        let uk = AuditOptions {
            jurisdictions: vec![Jurisdiction::UK],
            ..AuditOptions::default()
        };
        assert!(rules_fired("Boosts collagen.", &uk).is_empty());
        let drug = AuditOptions {
            product: Product::Drug,
            ..AuditOptions::default()
        };
        assert!(rules_fired("Boosts collagen.", &drug).is_empty());
    }

    #[test]
    fn users_disable_rules_and_override_severities() {
        let off = AuditOptions {
            disable: vec![RuleSelector::parse("drug-claim.")],
            ..AuditOptions::default()
        };
        assert!(rules_fired("Boosts collagen.", &off).is_empty());
        let info = AuditOptions {
            severity: vec![(
                RuleSelector::parse("drug-claim.collagen-stimulation"),
                Severity::Info,
            )],
            ..AuditOptions::default()
        };
        assert_eq!(rules_fired("Boosts collagen.", &info)[0].1, Severity::Info);
    }

    const LADDER_PACK: &str = r#"
id: evidence-strength.collagen-beyond-evidence
title: t
category: evidence-strength
match: { concepts: [verb.stimulate, target.dermal-structure] }
evidence: topic.collagen
exceeds_evidence: true
jurisdictions: { US: { severity: warning, positions: [us.test] } }
message: "{strength} claim ('{cue}'); best evidence: {best_evidence} ({best_level}); supports {supports}."
suggest: s
examples: { flag: [Boosts collagen.], pass: [May boost collagen.] }
"#;

    fn evidence(level: &str, design: &str, supports: &str) -> String {
        format!(
            r#"
studies:
  - {{ id: lee-2020-lab, citation: "Lee 2020", design: in-vitro, level: in-vitro, route: in-vitro, trial_type: none, outcomes: o }}
  - {{ id: kim-2021-best, citation: "Kim 2021", design: {design}, level: {level}, n: 30, duration: 12 weeks, route: topical, trial_type: none, outcomes: o }}
topics:
  - {{ id: topic.collagen, title: Collagen, studies: [lee-2020-lab, kim-2021-best], best_level: {level}, supports: {supports}, summary: s }}
"#
        )
    }

    fn ladder_messages(text: &str, supports: &str) -> Vec<String> {
        let rules = crate::rules::test_rules_with_evidence(
            LADDER_PACK,
            &evidence("case-series", "case-series", supports),
        );
        let file = SourceFile {
            display: "t.txt".into(),
            format: Format::Text,
            text: text.into(),
            warning: None,
        };
        crate::Engine::new(rules, AuditOptions::default())
            .audit(&file)
            .unwrap()
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_claim_fires_only_above_what_its_evidence_supports() {
        // Each step of the claim-strength ladder against a topic that supports `plain` claims.
        let steps = [
            ("It may boost collagen.", false),
            ("It helps boost collagen.", false),
            ("It boosts collagen.", false),
            ("It boosts collagen by 40%.", true),
            ("Clinically proven to boost collagen.", true),
            ("Guaranteed to boost collagen.", true),
        ];
        for (text, fires) in steps {
            assert_eq!(!ladder_messages(text, "plain").is_empty(), fires, "{text}");
        }
        // and a topic that supports only speculative claims catches plain ones.
        assert_eq!(
            ladder_messages("It boosts collagen.", "speculative").len(),
            1
        );
        assert!(ladder_messages("It may boost collagen.", "speculative").is_empty());
    }

    #[test]
    fn the_message_names_the_strength_cue_and_the_best_study() {
        let messages = ladder_messages("Clinically proven to boost collagen.", "hedged");
        assert_eq!(
            messages,
            vec![
                "proven claim ('Clinically proven'); best evidence: one uncontrolled case series of 30 people over 12 weeks (Kim 2021) (case-series); supports hedged."
                    .to_string()
            ]
        );
    }

    #[test]
    fn each_evidence_level_is_described_by_its_design() {
        let expected = [
            (
                "in-vitro",
                "in-vitro",
                "one cell-culture study over 12 weeks (Kim 2021) and 1 more at that level",
            ),
            (
                "animal",
                "animal",
                "one animal study over 12 weeks (Kim 2021)",
            ),
            (
                "case-report",
                "case-report",
                "one case report of 30 people over 12 weeks (Kim 2021)",
            ),
            (
                "case-series",
                "case-series",
                "one uncontrolled case series of 30 people over 12 weeks (Kim 2021)",
            ),
            (
                "case-series",
                "open-label",
                "one open-label study with no control group of 30 people over 12 weeks (Kim 2021)",
            ),
            (
                "non-randomised-controlled",
                "non-randomised-controlled",
                "one non-randomised controlled study of 30 people over 12 weeks (Kim 2021)",
            ),
            (
                "rct-small",
                "rct",
                "one randomised controlled trial of 30 people over 12 weeks (Kim 2021)",
            ),
            (
                "rct-multiple",
                "systematic-review",
                "one systematic review of 30 people over 12 weeks (Kim 2021)",
            ),
            (
                "regulatory-approval",
                "guidance",
                "regulatory guidance of 30 people over 12 weeks (Kim 2021)",
            ),
        ];
        for (level, design, description) in expected {
            let rules = crate::rules::test_rules_with_evidence(
                LADDER_PACK,
                &evidence(level, design, "speculative"),
            );
            let topic = &rules.topics["topic.collagen"];
            let vars = evidence_vars(topic, &rules);
            let best = &vars.iter().find(|(k, _)| *k == "best_evidence").unwrap().1;
            assert_eq!(best, description, "level {level}");
        }
    }
}
