//! Stage 5, `judge`: rules meet claim frames and document facts.
//!
//! Only rules indexed under a concept that fired in a sentence are tried, so the cost follows
//! the hits, not the number of rules. A rule matches when its concepts fire together in one
//! clause inside its window (or one of its phrases is found), no excluding phrase is present,
//! none of its `unless` properties holds, its ingredient condition holds, and, for evidence
//! rules, the claim is stronger than its topic's evidence supports. Rules with a `check` run
//! once per document (duplicate, missing and unrelated references).

mod finding;
mod free_from;
mod merge;
mod properties;
mod rulebook;
mod suppress;

pub use finding::{FindingBuilder, Place, Vars};
pub use free_from::{Disputed, Families, Family};
pub(crate) use merge::merge_claims;
pub use rulebook::{
    Category, Check, FlagExample, IngredientPattern, Product, Rule, RuleBook, RuleJurisdiction,
    RuleSelector, Scope,
};

use crate::claims::{Assertion, ClaimFrame, Claims, ConceptId, FrameProperty, Hit, Reference};
use crate::diagnostic::{Finding, Jurisdiction, Severity, Span};
use crate::document::Document;
use crate::extract::BlockKind;
use crate::knowledge::Knowledge;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// What the audit is for: where the product is sold, what it is, and the user's rule choices.
#[derive(Clone, Debug)]
pub struct AuditOptions {
    /// Jurisdictions to judge under, in report order.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Product type.
    pub product: Product,
    /// Rules switched off (from a config's `disable`, and `--ignore`).
    pub(crate) disable: Vec<RuleSelector>,
    /// When not empty, only these rules are tried (`--select`).
    pub(crate) select: Vec<RuleSelector>,
    /// Severity overrides (for every jurisdiction); the last matching entry wins.
    pub(crate) severity: Vec<(RuleSelector, Severity)>,
    /// Whether findings quote the source lines they touch ([`Finding::context`]): a run asks
    /// for them only when its reporter shows them, so other formats never copy lines.
    pub(crate) quote_lines: bool,
}

impl AuditOptions {
    /// A cosmetic judged under these jurisdictions, with no rule switched off.
    pub fn for_jurisdictions(jurisdictions: Vec<Jurisdiction>) -> AuditOptions {
        AuditOptions {
            jurisdictions,
            product: Product::Cosmetic,
            disable: Vec::new(),
            select: Vec::new(),
            severity: Vec::new(),
            quote_lines: true,
        }
    }

    /// The highest severity among the selected jurisdictions the rule covers (or the user's
    /// override), if it applies to this product and is not switched off.
    pub fn severity_of(&self, rule: &Rule) -> Option<Severity> {
        let selected = self.select.is_empty() || self.select.iter().any(|s| s.selects(rule));
        if !selected
            || !rule.applies_to(self.product)
            || self.disable.iter().any(|s| s.selects(rule))
        {
            return None;
        }
        let severity = rule
            .jurisdictions
            .iter()
            .filter(|j| self.jurisdictions.contains(&j.jurisdiction))
            .map(|j| j.severity)
            .max()?;
        Some(self.override_of(rule).unwrap_or(severity))
    }

    /// The user's severity for the rule, which holds in every jurisdiction: the last matching
    /// override.
    pub(crate) fn override_of(&self, rule: &Rule) -> Option<Severity> {
        self.severity
            .iter()
            .rev()
            .find(|(s, _)| s.selects(rule))
            .map(|(_, s)| *s)
    }
}

/// A document's findings and how many inline suppressions removed.
#[derive(Debug, Default)]
pub struct Judged {
    /// Findings, sorted by position.
    pub findings: Vec<Finding>,
    /// Findings removed by inline suppressions.
    pub suppressed: usize,
}

