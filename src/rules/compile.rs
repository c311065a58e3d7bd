//! Raw YAML → a checked, compiled [`RuleSet`].

use super::index::{ConceptId, PhraseIndex, PhraseIndexBuilder, normalise_pattern};
use super::load::{LoadError, Parsed, RuleSource};
use super::raw::{Category, Check, Position, Product, RawRule, Scope, Study, Topic, Unless};
use crate::diagnostic::{Jurisdiction, Severity};
use crate::parse::TokenKind;
use std::collections::HashMap;

/// Default window of a rule's concepts, in words.
const DEFAULT_WITHIN: usize = 8;

/// A literal phrase of a rule: one concept per part (parts are separated by ` ... ` gaps).
#[derive(Clone, Debug)]
pub struct Phrase {
    /// The phrase as written.
    pub text: String,
    /// Concepts of its parts, in order.
    pub parts: Vec<ConceptId>,
}

/// An INCI-name pattern: lowercase, `*` at the start and/or end for "anything".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngredientPattern {
    core: String,
    any_before: bool,
    any_after: bool,
}

impl IngredientPattern {
    /// Parses `*paraben`, `parfum*`, `*exosome*`, `aqua`.
    pub fn new(pattern: &str) -> IngredientPattern {
        let p = pattern.trim().to_lowercase();
        IngredientPattern {
            any_before: p.starts_with('*'),
            any_after: p.ends_with('*') && p.len() > 1,
            core: p.trim_matches('*').to_string(),
        }
    }

    /// Whether a normalised ingredient name matches.
    pub fn matches(&self, name: &str) -> bool {
        match (self.any_before, self.any_after) {
            (true, true) => name.contains(&self.core),
            (true, false) => name.ends_with(&self.core),
            (false, true) => name.starts_with(&self.core),
            (false, false) => name == self.core,
        }
    }
}

/// Severity and legal positions of a rule in one jurisdiction.
#[derive(Clone, Debug)]
pub struct RuleJurisdiction {
    /// Where.
    pub jurisdiction: Jurisdiction,
    /// How serious.
    pub severity: Severity,
    /// Position ids.
    pub positions: Vec<String>,
}

/// A compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Unique id.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Kind of overclaim.
    pub category: Category,
    /// Product types it applies to; empty means all.
    pub products: Vec<Product>,
    /// Concepts that must all fire in one clause.
    pub concepts: Vec<ConceptId>,
    /// Window for concepts and phrase gaps, in words.
    pub within: usize,
    /// Literal phrases, any of which matches.
    pub phrases: Vec<Phrase>,
    /// Phrases that cancel a match.
    pub exclude: Vec<Phrase>,
    /// Frame properties that cancel a match.
    pub unless: Vec<Unless>,
    /// Document-level check.
    pub check: Option<Check>,
    /// Which blocks it reads.
    pub scope: Scope,
    /// Ingredients that must be listed for the rule to fire.
    pub ingredients_present: Vec<IngredientPattern>,
    /// Ingredients whose absence (from a listed ingredient list) makes the rule fire.
    pub ingredients_absent: Vec<IngredientPattern>,
    /// Fire only when the claim is stronger than the topic's evidence supports.
    pub exceeds_evidence: bool,
    /// Evidence topic.
    pub evidence: Option<String>,
    /// Per-jurisdiction severity and positions.
    pub jurisdictions: Vec<RuleJurisdiction>,
    /// One-sentence reason.
    pub message: String,
    /// Longer explanation.
    pub why: String,
    /// Compliant rewording.
    pub suggest: String,
    /// Sentences that must match.
    pub flag_examples: Vec<String>,
    /// Sentences that must not.
    pub pass_examples: Vec<String>,
    /// The format of the examples.
    pub example_format: crate::source::Format,
    /// File the rule came from.
    pub file: String,
}

impl Rule {
    /// Whether the rule applies to this product type.
    pub fn applies_to(&self, product: Product) -> bool {
        self.products.is_empty() || self.products.contains(&product)
    }
}

