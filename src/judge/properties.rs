//! The matcher of each frame property: whether it holds for one match of a rule, so that a rule
//! listing it under `unless` is turned off. The registry of names is
//! [`FrameProperty`](crate::claims::FrameProperty); this is the one place that says what each
//! property means for a match.

use super::phrase_matches;
use crate::claims::{ClaimFrame, Claims, FrameProperty, Hit, Strength};
use crate::knowledge::Knowledge;

/// Window, in words, of a topic's `about` phrases.
const ABOUT_WITHIN: usize = 12;

/// What a property may look at.
pub struct Context<'a> {
    /// The sentence's frame.
    pub frame: &'a ClaimFrame,
    /// The frame's hits by concept.
    pub hits: &'a super::HitsByConcept<'a>,
    /// The document's frames and word ranks.
    pub claims: &'a Claims,
    /// Whether each concept is a target, condition or phrase.
    pub framable: &'a [bool],
    /// The evidence base.
    pub knowledge: &'a Knowledge,
}

/// Whether `property` holds for the match made of `hits`.
pub fn holds(property: FrameProperty, cx: &Context<'_>, hits: &[Hit]) -> bool {
    let frame = cx.frame;
    match property {
        FrameProperty::Negated => hits.iter().any(|h| frame.is_negated(h.first, cx.claims)),
        FrameProperty::AppearanceFraming => hits
            .iter()
            .any(|h| cx.framable[h.concept as usize] && frame.is_framed(h, cx.claims)),
        // The attribution comes before the match's last word: "some brands claim it heals
        // eczema", and "eczema that my GP manages" (the cue takes the verb).
        FrameProperty::Attributed => {
            let last = hits.iter().map(|h| h.first).max().unwrap_or(0);
            frame.attribution().is_some_and(|at| at <= last)
        }
        FrameProperty::Hedged => frame.strength <= Strength::Hedged,
        FrameProperty::Speculative => frame.strength == Strength::Speculative,
        FrameProperty::Limitation => frame.has(property) || frame.weighed_by_next(),
        FrameProperty::StudyDesign => frame.has(property) || frame.design_before,
        FrameProperty::Disclosed
        | FrameProperty::ResearchContext
        | FrameProperty::ToleranceTest => frame.has(property),
        FrameProperty::Cited => frame.cited,
        FrameProperty::BareMention => frame.bare_mention,
        FrameProperty::NoProduct => frame.no_product,
        FrameProperty::Supported => cx.knowledge.topic_phrases.iter().any(|(topic, phrases)| {
            let supports = cx.knowledge.topics.get(topic).map(|t| t.supports);
            supports.is_some_and(|s| s >= frame.strength)
                && phrases.iter().any(|p| {
                    phrase_matches(&p.parts, ABOUT_WITHIN, cx.hits, cx.claims)
                        .next()
                        .is_some()
                })
        }),
    }
}
