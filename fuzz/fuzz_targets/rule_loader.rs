//! The rule loader on arbitrary YAML given as a user's rule pack: it may refuse the file, but
//! only with located errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use overclaim::rules::{RuleSource, SourceKind};

fuzz_target!(|text: &str| {
    let sources = [RuleSource {
        path: "fuzz.yaml".to_string(),
        kind: SourceKind::Rules,
        text: text.to_string(),
        layer: 1,
    }];
    if let Err(errors) = overclaim::rules::load(&sources) {
        assert!(!errors.is_empty());
        for e in errors {
            assert!(!e.message.is_empty());
        }
    }
});