/// Concepts the claim-frame builder reads (absent classes switch a property off).
#[derive(Clone, Debug, Default)]
pub struct FrameConcepts {
    /// `frame.negation`.
    pub negation: Option<ConceptId>,
    /// `frame.appearance`.
    pub appearance: Option<ConceptId>,
    /// `frame.speculative`.
    pub speculative: Option<ConceptId>,
    /// `frame.hedge`.
    pub hedge: Option<ConceptId>,
    /// `frame.distancing`.
    pub distancing: Option<ConceptId>,
    /// `frame.proven`.
    pub proven: Option<ConceptId>,
    /// `frame.absolute`.
    pub absolute: Option<ConceptId>,
    /// `frame.disclosure`.
    pub disclosure: Option<ConceptId>,
    /// `frame.limitation`.
    pub limitation: Option<ConceptId>,
    /// `frame.comparison`.
    pub comparison: Option<ConceptId>,
    /// `frame.time-promise`.
    pub time_promise: Option<ConceptId>,
    /// `frame.route-injection`.
    pub route_injection: Option<ConceptId>,
    /// `frame.route-post-procedure`.
    pub route_post_procedure: Option<ConceptId>,
    /// `frame.route-topical`.
    pub route_topical: Option<ConceptId>,
    /// `frame.clause-break`: words that start a new clause.
    pub clause_break: Option<ConceptId>,
}

/// Everything the engine needs from rule files, compiled once and shared by all threads.
#[derive(Debug)]
pub struct RuleSet {
    /// Rules, in load order.
    pub rules: Vec<Rule>,
    /// Concept names by id.
    pub concept_names: Vec<String>,
    /// Whether each concept is a target or condition (appearance framing scopes over these).
    pub framable: Vec<bool>,
    /// The one automaton for every pattern.
    pub index: PhraseIndex,
    /// Concept ids of grammar token kinds.
    pub token_concepts: HashMap<TokenKind, ConceptId>,
    /// Concepts the frame builder reads.
    pub frame: FrameConcepts,
    /// Rules to try when a concept fires.
    pub by_concept: Vec<Vec<u32>>,
    /// Legal positions by id.
    pub positions: HashMap<String, Position>,
    /// Studies by id.
    pub studies: HashMap<String, Study>,
    /// Evidence topics by id.
    pub topics: HashMap<String, Topic>,
    /// Topics with `about` phrases: a claim matching one is judged against that topic.
    pub topic_phrases: Vec<(String, Vec<Phrase>)>,
    /// Words too generic to show that a reference and a claim share a subject
    /// (`frame.generic-word`).
    pub generic_words: std::collections::HashSet<String>,
}

impl RuleSet {
    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The concept with this name.
    pub fn concept(&self, name: &str) -> Option<ConceptId> {
        self.concept_names
            .iter()
            .position(|n| n == name)
            .map(|i| i as ConceptId)
    }
}

const TOKEN_KINDS: [TokenKind; 9] = [
    TokenKind::Number,
    TokenKind::Percent,
    TokenKind::FoldChange,
    TokenKind::Duration,
    TokenKind::Range,
    TokenKind::Citation,
    TokenKind::PlaceholderCitation,
    TokenKind::Doi,
    TokenKind::Url,
];

/// Interns concept names.
#[derive(Default)]
struct Concepts {
    names: Vec<String>,
    by_name: HashMap<String, ConceptId>,
}

impl Concepts {
    fn intern(&mut self, name: &str) -> ConceptId {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let id = self.names.len() as ConceptId;
        self.names.push(name.to_string());
        self.by_name.insert(name.to_string(), id);
        id
    }

    /// Compiles a phrase (parts separated by ` ... ` gaps): one concept per part, each part
    /// added to the automaton.
    fn phrase(&mut self, text: &str, builder: &mut PhraseIndexBuilder) -> Result<Phrase, String> {
        check_pattern(text, true)?;
        let parts = normalise_pattern(text)
            .split(" ... ")
            .map(|part| {
                let part = part.trim();
                let concept = self.intern(&format!("phrase:{part}"));
                builder.add(part, concept);
                concept
            })
            .collect();
        Ok(Phrase {
            text: text.to_string(),
            parts,
        })
    }
}

