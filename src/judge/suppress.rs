//! Inline suppressions in HTML and Markdown comments:
//!
//! ```text
//! <!-- overclaim-disable-next-line absolute.miracle-claim -- approved by legal, ticket 123 -->
//! <!-- overclaim-disable drug-claim. -->   …   <!-- overclaim-enable drug-claim. -->
//! ```
//!
//! Rules are named by id, by prefix (`drug-claim.`) or not at all (every rule); several are
//! separated by commas; anything after ` -- ` is the reason.

use super::{RuleBook, RuleSelector};
use crate::diagnostic::{Finding, LineIndex};
use crate::extract::Comment;
use std::ops::Range;

/// One suppression and the source bytes it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Which rules; empty means every rule.
    pub rules: Vec<RuleSelector>,
    /// Source bytes whose findings it suppresses.
    pub covers: Range<usize>,
    /// The comment that declared it.
    pub comment: Range<usize>,
}

impl Suppression {
    fn suppresses(&self, finding: &Finding, book: &RuleBook) -> bool {
        let selected = || match book.rule(&finding.rule) {
            Some(rule) => self.rules.iter().any(|s| s.selects(rule)),
            None => false,
        };
        self.covers.contains(&finding.span.start) && (self.rules.is_empty() || selected())
    }
}

/// A directive inside a comment.
enum Directive {
    NextLine(Vec<RuleSelector>),
    Disable(Vec<RuleSelector>, String),
    Enable(String),
}

fn directive(comment: &str) -> Option<Directive> {
    // A comment may spread over lines: every run of white space counts as one space.
    let text = comment.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.split(" -- ").next().unwrap_or(&text).trim();
    let (word, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let rules = || {
        rest.split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(RuleSelector::parse)
            .collect()
    };
    match word {
        "overclaim-disable-next-line" => Some(Directive::NextLine(rules())),
        "overclaim-disable" => Some(Directive::Disable(rules(), rest.trim().to_string())),
        "overclaim-enable" => Some(Directive::Enable(rest.trim().to_string())),
        _ => None,
    }
}

/// The suppressions declared by a file's comments.
pub fn suppressions(comments: &[Comment], text: &str) -> Vec<Suppression> {
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    let mut open: Vec<(Vec<RuleSelector>, String, Range<usize>)> = Vec::new();
    for comment in comments {
        match directive(&comment.text) {
            Some(Directive::NextLine(rules)) => {
                let (end_line, _) = lines.line_column(comment.span.end);
                let covers = if end_line < lines.line_count() {
                    lines.line_range(end_line)
                } else {
                    text.len()..text.len()
                };
                out.push(Suppression {
                    rules,
                    covers,
                    comment: comment.span.clone(),
                });
            }
            Some(Directive::Disable(rules, key)) => open.push((rules, key, comment.span.clone())),
            Some(Directive::Enable(key)) => {
                let matching = open
                    .iter()
                    .rposition(|(_, k, _)| key.is_empty() || *k == key);
                if let Some(i) = matching {
                    let (rules, _, start) = open.remove(i);
                    out.push(Suppression {
                        rules,
                        covers: start.end..comment.span.start,
                        comment: start,
                    });
                }
            }
            None => {}
        }
    }
    for (rules, _, start) in open {
        out.push(Suppression {
            rules,
            covers: start.end..text.len(),
            comment: start,
        });
    }
    out
}

/// Drops suppressed findings; returns how many were dropped and the comments of suppressions
/// that suppressed nothing.
pub fn apply(
    findings: &mut Vec<Finding>,
    suppressions: &[Suppression],
    book: &RuleBook,
) -> (usize, Vec<Range<usize>>) {
    let mut used = vec![false; suppressions.len()];
    let before = findings.len();
    findings.retain(|f| {
        let hit = suppressions.iter().position(|s| s.suppresses(f, book));
        if let Some(i) = hit {
            used[i] = true;
        }
        hit.is_none()
    });
    let unused = suppressions
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(s, _)| s.comment.clone())
        .collect();
    (before - findings.len(), unused)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(text: &str, whole: &str, inner: &str) -> Comment {
        let start = text.find(whole).unwrap();
        Comment {
            text: inner.to_string(),
            span: start..start + whole.len(),
        }
    }

    #[test]
    fn next_line_covers_the_following_line() {
        let text = "a\n<!-- x -->\nMiracle cream.\nMore.";
        let c = comment(
            text,
            "<!-- x -->",
            " overclaim-disable-next-line absolute.miracle-claim -- legal ok ",
        );
        let s = suppressions(&[c], text);
        assert_eq!(s.len(), 1);
        assert_eq!(&text[s[0].covers.clone()], "Miracle cream.");
        assert_eq!(
            s[0].rules,
            vec![RuleSelector::Id("absolute.miracle-claim".into())]
        );
    }

    #[test]
    fn disable_runs_to_enable_or_the_end() {
        let text = "<!--A--> one <!--B--> two <!--C--> three";
        let s = suppressions(
            &[
                comment(text, "<!--A-->", "overclaim-disable drug-claim."),
                comment(text, "<!--B-->", "overclaim-enable drug-claim."),
                comment(text, "<!--C-->", "overclaim-disable"),
            ],
            text,
        );
        assert_eq!(&text[s[0].covers.clone()], " one ");
        assert_eq!(&text[s[1].covers.clone()], " three");
        assert!(s[1].rules.is_empty(), "no rule named: every rule");
    }
}
