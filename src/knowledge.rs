//! What the judge weighs claims against: the evidence base (studies and topics, and how to
//! describe a study in a message) and the legal positions of each jurisdiction, with the
//! registry of jurisdictions itself. Loaded from `rules/evidence/`, `rules/regulatory/` and
//! `rules/jurisdictions/` by the loader; every cross-reference is resolved at load time.

use crate::claims::{Phrase, Strength};
use crate::diagnostic::Jurisdiction;
use serde::Deserialize;
use std::collections::HashMap;

/// Everything the judge weighs claims against.
#[derive(Debug, Default)]
pub struct Knowledge {
    /// The jurisdictions rules may name, in report order.
    pub jurisdictions: Vec<JurisdictionInfo>,
    /// Legal positions by id.
    pub positions: HashMap<String, Position>,
    /// Studies by id.
    pub studies: HashMap<String, Study>,
    /// Evidence topics by id.
    pub topics: HashMap<String, Topic>,
    /// Topics with `about` phrases, sorted by id: a claim matching one is judged against that
    /// topic (the `supported` frame property).
    pub topic_phrases: Vec<(String, Vec<Phrase>)>,
    /// Ingredient families that free-from claims name, and the reader of those claims.
    pub families: crate::judge::Families,
}

/// One jurisdiction of the registry (`rules/jurisdictions/<code>.yaml`).
#[derive(Clone, Debug)]
pub struct JurisdictionInfo {
    /// Its code.
    pub code: Jurisdiction,
    /// Its name, for reports.
    pub name: String,
    /// Other codes accepted for it on the command line and in config files.
    pub aliases: Vec<String>,
}

impl Knowledge {
    /// Every jurisdiction, in report order.
    pub fn all_jurisdictions(&self) -> Vec<Jurisdiction> {
        self.jurisdictions.iter().map(|j| j.code.clone()).collect()
    }

    /// The jurisdiction a code or alias names (case-insensitive).
    pub fn jurisdiction(&self, code: &str) -> Option<Jurisdiction> {
        let code = code.trim();
        self.jurisdictions
            .iter()
            .find(|j| {
                j.code.as_str().eq_ignore_ascii_case(code)
                    || j.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
            })
            .map(|j| j.code.clone())
    }

    /// "US (United States), EU (European Union) or UK (United Kingdom)", for error messages.
    pub fn jurisdiction_list(&self, last: &str) -> String {
        let codes: Vec<String> = self
            .jurisdictions
            .iter()
            .map(|j| format!("{} ({})", j.code, j.name))
            .collect();
        match codes.split_last() {
            None => String::new(),
            Some((only, [])) => (*only).to_string(),
            Some((tail, rest)) => format!("{} {last} {tail}", rest.join(", ")),
        }
    }

    /// Sorts jurisdictions into report order and drops repeats.
    pub fn in_report_order(&self, list: &mut Vec<Jurisdiction>) {
        let rank = |j: &Jurisdiction| {
            self.jurisdictions
                .iter()
                .position(|info| info.code == *j)
                .unwrap_or(usize::MAX)
        };
        list.sort_by_key(rank);
        list.dedup();
    }

    /// What a topic's evidence is, for messages: `{topic}`, `{supports}`, `{best_level}`,
    /// `{best_evidence}`.
    pub fn evidence_vars(&self, topic: &Topic) -> Vec<(&'static str, String)> {
        let studies: Vec<&Study> = topic
            .studies
            .iter()
            .filter_map(|id| self.studies.get(id))
            .collect();
        let best = studies.iter().max_by_key(|s| (s.level, s.n.unwrap_or(0)));
        let peers = best.map_or(0, |b| studies.iter().filter(|s| s.level == b.level).count());
        let describe = |study: &&Study| match peers {
            0 | 1 => study.describe(),
            n => format!("{} and {} more at that level", study.describe(), n - 1),
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
}

impl<'de> Deserialize<'de> for Jurisdiction {
    /// Any code; the loader checks it against the registry.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ok(Jurisdiction::new(code.trim()))
    }
}

/// How far a position's wording was verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    /// Seen in the official text.
    Verified,
    /// Seen in a reputable secondary source.
    Secondary,
    /// Not confirmed.
    Unverified,
}