/// Checks a pattern's syntax; `gaps` allows ` ... `.
fn check_pattern(pattern: &str, gaps: bool) -> Result<(), String> {
    let parts: Vec<&str> = if gaps {
        pattern.split(" ... ").collect()
    } else {
        vec![pattern]
    };
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            return Err(format!("pattern `{pattern}` has an empty part"));
        }
        if part.trim_end_matches('*').contains('*') {
            return Err(format!(
                "pattern `{pattern}`: `*` is allowed only at the end of a pattern"
            ));
        }
        if !gaps && part.contains("...") {
            return Err(format!(
                "pattern `{pattern}`: gaps (` ... `) are allowed only in rule phrases"
            ));
        }
    }
    Ok(())
}

/// "; did you mean `x`?" for the closest candidate name, or nothing when none is close.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> String {
    candidates
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(String::new, |(_, c)| format!("; did you mean `{c}`?"))
}

/// Cross-checks parsed files and builds the rule set, pushing every problem into `errors`.
pub fn compile(sources: &[RuleSource], parsed: Parsed, errors: &mut Vec<LoadError>) -> RuleSet {
    let mut concepts = Concepts::default();
    let mut builder = PhraseIndexBuilder::default();
    let mut framable = Vec::new();
    let mut token_concepts = HashMap::new();
    let mut generic_words = std::collections::HashSet::new();
    let mut class_layers: HashMap<String, u8> = HashMap::new();
    for kind in TOKEN_KINDS {
        if let Some(name) = kind.concept_id() {
            token_concepts.insert(kind, concepts.intern(name));
        }
    }

    for (file, lexicon) in &parsed.lexicons {
        let source = &sources[*file];
        for class in &lexicon.classes {
            // A class defined again in a later layer (a user's rule folder) adds its words.
            match class_layers.insert(class.id.clone(), source.layer) {
                Some(layer) if layer == source.layer => {
                    errors.push(LoadError::at(
                        source,
                        &class.id,
                        None,
                        format!("class `{}` is defined twice", class.id),
                    ));
                    continue;
                }
                _ => {}
            }
            let id = concepts.intern(&class.id);
            if class.id == "frame.generic-word" {
                generic_words.extend(class.words.iter().map(|w| w.to_lowercase()));
            }
            for word in &class.words {
                match check_pattern(word, false) {
                    Ok(()) => builder.add(&normalise_pattern(word), id),
                    Err(e) => errors.push(LoadError::at(source, &class.id, Some(word), e)),
                }
            }
        }
    }

    let mut positions = HashMap::new();
    let mut layers = Layers::default();
    for (file, list) in parsed.positions {
        let source = &sources[file];
        for position in list.positions {
            layers.define("position", &position.id, source, errors);
            positions.insert(position.id.clone(), position);
        }
    }

    let mut studies = HashMap::new();
    let mut topics = HashMap::new();
    for (file, evidence) in parsed.evidence {
        let source = &sources[file];
        for study in evidence.studies {
            layers.define("study", &study.id, source, errors);
            studies.insert(study.id.clone(), study);
        }
        for topic in evidence.topics {
            layers.define("topic", &topic.id, source, errors);
            topics.insert(topic.id.clone(), (file, topic));
        }
    }
    for (file, topic) in topics.values() {
        for id in &topic.studies {
            if !studies.contains_key(id) {
                let hint = did_you_mean(id, studies.keys());
                errors.push(LoadError::at(
                    &sources[*file],
                    &topic.id,
                    Some(id),
                    format!("unknown study `{id}`{hint}"),
                ));
            }
        }
    }
    let topics: HashMap<String, Topic> = topics.into_iter().map(|(id, (_, t))| (id, t)).collect();
    let mut topic_phrases = Vec::new();
    for topic in topics.values().filter(|t| !t.about.is_empty()) {
        let mut phrases = Vec::new();
        for text in &topic.about {
            match concepts.phrase(text, &mut builder) {
                Ok(phrase) => phrases.push(phrase),
                Err(e) => errors.push(LoadError {
                    path: "evidence".to_string(),
                    line: None,
                    column: None,
                    id: Some(topic.id.clone()),
                    message: e,
                }),
            }
        }
        topic_phrases.push((topic.id.clone(), phrases));
    }
    topic_phrases.sort_by(|a, b| a.0.cmp(&b.0));

    let lexicon_names: Vec<String> = concepts.names.clone();
    let mut rules: Vec<Rule> = Vec::new();
    let mut seen: HashMap<String, (usize, u8)> = HashMap::new();
    for (file, raw) in parsed.rules {
        let source = &sources[file];
        let before = errors.len();
        let known = Known {
            lexicon: &lexicon_names,
            positions: &positions,
            topics: &topics,
        };
        let rule = compile_rule(source, raw, &mut concepts, &mut builder, &known, errors);
        if errors.len() > before {
            continue;
        }
        match seen.get(&rule.id) {
            // A rule with a built-in id in a user's rule folder replaces the built-in one.
            Some(&(previous, layer)) if layer < source.layer => {
                seen.insert(rule.id.clone(), (previous, source.layer));
                rules[previous] = rule;
            }
            Some(&(previous, _)) => errors.push(LoadError::at_declaration(
                source,
                &rule.id,
                usize::from(rules[previous].file == source.path),
                None,
                format!(
                    "duplicate rule id `{}` (first defined in {})",
                    rule.id, rules[previous].file
                ),
            )),
            None => {
                seen.insert(rule.id.clone(), (rules.len(), source.layer));
                rules.push(rule);
            }
        }
    }

    framable.resize(concepts.names.len(), false);
    for (i, name) in concepts.names.iter().enumerate() {
        framable[i] = name.starts_with("target.")
            || name.starts_with("condition.")
            || name.starts_with("phrase:");
    }
    let mut by_concept = vec![Vec::new(); concepts.names.len()];
    for (i, rule) in rules.iter().enumerate() {
        let mut triggers: Vec<ConceptId> = rule.phrases.iter().map(|p| p.parts[0]).collect();
        triggers.extend(rule.concepts.first().copied());
        triggers.sort_unstable();
        triggers.dedup();
        for t in triggers {
            by_concept[t as usize].push(i as u32);
        }
    }
    let get = |name: &str| concepts.by_name.get(name).copied();
    let frame = FrameConcepts {
        negation: get("frame.negation"),
        appearance: get("frame.appearance"),
        speculative: get("frame.speculative"),
        hedge: get("frame.hedge"),
        distancing: get("frame.distancing"),
        proven: get("frame.proven"),
        absolute: get("frame.absolute"),
        disclosure: get("frame.disclosure"),
        limitation: get("frame.limitation"),
        comparison: get("frame.comparison"),
        time_promise: get("frame.time-promise"),
        route_injection: get("frame.route-injection"),
        route_post_procedure: get("frame.route-post-procedure"),
        route_topical: get("frame.route-topical"),
        clause_break: get("frame.clause-break"),
    };
    let index = builder.build().unwrap_or_else(|e| {
        errors.push(LoadError {
            path: "rules".to_string(),
            line: None,
            column: None,
            id: None,
            message: format!("cannot compile the phrase index: {e}"),
        });
        PhraseIndexBuilder::default()
            .build()
            .expect("an empty automaton always builds")
    });
    RuleSet {
        rules,
        concept_names: concepts.names,
        framable,
        index,
        token_concepts,
        frame,
        by_concept,
        positions,
        studies,
        topics,
        generic_words,
        topic_phrases,
    }
}

