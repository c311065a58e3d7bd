//! The html extractor, then the whole pipeline, on arbitrary input: no panic, and every finding's
//! span lies inside the original file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use overclaim::source::{Format, SourceFile};
use std::sync::OnceLock;

fn engine() -> &'static overclaim::Engine {
    static ENGINE: OnceLock<overclaim::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let rules = overclaim::rules::load(&overclaim::rules::embedded_sources()).expect("rules load");
        overclaim::Engine::new(rules, Default::default())
    })
}

fuzz_target!(|text: &str| {
    let file = SourceFile {
        display: "fuzz".to_string(),
        format: Format::Html,
        text: text.to_string(),
        warning: None,
    };
    let extracted = overclaim::extract::extract(&file);
    let end = extracted.map.to_source(0..extracted.text.len());
    assert!(end.end <= text.len());
    let findings = engine().audit(&file).expect("any extracted text parses");
    for f in findings {
        assert!(f.span.start <= f.span.end && f.span.end <= text.len(), "{f:?}");
    }
});