/// A legal position: what an instrument says about a kind of claim.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// `<jurisdiction>.<topic>`.
    pub id: String,
    /// Where it applies.
    pub jurisdiction: Jurisdiction,
    /// Who enforces it.
    pub authority: String,
    /// Instrument and provision.
    pub instrument: String,
    /// One line in the project's words.
    pub summary: String,
    /// Official source.
    pub url: String,
    /// How far it was verified.
    pub status: Verification,
    /// What part is unverified, or other remarks.
    #[serde(default)]
    pub note: Option<String>,
    /// What findings quote of it, built once when it is loaded and shared by all of them.
    #[serde(skip)]
    reported: Option<std::sync::Arc<crate::diagnostic::PositionSummary>>,
}

/// Evidence level, weakest to strongest (design.md, "Two ladders").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// No study.
    None,
    /// Cell culture.
    InVitro,
    /// Animal models.
    Animal,
    /// A single case.
    CaseReport,
    /// Case series or open-label single arm.
    CaseSeries,
    /// Controlled but not randomised.
    NonRandomisedControlled,
    /// One or few small randomised trials.
    RctSmall,
    /// Several consistent randomised trials or a systematic review of them.
    RctMultiple,
    /// Approved by a regulator for the indication.
    RegulatoryApproval,
}

impl Level {
    /// The kebab-case name used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::InVitro => "in-vitro",
            Level::Animal => "animal",
            Level::CaseReport => "case-report",
            Level::CaseSeries => "case-series",
            Level::NonRandomisedControlled => "non-randomised-controlled",
            Level::RctSmall => "rct-small",
            Level::RctMultiple => "rct-multiple",
            Level::RegulatoryApproval => "regulatory-approval",
        }
    }
}

/// Study design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Design {
    /// Cell culture.
    InVitro,
    /// Animal study.
    Animal,
    /// Case report.
    CaseReport,
    /// Case series.
    CaseSeries,
    /// Open-label single arm.
    OpenLabel,
    /// Controlled, not randomised.
    NonRandomisedControlled,
    /// Randomised controlled trial.
    Rct,
    /// Systematic review.
    SystematicReview,
    /// Regulatory or professional guidance.
    Guidance,
}

/// How a study applied the product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StudyRoute {
    /// Intact skin.
    Topical,
    /// Skin opened by a procedure.
    PostProcedure,
    /// Injection.
    Injection,
    /// Systemic.
    Systemic,
    /// Cell culture.
    InVitro,
    /// Animal model.
    Animal,
}

/// What a trial set out to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrialType {
    /// Better than the comparator.
    Superiority,
    /// Not worse than the comparator by more than a margin.
    NonInferiority,
    /// No comparison.
    None,
}

/// One study.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// `<first author>-<year>-<subject>`.
    pub id: String,
    /// Bibliographic citation.
    pub citation: String,
    /// DOI.
    #[serde(default)]
    pub doi: Option<String>,
    /// URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Design.
    pub design: Design,
    /// Evidence level.
    pub level: Level,
    /// Participants.
    #[serde(default)]
    pub n: Option<u32>,
    /// Follow-up.
    #[serde(default)]
    pub duration: Option<String>,
    /// Who was studied.
    #[serde(default)]
    pub population: Option<String>,
    /// How the product was applied.
    pub route: StudyRoute,
    /// Comparator.
    #[serde(default)]
    pub comparator: Option<String>,
    /// Superiority or non-inferiority.
    pub trial_type: TrialType,
    /// What it found, in the project's words.
    pub outcomes: String,
    /// Where reviews cite it.
    #[serde(default)]
    pub reported_in: Vec<RawReportedIn>,
}

/// `reported_in` as written (`ref` is a Rust keyword).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReportedIn {
    /// Review id.
    pub source: String,
    /// Reference number in that review.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