/// Which layer defined each id: a later layer may redefine an earlier one's ids, not its own.
#[derive(Default)]
struct Layers(HashMap<(&'static str, String), u8>);

impl Layers {
    /// Records a definition, reporting an id the same layer already defined.
    fn define(
        &mut self,
        kind: &'static str,
        id: &str,
        source: &RuleSource,
        errors: &mut Vec<LoadError>,
    ) {
        if self.0.insert((kind, id.to_string()), source.layer) == Some(source.layer) {
            errors.push(LoadError::at(
                source,
                id,
                None,
                format!("{kind} `{id}` is defined twice"),
            ));
        }
    }
}

/// What rules may refer to.
struct Known<'a> {
    lexicon: &'a [String],
    positions: &'a HashMap<String, Position>,
    topics: &'a HashMap<String, Topic>,
}

fn compile_rule(
    source: &RuleSource,
    raw: RawRule,
    concepts: &mut Concepts,
    builder: &mut PhraseIndexBuilder,
    known: &Known<'_>,
    errors: &mut Vec<LoadError>,
) -> Rule {
    let positions = known.positions;
    let id = raw.id.clone();
    let mut error = |needle: Option<&str>, message: String| {
        errors.push(LoadError::at(source, &id, needle, message));
    };
    let matcher = raw.matcher.unwrap_or_default();
    if raw.check.is_none() && matcher.concepts.is_empty() && matcher.any.is_empty() {
        error(
            Some("match"),
            "a rule needs `match` (with `concepts` or `any`) or a `check`".to_string(),
        );
    }
    if raw.exceeds_evidence && raw.evidence.is_none() {
        error(
            Some("exceeds_evidence"),
            "`exceeds_evidence` needs an `evidence` topic".to_string(),
        );
    }
    if raw.jurisdictions.is_empty() {
        error(
            Some("jurisdictions"),
            "`jurisdictions` needs at least one of US, EU, UK".to_string(),
        );
    }
    if raw.examples.flag.is_empty() || raw.examples.pass.is_empty() {
        error(
            Some("examples"),
            "`examples.flag` and `examples.pass` must each have at least one sentence".to_string(),
        );
    }
    let mut rule_concepts = Vec::new();
    for name in &matcher.concepts {
        match concepts.by_name.get(name) {
            Some(&c) if !name.starts_with("phrase:") => rule_concepts.push(c),
            _ => error(
                Some(name),
                format!(
                    "unknown concept `{name}`{}",
                    did_you_mean(name, known.lexicon.iter())
                ),
            ),
        }
    }
    let mut phrase = |text: &String, error: &mut dyn FnMut(Option<&str>, String)| {
        concepts
            .phrase(text, builder)
            .map_err(|e| error(Some(text), e))
            .ok()
    };
    let phrases = matcher
        .any
        .iter()
        .filter_map(|t| phrase(t, &mut error))
        .collect();
    let exclude = matcher
        .exclude
        .iter()
        .filter_map(|t| phrase(t, &mut error))
        .collect();
    let ingredients = raw.ingredients.unwrap_or_default();
    let patterns = |list: &[String]| list.iter().map(|p| IngredientPattern::new(p)).collect();
    if let Some(topic) = &raw.evidence
        && !known.topics.contains_key(topic)
    {
        error(
            Some(topic),
            format!(
                "unknown evidence topic `{topic}`{}",
                did_you_mean(topic, known.topics.keys())
            ),
        );
    }
    let mut jurisdictions = Vec::new();
    for (&jurisdiction, j) in &raw.jurisdictions {
        for position in &j.positions {
            match positions.get(position) {
                Some(p) if p.jurisdiction != jurisdiction => error(
                    Some(position),
                    format!(
                        "position `{position}` belongs to {}, not {jurisdiction}",
                        p.jurisdiction
                    ),
                ),
                Some(_) => {}
                None => error(
                    Some(position),
                    format!(
                        "unknown position `{position}`{}",
                        did_you_mean(position, positions.keys())
                    ),
                ),
            }
        }
        jurisdictions.push(RuleJurisdiction {
            jurisdiction,
            severity: j.severity,
            positions: j.positions.clone(),
        });
    }
    Rule {
        id: raw.id,
        title: raw.title,
        category: raw.category,
        products: raw.products,
        concepts: rule_concepts,
        within: matcher.within.unwrap_or(DEFAULT_WITHIN),
        phrases,
        exclude,
        unless: raw.unless,
        check: raw.check,
        scope: raw.scope,
        ingredients_present: patterns(&ingredients.present),
        ingredients_absent: patterns(&ingredients.absent),
        exceeds_evidence: raw.exceeds_evidence,
        evidence: raw.evidence,
        jurisdictions,
        message: raw.message,
        why: raw.why,
        suggest: raw.suggest,
        flag_examples: raw.examples.flag,
        pass_examples: raw.examples.pass,
        example_format: raw.examples.format,
        file: source.path.clone(),
    }
}
