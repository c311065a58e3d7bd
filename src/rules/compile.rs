//! Raw YAML → the checked, compiled parts of an engine: the [`Vocabulary`] the claims stage
//! reads, the [`RuleBook`] the judge tries, and the [`Knowledge`] (evidence, positions,
//! jurisdictions) it weighs claims against.

use super::files::{LoadError, RuleSource};
use super::raw::{
    RawDefaults, RawEntry, RawEvidence, RawFamily, RawJurisdiction, RawJurisdictionFile,
    RawLexicon, RawPositions, RawRule,
};
use crate::claims::{
    Assertion, BENEFIT_PREFIXES, CLAUSE_BREAK_CLASS, ConceptId, ConceptRole, FOLLOWUP_CLASS,
    FrameProperty, GENERIC_WORD_CLASS, INGREDIENT_CLASS, PROCEDURE_CLASS, PRODUCT_NOUN_CLASS,
    PRODUCT_VOICE_CLASS, Phrase, PhraseIndexBuilder, ProcedureContext, PropertySource,
    RECOVERY_CLASS, STRENGTH_CUES, Vocabulary, WORDING_CLASS, normalise_pattern, reserved_classes,
};
use crate::diagnostic::{Jurisdiction, Severity};
use crate::judge::{Category, FlagExample, IngredientPattern, Rule, RuleBook, RuleJurisdiction};
use crate::knowledge::{JurisdictionInfo, Knowledge, Position, Topic};
use crate::parse::TokenKind;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Default window of a rule's concepts, in words.
const DEFAULT_WITHIN: usize = 8;

/// What the files hold, parsed but not yet cross-checked.
#[derive(Default)]
pub struct Parsed {
    /// Rules with the index of their file in the sources.
    pub rules: Vec<(usize, RawRule)>,
    /// Lexicon files.
    pub lexicons: Vec<(usize, RawLexicon)>,
    /// Position files.
    pub positions: Vec<(usize, RawPositions)>,
    /// Evidence files.
    pub evidence: Vec<(usize, RawEvidence)>,
    /// Jurisdiction registry files.
    pub jurisdictions: Vec<(usize, RawJurisdictionFile)>,
    /// Pack defaults, by the index of their file.
    pub pack_defaults: std::collections::HashMap<usize, RawDefaults>,
    /// Ingredient family files.
    pub families: Vec<(usize, RawFamily)>,
}

