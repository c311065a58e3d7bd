//! The waivers loader on arbitrary YAML: it may refuse the file, but only with located,
//! non-empty errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(errors) = overclaim::fuzzing::load_waivers(text) {
        assert!(!errors.is_empty());
        for e in errors {
            assert!(!e.message.is_empty());
        }
    }
});
