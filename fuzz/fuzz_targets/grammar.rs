//! The copy grammar on arbitrary text: it must parse anything (every input is some copy), never
//! panic, and keep every span inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = overclaim::parse::parse(text, &[]).expect("the grammar accepts any text");
    for token in &parsed.tokens {
        assert!(token.span.start <= token.span.end && token.span.end <= text.len());
        assert!(text.is_char_boundary(token.span.start) && text.is_char_boundary(token.span.end));
    }
});
