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
use std::collections::BTreeSet;
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
    // Rules are separated by commas, spaces or both.
    let rules = || {
        rest.split([',', ' '])
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

/// Drops suppressed findings; returns how many were dropped and the suppressions that
/// suppressed nothing. A finding is credited to the first suppression (in declaration
/// order) that covers it and selects its rule.
///
/// One sweep over positions: findings in order of position, suppressions entering and leaving
/// a set of the active ones, kept per rule, so thousands of suppressions cost each finding a
/// logarithm instead of a scan.
pub fn apply<'s>(
    findings: &mut Vec<Finding>,
    suppressions: &'s [Suppression],
    book: &RuleBook,
) -> (usize, Vec<&'s Suppression>) {
    let mut rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    let resolved: Vec<Option<&super::Rule>> = rules.iter().map(|id| book.rule(id)).collect();
    // For each suppression, which of the findings' rules it selects (`None`: every rule).
    let selected: Vec<Option<Vec<usize>>> = suppressions
        .iter()
        .map(|s| {
            (!s.rules.is_empty()).then(|| {
                (0..rules.len())
                    .filter(|&r| {
                        resolved[r].is_some_and(|rule| s.rules.iter().any(|sel| sel.selects(rule)))
                    })
                    .collect()
            })
        })
        .collect();
    let mut by_start: Vec<usize> = (0..suppressions.len()).collect();
    by_start.sort_by_key(|&i| suppressions[i].covers.start);
    let mut by_end = by_start.clone();
    by_end.sort_by_key(|&i| suppressions[i].covers.end);
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| findings[i].span.start);

    let mut active = Active {
        every_rule: BTreeSet::new(),
        per_rule: vec![BTreeSet::new(); rules.len()],
    };
    let (mut entered, mut left) = (0, 0);
    let mut credited: Vec<Option<usize>> = vec![None; findings.len()];
    for &f in &order {
        let at = findings[f].span.start;
        while let Some(&i) = by_start.get(entered)
            && suppressions[i].covers.start <= at
        {
            active.toggle(i, selected[i].as_deref(), true);
            entered += 1;
        }
        while let Some(&i) = by_end.get(left)
            && suppressions[i].covers.end <= at
        {
            active.toggle(i, selected[i].as_deref(), false);
            left += 1;
        }
        let rule = rules.binary_search(&findings[f].rule.as_str()).ok();
        credited[f] = active.first(rule);
    }
    let mut used = vec![false; suppressions.len()];
    for &i in credited.iter().flatten() {
        used[i] = true;
    }
    let before = findings.len();
    let mut index = 0;
    findings.retain(|_| {
        index += 1;
        credited[index - 1].is_none()
    });
    let unused = suppressions
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(s, _)| s)
        .collect();
    (before - findings.len(), unused)
}

/// The suppressions covering the current position: those for every rule, and by rule index
/// those naming rules, each set ordered by declaration.
struct Active {
    every_rule: BTreeSet<usize>,
    per_rule: Vec<BTreeSet<usize>>,
}

impl Active {
    /// Adds (`on`) or removes suppression `i`, which selects `rules` (`None`: every rule).
    fn toggle(&mut self, i: usize, rules: Option<&[usize]>, on: bool) {
        let set = |set: &mut BTreeSet<usize>| {
            if on {
                set.insert(i);
            } else {
                set.remove(&i);
            }
        };
        match rules {
            None => set(&mut self.every_rule),
            Some(rules) => {
                for &r in rules {
                    set(&mut self.per_rule[r]);
                }
            }
        }
    }

    /// The first active suppression that covers a finding of rule index `rule`.
    fn first(&self, rule: Option<usize>) -> Option<usize> {
        let for_rule = rule.and_then(|r| self.per_rule[r].first());
        self.every_rule
            .first()
            .into_iter()
            .chain(for_rule)
            .min()
            .copied()
    }
}

