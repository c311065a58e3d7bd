//! The rule loader on arbitrary YAML given as a user's rule pack: it may refuse the file, but
//! only with located errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(errors) = overclaim::fuzzing::load_user_pack(text) {
        assert!(!errors.is_empty());
        for e in errors {
            assert!(!e.message.is_empty());
        }
    }
});
