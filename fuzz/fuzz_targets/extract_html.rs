//! The html extractor, then the whole pipeline, on arbitrary input: no panic, and every finding's
//! span lies inside the original file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use overclaim::{Format, SourceFile};
use std::sync::OnceLock;

fn engine() -> &'static overclaim::Engine {
    static ENGINE: OnceLock<overclaim::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        overclaim::Engine::builtin().expect("rules load")
    })
}

fuzz_target!(|text: &str| {
    let file = SourceFile {
        display: "fuzz".to_string(),
        format: Format::Html,
        text: text.to_string(),
        warning: None,
            parts: Vec::new(),
    };
    let end = overclaim::fuzzing::extracted_source(Format::Html, text);
    assert!(end.end <= text.len());
    let engine = engine();
    let doc = engine.analyse(file);
    let findings = engine.audit(&doc, &engine.options());
    for f in findings {
        assert!(f.span.start <= f.span.end && f.span.end <= text.len(), "{f:?}");
    }
});