/// What in a suppression names no rule at all (a misspelt id, with the nearest real one), as
/// ` (unknown rule `x`; did you mean `y`?)`, or nothing.
pub fn unknown_rules(suppression: &Suppression, book: &RuleBook) -> String {
    let unknown: Vec<String> = suppression
        .rules
        .iter()
        .filter_map(|selector| book.unmatched(selector))
        .collect();
    if unknown.is_empty() {
        String::new()
    } else {
        format!(" ({})", unknown.join("; "))
    }
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
    fn rules_may_be_separated_by_spaces_or_commas() {
        let text = "<!--A-->\nMiracle cream.\n";
        let c = comment(
            text,
            "<!--A-->",
            "overclaim-disable-next-line a.b c., pack:d  e.f -- r",
        );
        let s = suppressions(&[c], text);
        assert_eq!(s[0].rules.len(), 4, "{:?}", s[0].rules);
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

    /// The definition the sweep must agree with: the first suppression, in declaration order,
    /// that covers a finding's start and selects its rule.
    fn first_naive(
        finding: &Finding,
        suppressions: &[Suppression],
        book: &RuleBook,
    ) -> Option<usize> {
        suppressions.iter().position(|s| {
            let selected = || {
                book.rule(&finding.rule)
                    .is_some_and(|rule| s.rules.iter().any(|sel| sel.selects(rule)))
            };
            s.covers.contains(&finding.span.start) && (s.rules.is_empty() || selected())
        })
    }

    #[test]
    fn the_sweep_agrees_with_the_definition() {
        let engine = crate::Engine::builtin().unwrap();
        let book = &engine.book;
        let rules = [
            "absolute.miracle-claim",
            "drug-claim.disease-treatment",
            "no.such-rule",
        ];
        let selectors = [
            "",
            "absolute.",
            "drug-claim.disease-treatment",
            "pack:absolutes",
            "x.",
        ];
        // A fixed pseudo-random mix of overlapping, empty and nested ranges.
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let (mut dropped_in_all, mut kept_in_all) = (0, 0);
        for _ in 0..200 {
            let suppressions: Vec<Suppression> = (0..next(12))
                .map(|_| {
                    let start = next(100);
                    Suppression {
                        rules: (0..next(3))
                            .map(|_| selectors[next(selectors.len())])
                            .filter(|s| !s.is_empty())
                            .map(RuleSelector::parse)
                            .collect(),
                        covers: start..start + next(40),
                        comment: start..start + 1,
                    }
                })
                .collect();
            let mut findings: Vec<Finding> = (0..next(15))
                .map(|_| {
                    let mut f = crate::waivers::test_finding(rules[next(rules.len())], "x");
                    f.span.start = next(120);
                    f
                })
                .collect();
            let expected: Vec<Option<usize>> = findings
                .iter()
                .map(|f| first_naive(f, &suppressions, book))
                .collect();
            let kept: Vec<usize> = findings
                .iter()
                .zip(&expected)
                .filter(|(_, e)| e.is_none())
                .map(|(f, _)| f.span.start)
                .collect();
            let unused: Vec<Range<usize>> = suppressions
                .iter()
                .enumerate()
                .filter(|(i, _)| !expected.contains(&Some(*i)))
                .map(|(_, s)| s.comment.clone())
                .collect();
            let (dropped, unused_found) = apply(&mut findings, &suppressions, book);
            let unused_found: Vec<Range<usize>> =
                unused_found.iter().map(|s| s.comment.clone()).collect();
            assert_eq!(dropped, expected.iter().flatten().count());
            assert_eq!(
                findings.iter().map(|f| f.span.start).collect::<Vec<_>>(),
                kept
            );
            assert_eq!(unused_found, unused);
            dropped_in_all += dropped;
            kept_in_all += findings.len();
        }
        assert!(
            dropped_in_all > 100 && kept_in_all > 100,
            "{dropped_in_all} {kept_in_all}"
        );
    }
}