/// The compiled rule files.
#[derive(Debug)]
pub struct Compiled {
    /// What the claims stage reads.
    pub vocabulary: Vocabulary,
    /// What the judge tries.
    pub book: RuleBook,
    /// What the judge weighs claims against.
    pub knowledge: Knowledge,
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
        // A lexicon word may be a word ending (`*itis`) or an exception to one (`!aroma`).
        let core = if gaps {
            part
        } else {
            part.strip_prefix('!').unwrap_or(part)
        };
        let core = match core.strip_prefix('*') {
            Some(ending) if !gaps && !ending.ends_with('*') => ending,
            _ => core.trim_end_matches('*'),
        };
        if core.contains('*') || core.contains('!') {
            return Err(format!(
                "pattern `{pattern}`: `*` is allowed only at the end of a pattern (or, in a \
                 lexicon word, at its start for a word ending), `!` only before an exception"
            ));
        }
        // `*` alone (or `**`) leaves nothing to match: a rule that relies on it would silently
        // find nothing.
        if core.is_empty() {
            return Err(format!("pattern `{pattern}` has nothing to match but `*`"));
        }
        // Matching ignores soft hyphens, zero-width characters and joiners (so they cannot hide
        // a claim): a pattern made only of them would never match anything.
        if crate::claims::normalise_pattern(core).trim().is_empty() {
            return Err(format!(
                "pattern `{}` is only invisible characters, which matching ignores",
                pattern.escape_unicode()
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

/// Cross-checks parsed files and builds the engine's parts, pushing every problem into
/// `errors`.
pub fn compile(sources: &[RuleSource], parsed: Parsed, errors: &mut Vec<LoadError>) -> Compiled {
    let mut concepts = Concepts::default();
    let mut builder = PhraseIndexBuilder::default();
    let mut token_concepts = Vec::new();
    let mut generic_words = HashSet::new();
    let mut class_layers: HashMap<String, u8> = HashMap::new();
    for kind in TOKEN_KINDS {
        if let Some(name) = kind.concept_id() {
            token_concepts.push((kind, concepts.intern(name)));
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
            if class.id == GENERIC_WORD_CLASS {
                generic_words.extend(class.words.iter().map(|w| w.to_lowercase()));
            }
            for word in &class.words {
                match check_pattern(word, false) {
                    Ok(()) => match word.trim().strip_prefix('!') {
                        Some(exception) => builder.except(&normalise_pattern(exception), id),
                        None => builder.add(&normalise_pattern(word), id),
                    },
                    Err(e) => errors.push(LoadError::at(source, &class.id, Some(word), e)),
                }
            }
        }
    }
    for class in reserved_classes() {
        if !class_layers.contains_key(&class) {
            errors.push(LoadError::general(
                "rules/lexicon",
                format!("the reserved lexicon class `{class}` is not defined (the claims stage reads it)"),
            ));
        }
    }

    let mut layers = Layers::default();
    let registry = registry(sources, &parsed, &mut layers, errors);
    let mut positions = HashMap::new();
    for (file, list) in parsed.positions {
        let source = &sources[file];
        for mut position in list.positions {
            layers.define("position", &position.id, source, errors);
            if !registry
                .iter()
                .any(|j| j.info.code == position.jurisdiction)
            {
                errors.push(LoadError::at(
                    source,
                    &position.id,
                    Some("jurisdiction"),
                    unknown_jurisdiction(position.jurisdiction.as_str(), &registry),
                ));
            }
            // Looked up by the id as written; shown made safe.
            let id = position.id.clone();
            position.make_safe();
            positions.insert(id, position);
        }
    }
    for j in &registry {
        for entry in j.defaults.values() {
            for id in entry.positions.iter().flatten() {
                check_position(id, &j.info.code, &positions, &mut |m| {
                    errors.push(LoadError::at(
                        &sources[j.file],
                        j.info.code.as_str(),
                        Some(id),
                        m,
                    ));
                });
            }
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
    for (file, topic) in topics.values_mut() {
        let Some(name) = &topic.subject else {
            continue;
        };
        match concepts.by_name.get(name) {
            Some(&c) if !name.starts_with("phrase:") => topic.subject_concept = Some(c),
            _ => errors.push(LoadError::at(
                &sources[*file],
                &topic.id,
                Some(name),
                format!(
                    "unknown concept `{name}`{}",
                    did_you_mean(
                        name,
                        concepts
                            .by_name
                            .keys()
                            .filter(|n| !n.starts_with("phrase:"))
                    )
                ),
            )),
        }
    }
    let mut topics: HashMap<String, Topic> =
        topics.into_iter().map(|(id, (_, t))| (id, t)).collect();
    for topic in topics.values_mut() {
        topic.quoted = std::sync::Arc::new(crate::diagnostic::EvidenceSummary {
            topic: topic.id.clone(),
            best_level: topic.best_level.as_str().to_string(),
            supports: topic.supports.as_str().to_string(),
            studies: topic
                .studies
                .iter()
                .filter_map(|s| studies.get(s))
                .map(|s| s.citation.clone())
                .collect(),
        });
    }
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
    let no_defaults = RawDefaults::default();
    for (file, raw) in parsed.rules {
        let source = &sources[file];
        let before = errors.len();
        let known = Known {
            lexicon: &lexicon_names,
            positions: &positions,
            topics: &topics,
            registry: &registry,
            defaults: parsed.pack_defaults.get(&file).unwrap_or(&no_defaults),
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

    let framable: Vec<bool> = concepts
        .names
        .iter()
        .map(|name| {
            name.starts_with("target.")
                || name.starts_with("condition.")
                || name.starts_with("phrase:")
        })
        .collect();
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
    let class = |name: &str| concepts.by_name.get(name).copied();
    let procedure_context = match (
        class(PROCEDURE_CLASS),
        class(FOLLOWUP_CLASS),
        class(RECOVERY_CLASS),
    ) {
        (Some(procedure), Some(followup), Some(recovery)) => Some(ProcedureContext {
            procedure,
            followup,
            recovery,
        }),
        _ => None,
    };
    let roles = concepts.names.iter().map(|name| role(name)).collect();
    let index = builder.build().unwrap_or_else(|e| {
        errors.push(LoadError::general(
            "rules",
            format!("cannot compile the phrase index: {e}"),
        ));
        PhraseIndexBuilder::default()
            .build()
            .expect("an empty automaton always builds")
    });
    let mut jurisdictions: Vec<JurisdictionInfo> = registry.into_iter().map(|j| j.info).collect();
    jurisdictions.dedup_by(|a, b| a.code == b.code);
    Compiled {
        vocabulary: Vocabulary {
            index,
            #[cfg(test)]
            concept_names: concepts.names,
            roles,
            token_concepts,
            generic_words,
            procedure_context,
        },
        book: RuleBook {
            rules,
            by_concept,
            framable,
        },
        knowledge: Knowledge {
            jurisdictions,
            positions,
            studies,
            topics,
            topic_phrases,
            families: compile_families(sources, parsed.families, &mut layers, errors),
        },
    }
}

/// Builds the ingredient families; a user's file with a built-in family's id extends it.
fn compile_families(
    sources: &[RuleSource],
    raw: Vec<(usize, RawFamily)>,
    layers: &mut Layers,
    errors: &mut Vec<LoadError>,
) -> crate::judge::Families {
    use crate::judge::{Disputed, Family};
    let mut families: Vec<Family> = Vec::new();
    for (file, f) in raw {
        let source = &sources[file];
        layers.define("family", &f.id, source, errors);
        let patterns = |list: &[String]| -> Vec<IngredientPattern> {
            list.iter().map(|p| IngredientPattern::new(p)).collect()
        };
        let words: Vec<String> = f
            .claim_words
            .values()
            .flatten()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let disputed = f
            .disputed
            .iter()
            .map(|d| Disputed {
                pattern: IngredientPattern::new(&d.name),
                check: d.check.clone(),
            })
            .collect();
        let standalone = f
            .standalone_claims
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        let members = patterns(&f.members);
        let not = patterns(&f.not);
        match families.iter_mut().find(|known| known.id == f.id) {
            Some(known) => known.extend(words, standalone, members, not, disputed),
            None => families.push(Family {
                id: f.id,
                title: f.title,
                source: f.source,
                file: source.path.clone(),
                claim_words: words,
                standalone,
                members,
                not,
                disputed,
                examples: (f.examples.flag, f.examples.pass, f.examples.disputed),
            }),
        }
    }
    crate::judge::Families::new(families).unwrap_or_else(|e| {
        errors.push(LoadError::general("families", e));
        crate::judge::Families::default()
    })
}

/// What a concept means to the claims stage, from its name.
fn role(name: &str) -> ConceptRole {
    if BENEFIT_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return ConceptRole::Benefit;
    }
    if name == PRODUCT_VOICE_CLASS {
        return ConceptRole::ProductVoice;
    }
    if name == WORDING_CLASS {
        return ConceptRole::Wording;
    }
    if name == PRODUCT_NOUN_CLASS {
        return ConceptRole::ProductNoun;
    }
    if name == INGREDIENT_CLASS {
        return ConceptRole::Ingredient;
    }
    let Some(class) = name.strip_prefix("frame.") else {
        return ConceptRole::Content;
    };
    if name == CLAUSE_BREAK_CLASS {
        return ConceptRole::ClauseBreak;
    }
    let property = FrameProperty::ALL
        .into_iter()
        .find(|p| p.source() == PropertySource::Cues && p.name() == class);
    if let Some(property) = property {
        return ConceptRole::Cue(property);
    }
    let assertion = Assertion::FROM_CUES
        .into_iter()
        .find(|a| a.cue_class() == Some(name));
    if let Some(assertion) = assertion {
        return ConceptRole::AssertionCue(assertion);
    }
    match STRENGTH_CUES.into_iter().find(|s| s.as_str() == class) {
        Some(strength) => ConceptRole::StrengthCue(strength),
        None => ConceptRole::Content,
    }
}

/// One jurisdiction of the registry as loaded, with its file and per-category defaults.
struct Registered {
    info: JurisdictionInfo,
    file: usize,
    order: u32,
    defaults: BTreeMap<Category, RawEntry>,
}

/// The jurisdiction registry, in report order; a later layer may redefine a jurisdiction.
fn registry(
    sources: &[RuleSource],
    parsed: &Parsed,
    layers: &mut Layers,
    errors: &mut Vec<LoadError>,
) -> Vec<Registered> {
    let mut registry: Vec<Registered> = Vec::new();
    for (file, raw) in &parsed.jurisdictions {
        let source = &sources[*file];
        layers.define("jurisdiction", &raw.id, source, errors);
        let entry = Registered {
            info: JurisdictionInfo {
                code: Jurisdiction::new(&raw.id),
                name: raw.name.clone(),
                aliases: raw.aliases.clone(),
            },
            file: *file,
            order: raw.order,
            defaults: raw
                .defaults
                .iter()
                .map(|(c, e)| {
                    (
                        *c,
                        RawEntry {
                            severity: e.severity,
                            positions: e.positions.clone(),
                        },
                    )
                })
                .collect(),
        };
        match registry.iter_mut().find(|r| r.info.code == entry.info.code) {
            Some(existing) => *existing = entry,
            None => registry.push(entry),
        }
    }
    registry.sort_by_key(|r| r.order);
    registry
}

fn unknown_jurisdiction(code: &str, registry: &[Registered]) -> String {
    let codes: Vec<&str> = registry.iter().map(|r| r.info.code.as_str()).collect();
    format!(
        "unknown jurisdiction `{code}`; the registry (rules/jurisdictions/) has {}",
        codes.join(", ")
    )
}

/// Reports a position that does not exist or belongs to another jurisdiction.
fn check_position(
    id: &str,
    jurisdiction: &Jurisdiction,
    positions: &HashMap<String, Position>,
    error: &mut dyn FnMut(String),
) {
    match positions.get(id) {
        Some(p) if p.jurisdiction != *jurisdiction => error(format!(
            "position `{id}` belongs to {}, not {jurisdiction}",
            p.jurisdiction
        )),
        Some(_) => {}
        None => error(format!(
            "unknown position `{id}`{}",
            did_you_mean(id, positions.keys())
        )),
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

/// What rules may refer to, and the defaults they inherit.
struct Known<'a> {
    lexicon: &'a [String],
    positions: &'a HashMap<String, Position>,
    topics: &'a HashMap<String, Topic>,
    registry: &'a [Registered],
    defaults: &'a RawDefaults,
}

/// A rule's entry in one jurisdiction, `None` where it does not apply. It applies where it or
/// its pack's defaults have an entry, and, in a pack with `category_defaults`, wherever the
/// jurisdiction has a default for its category; `off` at the nearest level removes it. Each
/// field comes from the nearest level that gives it: the rule, the pack, the jurisdiction's
/// default for the category.
fn resolve_jurisdiction(
    raw: &RawRule,
    j: &Registered,
    defaults: &RawDefaults,
) -> Option<(Option<Severity>, Vec<String>)> {
    let code = j.info.code.as_str();
    let registry = j.defaults.get(&raw.category);
    let inherited = defaults.category_defaults && registry.is_some();
    let pack = match defaults.jurisdictions.get(code) {
        Some(RawJurisdiction::Off(_)) => None,
        Some(RawJurisdiction::Entry(e)) => Some(e),
        None => None,
    };
    let pack_off = matches!(
        defaults.jurisdictions.get(code),
        Some(RawJurisdiction::Off(_))
    );
    let own = match raw.jurisdictions.get(code) {
        Some(RawJurisdiction::Off(_)) => return None,
        Some(RawJurisdiction::Entry(e)) => Some(e),
        None if pack_off => return None,
        None if pack.is_none() && !inherited => return None,
        None => None,
    };
    let levels = [own, pack, registry];
    let severity = levels.iter().flatten().find_map(|e| e.severity);
    let positions = levels
        .iter()
        .flatten()
        .find_map(|e| e.positions.clone())
        .unwrap_or_default();
    Some((severity, positions))
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
    let matcher = raw.matcher.as_ref();
    let (match_concepts, match_any, match_exclude, match_page) = match matcher {
        Some(m) => (
            &m.concepts[..],
            &m.any[..],
            &m.exclude[..],
            &m.unless_page_says[..],
        ),
        None => (&[][..], &[][..], &[][..], &[][..]),
    };
    if raw.check.is_none() && match_concepts.is_empty() && match_any.is_empty() {
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
    if raw.examples.flag.is_empty() || raw.examples.pass.is_empty() {
        error(
            Some("examples"),
            "`examples.flag` and `examples.pass` must each have at least one sentence".to_string(),
        );
    }
    for code in raw.jurisdictions.keys() {
        if !known.registry.iter().any(|j| j.info.code.as_str() == code) {
            error(Some(code), unknown_jurisdiction(code, known.registry));
        }
    }
    let mut jurisdictions = Vec::new();
    for j in known.registry {
        let Some((severity, ids)) = resolve_jurisdiction(&raw, j, known.defaults) else {
            continue;
        };
        let code = &j.info.code;
        let Some(severity) = severity else {
            error(
                Some("jurisdictions"),
                format!("no severity for {code}: give one in the rule or the pack's defaults"),
            );
            continue;
        };
        if raw.category == Category::Tool && !ids.is_empty() {
            error(
                Some("positions"),
                "a `tool` rule reports on the tool's own files and cites no legal position"
                    .to_string(),
            );
        }
        for position in &ids {
            check_position(position, code, positions, &mut |m| error(Some(position), m));
        }
        jurisdictions.push(RuleJurisdiction {
            jurisdiction: code.clone(),
            severity,
            positions: ids,
        });
    }
    if jurisdictions.is_empty() {
        let codes: Vec<&str> = known
            .registry
            .iter()
            .map(|j| j.info.code.as_str())
            .collect();
        error(
            Some("jurisdictions"),
            format!("`jurisdictions` needs at least one of {}", codes.join(", ")),
        );
    }
    let mut rule_concepts = Vec::new();
    for name in match_concepts {
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
    let phrases = match_any
        .iter()
        .filter_map(|t| phrase(t, &mut error))
        .collect();
    let exclude = match_exclude
        .iter()
        .filter_map(|t| phrase(t, &mut error))
        .collect();
    let unless_page_says = match_page
        .iter()
        .filter_map(|t| phrase(t, &mut error))
        .collect();
    let ingredients = raw.ingredients.unwrap_or_default();
    let patterns = |list: &[String]| list.iter().map(|p| IngredientPattern::new(p)).collect();
    let evidence = raw.evidence.map(|e| e.into_vec()).unwrap_or_default();
    for topic in evidence.iter().filter(|t| !known.topics.contains_key(*t)) {
        error(
            Some(topic),
            format!(
                "unknown evidence topic `{topic}`{}",
                did_you_mean(topic, known.topics.keys())
            ),
        );
    }
    let flag_examples = raw
        .examples
        .flag
        .into_iter()
        .map(|e| match e {
            super::raw::RawFlagExample::Text(text) => FlagExample {
                text,
                matches: None,
            },
            super::raw::RawFlagExample::Pinned { text, matches } => FlagExample {
                text,
                matches: Some(matches),
            },
        })
        .collect();
    Rule {
        id: raw.id,
        title: raw.title,
        category: raw.category,
        products: raw
            .products
            .or_else(|| known.defaults.products.clone())
            .unwrap_or_default(),
        concepts: rule_concepts,
        within: matcher.and_then(|m| m.within).unwrap_or(DEFAULT_WITHIN),
        phrases,
        exclude,
        unless_page_says,
        unless: raw
            .unless
            .or_else(|| known.defaults.unless.clone())
            .unwrap_or_default(),
        mentions: raw.mentions,
        once_per_page: raw.once_per_page,
        check: raw.check,
        scope: raw.scope,
        ingredients_present: patterns(&ingredients.present),
        ingredients_absent: patterns(&ingredients.absent),
        exceeds_evidence: raw.exceeds_evidence,
        evidence,
        jurisdictions,
        message: raw.message,
        why: raw.why,
        suggest: raw.suggest,
        flag_examples,
        pass_examples: raw.examples.pass,
        example_format: raw.examples.format,
        file: source.path.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{RuleSource, SourceKind, load, test_base};
    use crate::Engine;

    const POSITIONS: &str = "positions:\n  - { id: us.a, jurisdiction: US, authority: A, instrument: I, summary: S, url: u, status: verified }\n  - { id: us.b, jurisdiction: US, authority: A, instrument: I, summary: S, url: u, status: secondary }\n  - { id: eu.a, jurisdiction: EU, authority: A, instrument: I, summary: S, url: u, status: verified }\n";

    #[test]
    fn a_pattern_of_stars_alone_is_an_error() {
        use super::check_pattern;
        assert!(
            check_pattern("*", true)
                .unwrap_err()
                .contains("nothing to match")
        );
        assert!(check_pattern("**", false).is_err());
        assert!(check_pattern("\u{200B}", false).is_err());
        assert!(check_pattern("\u{AD}\u{200D}*", true).is_err());
        assert!(
            check_pattern("...", true).is_ok(),
            "an ellipsis matches an ellipsis"
        );
        assert!(check_pattern("stem cell*", true).is_ok());
        assert!(
            check_pattern("?", true).is_ok(),
            "punctuation is matched as a token"
        );
    }

    fn rule(id: &str, extra: &str) -> String {
        format!(
            "id: {id}\ntitle: t\ncategory: absolute\nmatch: {{ any: [miracle] }}\n{extra}message: m\nsuggest: s\nexamples: {{ flag: [A miracle.], pass: [Fine.] }}\n"
        )
    }

    /// Loads the base, a registry default for `absolute` in US and EU, and one pack.
    fn load_pack(pack: &str) -> Result<Engine, Vec<String>> {
        let mut sources = test_base();
        for source in &mut sources {
            if source.path == "jurisdictions/us.yaml" {
                source
                    .text
                    .push_str("defaults:\n  absolute: { severity: warning, positions: [us.a] }\n");
            }
            if source.path == "jurisdictions/eu.yaml" {
                source
                    .text
                    .push_str("defaults:\n  absolute: { severity: info, positions: [eu.a] }\n");
            }
        }
        sources.push(RuleSource {
            path: "regulatory/p.yaml".into(),
            kind: SourceKind::Positions,
            text: POSITIONS.into(),
            layer: 0,
        });
        sources.push(RuleSource {
            path: "pack.yaml".into(),
            kind: SourceKind::Rules,
            text: pack.into(),
            layer: 0,
        });
        load(&sources)
            .map(Engine::from_compiled)
            .map_err(|e| e.iter().map(ToString::to_string).collect())
    }

    /// `(jurisdiction, severity, positions)` of a rule.
    fn resolved(engine: &Engine, id: &str) -> Vec<(String, String, Vec<String>)> {
        engine
            .book
            .rule(id)
            .unwrap()
            .jurisdictions
            .iter()
            .map(|j| {
                (
                    j.jurisdiction.to_string(),
                    j.severity.to_string(),
                    j.positions.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn category_defaults_pack_defaults_and_rule_entries_resolve_nearest_first() {
        let pack = format!(
            "defaults:\n  category_defaults: true\n  unless: [negated]\n  jurisdictions:\n    US: {{ severity: error }}\n---\n{}---\n{}---\n{}",
            rule("r.inherit", ""),
            rule(
                "r.own",
                "unless: [attributed]\njurisdictions:\n  US: { positions: [us.b] }\n  EU: off\n"
            ),
            rule("r.uk", "jurisdictions:\n  UK: { severity: warning }\n"),
        );
        let engine = load_pack(&pack).unwrap();
        let us_a = vec!["us.a".to_string()];
        assert_eq!(
            resolved(&engine, "r.inherit"),
            vec![
                ("US".into(), "error".into(), us_a.clone()),
                ("EU".into(), "info".into(), vec!["eu.a".to_string()]),
            ],
            "severity from the pack, positions from the registry; EU from the registry"
        );
        assert_eq!(
            resolved(&engine, "r.own"),
            vec![("US".into(), "error".into(), vec!["us.b".to_string()])],
            "own positions, the pack's severity, EU off"
        );
        assert_eq!(
            resolved(&engine, "r.uk").len(),
            3,
            "a rule adds a jurisdiction"
        );
        let unless = |id: &str| engine.book.rule(id).unwrap().unless.clone();
        assert_eq!(
            unless("r.inherit"),
            vec![crate::claims::FrameProperty::Negated]
        );
        assert_eq!(
            unless("r.own"),
            vec![crate::claims::FrameProperty::Attributed],
            "a rule's own list replaces the pack's"
        );
    }

    #[test]
    fn without_category_defaults_a_rule_applies_where_it_says() {
        let pack = rule("r.us", "jurisdictions:\n  US: { severity: info }\n");
        let engine = load_pack(&pack).unwrap();
        assert_eq!(
            resolved(&engine, "r.us"),
            vec![("US".into(), "info".into(), vec!["us.a".to_string()])],
            "only US; positions filled from the registry"
        );
        let errors = load_pack(&rule("r.none", "")).unwrap_err();
        assert!(
            errors[0].contains("`jurisdictions` needs at least one of US, EU, UK"),
            "{errors:?}"
        );
    }

    #[test]
    fn unknown_jurisdictions_and_tool_positions_are_errors() {
        let errors =
            load_pack(&rule("r.ca", "jurisdictions:\n  CA: { severity: info }\n")).unwrap_err();
        assert!(
            errors[0].contains(
                "unknown jurisdiction `CA`; the registry (rules/jurisdictions/) has US, EU, UK"
            ),
            "{errors:?}"
        );
        let tool = rule(
            "r.tool",
            "jurisdictions:\n  US: { severity: info, positions: [us.a] }\n",
        )
        .replace("category: absolute", "category: tool");
        let errors = load_pack(&tool).unwrap_err();
        assert!(errors[0].contains("cites no legal position"), "{errors:?}");
    }

    #[test]
    fn a_missing_reserved_class_is_a_load_error() {
        let mut sources = test_base();
        sources[0].text = sources[0].text.replace(
            "  - { id: frame.limitation, words: [no trials yet, downsides] }\n",
            "",
        );
        let errors: Vec<String> = load(&sources)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            vec![
                "rules/lexicon: the reserved lexicon class `frame.limitation` is not defined (the claims stage reads it)"
                    .to_string()
            ]
        );
    }

    #[test]
    fn the_built_in_packs_are_broad_enough() {
        use crate::judge::Category;
        let engine = Engine::builtin().unwrap();
        let rules = &engine.book.rules;
        assert!(rules.len() >= 60, "only {} rules", rules.len());
        for category in [
            "drug-claim",
            "regulatory-status",
            "evidence-strength",
            "unsubstantiated-figure",
            "absolute",
            "citation",
        ] {
            assert!(
                rules.iter().any(|r| r.category.as_str() == category),
                "no rule in category {category}"
            );
        }
        for rule in rules {
            let cites = rule.jurisdictions.iter().any(|j| !j.positions.is_empty());
            if rule.category == Category::Tool {
                assert!(!cites, "{} is a tool rule and cites law", rule.id);
            } else {
                assert!(cites, "{} names no regulatory position", rule.id);
            }
            assert!(
                !rule.flag_examples.is_empty() && !rule.pass_examples.is_empty(),
                "{} lacks examples",
                rule.id
            );
        }
    }
}
