//! The one place where findings are made: a rule's message and suggestion filled in, the legal
//! positions and the evidence of the selected jurisdictions attached, and every string that
//! comes from the audited copy made safe (control and bidirectional-text characters replaced)
//! before any report sees it. The judge, inline suppressions and waivers all build findings
//! here.

use super::{AuditOptions, Rule};
use crate::claims::Assertion;
use crate::diagnostic::{
    Finding, FrameSummary, Jurisdiction, LineIndex, Severity, Span, make_safe, make_safe_line,
};
use crate::knowledge::Knowledge;

/// Values a rule's message may quote as `{name}`.
pub type Vars = Vec<(&'static str, String)>;

/// Where a finding is.
pub struct Place<'a> {
    /// Path as shown in reports.
    pub path: &'a str,
    /// Line index of the file the span points into.
    pub lines: &'a LineIndex<'a>,
    /// Byte span in that file.
    pub span: Span,
    /// The matched text.
    pub text: &'a str,
    /// The sentence (or line) it is in.
    pub claim: &'a str,
    /// The span in the extracted copy, when the finding is in the copy.
    pub copy_span: Option<Span>,
    /// The record inside the file (CSV row, JSON Lines record), if any.
    pub record: Option<&'a str>,
    /// The named part of a word-processor document the span is in.
    pub part: Option<&'a str>,
    /// The assertion of the sentence, for findings in the copy.
    pub assertion: Option<Assertion>,
    /// The evidence topic that fits the copy, among the rule's.
    pub topic: Option<&'a str>,
}

/// Builds findings for one audit's options.
pub struct FindingBuilder<'a> {
    knowledge: &'a Knowledge,
    options: &'a AuditOptions,
}

impl<'a> FindingBuilder<'a> {
    /// A builder judging under these options.
    pub fn new(knowledge: &'a Knowledge, options: &'a AuditOptions) -> FindingBuilder<'a> {
        FindingBuilder { knowledge, options }
    }

    /// A finding of `rule` at `place`.
    pub fn build(
        &self,
        rule: &Rule,
        severity: Severity,
        place: Place<'_>,
        mut vars: Vars,
    ) -> Finding {
        let knowledge = self.knowledge;
        let jurisdictions: Vec<Jurisdiction> = rule
            .jurisdictions
            .iter()
            .map(|j| j.jurisdiction.clone())
            .filter(|j| self.options.jurisdictions.contains(j))
            .collect();
        // In report order: the selected jurisdictions the rule has an entry for.
        let overridden = self.options.override_of(rule);
        let severities = self
            .options
            .jurisdictions
            .iter()
            .filter_map(|j| {
                let entry = rule.jurisdictions.iter().find(|r| &r.jurisdiction == j)?;
                Some((j.clone(), overridden.unwrap_or(entry.severity)))
            })
            .collect();
        let positions = rule
            .jurisdictions
            .iter()
            .filter(|j| jurisdictions.contains(&j.jurisdiction))
            .flat_map(|j| &j.positions)
            .filter_map(|id| knowledge.positions.get(id))
            .map(|p| p.summary())
            .collect();
        let topic = place.topic.and_then(|id| knowledge.topics.get(id));
        if let Some(topic) = topic {
            vars.extend(knowledge.evidence_vars(topic));
        }
        let safe = |text: &str| make_safe(text).into_owned();
        let context = if self.options.quote_lines {
            let mut context = place.lines.context(place.span);
            made_safe(&mut context.text);
            context
        } else {
            crate::diagnostic::Context::default()
        };
        let mut message = fill(&rule.message, &vars);
        made_safe(&mut message);
        let mut suggestion = fill(&rule.suggest, &vars);
        made_safe(&mut suggestion);
        Finding {
            path: make_safe_line(place.path).into_owned(),
            rule: rule.id.clone(),
            category: rule.category.as_str().to_string(),
            severity,
            severities,
            jurisdictions,
            message,
            span: place.lines.source_span(place.span),
            context,
            text: safe(place.text),
            claim: safe(&claim_window(place.claim, place.text)),
            evidence: topic.map(|topic| topic.quoted.clone()),
            positions,
            suggestion,
            record: place.record.map(safe),
            part: place.part.map(safe),
            related: Vec::new(),
            also_at: Vec::new(),
            frame: place.assertion.map(|a| FrameSummary {
                assertion: a.name().to_string(),
            }),
            copy_span: place.copy_span,
        }
    }
}

/// Makes an owned string safe in place, allocating only when it holds something to replace.
fn made_safe(text: &mut String) {
    if let std::borrow::Cow::Owned(safe) = make_safe(text) {
        *text = safe;
    }
}

/// Replaces `{name}` with its value.
fn fill(template: &str, vars: &Vars) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Bytes of a finding's sentence kept on each side of its match: a sentence megabytes long
/// (minified copy with no full stop) is quoted as a window, not copied into every finding.
const CLAIM_WINDOW: usize = 400;

/// The sentence around `text`, cut to [`CLAIM_WINDOW`] bytes each side (at character
/// boundaries, marked with `…`) when it is longer.
fn claim_window<'a>(claim: &'a str, text: &str) -> std::borrow::Cow<'a, str> {
    if claim.len() <= 2 * CLAIM_WINDOW + text.len() {
        return std::borrow::Cow::Borrowed(claim);
    }
    let at = claim.find(text).unwrap_or(0);
    let mut start = at.saturating_sub(CLAIM_WINDOW);
    while !claim.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + text.len() + CLAIM_WINDOW).min(claim.len());
    while !claim.is_char_boundary(end) {
        end += 1;
    }
    let before = if start > 0 { "…" } else { "" };
    let after = if end < claim.len() { "…" } else { "" };
    std::borrow::Cow::Owned(format!("{before}{}{after}", &claim[start..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_sentence_is_quoted_as_a_window_round_its_match() {
        let claim = format!(
            "{}Heals eczema{}",
            "é".repeat(1_000),
            " and more".repeat(200)
        );
        let window = claim_window(&claim, "Heals eczema");
        assert!(window.starts_with('…') && window.ends_with('…'));
        assert!(window.contains("Heals eczema") && window.len() < 2 * CLAIM_WINDOW + 20);
        assert_eq!(
            claim_window("Heals eczema.", "Heals eczema"),
            "Heals eczema."
        );
    }
}
