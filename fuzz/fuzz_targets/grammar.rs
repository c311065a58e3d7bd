//! The copy grammar on arbitrary text: it must parse anything (every input is some copy), never
//! panic, and keep every span inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let spans = overclaim::fuzzing::token_spans(text).expect("the grammar accepts any text");
    for (start, end) in spans {
        assert!(start <= end && end <= text.len());
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    }
});