/// Everything judging one document needs.
struct Judge<'a> {
    doc: &'a Document,
    book: &'a RuleBook,
    knowledge: &'a Knowledge,
    builder: FindingBuilder<'a>,
    /// Each rule's severity under these options (None: switched off), worked out once per
    /// document rather than for every sentence the rule is tried on.
    severities: Vec<Option<Severity>>,
    /// The evidence subjects (ingredients, technologies) the document names anywhere.
    page_subjects: Vec<ConceptId>,
    /// The first kind of product the document names for itself.
    page_product: Option<Span>,
    /// The document's free-from claims (sentence, claim), read once for the three checks.
    free_from_claims: std::cell::OnceCell<Vec<(usize, free_from::FreeFromClaim)>>,
    /// What the ingredient list says of each family, worked out once per document: a page
    /// with many free-from claims (or many pages in one file) reads its list once per family,
    /// not once per claim.
    free_from_verdicts: std::cell::OnceCell<Vec<Verdict<'a>>>,
}

/// Judges a document and returns its findings, sorted by position.
pub fn judge(
    doc: &Document,
    book: &RuleBook,
    knowledge: &Knowledge,
    options: &AuditOptions,
) -> Judged {
    let judge = Judge {
        doc,
        book,
        knowledge,
        builder: FindingBuilder::new(knowledge, options),
        severities: book.rules.iter().map(|r| options.severity_of(r)).collect(),
        page_subjects: page_subjects(doc, knowledge),
        page_product: doc.claims.frames.iter().find_map(|f| f.product_noun),
        free_from_claims: std::cell::OnceCell::new(),
        free_from_verdicts: std::cell::OnceCell::new(),
    };
    let claims = &doc.claims;
    let parsed = &doc.parsed;
    let mut findings = Vec::new();
    let mut candidates: Vec<u32> = Vec::new();
    // Rules in force that a statement anywhere on the page cancels, and whether it makes one.
    let page_rules: Vec<usize> = (0..book.rules.len())
        .filter(|&r| judge.severities[r].is_some() && !book.rules[r].unless_page_says.is_empty())
        .collect();
    let mut said = vec![false; book.rules.len()];
    // Rules reported once per page at their first claim (a missing ingredient) already found.
    let mut reported = vec![false; book.rules.len()];
    for frame in &claims.frames {
        candidates.clear();
        for hit in &frame.hits {
            candidates.extend_from_slice(&book.by_concept[hit.concept as usize]);
        }
        candidates.sort_unstable();
        candidates.dedup();
        let kind = parsed.blocks[parsed.sentences[frame.sentence].block].kind;
        let hits = HitsByConcept::new(frame);
        for &r in &page_rules {
            if said[r] {
                continue;
            }
            let rule = &book.rules[r];
            // A statement denied ("not FDA-cleared") is not made.
            said[r] = rule.unless_page_says.iter().any(|p| {
                phrase_matches(&p.parts, rule.within, &hits, claims)
                    .any(|m| !frame.is_negated(m[0].first, claims))
            });
        }
        for &r in &candidates {
            let rule = &book.rules[r as usize];
            if rule.check.is_some() || !in_scope(rule.scope, kind) {
                continue;
            }
            let Some(severity) = judge.severities[r as usize] else {
                continue;
            };
            // A missing ingredient is one problem per page, reported at its first claim.
            let once = !rule.ingredients_absent.is_empty();
            if once && reported[r as usize] {
                continue;
            }
            for (span, vars) in judge.match_frame(rule, &hits) {
                findings.push(judge.finding(rule, severity, span, frame.sentence, vars));
                if once {
                    reported[r as usize] = true;
                    break;
                }
            }
        }
    }
    let cancelled: Vec<&str> = page_rules
        .iter()
        .filter(|&&r| said[r])
        .map(|&r| book.rules[r].id.as_str())
        .collect();
    if !cancelled.is_empty() {
        findings.retain(|f: &Finding| !cancelled.contains(&f.rule.as_str()));
    }
    for (rule, severity) in book.rules.iter().zip(&judge.severities) {
        if let (Some(_), Some(severity)) = (rule.check, *severity) {
            findings.extend(judge.run_check(rule, severity));
        }
    }
    let source = &doc.source.text;
    let suppressions = match &doc.copy.record_source {
        None => suppress::suppressions(&doc.copy.comments, source),
        // A record's comments and lines are the record's own; its findings are in the file's.
        Some(record) => {
            let mut list = suppress::suppressions(&doc.copy.comments, &record.text);
            for s in &mut list {
                s.covers = record.map.to_source(s.covers.clone());
                s.comment = record.map.to_source(s.comment.clone());
            }
            list
        }
    };
    let (suppressed, unused) = suppress::apply(&mut findings, &suppressions, book);
    if let Some(rule) = book.check(Check::UnusedSuppression)
        && let Some(severity) = options.severity_of(rule)
    {
        let lines = doc.lines();
        for suppression in unused {
            let comment = &suppression.comment;
            let text = one_line(&source[comment.clone()]);
            let place = Place {
                path: doc.path(),
                lines: &lines,
                span: Span::new(comment.start, comment.end),
                text: &text,
                claim: &text,
                copy_span: None,
                record: doc.record.as_deref(),
                part: doc.source.part_at(comment.start),
                assertion: None,
                topic: None,
            };
            let vars = vec![("unknown", suppress::unknown_rules(suppression, book))];
            findings.push(judge.builder.build(rule, severity, place, vars));
        }
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    Judged {
        findings,
        suppressed,
    }
}

/// What a document's ingredient list says of a free-from claim about a family.
#[derive(Clone, Copy)]
enum Verdict<'a> {
    /// The document lists no ingredients: the claim cannot be checked.
    NoList,
    /// The listed ingredient at this index is a member.
    Member(usize),
    /// The listed ingredient at this index is a disputed member: what to check.
    Disputed(usize, &'a str),
    /// No member is listed.
    Holds,
}

fn free_from_verdict<'a>(family: &'a Family, facts: &crate::claims::DocumentFacts) -> Verdict<'a> {
    if !facts.has_ingredient_list {
        return Verdict::NoList;
    }
    let mut disputed = None;
    for (at, ingredient) in facts.ingredients.iter().enumerate() {
        match family.membership(&ingredient.name) {
            Some(free_from::Membership::Member) => return Verdict::Member(at),
            Some(free_from::Membership::Disputed(what)) => disputed = disputed.or(Some((at, what))),
            None => {}
        }
    }
    match disputed {
        Some((at, what)) => Verdict::Disputed(at, what),
        None => Verdict::Holds,
    }
}

