//! The Word reader on arbitrary bytes, and on a package whose document part is arbitrary XML:
//! it may refuse them, with a reason, but never panics, and every part it names starts inside
//! its text, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&[u8], &str)| {
    let (bytes, xml) = input;
    for result in [
        overclaim::fuzzing::word_parts(bytes),
        overclaim::fuzzing::word_parts_of_body(xml),
    ] {
        match result {
            Ok((text, starts)) => {
                assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
                assert!(starts.iter().all(|&s| s <= text.len() && text.is_char_boundary(s)));
            }
            Err(reason) => assert!(!reason.is_empty()),
        }
    }
});