/// A topic: the studies behind one kind of claim and what they support.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Dotted id (`exosomes.collagen`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Study ids.
    pub studies: Vec<String>,
    /// Best evidence level.
    pub best_level: Level,
    /// Strongest claim strength supported.
    pub supports: Strength,
    /// What the evidence shows, in the project's words.
    pub summary: String,
    /// Phrases (with ` ... ` gaps) that mark a sentence as a claim about this topic; such a
    /// claim is `supported` when its strength is at most `supports`.
    #[serde(default)]
    pub about: Vec<String>,
    /// The lexicon class that names the ingredient or technology the studies tested
    /// (`claim.exosome`): the topic is shown only with copy that names it, in the sentence or
    /// elsewhere on its page. A topic without one fits any copy.
    #[serde(default)]
    pub subject: Option<String>,
    /// `subject` resolved at load time.
    #[serde(skip)]
    pub subject_concept: Option<crate::claims::ConceptId>,
    /// What findings quote of it (level, strength, study citations): built once at load time,
    /// when its studies are known, and shared by every finding judged against it.
    #[serde(skip)]
    pub(crate) quoted: std::sync::Arc<crate::diagnostic::EvidenceSummary>,
}

impl Position {
    /// Makes the fields reports quote safe to print, once when the position is loaded (rule
    /// files are the user's and may hold control characters),
    /// and what findings quote of it is built then, once.
    pub(crate) fn make_safe(&mut self) {
        for text in [&mut self.id, &mut self.instrument, &mut self.url] {
            if let std::borrow::Cow::Owned(safe) = crate::diagnostic::make_safe_line(text) {
                *text = safe;
            }
        }
        self.reported = Some(std::sync::Arc::new(self.quoted()));
    }

    /// What a finding or a report's rule list says of the position: one shared value.
    pub fn summary(&self) -> std::sync::Arc<crate::diagnostic::PositionSummary> {
        match &self.reported {
            Some(reported) => reported.clone(),
            None => std::sync::Arc::new(self.quoted()),
        }
    }

    fn quoted(&self) -> crate::diagnostic::PositionSummary {
        crate::diagnostic::PositionSummary {
            id: self.id.clone(),
            jurisdiction: self.jurisdiction.clone(),
            instrument: self.instrument.clone(),
            url: self.url.clone(),
            status: self.status.as_str().to_string(),
        }
    }
}

impl StudyRoute {
    /// How the product was applied, in words.
    pub fn as_str(self) -> &'static str {
        match self {
            StudyRoute::Topical => "topical, on intact skin",
            StudyRoute::PostProcedure => "after a procedure (microneedling, laser, peel)",
            StudyRoute::Injection => "injected",
            StudyRoute::Systemic => "systemic",
            StudyRoute::InVitro => "cell culture",
            StudyRoute::Animal => "animal model",
        }
    }
}

impl Verification {
    /// The lowercase name used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verification::Verified => "verified",
            Verification::Secondary => "secondary",
            Verification::Unverified => "unverified",
        }
    }
}

impl Study {
    /// "one randomised split-face trial of 25 people over 12 weeks (Kwon 2020)".
    pub fn describe(&self) -> String {
        let design = match self.design {
            Design::InVitro => "one cell-culture study",
            Design::Animal => "one animal study",
            Design::CaseReport => "one case report",
            Design::CaseSeries => "one uncontrolled case series",
            Design::OpenLabel => "one open-label study with no control group",
            Design::NonRandomisedControlled => "one non-randomised controlled study",
            Design::Rct if self.trial_type == TrialType::NonInferiority => {
                "one randomised non-inferiority trial"
            }
            Design::Rct => "one randomised controlled trial",
            Design::SystematicReview => "one systematic review",
            Design::Guidance => "regulatory guidance",
        };
        let mut out = design.to_string();
        if let Some(n) = self.n
            && self.level > Level::Animal
        {
            out.push_str(&format!(" of {n} people"));
        }
        if let Some(duration) = &self.duration {
            let short = duration
                .split(['(', ';', ','])
                .next()
                .unwrap_or(duration)
                .trim();
            out.push_str(&format!(" over {short}"));
        }
        let mut id = self.id.splitn(3, '-');
        if let (Some(author), Some(year)) = (id.next(), id.next()) {
            let mut name = author.to_string();
            if let Some(first) = name.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            out.push_str(&format!(" ({name} {year})"));
        }
        out
    }
}