/// The evidence subjects of the knowledge base that fire anywhere in the document, read in one
/// pass over its hits.
fn page_subjects(doc: &Document, knowledge: &Knowledge) -> Vec<ConceptId> {
    let mut subjects: Vec<ConceptId> = knowledge
        .topics
        .values()
        .filter_map(|t| t.subject_concept)
        .collect();
    subjects.sort_unstable();
    subjects.dedup();
    let mut named = vec![false; subjects.len()];
    for hit in doc.claims.frames.iter().flat_map(|f| &f.hits) {
        if let Ok(i) = subjects.binary_search(&hit.concept) {
            named[i] = true;
        }
    }
    let mut named = named.into_iter();
    subjects.retain(|_| named.next().unwrap_or(false));
    subjects
}

/// Whether a rule fires on this match given the sentence's assertion: on asserted claims, or on
/// every sentence for a rule with `mentions`. A negated existence ("no product contains …") is
/// a negation: it stops only the rules that a negation stops, and only inside its stretch of
/// the sentence.
fn fires_on(rule: &Rule, frame: &ClaimFrame, hits: &[Hit]) -> bool {
    // A match that leans on a quoted term talks about the term ("told it will "heal" your
    // rosacea").
    let quoted = frame.quoted.iter().any(|q| {
        hits.iter()
            .any(|h| q.start <= h.span.start && h.span.end <= q.end)
    });
    if quoted && !rule.mentions {
        return false;
    }
    let covered = || match &frame.assertion_scope {
        Some(scope) => hits.iter().all(|h| scope.contains(&h.first)),
        None => true,
    };
    match frame.assertion_of(hits.iter().map(|h| h.span)) {
        Assertion::Asserted => true,
        _ if rule.mentions => true,
        Assertion::NegatedExistence => !rule.unless.contains(&FrameProperty::Negated) || !covered(),
        Assertion::ThirdPartyClaim => !covered(),
        _ => false,
    }
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
        &self.doc.copy.text[span.start..span.end]
    }

    /// The rule's acceptable matches in a frame, one per clause, each with the values its
    /// message may quote.
    fn match_frame(&self, rule: &Rule, hits: &HitsByConcept<'_>) -> Vec<(Span, Vars)> {
        let frame = hits.frame;
        let claims = &self.doc.claims;
        let Some(vars) = self.ingredient_condition(rule) else {
            return Vec::new();
        };
        if rule.exceeds_evidence {
            let topic = rule
                .evidence
                .first()
                .and_then(|t| self.knowledge.topics.get(t));
            if topic.is_none_or(|topic| frame.strength <= topic.supports) {
                return Vec::new();
            }
        }
        let concept_found: Vec<Vec<Hit>> = if rule.concepts.is_empty() {
            Vec::new()
        } else {
            concept_matches(rule, hits, claims).collect()
        };
        let phrase_found: Vec<Vec<Hit>> = rule
            .phrases
            .iter()
            .flat_map(|phrase| phrase_matches(&phrase.parts, rule.within, hits, claims))
            .collect();
        if concept_found.is_empty() && phrase_found.is_empty() {
            return Vec::new();
        }
        let excluded: Vec<Span> = rule
            .exclude
            .iter()
            .flat_map(|p| phrase_matches(&p.parts, rule.within, hits, claims))
            .map(|m| cover(&m))
            .collect();
        // An excluding phrase that shares words with a match says what those words are ("dark
        // spots" is not acne) and cancels the matches resting on them; one that shares words
        // with no match sets the sentence's context ("ask your doctor") and cancels them all.
        let rests_on = |m: &[Hit], e: Span| m.iter().any(|h| h.span.overlaps(e));
        let contextual = excluded.iter().any(|&e| {
            !concept_found
                .iter()
                .chain(&phrase_found)
                .any(|m| rests_on(m, e))
        });
        if contextual {
            return Vec::new();
        }
        let context = properties::Context {
            frame,
            hits,
            claims,
            framable: &self.book.framable,
            knowledge: self.knowledge,
        };
        let accepted = |hits: &Vec<Hit>| {
            !excluded.iter().any(|&e| rests_on(hits, e))
                && fires_on(rule, frame, hits)
                && rule
                    .unless
                    .iter()
                    .all(|p| !properties::holds(*p, &context, hits))
        };
        // One claim of a kind per clause: "heals acne, and it fades dark spots" makes two
        // claims of two rules, "speeds up healing and cuts downtime" one recovery claim. The
        // first acceptable match of a clause stands for it, concept matches before phrases.
        // A clause's further matches that overlap none of it widen its span, so every claim
        // of the kind it holds is in the finding's words ("relieves rosacea and heals
        // psoriasis").
        // Only a match inside the rule's window of the span widens it: a clause that runs on
        // for lines (a label with no full stop) keeps its claims apart.
        // (span, clause, first and last token) of each claim kept.
        let mut kept: Vec<(Span, usize, usize, usize)> = Vec::new();
        for m in concept_found.iter().chain(&phrase_found) {
            let clause = frame.clause_of(m[0].first);
            let span = cover(m);
            let first = m.iter().map(|h| h.first).min().unwrap_or(0);
            let last = m.iter().map(|h| h.last).max().unwrap_or(0);
            let Some(at) = kept.iter().position(|k| k.1 == clause) else {
                if accepted(m) {
                    kept.push((span, clause, first, last));
                }
                continue;
            };
            let (own, _, from, to) = kept[at];
            if own.overlaps(span) || !accepted(m) {
                continue;
            }
            let gap = if first > to {
                claims.words_between(to, first)
            } else {
                claims.words_between(last.min(from), from)
            };
            if gap <= rule.within {
                kept[at] = (own.cover(span), clause, from.min(first), to.max(last));
            } else {
                kept.push((span, clause, first, last));
            }
        }
        let mut kept: Vec<Span> = kept.into_iter().map(|k| k.0).collect();
        kept.sort_by_key(|s| s.start);
        kept.into_iter()
            .map(|span| {
                let mut vars = vars.clone();
                vars.push(("strength", frame.strength.as_str().to_string()));
                let cue = frame.strength_cue.unwrap_or(span);
                vars.push(("cue", one_line(self.text(cue))));
                (span, vars)
            })
            .collect()
    }

    /// `None` when the rule's ingredient condition fails; otherwise the ingredient it names.
    fn ingredient_condition(&self, rule: &Rule) -> Option<Vars> {
        let facts = &self.doc.claims.facts;
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
        let facts = &self.doc.claims.facts;
        let mut out = Vec::new();
        // The first reference of each number: looked up once per cited number, not searched.
        let by_number = || {
            let mut map: HashMap<u32, &Reference> = HashMap::new();
            for r in &facts.references {
                map.entry(r.number).or_insert(r);
            }
            map
        };
        match rule.check {
            Some(Check::DuplicateReference) => {
                let mut first_of_title: HashMap<String, &Reference> = HashMap::new();
                for later in &facts.references {
                    if later.title.len() < 20 {
                        continue;
                    }
                    let title = later.title.to_ascii_lowercase();
                    let first = match first_of_title.entry(title) {
                        Entry::Occupied(first) => Some(*first.get()),
                        Entry::Vacant(slot) => {
                            slot.insert(later);
                            None
                        }
                    };
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
                let by_number = by_number();
                for citation in &facts.citations {
                    let missing: Vec<String> = citation
                        .numbers
                        .iter()
                        .filter(|n| !by_number.contains_key(n))
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
                let by_number = by_number();
                for citation in &facts.citations {
                    // Only sentences that claim something: not author lines with affiliation marks.
                    let Some(claim) = &citation.claim_subject else {
                        continue;
                    };
                    for n in &citation.numbers {
                        let Some(reference) = by_number.get(n) else {
                            continue;
                        };
                        let cited = &reference.subject;
                        if !cited.is_empty() && claim.is_disjoint(cited) {
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
            Some(
                check @ (Check::FreeFromContradicted
                | Check::FreeFromDisputed
                | Check::FreeFromUnchecked),
            ) => self.free_from(rule, severity, check, &mut out),
            _ => {}
        }
        out
    }

    /// Free-from and vegan claims against the document's ingredient list: the findings of one
    /// of the three verdicts.
    fn free_from(&self, rule: &Rule, severity: Severity, check: Check, out: &mut Vec<Finding>) {
        let families = &self.knowledge.families;
        let facts = &self.doc.claims.facts;
        let claims = self.free_from_claims.get_or_init(|| {
            let copy = &self.doc.copy.text;
            let parsed = &self.doc.parsed;
            let mut claims = Vec::new();
            for (index, sentence) in parsed.sentences.iter().enumerate() {
                let block = parsed.blocks[sentence.block].kind;
                if matches!(block, BlockKind::Reference | BlockKind::Warnings) {
                    continue;
                }
                let text = &copy[sentence.span.start..sentence.span.end];
                claims.extend(families.claims_in(text).into_iter().map(|mut claim| {
                    claim.span = Span::new(
                        sentence.span.start + claim.span.start,
                        sentence.span.start + claim.span.end,
                    );
                    (index, claim)
                }));
            }
            claims
        });
        for &(index, ref claim) in claims {
            let span = claim.span;
            let claim_text = one_line(self.text(span));
            for &f in &claim.families {
                let family = &families.list[f];
                let verdicts = self.free_from_verdicts.get_or_init(|| {
                    let list = families.list.iter();
                    list.map(|family| free_from_verdict(family, facts))
                        .collect()
                });
                let verdict = verdicts[f];
                let mut vars: Vars = vec![
                    ("claim", claim_text.clone()),
                    ("family", family.title.clone()),
                    ("source", family.source.clone()),
                ];
                let fires = match (check, verdict) {
                    (Check::FreeFromUnchecked, Verdict::NoList) => true,
                    (Check::FreeFromContradicted, Verdict::Member(at)) => {
                        vars.push((
                            "ingredient",
                            one_line(self.text(facts.ingredients[at].span)),
                        ));
                        vars.push((
                            "position",
                            format!("ingredient {} of {}", at + 1, facts.ingredients.len()),
                        ));
                        true
                    }
                    (Check::FreeFromDisputed, Verdict::Disputed(at, what)) => {
                        vars.push((
                            "ingredient",
                            one_line(self.text(facts.ingredients[at].span)),
                        ));
                        vars.push(("check", what.to_string()));
                        true
                    }
                    _ => false,
                };
                if fires {
                    out.push(self.finding(rule, severity, span, index, vars));
                }
            }
        }
    }

    /// The index of the sentence containing an offset (or the nearest before it).
    fn sentence_at(&self, offset: usize) -> usize {
        self.doc
            .parsed
            .sentences
            .partition_point(|s| s.span.start <= offset)
            .saturating_sub(1)
    }

    /// What the copy calls its product, for a suggested rewording: the kind of product the
    /// sentence names, else the first the page names, else "product".
    fn product_word(&self, sentence: usize) -> String {
        self.doc
            .claims
            .frames
            .get(sentence)
            .and_then(|f| f.product_noun)
            .or(self.page_product)
            .map_or_else(
                || "product".to_string(),
                |span| one_line(self.text(span)).to_lowercase(),
            )
    }

    /// The rule's evidence topic that fits the copy: the first whose subject the sentence
    /// names, else the first the page names (a topic with no subject fits any copy); none
    /// when the copy names none of them, so a peptide claim is never shown exosome studies.
    fn fitting_topic(&self, rule: &Rule, sentence: usize) -> Option<&str> {
        let topics = || {
            rule.evidence
                .iter()
                .filter_map(|id| self.knowledge.topics.get(id))
        };
        let frame = self.doc.claims.frames.get(sentence);
        let in_sentence =
            |c: ConceptId| frame.is_some_and(|f| f.hits.iter().any(|h| h.concept == c));
        topics()
            .find(|t| t.subject_concept.is_none_or(in_sentence))
            .or_else(|| {
                topics().find(|t| {
                    t.subject_concept
                        .is_some_and(|c| self.page_subjects.contains(&c))
                })
            })
            .map(|t| t.id.as_str())
    }

    fn finding(
        &self,
        rule: &Rule,
        severity: Severity,
        span: Span,
        sentence: usize,
        vars: Vars,
    ) -> Finding {
        let doc = self.doc;
        let topic = self.fitting_topic(rule, sentence);
        let mut vars = vars;
        vars.push(("product", self.product_word(sentence)));
        let source = doc.copy.map.to_source(span.start..span.end);
        let assertion = doc
            .claims
            .frames
            .get(sentence)
            .map(|f| f.assertion_of([span]));
        let sentence = doc.parsed.sentences.get(sentence).map_or(span, |s| s.span);
        let lines = doc.lines();
        let text = one_line(self.text(span));
        let claim = one_line(self.text(sentence));
        let place = Place {
            path: doc.path(),
            lines: &lines,
            span: Span::new(source.start, source.end),
            text: &text,
            claim: &claim,
            copy_span: Some(span),
            record: doc.record.as_deref(),
            part: doc.source.part_at(source.start),
            assertion,
            topic,
        };
        self.builder.build(rule, severity, place, vars)
    }
}

/// A frame's hits grouped by concept, each group in text order, so a rule reaches the hits of
/// one concept, and the first or nearest of them, by binary search instead of a scan of the
/// sentence: a sentence with thousands of hits costs each rule a logarithm, not the square.
pub(crate) struct HitsByConcept<'f> {
    frame: &'f ClaimFrame,
    sorted: Vec<Hit>,
}

impl<'f> HitsByConcept<'f> {
    pub(crate) fn new(frame: &'f ClaimFrame) -> Self {
        let mut sorted = frame.hits.clone();
        // Stable: each concept's hits stay in text order.
        sorted.sort_by_key(|h| h.concept);
        HitsByConcept { frame, sorted }
    }

    /// The hits of one concept, in text order.
    fn of(&self, concept: ConceptId) -> &[Hit] {
        let start = self.sorted.partition_point(|h| h.concept < concept);
        let end = self.sorted.partition_point(|h| h.concept <= concept);
        &self.sorted[start..end]
    }

    /// The first hit of `concept` that starts after token `after`.
    fn first_after(&self, concept: ConceptId, after: usize) -> Option<&Hit> {
        let hits = self.of(concept);
        hits.get(hits.partition_point(|h| h.first <= after))
    }

    /// The hit of `concept` nearest to `anchor` in words, within the anchor's clause; of hits
    /// equally near, the first in text order.
    fn nearest_in_clause(&self, concept: ConceptId, anchor: &Hit, claims: &Claims) -> Option<&Hit> {
        let clause = self.frame.clause_of(anchor.first);
        let hits = self.of(concept);
        // A clause is a run of tokens, so its hits are a run of the list.
        let start = hits.partition_point(|h| self.frame.clause_of(h.first) < clause);
        let end = hits.partition_point(|h| self.frame.clause_of(h.first) <= clause);
        let hits = &hits[start..end];
        let split = hits.partition_point(|h| h.first <= anchor.first);
        let near = |i: usize| distance(claims, anchor, &hits[i]);
        let before = split.checked_sub(1).map(|i| (i, near(i)));
        let after = (split < hits.len()).then(|| (split, near(split)));
        let (mut best, least) = match (before, after) {
            (Some(b), Some(a)) if a.1 < b.1 => a,
            (Some(b), _) => b,
            (None, Some(a)) => a,
            (None, None) => return None,
        };
        // Distance falls towards the anchor, so hits as near as the best one sit just before it.
        while best > 0 && near(best - 1) == least {
            best -= 1;
        }
        hits.get(best)
    }
}

/// For each hit of the rule's first concept, the nearest hit of every other concept in its
/// clause; kept when all of them fit in the window.
fn concept_matches<'a>(
    rule: &'a Rule,
    hits: &'a HitsByConcept<'a>,
    claims: &'a Claims,
) -> impl Iterator<Item = Vec<Hit>> + 'a {
    hits.of(rule.concepts[0]).iter().filter_map(move |anchor| {
        let mut found = vec![*anchor];
        for &concept in &rule.concepts[1..] {
            found.push(*hits.nearest_in_clause(concept, anchor, claims)?);
        }
        let first = found.iter().map(|h| h.first).min()?;
        let last = found.iter().map(|h| h.last).max()?;
        (claims.words_between(first, last) <= rule.within).then_some(found)
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
    hits: &'a HitsByConcept<'a>,
    claims: &'a Claims,
) -> impl Iterator<Item = Vec<Hit>> + 'a {
    hits.of(parts[0]).iter().filter_map(move |first| {
        let mut found = vec![*first];
        for &part in &parts[1..] {
            let previous = *found.last()?;
            found.push(*hits.first_after(part, previous.last)?);
        }
        let last = found.last()?.last;
        (claims.words_between(first.first, last) <= within.max(parts.len())).then_some(found)
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
    use crate::rules::{test_engine, test_engine_with_evidence};
    use crate::source::{Format, SourceFile};

    /// A cosmetic judged under every jurisdiction of the test registry.
    fn all() -> AuditOptions {
        AuditOptions::for_jurisdictions(["US", "EU", "UK"].map(Jurisdiction::new).to_vec())
    }

    fn text_file(text: &str) -> SourceFile {
        SourceFile {
            display: "t.txt".into(),
            format: Format::Text,
            text: text.into(),
            warning: None,
            parts: Vec::new(),
        }
    }

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
        let engine = test_engine(PACK);
        let doc = engine.analyse(text_file(text));
        engine
            .audit(&doc, options)
            .into_iter()
            .map(|f| (f.rule, f.severity, f.text))
            .collect()
    }

    #[test]
    fn concepts_match_inside_their_window_and_clause() {
        let all = all();
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
        let all = all();
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
            jurisdictions: vec![Jurisdiction::new("EU")],
            ..all()
        };
        assert_eq!(rules_fired("Boosts collagen.", &eu)[0].1, Severity::Warning);
        let uk = AuditOptions {
            jurisdictions: vec![Jurisdiction::new("UK")],
            ..all()
        };
        assert!(rules_fired("Boosts collagen.", &uk).is_empty());
        let drug = AuditOptions {
            product: Product::Drug,
            ..all()
        };
        assert!(rules_fired("Boosts collagen.", &drug).is_empty());
    }

    #[test]
    fn users_disable_rules_and_override_severities() {
        let off = AuditOptions {
            disable: vec![RuleSelector::parse("drug-claim.")],
            ..all()
        };
        assert!(rules_fired("Boosts collagen.", &off).is_empty());
        let info = AuditOptions {
            severity: vec![(
                RuleSelector::parse("drug-claim.collagen-stimulation"),
                Severity::Info,
            )],
            ..all()
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
        let engine = test_engine_with_evidence(
            LADDER_PACK,
            &evidence("case-series", "case-series", supports),
        );
        let doc = engine.analyse(text_file(text));
        engine
            .audit(&doc, &all())
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

    const FITTING_PACK: &str = r#"
id: drug-claim.collagen-stimulation
title: t
category: drug-claim
match: { concepts: [verb.stimulate, target.dermal-structure] }
evidence: [topic.exosome-collagen, topic.niacinamide-collagen]
jurisdictions: { US: { severity: error, positions: [us.test] } }
message: m
suggest: "a {product} that helps skin look firmer"
examples: { flag: [Boosts collagen.], pass: [Soft skin.] }
"#;

    const FITTING_EVIDENCE: &str = r#"
studies:
  - { id: lee-2020-lab, citation: "Lee 2020", design: in-vitro, level: in-vitro, route: in-vitro, trial_type: none, outcomes: o }
topics:
  - { id: topic.exosome-collagen, subject: claim.exosome, title: t, studies: [lee-2020-lab], best_level: in-vitro, supports: speculative, summary: s }
  - { id: topic.niacinamide-collagen, subject: frame.ingredient, title: t, studies: [lee-2020-lab], best_level: in-vitro, supports: speculative, summary: s }
"#;

    fn fitted(text: &str) -> Vec<(Option<String>, String)> {
        let engine = test_engine_with_evidence(FITTING_PACK, FITTING_EVIDENCE);
        let doc = engine.analyse(text_file(text));
        engine
            .audit(&doc, &all())
            .into_iter()
            .map(|f| (f.evidence.map(|e| e.topic.clone()), f.suggestion))
            .collect()
    }

    #[test]
    fn the_evidence_shown_is_the_topic_the_copy_names() {
        let topic = |text: &str| fitted(text).remove(0).0;
        assert_eq!(
            topic("Our exosome serum boosts collagen.").as_deref(),
            Some("topic.exosome-collagen")
        );
        // The sentence names no subject: the page's is used, the first topic is not assumed.
        assert_eq!(
            topic("With niacinamide.\n\nIt boosts collagen.").as_deref(),
            Some("topic.niacinamide-collagen")
        );
        assert_eq!(
            topic("Niacinamide and exosomes.\n\nOur niacinamide boosts collagen.").as_deref(),
            Some("topic.niacinamide-collagen"),
            "the sentence's own subject comes before the page's"
        );
        assert_eq!(
            topic("It boosts collagen."),
            None,
            "no study of another subject"
        );
    }

    #[test]
    fn suggestions_call_the_product_what_the_copy_calls_it() {
        let suggestion = |text: &str| fitted(text).remove(0).1;
        assert_eq!(
            suggestion("This cream boosts collagen."),
            "a cream that helps skin look firmer"
        );
        assert_eq!(
            suggestion("A serum.\n\nIt boosts collagen."),
            "a serum that helps skin look firmer"
        );
        assert_eq!(
            suggestion("It boosts collagen."),
            "a product that helps skin look firmer"
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
            let engine =
                test_engine_with_evidence(LADDER_PACK, &evidence(level, design, "speculative"));
            let topic = &engine.knowledge.topics["topic.collagen"];
            let vars = engine.knowledge.evidence_vars(topic);
            let best = &vars.iter().find(|(k, _)| *k == "best_evidence").unwrap().1;
            assert_eq!(best, description, "level {level}");
        }
    }
}
